"""Benchmark: alarm latency from the raise request to receipt in each addressee, over real
websockets to a real server (gunicorn + gevent, SQLite, in-process broker), and the memory
and idle CPU of connections.

Run with `make bench`. Prints a table and writes bench/results/alarm_latency.json.
Clients and server share the machine; receipt is timed at the socket read (see rawws.py)."""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402

from bench.rawws import RawListener as Listener  # noqa: E402
from bench.seed import new_instance, percentiles, save_results, seed_bench, start_server  # noqa: E402

SMALL_TEAMS = int(os.environ.get("BENCH_SMALL_TEAMS", "77"))  # 77 x 26 = 2,002 people
ALARMS_SMALL = int(os.environ.get("BENCH_ALARMS", "40"))
IDLE_SECONDS = int(os.environ.get("BENCH_IDLE_SECONDS", "30"))
# Alarms are rare; half a second apart, each is measured on its own rather than queued
# behind the previous one's fan-out and push work.
ALARM_GAP = float(os.environ.get("BENCH_ALARM_GAP", "0.5"))


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def connect_all(listeners: list[Listener], batch: int = 100) -> None:
    for start in range(0, len(listeners), batch):
        gevent.joinall(
            [gevent.spawn(listener.connect) for listener in listeners[start : start + batch]],
            raise_error=True,
        )


def raise_and_measure(
    base: str, raiser_cookie: str, audience: list[Listener], alarms: int
) -> list[float]:
    http = requests.Session()
    http.cookies.set("session", raiser_cookie)
    samples = []
    for _ in range(alarms):
        started = time.perf_counter()
        response = http.post(f"{base}/api/alarms", json={"client_id": str(uuid.uuid4())})
        response.raise_for_status()
        alarm_id = response.json()["alarm"]["id"]
        deadline = time.perf_counter() + 10
        while (
            sum(alarm_id in listener.arrivals for listener in audience) < len(audience)
            and time.perf_counter() < deadline
        ):
            gevent.sleep(0.002)
        missing = [listener for listener in audience if alarm_id not in listener.arrivals]
        if missing:
            raise RuntimeError(f"{len(missing)} of {len(audience)} never got alarm {alarm_id}")
        samples += [(listener.arrivals[alarm_id] - started) * 1000 for listener in audience]
        gevent.sleep(ALARM_GAP)
    return samples


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def main() -> None:
    instance, db, secret = new_instance()
    teams = seed_bench(db, secret, {f"small*{SMALL_TEAMS}": 26, "b500": 501, "b1000": 1001})
    db.dispose()
    port = 5400 + os.getpid() % 500
    server = start_server(instance, port)
    base, ws_url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/ws"
    results: dict = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "alarm_gap_seconds": ALARM_GAP,
    }
    try:
        pid = worker_pid(server.pid)
        rss_before = rss_kb(pid)

        small = teams["small"]
        listeners = {
            tid: [Listener(ws_url, c) for _, c in t.people[:-1]] for tid, t in enumerate(small)
        }  # the last worker of each team raises
        everyone = [listener for group in listeners.values() for listener in group]
        t0 = time.perf_counter()
        connect_all(everyone)
        results["connect_seconds"] = round(time.perf_counter() - t0, 1)
        results["connections"] = len(everyone)
        gevent.sleep(2)
        rss_after = rss_kb(pid)
        results["rss_kb_per_connection"] = round((rss_after - rss_before) / len(everyone), 1)
        results["rss_mb_worker"] = round(rss_after / 1024, 1)

        cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
        gevent.sleep(IDLE_SECONDS)
        results["idle_cpu_percent"] = round(
            100 * (cpu_seconds(pid) - cpu0) / (time.perf_counter() - wall0), 2
        )

        # The first alarm after a start pays one-time costs (statement compilation, imports);
        # it is reported on its own, and the distribution is of the alarms after it.
        per_alarm = [
            raise_and_measure(
                base, small[n % len(small)].people[-1][1], listeners[n % len(small)], 1
            )
            for n in range(ALARMS_SMALL + 1)
        ]
        results["a_first_alarm_after_start_ms"] = round(max(per_alarm[0]), 1)
        results["a_audience_25_with_2000_connected"] = percentiles(
            [ms for alarm in per_alarm[1:] for ms in alarm]
        )

        for key in () if os.environ.get("BENCH_ONLY_A") else ("b500", "b1000"):
            (team,) = teams[key]
            audience = [Listener(ws_url, c) for _, c in team.people[:-1]]
            connect_all(audience)
            samples = raise_and_measure(base, team.people[-1][1], audience, 10)
            results[f"b_audience_{len(audience)}"] = percentiles(samples)
            results["connections"] += len(audience)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(instance, ignore_errors=True)
    report(results)


def report(results: dict) -> None:
    save_results("alarm_latency", results)
    print(json.dumps({k: v for k, v in results.items() if not isinstance(v, dict)}, indent=2))
    print(f"\n{'scenario':<40}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for key, value in results.items():
        if isinstance(value, dict) and "p50" in value:
            print(
                f"{key:<40}{value['n']:>7}{value['p50']:>9.1f}{value['p95']:>9.1f}"
                f"{value['p99']:>9.1f}{value['max']:>9.1f}"
            )


if __name__ == "__main__":
    main()
