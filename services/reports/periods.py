"""A report's period and the one it is compared with: a quarter (the protocol's quarterly report,
annex 2), a half year (the progress report), a year (§9's annual count), the last twelve months,
or custom dates. Periods are local calendar days, both ends included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.followup.letters import dutch_date
from services.limits import Limit

KINDS = ("quarter", "half_year", "year", "last_12_months", "custom")
PRESETS = {
    "this_quarter": "Dit kwartaal",
    "last_quarter": "Vorig kwartaal",
    "last_12_months": "Laatste 12 maanden",
}
# The kinds of period a report is asked for besides the presets: how many parts a year has of
# it (a quarter 4, a half year 2; 0: none to choose), and whether a year is chosen.
PERIODS = {
    "quarter": {"label": "Kwartaal", "parts": 4, "year": True},
    "half_year": {"label": "Halfjaar", "parts": 2, "year": True},
    "year": {"label": "Jaar", "parts": 0, "year": True},
    "custom": {"label": "Eigen periode", "parts": 0, "year": False},
}
YEARS = Limit(2100, min=2000)
LONGEST = timedelta(days=5 * 366)  # a custom period: at most five years (the register's reach)


@dataclass(frozen=True)
class Period:
    kind: str  # one of KINDS
    first: date
    last: date  # included

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{(self.first.month - 1) // 3 + 1}e kwartaal {self.first.year}"
        if self.kind == "half_year":
            return f"{1 if self.first.month == 1 else 2}e halfjaar {self.first.year}"
        if self.kind == "year":
            return str(self.first.year)
        return f"{dutch_date(self.first)} t/m {dutch_date(self.last)}"

    def previous(self) -> Period:
        """The period it is compared with: the quarter, half year or year before, else the
        same number of days right before it."""
        if self.kind == "quarter":
            return quarter(*_step_back(self.first, 3), kind="quarter")
        if self.kind == "half_year":
            return half_year(*_step_back(self.first, 6), kind="half_year")
        if self.kind == "year":
            return year(self.first.year - 1)
        return Period(self.kind, self.first - timedelta(days=self.days), self.first - timedelta(1))


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _step_back(first: date, months: int) -> tuple[int, int]:
    back = _months_back(first, months)
    return back.year, (back.month - 1) // months + 1


def _month_end(year_: int, month: int) -> date:
    return _months_back(date(year_, month, 1), -1) - timedelta(days=1)


def quarter(year_: int, number: int, *, kind: str = "quarter") -> Period:
    start = 3 * (number - 1) + 1
    return Period(kind, date(year_, start, 1), _month_end(year_, start + 2))


def half_year(year_: int, number: int, *, kind: str = "half_year") -> Period:
    start = 6 * (number - 1) + 1
    return Period(kind, date(year_, start, 1), _month_end(year_, start + 5))


def year(year_: int) -> Period:
    return Period("year", date(year_, 1, 1), date(year_, 12, 31))


def preset(name: str, today: date) -> Period:
    """ "dit kwartaal", "vorig kwartaal", "laatste 12 maanden" (up to and including today)."""
    this = quarter(today.year, (today.month - 1) // 3 + 1)
    if name == "this_quarter":
        return this
    if name == "last_quarter":
        return this.previous()
    a_year_back = today - timedelta(days=366 if _leap_day_within(today) else 365)
    return Period("last_12_months", a_year_back + timedelta(days=1), today)


def _leap_day_within(today: date) -> bool:
    """Whether a 29 February lies in the year up to `today`."""
    return any(
        (day := date(y, 3, 1) - timedelta(days=1)).day == 29
        and today - timedelta(366) < day <= today
        for y in (today.year - 1, today.year)
    )


def custom(first: date, last: date) -> Period:
    return Period("custom", first, last)
