"""Reports and trends: the quarterly and half-year reports' figures, the annual count for the
Sociaal jaarverslag, and their numbers as CSV — each over the viewer's own scope."""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import urlencode

from flask import request
from flask_login import current_user
from pydantic import BaseModel, Field

from app.api import bp
from app.api.downloads import csv_file
from app.api.endpoint import CSV, Day, Id, Query, Within, endpoint
from app.api.incidents import Channel
from app.runtime import runtime
from services.accounts.models import FunctionGroup
from services.clock import local_date
from services.errors import Invalid
from services.incidents.access import viewer_of
from services.reports import build_report, periods
from services.reports.export import annual_count, report_csv
from services.reports.query import ReportQuery


class ReportParams(Query):
    preset: Literal[tuple(periods.PRESETS)] | None = Field(
        default=None, description="dit kwartaal, vorig kwartaal, laatste 12 maanden"
    )
    period: Literal[tuple(periods.PERIODS)] | None = None
    year: int | None = Within(periods.YEARS, default=None)
    number: int | None = Field(default=None, ge=1, le=4, description="the quarter or half year")
    date_from: Day | None = Field(default=None, alias="from", description="custom: first day")
    date_to: Day | None = Field(default=None, alias="to", description="custom: last day")
    department: Id | None = None
    team: Id | None = None
    function_group: Literal[tuple(FunctionGroup)] | None = None
    channel: Channel | None = None

    def report_query(self, today: date) -> ReportQuery:
        return ReportQuery(
            period=self._period(today),
            department_id=self.department,
            team_id=self.team,
            function_group=self.function_group,
            channel=self.channel,
        )

    def _period(self, today: date) -> periods.Period:
        if self.period is None:
            return periods.preset(self.preset or "this_quarter", today)
        if self.period == "custom":
            return _custom(self.date_from, self.date_to)
        if self.year is None:
            raise Invalid("Kies een jaar.", {"year": "ontbreekt"})
        if self.period == "year":
            return periods.year(self.year)
        if self.number is None or self.number > periods.PERIODS[self.period]["parts"]:
            raise Invalid("Kies een kwartaal (1-4) of halfjaar (1-2).", {"number": "ongeldig"})
        build = periods.quarter if self.period == "quarter" else periods.half_year
        return build(self.year, self.number)


def _custom(first: date | None, last: date | None) -> periods.Period:
    if first is None or last is None:
        raise Invalid("Kies een begin- en einddatum.", {"from": "ontbreekt"})
    if last < first:
        raise Invalid("De einddatum ligt voor de begindatum.", {"to": "voor het begin"})
    if last - first > periods.LONGEST:
        raise Invalid("Een periode is hoogstens vijf jaar.", {"to": "te lang"})
    return periods.custom(first, last)


class AnnualParams(Query):
    year: int = Within(periods.YEARS)


class FigureRow(BaseModel):
    key: str
    label: str
    value: float | None
    previous: float | None
    change: float | None
    of: int | None
    previous_of: int | None
    percent: int | None
    drill: dict[str, str] | None  # the register list's query for the incidents behind it


class MatrixRow(BaseModel):
    key: str
    label: str
    values: list[int]


class ReportTable(BaseModel):
    key: str
    title: str
    summary: str
    unit: Literal["count", "days", "minutes", "seconds", "euro"]
    chart: Literal["bars", "columns", "matrix"] | None
    svg: str | None  # the chart, drawn by the server (the table is its accessible form)
    rows: list[FigureRow] | list[MatrixRow]
    columns: list[str] | None = None  # a matrix's column headers


class ReportSection(BaseModel):
    key: str
    title: str
    summary: str
    tables: list[ReportTable]


class PeriodOut(BaseModel):
    kind: str | None = None
    from_: date = Field(alias="from")
    to: date
    label: str


class ReportOut(BaseModel):
    period: PeriodOut
    previous: PeriodOut
    scope: dict  # {"label", "everything"}
    filters: dict
    options: dict  # presets, departments, teams, function groups and channels to filter on
    generated_at: str
    downloads: dict[str, str]
    sections: list[ReportSection]


def _report(query: ReportParams) -> dict:
    rt = runtime()
    now = rt.clock.now()
    with rt.db.reader() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        return build_report(
            uow.session, viewer=viewer, query=query.report_query(local_date(now)), now=now
        )


def _downloads(path: str) -> dict[str, str]:
    query = urlencode(request.args)
    return {kind: f"/api/{path}.{kind}?{query}" for kind in ("csv", "pdf")}


@endpoint(
    bp,
    "/reports",
    "GET",
    "A report over my scope",
    can="reports",
    query=ReportParams,
    returns=ReportOut,
)
def report(query: ReportParams):
    return {**_report(query), "downloads": _downloads("reports")}


@endpoint(
    bp,
    "/reports.csv",
    "GET",
    "A report's numbers as CSV",
    can="reports",
    query=ReportParams,
    returns=CSV,
)
def report_as_csv(query: ReportParams):
    return csv_file(report_csv(_report(query)), "rapportage")


def _annual(query: AnnualParams) -> dict:
    return annual_count(_report(ReportParams(period="year", year=query.year)))


@endpoint(
    bp,
    "/reports/annual",
    "GET",
    "The annual count for the Sociaal jaarverslag",
    can="reports",
    query=AnnualParams,
    returns=ReportOut,
)
def annual(query: AnnualParams):
    downloads = _downloads("reports/annual")
    return {**_annual(query), "downloads": {"csv": downloads["csv"]}}


@endpoint(
    bp,
    "/reports/annual.csv",
    "GET",
    "The annual count as CSV",
    can="reports",
    query=AnnualParams,
    returns=CSV,
)
def annual_as_csv(query: AnnualParams):
    return csv_file(report_csv(_annual(query)), f"jaartelling-{query.year}")
