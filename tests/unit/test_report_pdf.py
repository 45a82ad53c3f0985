"""The quarterly and half-year report as PDF: every figure of the report's tables in its text,
the coordinator's recommendations, the status and page numbers; odd characters and a long
report do not break it."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from services.reports import charts
from services.reports.pdf import NO_RECOMMENDATIONS, figure, report_pdf, share, signed
from tests.unit.test_letters import ORG  # the letters' letterhead

TITLE = "Kwartaalrapportage agressie en geweld — 4e kwartaal 2026"
FINAL = "Definitief, versie 2, 3 januari 2027, Ingrid Smit"
HOURS = [str(hour) for hour in range(24)]


def row(key, label, value, previous, *, of=None, previous_of=None, percent=None):
    change = None if value is None or previous is None else value - previous
    return {
        "key": key,
        "label": label,
        "value": value,
        "previous": previous,
        "change": change,
        "of": of,
        "previous_of": previous_of,
        "percent": percent,
        "drill": None,
    }


def bars_table(key, title, rows, unit="count"):
    svg = charts.bars(
        title=title,
        rows=[(r["label"], r["value"], r["previous"]) for r in rows],
        current_label="4e kwartaal 2026",
        previous_label="3e kwartaal 2026",
    )
    summary = f"Samenvatting van {title.lower()}."
    return {
        "key": key,
        "title": title,
        "summary": summary,
        "unit": unit,
        "chart": "bars",
        "svg": svg,
        "rows": rows,
    }


def matrix_table():
    values = [[(day + hour) % 4 for hour in range(24)] for day in range(2)]
    svg = charts.matrix(
        title="Dag en uur", row_labels=["ma", "di"], column_labels=HOURS, values=values
    )
    rows = [{"key": d, "label": d, "values": v} for d, v in zip(("ma", "di"), values, strict=True)]
    return {
        "key": "when",
        "title": "Dag en uur",
        "summary": None,
        "unit": "count",
        "chart": "matrix",
        "svg": svg,
        "columns": HOURS,
        "rows": rows,
    }


BEHAVIOUR = [
    row("A", "A — emotie over “mij”", 3, 2),
    row("C", "C — persoonlijk (schelden € 1.250 schade)", 12, 9),
    row("E", "E — fysiek", 0, None),
]
SHARES = [
    row("aangifte", "Aangifte gedaan", 7, 4, of=9, previous_of=6, percent=78),
    row("nazorg", "Eerste gesprek op tijd", 2, 3, of=3, previous_of=3),
    row("days", "Gemiddelde dagen tot reactie", 1.5, None),
]


def a_report(sections=None) -> dict:
    return {
        "period": {
            "kind": "quarter",
            "from": "2026-10-01",
            "to": "2026-12-31",
            "label": "4e kwartaal 2026",
        },
        "previous": {"from": "2026-07-01", "to": "2026-09-30", "label": "3e kwartaal 2026"},
        "scope": {"label": "Alle afdelingen", "everything": True},
        "filters": {"department": None, "team": 2, "function_group": None, "channel": None},
        "options": {"teams": [{"id": 2, "name": "Sociaal Domein", "department_id": 1}]},
        "generated_at": "2027-01-03T09:15:00Z",
        "sections": sections
        or [
            {
                "key": "frequency",
                "title": "Frequentie en vorm van agressie",
                "summary": "15 meldingen, 4 meer dan het vorige kwartaal.",
                "tables": [bars_table("behaviour", "Per gedragstype", BEHAVIOUR), matrix_table()],
            },
            {
                "key": "reactions",
                "title": "Reacties naar agressor en aangiften",
                "summary": "",
                "tables": [
                    bars_table("police", "Politie en nazorg", SHARES, unit="days"),
                    {
                        "key": "none",
                        "title": "Lege tabel",
                        "summary": None,
                        "unit": "count",
                        "chart": None,
                        "svg": None,
                        "rows": [],
                    },
                ],
            },
        ],
    }


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_holds_the_title_the_period_and_the_status():
    text = flat(
        text_of(
            report_pdf(
                a_report(),
                organisation=ORG,
                title=TITLE,
                recommendations="Meer training.",
                status=FINAL,
            )
        )
    )
    for expected in (
        "Gemeente Demodorp",
        TITLE,
        "Periode: 4e kwartaal 2026 (1 oktober 2026 t/m 31 december 2026)",
        "Vergeleken met: 3e kwartaal 2026 (1 juli 2026 t/m 30 september 2026)",
        "Bereik: Alle afdelingen",
        "Filter: Team: Sociaal Domein",
        "Gemaakt: 3 januari 2027, 10:15",  # in the municipality's time
        f"Status: {FINAL}",
        "Frequentie en vorm van agressie",
        "15 meldingen, 4 meer dan het vorige kwartaal.",
        "Aanbevelingen Meer training.",
        "pagina 1 van",
    ):
        assert expected in text, expected


def test_every_figure_of_every_table_is_in_the_text():
    text = flat(
        text_of(
            report_pdf(
                a_report(), organisation=ORG, title=TITLE, recommendations=None, status="Concept"
            )
        )
    )
    for r in BEHAVIOUR + SHARES:
        line = " ".join(
            [
                r["label"],
                share(r["value"], r["of"], r["percent"]),
                share(r["previous"], r["previous_of"]),
                signed(r["change"]),
            ]
        )
        assert line in text, line
    assert "7 van 9 (78 %) 4 van 6 +3" in text and "2 van 3 3 van 3 -1" in text
    assert "1,5 — —" in text and "in dagen" in text
    assert "E — fysiek 0 — —" in text
    for label, values in (
        ("ma", [h % 4 for h in range(24)]),
        ("di", [(h + 1) % 4 for h in range(24)]),
    ):
        assert " ".join([label, *map(str, values)]) in text
    assert "Lege tabel Geen gegevens." in text
    assert f"Aanbevelingen {NO_RECOMMENDATIONS}" in text


def test_figures_read_as_dutch_numbers():
    assert [figure(None), figure(1250), figure(2.5), figure("n.v.t.")] == [
        "—",
        "1.250",
        "2,5",
        "n.v.t.",
    ]
    assert [signed(3), signed(-1.5), signed(0), signed(None)] == ["+3", "-1,5", "0", "—"]
    assert [share(7, 9, 78), share(2, 3), share(None, 3), share(4, None)] == [
        "7 van 9 (78 %)",
        "2 van 3",
        "—",
        "4",
    ]


def test_odd_characters_do_not_break_it():
    odd = "“Aanhalingstekens”, € 12, emoji 🙂🚓, Łódź, tab\there, zero\u200bwidth,\r\nnieuwe regel"
    table = bars_table("odd", f"Tabel {odd}", [row("x", odd, 1, 0)])
    report = a_report([{"key": "s", "title": odd, "summary": odd, "tables": [table]}])
    report["scope"]["label"] = odd
    text = flat(
        text_of(
            report_pdf(
                report,
                organisation=ORG,
                title=f"Titel {odd}",
                recommendations=odd,
                status="Concept",
            )
        )
    )
    assert "“Aanhalingstekens”, € 12, emoji ??, Lódz, tab here, zerowidth," in text
    assert "nieuwe regel" in text


def test_paragraphs_of_the_recommendations_stay_apart():
    recommendations = "Eerste punt: training.\n\nTweede punt: alarmknoppen.\n"
    text = text_of(
        report_pdf(
            a_report(),
            organisation=ORG,
            title=TITLE,
            recommendations=recommendations,
            status="Concept",
        )
    )
    assert "Eerste punt: training.\nTweede punt: alarmknoppen." in text


@pytest.mark.parametrize("tables", [1, 12])
def test_a_chart_stays_on_one_page_with_its_title(tables):
    many = [bars_table(f"t{i}", f"Tabel nummer {i}", BEHAVIOUR * 3) for i in range(tables)]
    pdf = report_pdf(
        a_report([{"key": "s", "title": "Veel", "summary": "", "tables": many}]),
        organisation=ORG,
        title=TITLE,
        recommendations="x" * 5000,
        status="Concept",
    )
    pages = [flat(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert all(f"van {len(pages)}" in page for page in pages)
    for i in range(tables):
        [page] = [p for p in pages if f"Tabel nummer {i} Samenvatting" in p]
        assert f"Tabel nummer {i} 4e kwartaal 2026" in page  # the chart's own title, below it
    assert "Veel Tabel nummer 0 Samenvatting" in pages[0]  # the section's heading with it


def test_a_section_heading_is_never_left_alone_at_the_foot_of_a_page():
    for rows in range(0, 25, 2):
        first = bars_table(
            "one", "Tabel een", [row(f"r{i}", f"Rij {i}", i, 0) for i in range(rows)]
        )
        second = bars_table("two", "Tabel twee", BEHAVIOUR * 3)
        sections = [
            {"key": "one", "title": "Eerste deel", "summary": "", "tables": [first]},
            {"key": "two", "title": "Tweede deel", "summary": "Over twee.", "tables": [second]},
        ]
        pdf = report_pdf(
            a_report(sections),
            organisation=ORG,
            title=TITLE,
            recommendations=None,
            status="Concept",
        )
        pages = [flat(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
        [page] = [p for p in pages if "Tweede deel" in p]
        assert "Tweede deel Over twee. Tabel twee Samenvatting" in page, rows
