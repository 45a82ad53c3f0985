"""How an event reaches an open websocket, and how open websockets are kept alive.

An alarm is written into its recipients' sockets by whoever publishes it, at once: one frame,
serialised once for all of them, and for each socket one non-blocking write — no greenlet is
woken per recipient. A socket whose send buffer is full keeps the rest in a backlog of its own,
drained by a greenlet of its own; one more than BACKLOG_LIMIT frames behind is cut off (its
client reconnects and replays from the log). So a phone on a bad network delays nobody else.

One pacemaker serves every connection of the process: each beat writes a heartbeat (and, as
often as pings are due, a websocket ping) into each socket, and closes those that did not
answer the previous ping. A timer (and a selector) per connection would cost memory and
wake-ups for thousands of idle phones.

The server runs under gevent (app/gunicorn_conf.py): its sockets are non-blocking, and a direct
write either goes into the kernel's buffer at once or says it would block. A blocking socket
(another server) gets every frame through its backlog instead."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from contextvars import copy_context
from functools import lru_cache

import gevent
from gevent import monkey
from wsproto.frame_protocol import FrameProtocol

from services.events.hub import Hub
from services.events.log import Envelope

log = logging.getLogger(__name__)

CLOSE_NO_PONG, CLOSE_RESTARTING = 1008, 1012  # 1012, RFC 6455 "service restart": reconnect
CLOSE_UNAUTHORISED, CLOSE_TOO_SLOW = 4401, 4408
BACKLOG_LIMIT = 1000  # frames waiting for one slow socket before it is cut off
BEAT_CHUNK = 100  # connections beaten between two yields, so an alarm never waits long

_FRAMES = FrameProtocol(client=False, extensions=[])  # stateless for unfragmented frames
PING = bytes(_FRAMES.ping())
_RESTART = object()  # held during the replay: close with "reconnect" once it is done


@lru_cache(maxsize=256)
def text_frame(payload: str) -> bytes:
    """The websocket frame of a text message; an event's frame is built once for everyone."""
    return bytes(_FRAMES.send_data(payload, fin=True))


def message_frame(message: dict) -> bytes:
    return text_frame(json.dumps(message, ensure_ascii=False))


class ReaderThread:
    """simple-websocket's reader of a socket (SOCK_SERVER_OPTIONS["thread_class"]). Under
    gevent its default, a patched threading.Thread, wraps the greenlet in a Thread object with
    its locks and bookkeeping: ~6 KB more for each idle phone. A bare greenlet reads as well."""

    name = "(_thread)"  # simple-websocket renames it; nothing reads it

    def __init__(self, target: Callable[[], None]):
        self.target = target

    def start(self) -> None:
        if monkey.is_module_patched("threading"):
            gevent.spawn_raw(self.target)
        else:
            threading.Thread(target=self.target, name=self.name, daemon=True).start()


class _Handshook:
    """All that wsproto asks of a handshake once the connection is open: its events, none.
    The finished handshake it would keep holds an h11 connection, ~3 KB for each idle phone
    (wsproto 1.x: WSConnection reads `handshake` only before `connection` is set)."""

    @staticmethod
    def events():
        return iter(())


HANDSHOOK = _Handshook()


def forget_handshake(ws) -> None:
    if ws.ws.connection is not None:
        ws.ws.handshake = HANDSHOOK


def run_apart(function: Callable, *args):
    """`function(*args)` on a greenlet that then ends, in this one's context (Flask's request,
    the signed-in user). Deep calls (the database, a replay) grow a greenlet's stack for good:
    a websocket's handler waits for hours, and should not carry that for each phone."""
    if not monkey.is_module_patched("threading"):
        return function(*args)
    return gevent.spawn(copy_context().run, function, *args).get()


def revokes(message: dict, session_key: str) -> bool:
    return message["type"] == "session.revoked" and session_key in message["data"]["session_keys"]


