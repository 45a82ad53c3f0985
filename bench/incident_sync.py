"""Benchmark: phones coming back online and emptying their outboxes at once. 50 clients
replay 2,000 reports with 20 % sent twice (a retry after a lost answer), in shuffled order,
against the real server (gunicorn + gevent, SQLite WAL). Checks that exactly 2,000 incidents
were stored and reports request latency (p50/p95/p99) and throughput.

Run with `make bench`; BENCH_REPORTS / BENCH_CLIENTS change the size."""

from gevent import monkey

monkey.patch_all()  # the 50 clients are greenlets, as in the other benchmarks

import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

import requests  # noqa: E402

from bench.measure import cpu_seconds, worker_pid  # noqa: E402
from bench.seed import new_instance, percentiles, save_results, seed_bench, start_server  # noqa: E402

REPORTS = int(os.environ.get("BENCH_REPORTS", "2000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
DUPLICATE_SHARE = 0.2
KINDS = ["verbaal", "discriminatie", "intimidatie", "fysiek_zaak", "fysiek_persoon"]
CHANNELS = ["huisbezoek", "openbare_ruimte", "gemeentelijk_gebouw", "telefoon"]


def make_report(rng: random.Random, n: int) -> dict:
    moment = datetime.now(UTC) - timedelta(minutes=rng.randint(5, 60 * 24 * 30))
    return {
        "client_id": str(uuid.uuid4()),
        "behaviour_type": rng.choice("ABCDE"),
        "kinds": rng.sample(KINDS, rng.choice([1, 1, 1, 2])),
        "channel": rng.choice(CHANNELS),
        "occurred_at": moment.isoformat(),
        "location": f"Benchstraat {n}",
        "description": "Schold en dreigde. " * rng.randint(1, 20),
        "aggressor": {"name": f"Agressor {n}"} if n % 3 == 0 else None,
    }


def outboxes(rng: random.Random, cookies: list[str]) -> list[list[dict]]:
    """Each client's sends: its own reports plus 20 % of them again, all shuffled."""
    reports = [make_report(rng, n) for n in range(REPORTS)]
    sends = reports + rng.sample(reports, int(REPORTS * DUPLICATE_SHARE))
    rng.shuffle(sends)
    owner = {r["client_id"]: i % len(cookies) for i, r in enumerate(reports)}
    queues: list[list[dict]] = [[] for _ in cookies]
    for report in sends:
        queues[owner[report["client_id"]]].append(report)
    return queues


def replay(base: str, cookie: str, queue: list[dict], start: threading.Event) -> list:
    http = requests.Session()
    http.cookies.set("session", cookie)
    start.wait()
    results = []
    for report in queue:
        t0 = time.perf_counter()
        response = http.post(base + "/api/incidents", json=report, timeout=60)
        results.append((response.status_code, (time.perf_counter() - t0) * 1000))
    return results


def stored(instance) -> tuple[int, int]:
    with sqlite3.connect(instance / "veldwacht.db") as db:
        return db.execute("SELECT count(*), count(DISTINCT client_id) FROM incidents").fetchone()


def main() -> None:
    instance, db, secret = new_instance()
    teams = seed_bench(db, secret, {f"sync*{-(-CLIENTS // 25)}": 26})["sync"]
    cookies = [cookie for team in teams for _, cookie in team.workers][:CLIENTS]
    db.dispose()
    port = 5400 + os.getpid() % 500
    server = start_server(instance, port)
    queues = outboxes(random.Random(5), cookies)
    start = threading.Event()
    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            futures = [
                pool.submit(replay, f"http://127.0.0.1:{port}", c, q, start)
                for c, q in zip(cookies, queues, strict=True)
            ]
            pid = worker_pid(server.pid)
            cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
            start.set()
            answers = [a for f in futures for a in f.result()]
            wall, cpu = time.perf_counter() - wall0, cpu_seconds(pid) - cpu0
        rows, distinct = stored(instance)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(instance, ignore_errors=True)
    results = {
        "clients": CLIENTS,
        "reports": REPORTS,
        "requests": len(answers),
        "statuses": dict(Counter(code for code, _ in answers)),
        "stored": rows,
        "stored_distinct_client_ids": distinct,
        "exactly_once": rows == distinct == REPORTS,
        "latency_ms": percentiles([ms for _, ms in answers]),
        "throughput_per_s": round(len(answers) / wall, 1),
        "wall_s": round(wall, 2),
        "server_cpu_ms_per_request": round(1000 * cpu / len(answers), 2),
    }
    save_results("incident_sync", results)
    print(json.dumps(results, indent=2))
    if not results["exactly_once"]:
        raise SystemExit("incidents lost or duplicated")


if __name__ == "__main__":
    main()
