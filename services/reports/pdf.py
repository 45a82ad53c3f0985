"""A report (`build_report`'s dict) as an A4 PDF: the organisation's letterhead, title, period,
scope and status, each section's tables as chart and numbers, then the coordinator's
recommendations. Imported only when a PDF is made (services/followup/pdf.py: fpdf2 costs a
fifth of a second at start-up)."""

from __future__ import annotations

import io
import logging
import re
from datetime import date, datetime

from fpdf import FPDF

from services.clock import MUNICIPAL_TIME
from services.followup.letters import Organisation, dutch_date
from services.followup.pdf import FONT, LetterheadPDF, letterhead, printable
from services.reports.charts import DASH, for_pdf, number

log = logging.getLogger(__name__)

NO_RECOMMENDATIONS = "Nog geen aanbevelingen."
NO_ROWS = "Geen gegevens."
UNITS = {"days": "dagen", "minutes": "minuten", "seconds": "seconden", "euro": "euro"}
CHART_WIDTH = 100  # mm: the charts are 360 units wide; their 12-unit text prints at about 9 pt
CHART_HIGHEST = 180  # mm: with its title and summary a chart still fits on one page
ROOM_FOR_A_START = 35  # mm: a heading is not left alone at the foot of a page
ROW_COLUMNS = (71, 33, 33, 28)  # label, this period, previous period, change (165 mm)
MATRIX_COLUMNS = 24  # a matrix's columns per table: the hours of a day
MATRIX_LABEL = 21  # mm
VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


def report_pdf(
    report: dict,
    *,
    organisation: Organisation,
    title: str,
    recommendations: str | None,
    status: str,
) -> bytes:
    """The report as A4: `status` says whether it is a draft ("Concept") or which final
    version, when and by whom."""
    pdf = LetterheadPDF(printable(title))
    pdf.set_title(printable(title))
    pdf.add_page()
    _heading(pdf, report, org=organisation, title=title, status=status)
    labels = (report["period"]["label"], report["previous"]["label"])
    for section in report["sections"]:
        _section(pdf, section, labels)
    _recommendations(pdf, recommendations)
    return bytes(pdf.output())


# ---- figures as text -------------------------------------------------------------------------


def figure(value) -> str:
    """A number in Dutch notation (as the charts write it), text as it is, — for none."""
    if value is None or isinstance(value, str):
        return DASH if value is None else value
    return number(value)


def share(value, of, percent=None) -> str:
    """ "7 van 9", with " (78 %)" where the share is large enough to mean something."""
    if of is None or value is None:
        return figure(value)
    text = f"{figure(value)} van {figure(of)}"
    return text if percent is None else f"{text} ({figure(percent)} %)"


def signed(change) -> str:
    """A change with its sign: +2, -1, 0."""
    if change is None or isinstance(change, str):
        return figure(change)
    return ("+" if change > 0 else "-" if change < 0 else "") + number(abs(change))


def moment(value: str | datetime) -> str:
    """An ISO time (or a datetime) as the municipality's date and time of day."""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    local = when.astimezone(MUNICIPAL_TIME)
    return f"{dutch_date(local.date())}, {local:%H:%M}"


def _span(period: dict) -> str:
    """ "4e kwartaal 2026 (1 oktober 2026 t/m 31 december 2026)"; a custom period's label
    is its dates already."""
    dates = " t/m ".join(dutch_date(date.fromisoformat(period[end])) for end in ("from", "to"))
    label = period.get("label") or dates
    return label if label == dates else f"{label} ({dates})"


FILTERS = {  # filter -> its name, and the options of the report it is one of
    "department": ("Afdeling", "departments"),
    "team": ("Team", "teams"),
    "function_group": ("Functiegroep", "function_groups"),
    "channel": ("Kanaal", "channels"),
}


def _filters(report: dict) -> list[str]:
    """What narrows the report within its scope: "Team: Sociaal Domein"."""
    shown = []
    for key, value in (report.get("filters") or {}).items():
        if value is None or key not in FILTERS:
            continue
        name, offered = FILTERS[key]
        labels = {
            o.get("id", o.get("value")): o.get("name", o.get("label"))
            for o in (report.get("options") or {}).get(offered, [])
        }
        shown.append(f"{name}: {labels.get(value, value)}")
    return shown


# ---- layout ----------------------------------------------------------------------------------


def _write(pdf: FPDF, text: str, *, size: float = 10, style: str = "", height: float = 5):
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, height, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _keep_room(pdf: FPDF, height: float) -> None:
    if pdf.will_page_break(height):
        pdf.add_page()


