"""Thousands of websocket listeners read by one process through one epoll set, so the client
never queues behind itself: each read is timed the moment it returns, before any parsing, on
the system-wide monotonic clock the triggering process also reads.

A phone parses its own message on its own CPU; here every "phone" shares one machine with the
server, so the reader does only what the measurement needs: the handshake, finding the alarm
id in a text frame, answering pings (websocket pings and Socket.IO's "2"), and nothing else.

`Listeners` (in the benchmark's process) drives a child process over a pipe:
`connect(...)` opens sockets and returns once each has said it is ready; `arrivals(id, n)`
waits until `n` sockets have read alarm `id` and returns their read times."""

from __future__ import annotations

import base64
import multiprocessing
import os
import re
import select
import socket
import time
from dataclasses import dataclass

ALARM_ID = re.compile(rb'"alarm": ?\{"id": ?(\d+)')
HANDSHAKES_AT_ONCE = 100  # more would only fill the server's accept queue


def alarm_raised(payload: bytes) -> int | None:
    """The alarm id of an `alarm.raised` event (with or without spaces after the colons: Socket.IO
    writes compact JSON); found with a substring search first, which is far cheaper than a
    regular expression over every frame."""
    start = payload.find(b"alarm.raised")
    if start < 0:
        return None
    found = ALARM_ID.search(payload, start)
    return int(found.group(1)) if found else None


def now() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)


@dataclass
class Spec:
    """One listener: the path of its websocket (with its query) and its session cookie."""

    path: str
    cookie: str = ""


class Listeners:
    def __init__(self):
        context = multiprocessing.get_context("spawn")  # no inherited gevent state
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True)
        self._process.start()
        child.close()

    def connect(self, port: int, specs: list[Spec], *, protocol: str = "websocket") -> float:
        """Open `specs` against 127.0.0.1:`port`; `protocol` "socketio" speaks Engine.IO 4
        over the websocket. Returns the seconds it took; raises if any was refused."""
        return self._ask(("connect", port, specs, protocol))

    def arrivals(self, alarm_id: int, expected: int, timeout: float = 10.0) -> list[float]:
        """The read times of alarm `alarm_id` once `expected` sockets have it; raises after
        `timeout` seconds with fewer."""
        return self._ask(("arrivals", alarm_id, expected, timeout))

    def close(self) -> None:
        self._ask(("close",))
        self._process.join(timeout=10)

    def _ask(self, command: tuple):
        self._pipe.send(command)
        kind, value = self._pipe.recv()
        if kind == "error":
            raise RuntimeError(value)
        return value


@dataclass
class _Socket:
    sock: socket.socket
    protocol: str
    request: bytes
    buffer: bytes = b""
    state: str = "connecting"  # → "upgrading" → "opening" → "open"


