"""Deleting events past their period, with their addressees and push deliveries. A client
that reconnects with an id from before the oldest event left gets what is still there: the
replay asks for ids above its own, never for one id, and ids are never given again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from services.events.models import Event, EventAudience
from services.push.models import PushDelivery
from services.retention.policy import kept_since


def due(now: datetime, days: int) -> Select:
    return (
        select(Event.id, Event.created_at)
        .where(Event.created_at < kept_since(now, days))
        .order_by(Event.id)
    )


def delete_events(session: Session, now: datetime, ids: list[int]) -> None:
    """The rows that refer to an event first (their foreign keys cascade too, but a database
    made without SQLite's foreign_keys pragma would keep them)."""
    for statement in (
        delete(PushDelivery).where(PushDelivery.event_id.in_(ids)),
        delete(EventAudience).where(EventAudience.event_id.in_(ids)),
        delete(Event).where(Event.id.in_(ids)),
    ):
        session.execute(statement, execution_options={"synchronize_session": False})
