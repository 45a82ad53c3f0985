"""Clearing staff positions past their period: N days after the alarm or visit closed, its
coordinates go and the alarm or visit stays. An alarm's events carry its position too (the
responders' view, the place line, navigation links, the position stream), so they go with it
rather than wait for the event log's own period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from services.alarms.models import Alarm
from services.events.models import Event
from services.retention.policy import kept_since
from services.visits.models import Visit


def alarms_due(now: datetime, days: int) -> Select:
    return (
        select(Alarm.id, Alarm.closed_at)
        .where(Alarm.closed_at < kept_since(now, days), Alarm.lat.is_not(None))
        .order_by(Alarm.id)
    )


def clear_alarms(session: Session, now: datetime, ids: list[int]) -> None:
    session.execute(
        update(Alarm)
        .where(Alarm.id.in_(ids))
        .values(lat=None, lon=None, accuracy=None, position_at=None),
        execution_options={"synchronize_session": False},
    )


def visits_due(now: datetime, days: int) -> Select:
    return (
        select(Visit.id, Visit.closed_at)
        .where(
            Visit.state == "closed",
            Visit.closed_at < kept_since(now, days),
            Visit.lat.is_not(None),
        )
        .order_by(Visit.id)
    )


def clear_visits(session: Session, now: datetime, ids: list[int]) -> None:
    session.execute(
        update(Visit).where(Visit.id.in_(ids)).values(lat=None, lon=None, accuracy=None),
        execution_options={"synchronize_session": False},
    )


def _alarm_id():
    """The alarm an alarm event is about: `alarm.id` in a view, `alarm_id` in a position."""
    return func.coalesce(
        Event.data[("alarm", "id")].as_integer(), Event.data["alarm_id"].as_integer()
    )


def alarm_events_due(now: datetime, days: int) -> Select:
    """(event id, when its alarm closed). An event written after the cut-off is not looked at
    (the index on created_at keeps the search short); it is due at a later sweep."""
    before = kept_since(now, days)
    return (
        select(Event.id, Alarm.closed_at)
        .join(Alarm, Alarm.id == _alarm_id())
        .where(Event.type.like("alarm.%"), Event.created_at < before, Alarm.closed_at < before)
        .order_by(Event.id)
    )
