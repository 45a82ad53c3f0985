"""A minimal websocket listener for the benchmark: it notes the time of the socket read that
carried an alarm, before any parsing.

Thousands of phones each parse their own message on their own CPU; in a benchmark they all
share the server's machine, and a full client library (wsproto parsing every frame in Python)
would add its own queueing to every figure. This listener does only what the measurement
needs: the handshake, text frames, answering pings (the server drops silent peers), and noting
when and how the server closed the connection."""

from __future__ import annotations

import base64
import os
import re
import socket
import time
from urllib.parse import urlsplit

import gevent

ALARM_RAISED = re.compile(rb'"type": "alarm\.raised".*?"alarm": \{"id": (\d+)')
VISIT_PROMPT = re.compile(rb'"type": "visit\.prompt".*?"visit": \{"id": (\d+)')


class RawListener:
    """`pattern` finds the event to time and the id to file it under."""

    def __init__(self, url: str, cookie: str, pattern: re.Pattern = ALARM_RAISED):
        self.url, self.cookie, self.pattern = urlsplit(url), cookie, pattern
        self.arrivals: dict[int, float] = {}
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.closed_at: float | None = None  # when the server's close frame or EOF arrived
        self.close_code: int | None = None  # its status code (1012: "service restart")

    def connect(self) -> None:
        self.sock = socket.create_connection((self.url.hostname, self.url.port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {self.url.path} HTTP/1.1\r\nHost: {self.url.netloc}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Cookie: session={self.cookie}\r\n\r\n"
            ).encode()
        )
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(65536)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(head.split(b"\r\n")[0].decode())
        while not any(b'"type": "ready"' in p for p in self._frames(time.perf_counter())):
            self.buffer += self.sock.recv(65536)
        gevent.spawn(self._listen)

    def close(self) -> None:
        self.sock.close()

    def _listen(self) -> None:
        try:
            while data := self.sock.recv(65536):
                arrived = time.perf_counter()
                self.buffer += data
                for _ in self._frames(arrived):
                    pass
        except OSError:  # reset by the server, or closed by us
            pass
        if self.closed_at is None:
            self.closed_at = time.perf_counter()

    def _frames(self, arrived: float):
        """Complete frames in the buffer (server frames are never masked)."""
        while len(self.buffer) >= 2:
            opcode, length, start = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
            if length == 126:
                length, start = int.from_bytes(self.buffer[2:4], "big"), 4
            elif length == 127:
                length, start = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < start + length:
                return
            payload = self.buffer[start : start + length]
            self.buffer = self.buffer[start + length :]
            if opcode == 0x9:
                self._pong(payload)
            elif opcode == 0x8:
                self.closed_at = arrived
                self.close_code = int.from_bytes(payload[:2], "big") if payload else None
            elif opcode == 0x1:
                found = self.pattern.search(payload)
                if found:
                    self.arrivals[int(found.group(1))] = arrived
                yield payload

    def _pong(self, payload: bytes) -> None:
        mask = os.urandom(4)  # client frames must be masked
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + masked)


def connect_all(listeners: list[RawListener], batch: int = 100) -> None:
    for start in range(0, len(listeners), batch):
        gevent.joinall(
            [gevent.spawn(listener.connect) for listener in listeners[start : start + batch]],
            raise_error=True,
        )
