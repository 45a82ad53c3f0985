"""How long each kind of data is kept, and the cut-offs that follow from it at a moment.

Periods are whole days counted from the moment the data stopped being needed: an incident
from its closing, an AIR entry from the end of its last measure, a position from the closing
of its alarm or visit, a log row or an event from when it was written. Something is due when
its moment lies strictly before the cut-off."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from services.clock import local_date


@dataclass(frozen=True)
class RetentionPolicy:
    """Days per kind of data (configured with VELDWACHT_RETAIN_<KIND>_DAYS; docs/retention.md).
    The field names are the kinds the configuration, the privacy page and the dry run name."""

    incidents: int = 5 * 365  # after closing; then anonymised, the counts stay
    air_entries: int = 2 * 365  # after the last measure ended; then deleted
    positions: int = 30  # after the alarm or visit closed; then cleared
    logs: int = 5 * 365  # the audit trail's reads, lookups and exports
    events: int = 90  # the event log behind the live feed and push

    def __post_init__(self):
        for period in fields(self):
            days = getattr(self, period.name)
            if not isinstance(days, int) or days < 1:
                raise ValueError(f"retention of {period.name}: a whole number of days, at least 1")

    def as_days(self) -> dict[str, int]:
        return {period.name: getattr(self, period.name) for period in fields(self)}


def kept_since(now: datetime, days: int) -> datetime:
    """The cut-off moment: what happened before it is past its period."""
    return now - timedelta(days=days)


def ended_before(now: datetime, days: int) -> date:
    """The cut-off for a measure's last day ("tot en met", in the municipality's calendar):
    a measure that held until a day before this one ended more than `days` days ago."""
    return local_date(now) - timedelta(days=days)
