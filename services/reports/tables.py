"""A report's tables: rows of a figure for this period beside the previous one, with the change,
a share's denominator, and the register list behind the figure (drill-down). Small counts stay
numbers: a percentage is given only of at least SHARE_MINIMUM."""

from __future__ import annotations

from services.reports import charts
from services.reports.frame import Frame

SHARE_MINIMUM = 20  # "3 van 4" says more than "75 %"


def change(value, previous):
    return None if value is None or previous is None else round(value - previous, 1)


def percent(value, of) -> int | None:
    return round(100 * value / of) if value is not None and of and of >= SHARE_MINIMUM else None


def row(
    key: str,
    label: str,
    value,
    previous,
    *,
    of=None,
    previous_of=None,
    drill: dict | None = None,
) -> dict:
    return {
        "key": key,
        "label": label,
        "value": value,
        "previous": previous,
        "change": change(value, previous),
        "of": of,
        "previous_of": previous_of,
        "percent": None if of is None else percent(value, of),
        "drill": drill,
    }


def drill(frame: Frame, figure: str, value: str, label: str, *, any_time: bool = False) -> dict:
    """The register list's query for the incidents behind a figure: the report's filters and
    period, and the figure's own condition. A figure over incidents of any time (a ban in
    force, a breach in the period) names its period apart: the list's from/to would select by
    the incidents' dates."""
    params = frame.query.register_params()
    if any_time:
        params["period_from"], params["period_to"] = params.pop("from"), params.pop("to")
    return {**params, "figure": figure, "value": value, "label": label}


def top_summary(rows: list[dict], *, noun: str = "meldingen") -> str:
    counted = [r for r in rows if r["value"]]
    if not counted:
        return f"Geen {noun} in deze periode."
    most = max(r["value"] for r in counted)
    best = [r["label"] for r in counted if r["value"] == most]
    if len(best) == 1:
        return f"Meeste: {best[0]} ({charts.number(most)})."
    if len(best) > 3:
        return f"{len(best)} even vaak ({charts.number(most)} elk)."
    return f"Even vaak: {' en '.join(best)} ({charts.number(most)} elk)."


def table(
    key: str,
    title: str,
    rows: list[dict],
    *,
    frames: tuple[Frame, Frame],
    chart: str | None = "bars",
    unit: str = "count",
    summary: str | None = None,
) -> dict:
    current, previous = frames
    svg = None
    if chart == "bars":
        svg = charts.bars(
            title=title,
            rows=[(r["label"], r["value"], r["previous"]) for r in rows],
            current_label=current.period.label,
            previous_label=previous.period.label,
        )
    return {
        "key": key,
        "title": title,
        "summary": summary if summary is not None else top_summary(rows),
        "unit": unit,
        "chart": chart,
        "svg": svg,
        "rows": rows,
    }


def counted(
    key: str,
    title: str,
    *,
    frames: tuple[Frame, Frame],
    figure: str,
    labels: dict,
    counts: tuple[dict, dict],
    chart: str | None = "bars",
    keep_zero: bool = True,
) -> dict:
    """A table of incident counts per value, each row opening its incidents."""
    current, previous = counts
    rows = [
        row(
            str(value),
            label,
            current.get(value, 0),
            previous.get(value, 0),
            drill=drill(frames[0], figure, str(value), f"{title}: {label}"),
        )
        for value, label in labels.items()
        if keep_zero or current.get(value) or previous.get(value)
    ]
    return table(key, title, rows, frames=frames, chart=chart)


def section(key: str, title: str, summary: str, tables: list[dict]) -> dict:
    return {"key": key, "title": title, "summary": summary, "tables": tables}
