"""Polling for events: the safety net beside the websocket, same rows, same audience rules."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from app.api import bp
from app.api.endpoint import endpoint
from app.runtime import runtime
from services.accounts.service import get_user
from services.errors import Invalid
from services.events.audience import listening_keys
from services.events.log import REPLAY_LIMIT, event_message, events_since


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise Invalid(f"'{name}' moet een geheel getal van {low} tot {high} zijn.",
                      {name: "ongeldig"})
    return int(raw)


@endpoint(bp, "/events", "GET", "Events addressed to me after a given id, oldest first",
          query={"since": "last event id the client has (default 0)",
                 "limit": f"at most this many (1-{REPLAY_LIMIT}, default {REPLAY_LIMIT})"})
def list_events():
    since = _int_arg("since", 0, 0, 2**62)
    limit = _int_arg("limit", REPLAY_LIMIT, 1, REPLAY_LIMIT)
    with runtime().db.reader() as uow:
        keys = listening_keys(uow.session, get_user(uow.session, current_user.id))
        found = [event_message(e) for e in events_since(uow.session, keys, since, limit)]
    return {"events": found, "last_id": found[-1]["id"] if found else since}
