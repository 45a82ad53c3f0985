"""One period of one report: the viewer, the filters, the register's WHERE for those, and the
counting helpers every figure uses (a GROUP BY, or a row of conditional sums)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy.orm import Session

from services.clock import local_date, local_midnight
from services.incidents.access import Viewer
from services.incidents.service import register_clauses
from services.reports.periods import Period
from services.reports.query import ReportQuery
from services.reports.sql import Dialect


@dataclass(frozen=True)
class Frame:
    session: Session
    viewer: Viewer
    query: ReportQuery
    now: datetime
    # What several tables of one report share, counted once (incident_figures.fixed_counts).
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def period(self) -> Period:
        return self.query.period

    @cached_property
    def dialect(self) -> Dialect:
        return Dialect.of(self.session)

    @property
    def start(self) -> datetime:
        return local_midnight(self.period.first)

    @property
    def end(self) -> datetime:
        """The moment the period is over (exclusive)."""
        return local_midnight(self.period.last + timedelta(days=1))

    @property
    def today(self):
        return local_date(self.now)

    @cached_property
    def where(self) -> list:
        """The incidents of the period in the register list with the same filters."""
        return register_clauses(self.viewer, self.query.register_filter())

    @cached_property
    def where_any_time(self) -> list:
        """The same without the period: the incidents whose bans and breaches count."""
        f = self.query.register_filter()
        return register_clauses(
            self.viewer, type(f)(**{**vars(f), "date_from": None, "date_to": None})
        )

    def previous(self) -> Frame:
        return Frame(
            self.session, self.viewer, self.query.with_period(self.period.previous()), self.now
        )
