"""Polling for events: the safety net beside the websocket, same rows, same audience rules."""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import BaseModel, Field

from app.api import bp
from app.api.endpoint import Query, endpoint
from app.runtime import runtime
from services.accounts.audience import listening_keys
from services.accounts.service import get_user
from services.events.log import REPLAY_LIMIT, event_message, events_since


class EventsQuery(Query):
    since: int = Field(
        default=0, ge=0, le=2**62, description="last event id the client has (default 0)"
    )
    limit: int = Field(
        default=REPLAY_LIMIT,
        ge=1,
        le=REPLAY_LIMIT,
        description=f"at most this many (default {REPLAY_LIMIT})",
    )


class EventOut(BaseModel):
    """An event as the websocket and polling send it (services/events/log.py)."""

    id: int
    type: str
    created_at: datetime
    urgent: bool
    title: str
    body: str
    data: dict  # per type: the alarm, visit, incident or message it is about


class EventsOut(BaseModel):
    events: list[EventOut]
    last_id: int


@endpoint(
    bp,
    "/events",
    "GET",
    "Events addressed to me after a given id, oldest first",
    query=EventsQuery,
    returns=EventsOut,
)
def list_events(query: EventsQuery):
    since, limit = query.since, query.limit
    with runtime().db.reader() as uow:
        keys = listening_keys(uow.session, get_user(uow.session, current_user.id))
        found = [event_message(e) for e in events_since(uow.session, keys, since, limit)]
    return {"events": found, "last_id": found[-1]["id"] if found else since}
