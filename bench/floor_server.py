"""The floor for an alarm's fan-out: a bare flask-sock broadcast under the same gunicorn and
gevent settings as Veldwacht, with no database, no authentication and no replay. Sockets join
a group (`/ws?group=g`); `POST /broadcast/<g>` sends one alarm-sized frame to each socket of
the group from the request itself, as a Flask developer would write it in ten lines.

Served by bench/alarm_latency.py beside Veldwacht; `bench.peer_socketio` is the same with
Flask-SocketIO."""

from __future__ import annotations

import itertools
from collections import defaultdict

from flask import Flask, request
from flask_sock import ConnectionClosed, Sock

from bench.alarm_frame import READY, alarm_message_json

app = Flask(__name__)
sock = Sock(app)
groups: dict[str, set] = defaultdict(set)
alarm_ids = itertools.count(1)


@sock.route("/ws")
def listen(ws):
    group = request.args["group"]
    groups[group].add(ws)
    try:
        ws.send(READY)
        while True:
            ws.receive()
    except ConnectionClosed:
        pass
    finally:
        groups[group].discard(ws)


@app.post("/broadcast/<group>")
def broadcast(group: str):
    alarm_id = next(alarm_ids)
    frame = alarm_message_json(alarm_id)
    for ws in list(groups[group]):
        try:
            ws.send(frame)
        except ConnectionClosed:
            groups[group].discard(ws)
    return {"alarm": {"id": alarm_id}}, 201
