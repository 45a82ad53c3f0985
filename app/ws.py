"""The websocket `/ws`: replay what the client missed, then stream live events.

Subscribe first, then replay from the log, then go live skipping ids already sent, so an
event published during the replay is neither lost nor sent twice. Live events are written by
their publisher (app/live.py); this handler's greenlet then only reads the client's pings."""

from __future__ import annotations

import json

from flask import Blueprint, g, request
from flask_login import current_user
from pydantic import Field

from app.api import foreign_origin
from app.api.endpoint import Query, parse_query
from app.api.errors import api_error
from app.extensions import sock
from app.live import CLOSE_UNAUTHORISED, Connection, forget_handshake, revokes, run_apart
from app.runtime import runtime
from services.accounts.audience import listening_keys
from services.accounts.service import get_user
from services.errors import Invalid
from services.events.log import event_message, events_since

bp = Blueprint("ws", __name__)

UNKNOWN = {"type": "error", "message": "Onbekend bericht."}


class SocketQuery(Query):
    since: int = Field(default=0, ge=0, le=2**62)  # the last event id the client has


@bp.before_request
def guard():
    """Refuse before the upgrade: anonymous, or opened by another site's page (cross-site
    websocket hijacking rides on the victim's cookie)."""
    if not current_user.is_authenticated:
        return api_error(401, "Log eerst in.")
    if current_user.must_change_password:
        return api_error(403, "Kies eerst een nieuw wachtwoord.")
    if current_user.must_set_up_second_factor:
        return api_error(403, "Stel eerst tweestapsverificatie in.")
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


def _replay(ws, keys: frozenset[str], since: int, session_key: str) -> int | None:
    """Send what the client missed; None when this session was revoked meanwhile (the
    revocation may have been committed between the login and the subscription). Live events
    are held by the connection meanwhile, so this greenlet is the socket's only writer."""
    last = since
    while True:
        with runtime().db.reader() as uow:
            batch = [event_message(e) for e in events_since(uow.session, keys, last)]
        for message in batch:
            ws.send(json.dumps({"type": "event", "event": message}, ensure_ascii=False))
            last = message["id"]
            if revokes(message, session_key):
                return None
        if not batch:
            return last


def _read_client(ws, connection: Connection) -> None:
    """Client messages, until the connection ends: only pings are expected."""
    while True:
        raw = ws.receive()
        try:
            kind = json.loads(raw).get("type") if isinstance(raw, str) else None
        except (ValueError, AttributeError):
            kind = None
        connection.send({"type": "pong"} if kind == "ping" else UNKNOWN)


def _listening_keys(rt, user_id: int) -> frozenset[str]:
    """In a function of its own: a unit of work left bound in the handler's frame would keep
    its closed session (~2 KB) for the connection's life."""
    with rt.db.reader() as uow:
        return listening_keys(uow.session, get_user(uow.session, user_id))


def _open(rt, ws) -> Connection | None:
    """Subscribe, replay what the client missed and go live; None when the session was
    revoked meanwhile (the socket is then closed)."""
    forget_handshake(ws)
    keys = _listening_keys(rt, current_user.id)
    session_key = current_user.session_key
    connection = Connection(ws, user_id=current_user.id, keys=keys, session_key=session_key)
    rt.hub.subscribe(connection)
    try:
        last = _replay(ws, keys, g.since, session_key)
        if last is None:
            connection.close(CLOSE_UNAUTHORISED, "Sessie beëindigd")
            rt.hub.unsubscribe(connection)
            return None
        ws.send(json.dumps({"type": "ready", "last_id": last}))
        connection.go_live(last)
    except BaseException:
        rt.hub.unsubscribe(connection)
        raise
    if rt.gc is not None:  # this connection's objects live for hours: out of the collector
        rt.gc.connection_made()
    return connection


@sock.route("/ws", bp=bp)
def events_socket(ws):
    rt = runtime()
    connection = run_apart(_open, rt, ws)
    if connection is None:
        return
    try:
        _read_client(ws, connection)
    finally:
        rt.hub.unsubscribe(connection)