class Connection:
    """One open websocket (a simple-websocket `Server`) as the hub's subscriber.

    Until `go_live`, while the handler replays what the client missed, live events are held;
    after it, they are written at once, skipping the ids the replay sent. Writes never yield:
    under gevent one write is never interleaved with another, and the lock makes it so under
    threads too."""

    __slots__ = (
        "_backlog",
        "_close_after_backlog",
        "_closing",
        "_direct",
        "_draining",
        "_fd",
        "_held",
        "_lock",
        "_replayed",
        "keys",
        "session_key",
        "user_id",
        "ws",
    )

    def __init__(self, ws, *, user_id: int, keys: frozenset[str], session_key: str):
        self.ws, self.user_id, self.keys, self.session_key = ws, user_id, keys, session_key
        self._fd = ws.sock.fileno()
        self._direct = not os.get_blocking(self._fd)
        self._lock = threading.Lock()
        self._held: list | None = []  # live events (and a restart) during the replay
        self._replayed = 0
        self._backlog: deque[bytes] | None = None  # frames the socket could not take yet
        self._draining = False  # a greenlet is writing the backlog
        self._closing = False
        self._close_after_backlog = False

    # -- called by the hub, from the publishing greenlet: never waits -----------------------

    def deliver(self, envelope: Envelope) -> None:
        with self._lock:
            if self._held is not None:
                self._held.append(envelope)
            else:
                self._send_event(envelope)

    def restart(self) -> None:
        with self._lock:
            if self._held is not None:
                self._held.append(_RESTART)
            else:
                self._close_restarting()

    # -- called by the handler ---------------------------------------------------------------

    def go_live(self, replayed: int) -> None:
        """The replay sent everything up to `replayed`: write what was held, then stream."""
        with self._lock:
            held, self._held, self._replayed = self._held, None, replayed
            for item in held:
                if item is _RESTART:
                    self._close_restarting()
                else:
                    self._send_event(item)

    def send(self, message: dict) -> None:
        """A message of this connection's own (a pong, an error), in order with the events."""
        with self._lock:
            self._write(message_frame(message))

    def close(self, code: int, reason: str) -> None:
        with self._lock:
            self._close(code, reason)

    # -- called by the pacemaker ---------------------------------------------------------------

    def beat(self, heartbeat: bytes, *, ping: bool) -> None:
        """A heartbeat, and with `ping` a websocket ping, after closing the connection if the
        previous ping went unanswered."""
        with self._lock:
            if self._held is not None or self._closing:
                return  # the replay is traffic enough; a closing socket needs none
            if ping:
                if not self.ws.pong_received:
                    self._close(CLOSE_NO_PONG, "Ping/Pong timeout")
                    return
                self.ws.pong_received = False
                heartbeat = PING + heartbeat
            self._write(heartbeat)

    # -- with the lock held ---------------------------------------------------------------------

    def _send_event(self, envelope: Envelope) -> None:
        if envelope.id <= self._replayed:
            return
        self._write(text_frame(envelope.wire))
        if revokes(envelope.message, self.session_key):
            self._close(CLOSE_UNAUTHORISED, "Sessie beëindigd")

    def _write(self, data: bytes) -> None:
        if self._closing:
            return
        if self._backlog or not self._direct:
            self._queue(data)
            return
        try:
            sent = os.write(self._fd, data)
        except BlockingIOError:
            sent = 0
        except OSError:  # the peer is gone; the reader notices and the handler ends
            self._closing = True
            return
        if sent < len(data):
            self._queue(data[sent:])

    def _queue(self, data: bytes) -> None:
        if self._backlog is None:
            self._backlog = deque()
        self._backlog.append(data)
        if not self._draining:
            self._draining = True
            threading.Thread(target=self._drain, daemon=True).start()
        elif len(self._backlog) > BACKLOG_LIMIT:
            # Keep the frame being written (it may be half sent), drop the rest: the client
            # reconnects and replays them from the log.
            first = self._backlog.popleft()
            self._backlog.clear()
            self._backlog.append(first)
            self._close(CLOSE_TOO_SLOW, "Te traag; maak opnieuw verbinding")

    def _close_restarting(self) -> None:
        self._close(CLOSE_RESTARTING, "Server herstart; maak opnieuw verbinding")

    def _close(self, code: int, reason: str) -> None:
        if self._closing:
            return
        self._write(bytes(_FRAMES.close(code, reason)))
        self._closing = True
        if self._backlog:
            self._close_after_backlog = True
        else:
            self._end()

    def _end(self) -> None:
        """The close frame is written: end the handler, whose `receive` is waiting."""
        self.ws.connected = False
        self.ws.event.set()

    def _drain(self) -> None:
        """The slow path, on a greenlet of its own: write the backlog, waiting as needed."""
        while True:
            with self._lock:
                if not self._backlog:
                    self._draining = False
                    if self._close_after_backlog:
                        self._end()
                    return
                data = self._backlog[0]
            try:
                self.ws.sock.sendall(data)
            except OSError:
                with self._lock:
                    self._backlog.clear()
                    self._draining, self._closing = False, True
                    self._end()
                return
            with self._lock:
                self._backlog.popleft()


class Pacemaker:
    """Every `heartbeat` seconds a heartbeat (`{"type": "heartbeat", "at": …}`) into every
    connection of `hub`, with a websocket ping once `ping` seconds have passed since the last
    (rounded up to a heartbeat), in chunks with a yield between them."""

    def __init__(self, hub: Hub, now_iso: Callable[[], str], *, heartbeat: float, ping: float):
        self.hub, self.now_iso, self.heartbeat, self.ping = hub, now_iso, heartbeat, ping
        self._pinged_at = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pacemaker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def beat(self) -> None:
        ping = time.monotonic() - self._pinged_at >= self.ping
        if ping:
            self._pinged_at = time.monotonic()
        frames = message_frame({"type": "heartbeat", "at": self.now_iso()})
        connections = self.hub.subscribers()
        for start in range(0, len(connections), BEAT_CHUNK):
            for connection in connections[start : start + BEAT_CHUNK]:
                connection.beat(frames, ping=ping)
            time.sleep(0)  # gevent: let an alarm's request run between chunks

    def _run(self) -> None:
        while not self._stop.wait(self.heartbeat):
            try:
                self.beat()
            except Exception:  # the next beat tries again
                log.exception("heartbeat failed")
