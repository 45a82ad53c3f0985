"""Benchmark: how late an overdue visit is noticed. 1,000 visits are checked in with due times
spread over half a minute; each worker's phone is a websocket; lag = the moment the worker's
"Alles goed?" prompt (the first alert) arrives minus the visit's due time. Also the sweep's
cost: worker CPU per second of wall time with 1,000 active visits and none due.

Run with `make bench`. One visit "minute" is one second here (VELDWACHT_VISIT_MINUTE_SECONDS)."""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

import gevent  # noqa: E402

from bench.measure import cpu_seconds, worker_pid  # noqa: E402
from bench.rawws import VISIT_PROMPT, RawListener, connect_all  # noqa: E402
from bench.seed import new_instance, percentiles, save_results, seed_bench, start_server  # noqa: E402
from services.checklists.models import Checklist  # noqa: E402
from services.checklists.service import install_default_checklists  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.db import Database  # noqa: E402
from services.events.log import EventLog  # noqa: E402
from services.visits import service  # noqa: E402

VISITS = int(os.environ.get("BENCH_VISITS", "1000"))
MINUTE = timedelta(seconds=1)
FIRST_DUE, SPREAD = 40, 30  # seconds after check-in: time to start and connect, then spread


class Nowhere:
    def publish(self, envelope):
        pass


def check_in_visits(db: Database, workers: list[int]) -> dict[int, float]:
    """Plan and check in one visit per worker; returns visit id -> due time (epoch)."""
    clock, events = SystemClock(), EventLog(SystemClock(), Nowhere())
    with db.uow() as uow:
        install_default_checklists(uow.session, clock.now())
    with db.reader() as uow:
        sheet = uow.session.query(Checklist).filter_by(key="algemeen").one()
        safe = {q["id"]: "nee" if q["risk_answer"] == "ja" else "ja" for q in sheet.questions}
    due = {}
    for n, worker in enumerate(workers):
        with db.uow() as uow:
            visit = service.plan_visit(
                uow,
                clock,
                worker_id=worker,
                details={
                    "kind": "visit",
                    "visit_type": "dienstverlenend",
                    "address": f"Benchlaan {n}",
                    "floor_room": None,
                    "client_ref": None,
                    "buddy_id": None,
                    "expected_minutes": FIRST_DUE + n * SPREAD // len(workers),
                },
                checklist_id=sheet.id,
                answers=safe,
            )
            service.check_in(
                uow, events, clock, MINUTE, visit_id=visit.id, worker_id=worker, position=None
            )
            due[visit.id] = visit.due_at.timestamp()
    return due


def main() -> None:
    instance, db, secret = new_instance()
    teams = seed_bench(db, secret, {f"visit*{VISITS // 25}": 26})["visit"]
    workers = [w for team in teams for w in team.workers][:VISITS]
    due = check_in_visits(db, [uid for uid, _ in workers])
    by_worker = {uid: vid for vid, uid in zip(due, [uid for uid, _ in workers], strict=True)}
    db.dispose()
    os.environ["VELDWACHT_VISIT_MINUTE_SECONDS"] = "1"
    port = 5400 + os.getpid() % 500
    server = start_server(instance, port)
    results: dict = {"visits": len(due)}
    try:
        pid = worker_pid(server.pid)
        listeners = [
            RawListener(f"ws://127.0.0.1:{port}/ws", cookie, VISIT_PROMPT) for _, cookie in workers
        ]
        connect_all(listeners)
        offset = time.time() - time.perf_counter()
        cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
        quiet = min(due.values()) - time.time() - 2
        gevent.sleep(max(quiet, 1))
        results["sweep_cpu_percent_1000_active_none_due"] = round(
            100 * (cpu_seconds(pid) - cpu0) / (time.perf_counter() - wall0), 2
        )
        gevent.sleep(max(due.values()) - time.time() + 5)
        lags = [
            (heard.arrivals[by_worker[uid]] + offset - due[by_worker[uid]]) * 1000
            for heard, (uid, _) in zip(listeners, workers, strict=True)
            if by_worker[uid] in heard.arrivals
        ]
        results["prompted"] = len(lags)
        results["lag_ms"] = percentiles(lags)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(instance, ignore_errors=True)
    save_results("overdue_lag", results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
