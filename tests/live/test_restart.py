"""Restarts without a gap: a rolling reload (SIGHUP to gunicorn's master) while a phone keeps
raising never leaves it unanswered for a second, the stopping worker's websockets close at once
with "reconnect" (1012) rather than after the graceful timeout, and the phone that reconnects
gets what it missed. On the PostgreSQL backend, a database that is briefly away makes requests
fail fast and clearly (503 with Retry-After, the alarm text sends the phone to 112) and the
server recovers by itself."""

from __future__ import annotations

import os
import signal
import time
import uuid

import pytest
from simple_websocket import ConnectionClosed

from app.handover import HANDOVER_MAX
from bench.restarts import Raiser, worker_pids
from tests.conftest import ON_POSTGRES, Backend, start_server, throwaway_postgres
from tests.live.wsclient import connect, receive_until


def test_a_rolling_reload_answers_every_raise_within_a_second_and_moves_sockets_at_once(
    tmp_path, template_db, backend
):
    server = start_server(tmp_path, template_db, backend)
    try:
        base = server.live.url
        worker, manager = server.live.session("daan"), server.live.session("peter")
        ws = connect(server.live, manager)
        _, ready = receive_until(ws, "ready")
        old = worker_pids(server.process.pid)

        with Raiser(worker, base) as phone:
            time.sleep(1.0)
            hup = time.monotonic()
            os.kill(server.process.pid, signal.SIGHUP)
            with pytest.raises(ConnectionClosed):
                while True:
                    ws.receive(timeout=5)
            closed_after = time.monotonic() - hup
            time.sleep(3.0)
        assert ws.close_reason == 1012, ws.close_reason  # "service restart": reconnect
        # once the new worker is ready (it takes a few seconds to load the app), not after the
        # 10 s graceful timeout
        assert closed_after < HANDOVER_MAX, closed_after
        assert worker_pids(server.process.pid).isdisjoint(old)  # every worker was replaced
        assert phone.tries[-1][2]  # answered by the new workers
        assert phone.longest_unanswered() < 1.0, phone.longest_unanswered()

        # the phone reconnects (to a new worker) and replays what it missed meanwhile
        alarm_id = phone.http.post(f"{base}/api/alarms", json=phone.body).json()["alarm"]["id"]
        again = connect(server.live, manager, since=ready["last_id"])
        replayed, _ = receive_until(again, "ready")
        raised = [e for e in replayed if e.get("event", {}).get("type") == "alarm.raised"]
        assert [e["event"]["data"]["alarm"]["id"] for e in raised] == [alarm_id]
        again.close()
        assert worker.post(f"{base}/api/alarms/{alarm_id}/cancel", json={"pin": "4826"}).ok
    finally:
        server.stop()


@pytest.mark.skipif(not ON_POSTGRES, reason="about PostgreSQL going away and coming back")
def test_while_postgresql_is_away_requests_fail_fast_with_503_and_the_server_recovers_alone(
    tmp_path, backend
):
    with throwaway_postgres() as postgres:  # its own: stopped and started below
        own = Backend(postgres=postgres, redis=backend.redis)
        server = start_server(tmp_path, own.template(tmp_path), own)
        try:
            base = server.live.url
            worker = server.live.session("joost")
            postgres.stop()

            started = time.monotonic()
            refused = worker.post(f"{base}/api/alarms", json={"client_id": str(uuid.uuid4())})
            took = time.monotonic() - started
            assert refused.status_code == 503 and took < 5.0, (refused.status_code, took)
            assert refused.headers["Retry-After"]
            assert "112" in refused.json()["error"]  # the phone says: call 112
            me = worker.get(f"{base}/api/me")
            assert me.status_code == 503 and me.headers["Retry-After"]

            postgres.start()
            deadline, answer = time.monotonic() + 15, None
            while time.monotonic() < deadline:
                answer = worker.post(f"{base}/api/alarms", json={"client_id": str(uuid.uuid4())})
                if answer.status_code == 201:
                    break
                time.sleep(0.2)
            assert answer.status_code == 201, answer.text  # no restart of the server needed
            alarm_id = answer.json()["alarm"]["id"]
            assert worker.post(f"{base}/api/alarms/{alarm_id}/cancel", json={"pin": "4826"}).ok
        finally:
            server.stop()
