"""A write lock held outside the server (a backup, a second process, a long transaction) must
not freeze it: reads and websockets keep flowing, a raise that cannot be stored answers 503 at
once so the phone shows 112, and the phone's retry after the lock is gone stores it once."""

import json
import threading
import time
import uuid

from sqlalchemy import func, select

from services.alarms.models import Alarm
from services.db import Database
from tests.conftest import start_server, write_lock_held
from tests.live.wsclient import connect, receive_until

HOLD_SECONDS = 8  # a few rounds of the phone's retries


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_a_lock_held_elsewhere_freezes_nothing_and_the_retried_raise_is_stored_once(live_server):
    base = live_server.url
    worker = live_server.session("fatima")
    ws = connect(live_server, worker)
    receive_until(ws, "ready")
    raise_body = {"client_id": str(uuid.uuid4())}
    with write_lock_held(live_server.db_url):  # another process writes, and takes its time
        held_until = time.monotonic() + HOLD_SECONDS
        me, took = timed(lambda: worker.get(f"{base}/api/me"))
        assert me.status_code == 200 and took < 1.0, took
        receive_until(ws, "heartbeat", timeout=2.5)  # the socket is not frozen

        refused, took = timed(lambda: worker.post(f"{base}/api/alarms", json=raise_body))
        assert refused.status_code == 503 and took < 3.0, (refused.status_code, took)
        assert refused.headers["Retry-After"] == "2"
        assert "112" in refused.json()["error"]

        while time.monotonic() < held_until - 3:  # the phone keeps retrying; all stays alive
            me, took = timed(lambda: worker.get(f"{base}/api/me"))
            assert me.status_code == 200 and took < 1.0, took
            again, took = timed(lambda: worker.post(f"{base}/api/alarms", json=raise_body))
            assert again.status_code == 503 and took < 3.0, (again.status_code, took)
            receive_until(ws, "heartbeat", timeout=2.5)
        time.sleep(max(0.0, held_until - time.monotonic()))

    stored = worker.post(f"{base}/api/alarms", json=raise_body)
    assert stored.status_code == 201, stored.text
    assert worker.post(f"{base}/api/alarms", json=raise_body).status_code == 200
    database = Database(live_server.db_url)
    with database.reader() as uow:
        count = uow.session.scalar(
            select(func.count()).where(Alarm.client_id == raise_body["client_id"])
        )
    database.dispose()
    assert count == 1
    alarm_id = stored.json()["alarm"]["id"]
    assert worker.post(f"{base}/api/alarms/{alarm_id}/cancel", json={"pin": "4826"}).ok
    ws.close()


def test_a_request_waiting_on_the_database_delays_no_websocket_of_the_same_worker(
    tmp_path, template_db, backend
):
    """One worker: a raise waits on a lock in the database (psycopg or SQLite's cooperative
    wait yields to gevent), while a phone's ping on a websocket of that same worker is
    answered at once."""
    server = start_server(tmp_path, template_db, backend, WEB_CONCURRENCY="1")
    try:
        worker, manager = server.live.session("joost"), server.live.session("henk")
        ws = connect(server.live, manager)
        receive_until(ws, "ready")
        answers = []
        with write_lock_held(server.live.db_url):
            raising = threading.Thread(
                target=lambda: answers.append(
                    worker.post(
                        f"{server.live.url}/api/alarms", json={"client_id": str(uuid.uuid4())}
                    )
                )
            )
            raising.start()
            time.sleep(0.3)  # the raise is waiting in the database now
            pongs = []
            for _ in range(5):
                sent = time.monotonic()
                ws.send(json.dumps({"type": "ping"}))
                receive_until(ws, "pong", timeout=1.0)
                pongs.append(time.monotonic() - sent)
            assert raising.is_alive()  # still waiting: the pings did not wait for it
            raising.join(5)
        assert answers[0].status_code == 503  # its deadline passed; nothing stored
        assert max(pongs) < 0.2, pongs
        ws.close()
    finally:
        server.stop()
