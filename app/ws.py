"""The websocket `/ws`: replay what the client missed, then stream live events.

Subscribe first, then replay from the log, then drain the live queue skipping ids already
sent, so an event published during the replay is neither lost nor sent twice."""

from __future__ import annotations

import json
import queue
import threading

from flask import Blueprint, current_app, g, request
from flask_login import current_user
from pydantic import Field
from simple_websocket import ConnectionClosed

from app.api import foreign_origin
from app.api.endpoint import Query, parse_query
from app.api.errors import api_error
from app.extensions import sock
from app.runtime import runtime
from services.accounts.audience import listening_keys
from services.accounts.service import get_user
from services.clock import iso
from services.errors import Invalid
from services.events.hub import RESTART, Subscriber
from services.events.log import Envelope, event_message, events_since

bp = Blueprint("ws", __name__)

PONG, CLOSED = object(), object()
CLOSE_UNAUTHORISED, CLOSE_TOO_SLOW = 4401, 4408
CLOSE_RESTARTING = 1012  # RFC 6455 "service restart": reconnect (to another worker) and replay


class SocketQuery(Query):
    since: int = Field(default=0, ge=0, le=2**62)  # the last event id the client has


@bp.before_request
def guard():
    """Refuse before the upgrade: anonymous, or opened by another site's page (cross-site
    websocket hijacking rides on the victim's cookie)."""
    if not current_user.is_authenticated:
        return api_error(401, "Log eerst in.")
    if foreign_origin():
        return api_error(403, "Verbinding van een andere website geweigerd.")
    try:
        g.since = parse_query(SocketQuery).since
    except Invalid:
        return api_error(400, "'since' moet een geheel getal zijn.")
    # Decline permessage-deflate: a zlib context costs a few hundred KB per phone, and an
    # alarm to a thousand phones would be compressed a thousand times; messages are ~1 KB.
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


def _send(ws, message: dict) -> None:
    ws.send(json.dumps(message, ensure_ascii=False))


def _replay(ws, keys: frozenset[str], since: int, session_key: str) -> int | None:
    """Send what the client missed; None when this session was revoked meanwhile (the
    revocation may have been committed between the login and the subscription)."""
    last = since
    while True:
        with runtime().db.reader() as uow:
            batch = [event_message(e) for e in events_since(uow.session, keys, last)]
        for message in batch:
            _send(ws, {"type": "event", "event": message})
            last = message["id"]
            if _revokes(message, session_key):
                return None
        if not batch:
            return last


def _read_client(ws, subscriber: Subscriber) -> None:
    """Client messages: only pings, answered through the same queue so sends never overlap."""
    try:
        while True:
            raw = ws.receive()
            try:
                kind = json.loads(raw).get("type") if isinstance(raw, str) else None
            except (ValueError, AttributeError):
                kind = None
            subscriber.offer(
                PONG if kind == "ping" else {"type": "error", "message": "Onbekend bericht."}
            )
    except ConnectionClosed:
        pass
    finally:
        subscriber.offer(CLOSED)


@sock.route("/ws", bp=bp)
def events_socket(ws):
    rt = runtime()
    heartbeat = current_app.config["HEARTBEAT_SECONDS"]
    with rt.db.reader() as uow:
        keys = listening_keys(uow.session, get_user(uow.session, current_user.id))
    subscriber = Subscriber(current_user.id, keys)
    rt.hub.subscribe(subscriber)
    try:
        last = _replay(ws, keys, g.since, current_user.session_key)
        if last is None:
            ws.close(CLOSE_UNAUTHORISED, "Sessie beëindigd")
            return
        _send(ws, {"type": "ready", "last_id": last})
        threading.Thread(target=_read_client, args=(ws, subscriber), daemon=True).start()
        _stream(ws, subscriber, last, current_user.session_key, heartbeat)
    finally:
        rt.hub.unsubscribe(subscriber)


def _revokes(message: dict, session_key: str) -> bool:
    return message["type"] == "session.revoked" and session_key in message["data"]["session_keys"]


def _stream(ws, subscriber: Subscriber, replayed: int, session_key: str, heartbeat: float) -> None:
    """Live events after the replay. Only what the replay already sent (id <= `replayed`) is
    skipped: live events can arrive out of id order (two transactions publishing at once), and
    skipping anything below the newest one sent would lose the slower one."""
    while True:
        try:
            item = subscriber.outbox.get(timeout=heartbeat)
        except queue.Empty:
            _send(ws, {"type": "heartbeat", "at": iso(runtime().clock.now())})
            continue
        if subscriber.overflowed:
            ws.close(CLOSE_TOO_SLOW, "Te traag; maak opnieuw verbinding")
            return
        if item is CLOSED:
            return
        if item is RESTART:
            ws.close(CLOSE_RESTARTING, "Server herstart; maak opnieuw verbinding")
            return
        if item is PONG:
            _send(ws, {"type": "pong"})
        elif isinstance(item, Envelope):
            if item.id > replayed:
                ws.send(item.wire)
            if _revokes(item.message, session_key):
                ws.close(CLOSE_UNAUTHORISED, "Sessie beëindigd")
                return
        else:
            _send(ws, item)