def _heading(pdf: FPDF, report: dict, *, org: Organisation, title: str, status: str) -> None:
    letterhead(pdf, org)
    _write(pdf, title, size=16, style="B", height=8)
    pdf.ln(2)
    lines = [
        f"Periode: {_span(report['period'])}",
        f"Vergeleken met: {_span(report['previous'])}",
        f"Bereik: {report['scope']['label']}",
        *(f"Filter: {text}" for text in _filters(report)),
        f"Gemaakt: {moment(report['generated_at'])}",
        f"Status: {status}",
    ]
    _write(pdf, "\n".join(lines), size=10, height=5.5)


def _section(pdf: FPDF, section: dict, labels: tuple[str, str]) -> None:
    def heading(target: FPDF) -> None:
        _write(target, section["title"], size=13, style="B", height=7)
        if section.get("summary"):
            _write(target, section["summary"])

    pdf.ln(6)
    tables = section.get("tables") or []
    if not tables:
        _keep_room(pdf, ROOM_FOR_A_START)
        heading(pdf)
    for index, table in enumerate(tables):
        _table(pdf, table, labels, heading=None if index else heading)


def _table(pdf: FPDF, table: dict, labels: tuple[str, str], *, heading=None) -> None:
    """`heading`: the section's, kept on one page with its first table's chart."""
    _keep_room(pdf, ROOM_FOR_A_START)
    with pdf.unbreakable() as block:  # the title, its summary and the chart on one page
        if heading is not None:
            heading(block)
        block.ln(4)
        _write(block, table["title"], size=11, style="B", height=6)
        if table.get("summary"):
            _write(block, table["summary"], size=9, height=4.5)
        _chart(block, table.get("svg"))
    if not table.get("rows"):
        _write(pdf, NO_ROWS, size=9)
    elif "columns" in table:
        _matrix(pdf, table)
    else:
        _rows(pdf, table, labels)


def _chart(pdf: FPDF, svg: str | None) -> None:
    if not svg:
        return
    pdf.ln(1)
    try:
        pdf.image(io.BytesIO(for_pdf(svg).encode()), x=pdf.l_margin, w=_chart_width(svg))
    except Exception:  # a chart fpdf2 cannot draw must not stop a report: its numbers follow
        log.warning("a report chart could not be drawn", exc_info=True)
        _write(pdf, "(De grafiek kon niet worden getekend; de getallen staan hieronder.)", size=9)
    pdf.ln(2)


def _chart_width(svg: str) -> float:
    """As wide as CHART_WIDTH, narrower where the chart would be taller than CHART_HIGHEST."""
    found = VIEWBOX.search(svg)
    width, height = map(float, found.groups()) if found else (1.0, 0.0)
    return min(CHART_WIDTH, CHART_HIGHEST * width / height) if height else CHART_WIDTH


def _grid(pdf: FPDF, widths: tuple[float, ...], align: tuple[str, ...], rows: list[list[str]]):
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align=align,
        padding=(0.8, 1),
        line_height=pdf.font_size * 1.3,
        repeat_headings=1,
    ) as grid:
        for cells in rows:
            row = grid.row()
            for text in cells:
                row.cell(printable(text))


def _rows(pdf: FPDF, table: dict, labels: tuple[str, str]) -> None:
    unit = UNITS.get(table.get("unit"))
    heading = ["" if unit is None else f"in {unit}", *labels, "Verschil"]
    rows = [
        [
            row["label"],
            share(row.get("value"), row.get("of"), row.get("percent")),
            share(row.get("previous"), row.get("previous_of")),
            signed(row.get("change")),
        ]
        for row in table["rows"]
    ]
    pdf.set_font(FONT, size=9)
    _grid(pdf, ROW_COLUMNS, ("LEFT", "RIGHT", "RIGHT", "RIGHT"), [heading, *rows])


def _matrix(pdf: FPDF, table: dict) -> None:
    """A compact table under the heat map, at most MATRIX_COLUMNS columns at a time."""
    columns, cell = table["columns"], (pdf.epw - MATRIX_LABEL) / MATRIX_COLUMNS
    for start in range(0, len(columns), MATRIX_COLUMNS):
        part = columns[start : start + MATRIX_COLUMNS]
        rows = [
            [row["label"], *(figure(v) for v in row["values"][start : start + len(part)])]
            for row in table["rows"]
        ]
        pdf.set_font(FONT, size=6.5)
        widths = (MATRIX_LABEL, *[cell] * len(part))
        _grid(pdf, widths, ("LEFT", *["CENTER"] * len(part)), [["", *map(str, part)], *rows])
        pdf.ln(2)


def _recommendations(pdf: FPDF, text: str | None) -> None:
    pdf.ln(8)
    _keep_room(pdf, ROOM_FOR_A_START)
    _write(pdf, "Aanbevelingen", size=13, style="B", height=7)
    text = printable(text or "").strip()
    for paragraph in re.split(r"\n[ ]*\n", text) if text else [NO_RECOMMENDATIONS]:
        pdf.ln(2)
        _write(pdf, paragraph.strip("\n"), size=10.5, height=5.5)
