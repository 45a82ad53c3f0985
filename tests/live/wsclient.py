"""A websocket client holding a logged-in session, as the PWA does."""

from __future__ import annotations

import json
import ssl
import time

import requests
import simple_websocket


class Client(simple_websocket.Client):
    """simple-websocket's client leaves frames that arrive in the same read as the 101
    response in its parser until the next read, so a server's first message (our "ready")
    could wait for the next heartbeat. Process them right after the handshake (before the
    reader thread starts, so nothing races). Its Host header also leaves out the port, which
    a browser names (and the Origin check behind a proxy compares)."""

    def handshake(self):
        default = 443 if isinstance(self.sock, ssl.SSLSocket) else 80
        if self.port != default:
            self.host = f"{self.host}:{self.port}"
        super().handshake()
        self.connected = self._handle_events()


def connect(
    server, http: requests.Session, since: int = 0, origin: str | None = None, ssl_context=None
) -> simple_websocket.Client:
    """`server` has a `ws_url` (ws:// or wss://, then with `ssl_context` to trust its
    certificate); `origin` is sent as a browser's page would."""
    headers = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in http.cookies)}
    if origin:
        headers["Origin"] = origin
    url = f"{server.ws_url}?since={since}"
    return Client.connect(url, headers=headers, ssl_context=ssl_context)


def receive(ws, timeout: float = 5.0) -> dict:
    raw = ws.receive(timeout=timeout)
    assert raw is not None, "no message within the timeout"
    return json.loads(raw)


def receive_until(ws, kind: str, timeout: float = 5.0) -> tuple[list[dict], dict]:
    """Messages up to the first of type `kind`; heartbeats are skipped."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        message = receive(ws, max(0.1, deadline - time.monotonic()))
        if message["type"] == kind:
            return seen, message
        if message["type"] != "heartbeat":
            seen.append(message)
