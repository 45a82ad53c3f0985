"""Benchmark: the cost of giving event ids in commit order on PostgreSQL.

Every transaction that records an event writes it as its last work under one advisory lock
(services/events/log.py), so such commits queue. This measures how many event-writing
transactions a second one database takes, and how long each waits, with 1, 4, 16 and 64
writers at once (greenlets of one gevent process, as in a worker; psycopg yields while it
waits), on a PostgreSQL cluster of its own with fsync and synchronous commit on, as in real
use. Each transaction records one event to one person, as a message does.

Run with `make bench`; writes bench/results/event_commit.json."""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

from bench.seed import percentiles, save_results  # noqa: E402
from ops.servers import Postgres, free_port  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.db import Database  # noqa: E402
from services.events.log import EventLog  # noqa: E402
from services.migrate import upgrade_to_head  # noqa: E402

SECONDS = float(os.environ.get("BENCH_EVENT_SECONDS", "8"))
WRITERS = (1, 4, 16, 64)


class Discard:
    def publish(self, envelope) -> None:
        pass


def writer(db: Database, log: EventLog, until: float, waits_ms: list[float]) -> None:
    while time.perf_counter() < until:
        started = time.perf_counter()
        with db.uow() as uow:
            log.record(uow, type="bench", audience={"user:1"}, title="bench")
        waits_ms.append((time.perf_counter() - started) * 1000)


def measure(db: Database, log: EventLog, writers: int) -> dict:
    waits: list[float] = []
    until = time.perf_counter() + SECONDS
    gevent.joinall([gevent.spawn(writer, db, log, until, waits) for _ in range(writers)])
    return {"commits_per_second": round(len(waits) / SECONDS), **percentiles(waits)}


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="veldwacht-bench-"))
    os.chmod(folder, 0o755)
    postgres = Postgres(folder / "pg", free_port()).start()  # fsync on: as in real use
    results: dict = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}}
    try:
        url = postgres.create_database("bench")
        upgrade_to_head(url)
        db = Database(url)
        log = EventLog(SystemClock(), Discard())
        measure(db, log, 1)  # warm the pool and the statement cache
        for writers in WRITERS:
            results[f"writers_{writers}"] = measure(db, log, writers)
        db.dispose()
    finally:
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
    save_results("event_commit", results)
    print("event-writing commits on PostgreSQL (one advisory lock orders the ids)")
    for writers in WRITERS:
        r = results[f"writers_{writers}"]
        print(
            f"  {writers:>3} writers: {r['commits_per_second']:>5}/s, "
            f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms"
        )


if __name__ == "__main__":
    main()
