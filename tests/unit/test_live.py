"""A websocket takes an event without waiting: written straight into its socket, or into its
own backlog when the socket is full; a socket too far behind is cut off, and nobody else
waits for it. Held during the replay, then each event once, in order."""

import json
import re
import select
import socket
import threading

import pytest
import simple_websocket
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Ping, Pong, Request

from app import live
from app.live import Connection, Pacemaker
from services.events.hub import Hub
from services.events.log import Envelope


class NonBlockingSocket:
    """A socket as gevent makes it: non-blocking underneath, and `sendall` waits (here in
    select) until the peer has read enough."""

    def __init__(self, sock):
        sock.setblocking(False)
        self._sock = sock

    def fileno(self):
        return self._sock.fileno()

    def sendall(self, data):
        while data:
            select.select([], [self._sock], [], 5)
            try:
                data = data[self._sock.send(data) :]
            except BlockingIOError:
                continue

    def setsockopt(self, *args):
        self._sock.setsockopt(*args)


class FakeServerSocket:
    """What app/live.py uses of a simple-websocket `Server`, on one end of a socket pair."""

    def __init__(self, sock):
        self.sock, self.connected, self.pong_received = NonBlockingSocket(sock), True, True
        self.event = threading.Event()


@pytest.fixture
def pair():
    server, phone = socket.socketpair()
    yield FakeServerSocket(server), phone
    server.close()
    phone.close()


def connection(ws, user_id=1, session_key="k1"):
    return Connection(ws, user_id=user_id, keys=frozenset({"team:1"}), session_key=session_key)


def event(event_id, kind="alarm.raised", **data):
    message = {"id": event_id, "type": kind, "data": data}
    return Envelope.of(message, frozenset({"team:1"}))


def frames(phone, timeout=2.0):
    """(opcode, payload) of every frame the phone can read within `timeout`."""
    phone.settimeout(timeout)
    data = b""
    try:
        while chunk := phone.recv(1 << 20):
            data += chunk
            phone.settimeout(0.2)
    except TimeoutError:
        pass
    found = []
    while data:
        opcode, length, start = data[0] & 0x0F, data[1] & 0x7F, 2
        if length == 126:
            length, start = int.from_bytes(data[2:4], "big"), 4
        elif length == 127:
            length, start = int.from_bytes(data[2:10], "big"), 10
        found.append((opcode, data[start : start + length]))
        data = data[start + length :]
    return found


def event_ids(found):
    return [json.loads(p)["event"]["id"] for op, p in found if op == 0x1]


def close_code(found):
    (payload,) = [p for op, p in found if op == 0x8]
    return int.from_bytes(payload[:2], "big")


def test_events_during_the_replay_are_held_then_sent_once_in_order(pair):
    ws, phone = pair
    live_socket = connection(ws)
    for n in (3, 4, 5):
        live_socket.deliver(event(n))
    assert frames(phone, timeout=0.2) == []  # nothing written while the replay runs
    live_socket.go_live(replayed=4)  # the replay sent up to 4
    live_socket.deliver(event(6))
    live_socket.deliver(event(4))  # a late copy of one already sent
    assert event_ids(frames(phone)) == [5, 6]


