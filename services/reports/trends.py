"""Incidents over time and by day of the week and hour, in the municipality's local time. SQL
counts per UTC hour (at most one row per hour of the period); those few rows are turned into
local weeks, months and hours here, because Amsterdam's offset changes with the season."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from services.clock import MUNICIPAL_TIME
from services.followup.letters import MONTHS
from services.incidents.models import Incident
from services.reports import charts
from services.reports.frame import Frame
from services.reports.tables import row, top_summary

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WEEKLY_UP_TO = 120  # days: a quarter by week, anything longer by month


def _local_hours(frame: Frame) -> Counter:
    """Incidents per local hour (a datetime in Amsterdam time, minutes zero), counted once per
    report."""
    if "hours" not in frame.memo:
        frame.memo["hours"] = _count_local_hours(frame)
    return frame.memo["hours"]


def _count_local_hours(frame: Frame) -> Counter:
    hour = frame.dialect.utc_hour(Incident.occurred_at)
    rows = frame.session.execute(
        select(hour, func.count()).where(*frame.where).group_by(hour)
    ).all()
    found = Counter()
    for text, count in rows:
        # "YYYY-MM-DD HH" from SQL: sliced, thousands of times faster than strptime's locale dance
        utc = datetime(int(text[:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), tzinfo=UTC)
        found[utc.astimezone(MUNICIPAL_TIME)] += count
    return found


def _buckets(frame: Frame) -> list[tuple[str, date, date]]:
    """(label, first, last) of each week or month of the period, clipped to it."""
    first, last = frame.period.first, frame.period.last
    found = []
    if frame.period.days <= WEEKLY_UP_TO:
        start = first - timedelta(days=first.weekday())
        while start <= last:
            end = start + timedelta(days=6)
            found.append((f"wk {start.isocalendar().week}", max(start, first), min(end, last)))
            start = end + timedelta(days=1)
        return found
    month = date(first.year, first.month, 1)
    while month <= last:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        label = f"{MONTHS[month.month - 1][:3]} {month.year}"
        found.append((label, max(month, first), min(following - timedelta(days=1), last)))
        month = following
    return found


def over_time(frames: tuple[Frame, Frame], *, total: int) -> dict:
    current = frames[0]
    hours = _local_hours(current)
    rows = []
    for label, first, last in _buckets(current):
        count = sum(n for moment, n in hours.items() if first <= moment.date() <= last)
        params = current.query.register_params() | {
            "from": first.isoformat(),
            "to": last.isoformat(),
        }
        rows.append(row(first.isoformat(), label, count, None, drill=params | {"label": label}))
    title = "Meldingen per week" if current.period.days <= WEEKLY_UP_TO else "Meldingen per maand"
    svg = charts.columns(
        title=title, points=[(r["label"], r["value"]) for r in rows], previous_total=total
    )
    return {
        "key": "over_time",
        "title": title,
        "summary": top_summary(rows),
        "unit": "count",
        "chart": "columns",
        "svg": svg,
        "rows": rows,
    }


def weekday_hour(frame: Frame) -> dict:
    values = [[0] * 24 for _ in WEEKDAYS]
    for moment, count in _local_hours(frame).items():
        values[moment.weekday()][moment.hour] += count
    columns = [f"{h:02d}" for h in range(24)]
    title = "Dag van de week en uur"
    return {
        "key": "weekday_hour",
        "title": title,
        "summary": _busiest(values),
        "unit": "count",
        "chart": "matrix",
        "svg": charts.matrix(
            title=title, row_labels=list(WEEKDAYS), column_labels=columns, values=values
        ),
        "columns": columns,
        "rows": [
            {"key": str(day + 1), "label": WEEKDAYS[day], "values": values[day]} for day in range(7)
        ],
    }


def _busiest(values: list[list[int]]) -> str:
    most = max(max(r) for r in values)
    if not most:
        return "Geen meldingen in deze periode."
    day, hour = next((d, h) for d in range(7) for h in range(24) if values[d][h] == most)
    return f"Drukste uur: {WEEKDAYS[day]} {hour:02d}–{hour + 1:02d} uur ({most})."
