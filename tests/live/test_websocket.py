"""Live delivery and replay over a real websocket on the real server (gunicorn + gevent)."""

import base64
import os
import socket
import time

import requests

from tests.live.wsclient import connect, receive_until


def send_message(http, to_user: int, text: str) -> int:
    response = http.post(http.base + "/api/messages", json={"user_id": to_user, "text": text})
    assert response.status_code == 201, response.text
    return response.json()["event"]["id"]


def sessions(live_server, *names):
    result = []
    for name in names:
        http = live_server.session(name)
        http.base = live_server.url
        http.me = http.get(live_server.url + "/api/me").json()
        result.append(http)
    return result


def test_reconnecting_client_gets_exactly_what_it_missed_in_order(live_server):
    manager, worker = sessions(live_server, "lisa", "sanne")
    ws = connect(live_server, manager)
    _, ready = receive_until(ws, "ready")
    last_seen = ready["last_id"]
    ws.close()

    missed = [send_message(worker, manager.me["id"], f"Bericht {n}") for n in range(3)]

    ws = connect(live_server, manager, since=last_seen)
    replayed, ready = receive_until(ws, "ready")
    assert [m["event"]["id"] for m in replayed] == missed
    assert [m["event"]["body"] for m in replayed] == ["Bericht 0", "Bericht 1", "Bericht 2"]
    assert ready["last_id"] == missed[-1]

    live = send_message(worker, manager.me["id"], "Nu live")
    later, _ = receive_until(ws, "heartbeat", timeout=5)
    assert [m["event"]["id"] for m in later] == [live]  # no duplicate of the replayed ones
    ws.close()


def test_live_event_reaches_only_its_audience(live_server):
    manager, worker, other_team = sessions(live_server, "lisa", "mohammed", "kim")
    sockets = {
        name: connect(live_server, http)
        for name, http in (("manager", manager), ("other", other_team))
    }
    for ws in sockets.values():
        receive_until(ws, "ready")
    event_id = send_message(worker, manager.me["id"], "Ik sta voor de deur van nummer 8")
    got = receive_until(sockets["manager"], "heartbeat", timeout=5)[0]
    assert [m["event"]["id"] for m in got] == [event_id]
    assert event_id not in [
        m.get("event", {}).get("id") for m in receive_until(sockets["other"], "heartbeat")[0]
    ]
    for ws in sockets.values():
        ws.close()


def test_heartbeats_flow_and_pings_are_answered(live_server):
    (worker,) = sessions(live_server, "anouk")
    ws = connect(live_server, worker)
    receive_until(ws, "ready")
    assert receive_until(ws, "heartbeat", timeout=3)[1]["at"].endswith("Z")
    ws.send('{"type": "ping"}')
    assert receive_until(ws, "pong")[0] == []
    ws.send("not json")
    assert receive_until(ws, "error")[1]["message"]
    ws.close()


def test_cross_site_and_anonymous_websockets_are_refused(live_server):
    (worker,) = sessions(live_server, "anouk")
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
    }
    assert requests.get(live_server.url + "/ws", headers=headers).status_code == 401
    refused = worker.get(
        live_server.url + "/ws", headers={**headers, "Origin": "https://evil.example"}
    )
    assert refused.status_code == 403


def test_server_drops_a_peer_that_stops_answering_pings(live_server):
    """A phone that vanished without closing (tunnel, flat battery) is detected by the
    server's pings; the server closes with 1008 instead of holding the connection forever."""
    (worker,) = sessions(live_server, "daan")
    host, port = live_server.url.removeprefix("http://").split(":")
    raw = socket.create_connection((host, int(port)))
    cookie = "; ".join(f"{c.name}={c.value}" for c in worker.cookies)
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        (
            f"GET /ws HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\nCookie: {cookie}\r\n\r\n"
        ).encode()
    )
    raw.settimeout(20)
    received, started = b"", time.monotonic()
    while chunk := raw.recv(4096):  # never answer the pings
        received += chunk
    raw.close()
    assert received.startswith(b"HTTP/1.1 101")
    close_frame = b"\x88"  # FIN + opcode 8 (close); payload starts with status 1008
    assert (
        close_frame + bytes([len("Ping/Pong timeout") + 2]) + (1008).to_bytes(2, "big") in received
    )
    assert time.monotonic() - started < 15


def test_revoking_a_session_closes_its_open_websocket_at_once(live_server):
    lost_phone, laptop = sessions(live_server, "joost", "joost")
    ws = connect(live_server, lost_phone)
    receive_until(ws, "ready")
    (phone_key,) = [
        s["key"]
        for s in lost_phone.get(live_server.url + "/api/me/sessions").json()["sessions"]
        if s["current"]
    ]
    revoke = laptop.delete(f"{live_server.url}/api/me/sessions/{phone_key}", json={})
    assert revoke.status_code == 204
    deadline = time.monotonic() + 3
    while ws.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not ws.connected and ws.close_reason == 4401
    assert lost_phone.get(live_server.url + "/api/me").status_code == 401