def test_a_full_socket_delays_nobody_and_is_cut_off_when_too_far_behind(pair, monkeypatch):
    monkeypatch.setattr(live, "BACKLOG_LIMIT", 20)
    ws, stalled_phone = pair
    ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    stalled_phone.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    other_ws, other_phone = socket.socketpair()
    other_ws.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 21)  # a phone that keeps up
    stalled, other = connection(ws), connection(FakeServerSocket(other_ws), user_id=2)
    hub = Hub()
    for subscriber in (stalled, other):
        hub.subscribe(subscriber)
        subscriber.go_live(replayed=0)
    read_by_other = []
    reader = threading.Thread(target=lambda: read_by_other.extend(frames(other_phone)))
    reader.start()
    publisher = threading.Thread(  # ~100 KB: far more than the stalled phone's buffers hold
        target=lambda: [hub.dispatch(event(n, note="x" * 500)) for n in range(1, 201)],
        daemon=True,
    )
    publisher.start()
    publisher.join(timeout=10)
    assert not publisher.is_alive()  # the stalled socket, never read, held up no dispatch
    reader.join()
    assert event_ids(read_by_other) == list(range(1, 201))
    got = frames(stalled_phone)
    received = event_ids(got)
    assert received == list(range(1, len(received) + 1)) and len(received) < 200
    assert close_code(got) == live.CLOSE_TOO_SLOW
    assert ws.event.wait(2) and not ws.connected  # the handler is woken to end
    other_ws.close()
    other_phone.close()


def test_revoking_the_session_sends_the_event_then_closes(pair):
    ws, phone = pair
    live_socket = connection(ws, session_key="lost")
    live_socket.go_live(replayed=0)
    live_socket.deliver(event(9, kind="session.revoked", session_keys=["lost"]))
    live_socket.deliver(event(10))  # nothing after the close
    got = frames(phone)
    assert event_ids(got) == [9] and close_code(got) == live.CLOSE_UNAUTHORISED


def test_the_pacemaker_pings_and_drops_a_peer_that_never_answers(pair):
    ws, phone = pair
    hub = Hub()
    silent = connection(ws)
    hub.subscribe(silent)
    silent.go_live(replayed=0)
    pacemaker = Pacemaker(hub, lambda: "2026-12-01T21:00:00Z", heartbeat=1, ping=0)
    pacemaker.beat()
    first = frames(phone, timeout=0.5)
    assert [op for op, _ in first] == [0x9, 0x1]  # a ping and the heartbeat
    assert json.loads(first[1][1]) == {"type": "heartbeat", "at": "2026-12-01T21:00:00Z"}
    pacemaker.beat()  # no pong came
    assert close_code(frames(phone, timeout=0.5)) == live.CLOSE_NO_PONG


def test_a_real_websocket_reads_on_after_its_handshake_is_forgotten():
    """simple-websocket and wsproto as the server runs them, with the reader of
    SOCK_SERVER_OPTIONS and the finished handshake dropped: the phone's messages, pings and
    close still arrive."""
    server_end, phone = socket.socketpair()
    client = WSConnection(ConnectionType.CLIENT)
    upgrade = client.send(Request(host="veldwacht.test", target="/ws"))
    key = re.search(rb"Sec-WebSocket-Key: (\S+)", upgrade).group(1).decode()
    environ = {
        "werkzeug.socket": server_end,
        "PATH_INFO": "/ws",
        "QUERY_STRING": "",
        "HTTP_HOST": "veldwacht.test",
        "HTTP_CONNECTION": "Upgrade",
        "HTTP_UPGRADE": "websocket",
        "HTTP_SEC_WEBSOCKET_KEY": key,
        "HTTP_SEC_WEBSOCKET_VERSION": "13",
    }
    ws = simple_websocket.Server(environ, thread_class=live.ReaderThread)
    client.receive_data(phone.recv(4096))
    assert any(isinstance(event, AcceptConnection) for event in client.events())
    live.forget_handshake(ws)
    assert ws.ws.handshake is live.HANDSHOOK

    phone.sendall(client.send(Message(data='{"type": "ping"}')) + client.send(Ping(b"hi")))
    assert ws.receive(timeout=5) == '{"type": "ping"}'
    client.receive_data(phone.recv(4096))
    assert [type(event) for event in client.events()] == [Pong]
    phone.sendall(client.send(CloseConnection(code=1000)))
    with pytest.raises(simple_websocket.ConnectionClosed) as closed:
        ws.receive(timeout=5)
    assert closed.value.reason == 1000
    phone.close()
    server_end.close()
