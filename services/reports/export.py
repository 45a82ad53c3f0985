"""A report's numbers as CSV, and §9's annual count for the Sociaal jaarverslag: the year
report's figures the annual report needs, picked from it (one source for both)."""

from __future__ import annotations

import csv
import io

from services.spreadsheet import cell

HEADER = ("onderdeel", "tabel", "cijfer", "waarde", "vorige periode", "verschil", "van", "procent")
# The Sociaal jaarverslag: how many, how serious, what it cost, what followed, where.
ANNUAL_TABLES = (
    ("frequency", "total"),
    ("frequency", "behaviour"),
    ("frequency", "kind"),
    ("where", "department"),
    ("consequences", "consequence"),
    ("consequences", "consequence_totals"),
    ("reporting", "reporting"),
    ("reactions", "measure"),
    ("police", "police"),
    ("activity", "alarms"),
)


def _number(value) -> str:
    return "" if value is None else str(value)


def _lines(report: dict):
    for section in report["sections"]:
        for table in section["tables"]:
            if table["chart"] == "matrix":
                for day in table["rows"]:
                    for hour, count in zip(table["columns"], day["values"], strict=True):
                        label = f"{day['label']} {hour}:00"
                        yield section["title"], table["title"], label, count, None, None, None, None
                continue
            for r in table["rows"]:
                yield (
                    section["title"],
                    table["title"],
                    r["label"],
                    r["value"],
                    r["previous"],
                    r["change"],
                    r["of"],
                    r["percent"],
                )


def report_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"{report['period']['label']} — {report['scope']['label']}"])
    writer.writerow([f"vorige periode: {report['previous']['label']}"])
    writer.writerow(HEADER)
    for section, table, label, *numbers in _lines(report):
        writer.writerow([cell(section), cell(table), cell(label), *map(_number, numbers)])
    return out.getvalue()


def annual_count(report: dict) -> dict:
    """The year report cut down to what the Sociaal jaarverslag counts."""
    wanted = set(ANNUAL_TABLES)
    sections = []
    for section in report["sections"]:
        tables = [t for t in section["tables"] if (section["key"], t["key"]) in wanted]
        if tables:
            sections.append({**section, "tables": tables})
    return {**report, "sections": sections}
