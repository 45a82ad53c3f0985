"""A report's figure opened in the register list: the figure's own condition added to the
list's filters, under the viewer's need-to-know (the list's WHERE stays the register's)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from services.accounts.capabilities import roles_for
from services.clock import local_date
from services.errors import NotAllowed
from services.incidents.access import Viewer
from services.incidents.service import RegisterFilter
from services.reports.frame import Frame
from services.reports.incident_figures import drill_clauses
from services.reports.periods import custom
from services.reports.query import ReportQuery

EARLIEST = date(2000, 1, 1)
READERS = roles_for("reports")  # a figure is the reports' (and follow-up's) knowledge


def figure_clauses(
    session: Session,
    *,
    viewer: Viewer,
    filters: RegisterFilter,
    figure: str,
    value: str,
    period: tuple[date | None, date | None],
    now: datetime,
) -> tuple[list, RegisterFilter]:
    """(extra conditions, the list's filter): a figure over incidents of any time (bans) drops
    the list's dates and counts in `period` instead. Only for those who see the reports: a
    figure filters one's own reports by what the follow-up recorded (police, measures,
    aftercare) and by other people's reports (a repeat aggressor), which a worker's register
    never shows."""
    if viewer.user.role not in READERS:
        raise NotAllowed("Je rol geeft geen toegang tot de rapportages.")
    first, last = period
    first = first or filters.date_from or EARLIEST
    last = last or filters.date_to or local_date(now)
    query = ReportQuery(
        period=custom(first, max(first, last)),
        department_id=filters.department_id,
        team_id=filters.team_id,
        function_group=filters.function_group,
        channel=filters.channel,
    )
    clauses, any_time = drill_clauses(Frame(session, viewer, query, now), figure, value)
    if any_time:
        filters = RegisterFilter(**{**vars(filters), "date_from": None, "date_to": None})
    return clauses, filters
