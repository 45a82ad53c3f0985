"""Injected time, so rules that depend on "now" can be driven by a fake clock in tests."""

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

# A phone's clock may run a little ahead of the server's: a moment this far in the future is
# still "now" (an incident's time, a report to the Inspectie SZW).
CLOCK_SKEW = timedelta(minutes=5)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta) -> datetime:
        self._now += timedelta(**delta)
        return self._now


def iso(moment: datetime | None) -> str | None:
    """UTC time as ISO 8601 with a Z, the one format the API and websocket speak."""
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


MUNICIPAL_TIME = ZoneInfo("Europe/Amsterdam")


def local_date(moment: datetime) -> date:
    """The calendar day in the municipality: a measure "until the 3rd" ends at midnight in
    the Netherlands, not at midnight UTC."""
    return moment.astimezone(MUNICIPAL_TIME).date()


def local_midnight(day: date) -> datetime:
    """The moment a local calendar day begins: "from the 3rd" is from midnight here."""
    return datetime(day.year, day.month, day.day, tzinfo=MUNICIPAL_TIME)


def json_value(value):
    """Dates and times as ISO text, everything else as is: for history rows stored as JSON."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value
