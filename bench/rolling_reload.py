"""Benchmark: the window in which a raise cannot be answered during a rolling reload (SIGHUP to
gunicorn's master), on the embedded default (SQLite, one worker) and on PostgreSQL + Redis
with two workers, and how long the old workers' websockets stay open before they close with
1012. The alarm fan-out on both shapes is bench/alarm_latency.py.

Run with `make bench`. Prints the figures and writes bench/results/rolling_reload.json.
Clients, server, PostgreSQL and Redis share the machine."""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402

from bench.rawws import RawListener, connect_all  # noqa: E402
from bench.restarts import Raiser, worker_pids  # noqa: E402
from bench.seed import (  # noqa: E402
    BenchServer,
    bench_server,
    production_shape,
    save_results,
    wait_for_workers,
)

RELOADS = int(os.environ.get("BENCH_RELOADS", "5"))
RELOAD_LISTENERS = 6  # a few phones connected through each reload
TEAMS = {"small": RELOAD_LISTENERS + 1}


def measure_reload(server: BenchServer, raiser_cookie: str, listener_cookies: list[str]) -> dict:
    """One rolling reload while a phone raises every 20 ms and a few phones listen."""
    master = server.process.pid
    old = worker_pids(master)
    listeners = [RawListener(server.ws_url, cookie) for cookie in listener_cookies]
    connect_all(listeners)
    http = requests.Session()
    http.cookies.set("session", raiser_cookie)
    with Raiser(http, server.base) as phone:
        time.sleep(1.0)
        hup = time.perf_counter()
        os.kill(master, signal.SIGHUP)
        while any(listener.closed_at is None for listener in listeners):
            if time.perf_counter() - hup > 60:
                raise RuntimeError("the old workers' websockets were not closed within 60 s")
            gevent.sleep(0.005)
        wait_for_workers(master, server.workers, replacing=old)
        time.sleep(2.0)  # raising on against the new workers only
    return {
        "longest_unanswered_ms": round(phone.longest_unanswered() * 1000, 1),
        "failed_tries": sum(not ok for _, _, ok in phone.tries),
        "tries": len(phone.tries),
        "sockets_closed_after_ms": round((max(ws.closed_at for ws in listeners) - hup) * 1000, 1),
        "close_codes": sorted({ws.close_code for ws in listeners}, key=str),
    }


def measure_reloads(server: BenchServer, reloads: int) -> dict:
    team = server.teams["small"][0]
    cookies = [cookie for _, cookie in team.people[:RELOAD_LISTENERS]]
    runs = [measure_reload(server, team.people[-1][1], cookies) for _ in range(reloads)]
    summary = {"runs": runs}
    for key in ("longest_unanswered_ms", "sockets_closed_after_ms"):
        values = [run[key] for run in runs]
        summary[key] = {
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
        }
    return summary


def main() -> None:
    results: dict = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "load_average_at_start": os.getloadavg(),  # other work on the machine disturbs it
    }
    with production_shape(workers=2) as cluster:
        shapes = {"embedded": {}, "cluster": cluster.settings("bench_reload")}
        for name, settings in shapes.items():
            with bench_server(TEAMS, **settings) as server:
                results[name] = measure_reloads(server, RELOADS)
    results["load_average_at_end"] = os.getloadavg()
    save_results("rolling_reload", results)
    for name in ("embedded", "cluster"):
        for key in ("longest_unanswered_ms", "sockets_closed_after_ms"):
            value = results[name][key]
            print(f"{name} {key}: {value['median']} ({value['min']}–{value['max']})")


if __name__ == "__main__":
    main()
