"""The peer a Flask developer would pick instead: Flask-SocketIO (gevent, simple-websocket),
one room per group, `POST /broadcast/<g>` emits the alarm-sized message to the room. Same
gunicorn and gevent settings as Veldwacht and bench/floor_server.py; clients join with
`/socket.io/?EIO=4&transport=websocket&group=g` (no long-polling)."""

from __future__ import annotations

import itertools

from flask import Flask, request
from flask_socketio import SocketIO, join_room

from bench.alarm_frame import alarm_message

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
alarm_ids = itertools.count(1)


@socketio.on("connect")
def joined():
    join_room(request.args["group"])


@app.post("/broadcast/<group>")
def broadcast(group: str):
    alarm_id = next(alarm_ids)
    socketio.emit("alarm", alarm_message(alarm_id), to=group)
    return {"alarm": {"id": alarm_id}}, 201