class _Reader:
    def __init__(self, pipe):
        self.pipe = pipe
        self.epoll = select.epoll()
        self.sockets: dict[int, _Socket] = {}
        self.arrivals: dict[int, list[float]] = {}
        self.waiting: tuple | None = None  # (alarm id, expected, deadline)
        self.connecting: list[_Socket] = []
        self.opening = 0
        self.epoll.register(pipe.fileno(), select.EPOLLIN)

    def run(self) -> None:
        while True:
            timeout = 0.05 if (self.waiting or self.connecting or self.opening) else 1.0
            for fd, mask in self.epoll.poll(timeout):
                if fd == self.pipe.fileno():
                    if not self._command(self.pipe.recv()):
                        return
                    continue
                entry = self.sockets.get(fd)
                if entry is not None:
                    self._ready(fd, entry, mask)
            self._answer_waiting()
            self._start_handshakes()

    def _command(self, command: tuple) -> bool:
        kind = command[0]
        if kind == "connect":
            _, port, specs, protocol = command
            self._connect(port, specs, protocol)
        elif kind == "arrivals":
            _, alarm_id, expected, timeout = command
            self.waiting = (alarm_id, expected, now() + timeout)
        elif kind == "close":
            for entry in self.sockets.values():
                entry.sock.close()
            self.pipe.send(("ok", None))
            return False
        return True

    def _connect(self, port: int, specs: list[Spec], protocol: str) -> None:
        self.connect_started, self.port = now(), port
        for spec in specs:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            key = base64.b64encode(os.urandom(16)).decode()
            cookie = f"Cookie: session={spec.cookie}\r\n" if spec.cookie else ""
            request = (
                f"GET {spec.path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{cookie}\r\n"
            ).encode()
            self.connecting.append(_Socket(sock, protocol, request))
        self._start_handshakes()

    def _start_handshakes(self) -> None:
        while self.connecting and self.opening < HANDSHAKES_AT_ONCE:
            entry = self.connecting.pop()
            entry.sock.setblocking(False)
            entry.sock.connect_ex(("127.0.0.1", self.port))
            self.sockets[entry.sock.fileno()] = entry
            self.epoll.register(entry.sock.fileno(), select.EPOLLOUT)
            self.opening += 1

    def _ready(self, fd: int, entry: _Socket, mask: int) -> None:
        if entry.state == "connecting" and mask & select.EPOLLOUT:
            entry.sock.send(entry.request)
            entry.state = "upgrading"
            self.epoll.modify(fd, select.EPOLLIN)
            return
        try:
            data = entry.sock.recv(65536)
        except BlockingIOError:
            return
        arrived = now()
        if not data:
            self._fail(f"server closed a socket ({entry.state})")
            return
        if entry.state == "open" and not entry.buffer and _one_text_frame(data):
            self._text(entry, data[2 + _extra_length(data[1]) :], arrived)  # the usual case
            return
        entry.buffer += data
        if entry.state == "upgrading":
            if b"\r\n\r\n" not in entry.buffer:
                return
            head, entry.buffer = entry.buffer.split(b"\r\n\r\n", 1)
            if not head.startswith(b"HTTP/1.1 101"):
                self._fail(head.split(b"\r\n")[0].decode())
                return
            entry.state = "opening"
        for payload in self._frames(entry):
            self._text(entry, payload, arrived)

    def _text(self, entry: _Socket, payload: bytes, arrived: float) -> None:
        if entry.state == "opening":
            if entry.protocol == "socketio" and payload.startswith(b"0{"):
                self._send(entry, b"40")  # Engine.IO open: join the default namespace
            elif payload.startswith(b"40") or b'"type": "ready"' in payload:
                entry.state = "open"
                self.opening -= 1
                if not self.opening and not self.connecting:
                    self.pipe.send(("ok", round(now() - self.connect_started, 1)))
            return
        if payload == b"2":  # Engine.IO ping
            self._send(entry, b"3")
            return
        alarm_id = alarm_raised(payload)
        if alarm_id is not None:
            self.arrivals.setdefault(alarm_id, []).append(arrived)

    def _frames(self, entry: _Socket):
        """Complete text frames in the buffer (server frames are never masked)."""
        buffer = entry.buffer
        while len(buffer) >= 2:
            opcode, length, start = buffer[0] & 0x0F, buffer[1] & 0x7F, 2
            if length == 126:
                length, start = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                length, start = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < start + length:
                break
            payload, buffer = buffer[start : start + length], buffer[start + length :]
            if opcode == 0x9:
                self._send(entry, payload, opcode=0xA)
            elif opcode == 0x8:
                self._fail("server closed a websocket")
            elif opcode == 0x1:
                entry.buffer = buffer
                yield payload
        entry.buffer = buffer

    def _send(self, entry: _Socket, payload: bytes, opcode: int = 0x1) -> None:
        mask = os.urandom(4)  # client frames must be masked
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        entry.sock.send(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def _answer_waiting(self) -> None:
        if self.waiting is None:
            return
        alarm_id, expected, deadline = self.waiting
        got = self.arrivals.get(alarm_id, [])
        if len(got) >= expected:
            self.waiting = None
            self.pipe.send(("ok", self.arrivals.pop(alarm_id)))
        elif now() > deadline:
            self.waiting = None
            self._fail(f"{expected - len(got)} of {expected} never got alarm {alarm_id}")

    def _fail(self, message: str) -> None:
        self.waiting = None
        self.pipe.send(("error", message))


def _extra_length(second_byte: int) -> int:
    length = second_byte & 0x7F
    return 2 if length == 126 else 8 if length == 127 else 0


def _one_text_frame(data: bytes) -> bool:
    """`data` is exactly one unmasked text frame."""
    if len(data) < 2 or data[0] != 0x81:
        return False
    extra, length = _extra_length(data[1]), data[1] & 0x7F
    if extra:
        length = int.from_bytes(data[2 : 2 + extra], "big")
    return len(data) == 2 + extra + length


def _serve(pipe) -> None:
    _Reader(pipe).run()
