"""Benchmark: alarm latency from the raise request to receipt in each addressee, over real
websockets to a real server (gunicorn + gevent, SQLite, in-process broker), and the memory
and idle CPU of connections. `measure_fanout` is the measurement on any server; the same
scenarios on PostgreSQL + Redis with several workers are bench/cluster_fanout.py.

Run with `make bench`. Prints a table and writes bench/results/alarm_latency.json.
Clients and server share the machine; receipt is timed at the socket read (see rawws.py)."""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402

from bench.rawws import RawListener as Listener  # noqa: E402
from bench.restarts import worker_pids  # noqa: E402
from bench.seed import (  # noqa: E402
    BenchServer,
    bench_server,
    percentiles,
    save_results,
    start_server,  # noqa: F401 (the other benches take it from here)
)

SMALL_TEAMS = int(os.environ.get("BENCH_SMALL_TEAMS", "77"))  # 77 x 26 = 2,002 people
ALARMS_SMALL = int(os.environ.get("BENCH_ALARMS", "40"))
IDLE_SECONDS = int(os.environ.get("BENCH_IDLE_SECONDS", "30"))
# Alarms are rare; half a second apart, each is measured on its own rather than queued
# behind the previous one's fan-out and push work.
ALARM_GAP = float(os.environ.get("BENCH_ALARM_GAP", "0.5"))
BENCH_TEAMS = {f"small*{SMALL_TEAMS}": 26, "b500": 501, "b1000": 1001}


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def connections_per_worker(port: int, pids: set[int]) -> dict[int, int]:
    """Established connections to `port` each worker holds: the server ends in /proc/net/tcp
    whose socket inode is one of the worker's file descriptors."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                established.add(fields[9])
    counts = {}
    for pid in pids:
        inodes = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:  # closed meanwhile
                continue
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
        counts[pid] = len(inodes & established)
    return counts


def connect_all(listeners: list[Listener], batch: int = 100) -> None:
    for start in range(0, len(listeners), batch):
        gevent.joinall(
            [gevent.spawn(listener.connect) for listener in listeners[start : start + batch]],
            raise_error=True,
        )


def raise_and_measure(
    base: str,
    raiser_cookie: str,
    audience: list[Listener],
    alarms: int,
    answered: list[float] | None = None,
) -> list[float]:
    """Receipt latencies in ms; the raise request's own answer times go into `answered`."""
    http = requests.Session()
    http.cookies.set("session", raiser_cookie)
    samples = []
    for _ in range(alarms):
        started = time.perf_counter()
        response = http.post(f"{base}/api/alarms", json={"client_id": str(uuid.uuid4())})
        response.raise_for_status()
        if answered is not None:
            answered.append((time.perf_counter() - started) * 1000)
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
    """The one worker of a server on the embedded default."""
    (pid,) = worker_pids(master)
    return pid


def measure_fanout(server: BenchServer, idle_seconds: int = IDLE_SECONDS) -> dict:
    """Scenarios (a) and (b) and the memory (and, unless `idle_seconds` is 0, idle CPU) of the
    connections, per worker, on a server seeded with BENCH_TEAMS. Closes its connections."""
    base, ws_url, teams = server.base, server.ws_url, server.teams
    pids = worker_pids(server.process.pid)
    results: dict = {"worker_count": len(pids)}
    rss_before = {pid: rss_kb(pid) for pid in pids}

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
    rss_after = {pid: rss_kb(pid) for pid in pids}
    per_worker = connections_per_worker(server.port, pids)
    results["workers"] = [
        {
            "connections": per_worker[pid],
            "rss_mb": round(rss_after[pid] / 1024, 1),
            "rss_kb_per_connection": round(
                (rss_after[pid] - rss_before[pid]) / max(1, per_worker[pid]), 1
            ),
        }
        for pid in sorted(pids)
    ]
    grown = sum(rss_after.values()) - sum(rss_before.values())
    results["rss_kb_per_connection"] = round(grown / len(everyone), 1)
    results["rss_mb_worker"] = round(max(rss_after.values()) / 1024, 1)

    if idle_seconds:
        cpu0, wall0 = sum(map(cpu_seconds, pids)), time.perf_counter()
        gevent.sleep(idle_seconds)
        results["idle_cpu_percent"] = round(
            100 * (sum(map(cpu_seconds, pids)) - cpu0) / (time.perf_counter() - wall0), 2
        )

    # The first alarm after a start pays one-time costs (statement compilation, imports);
    # it is reported on its own, and the distribution is of the alarms after it.
    answered: list[float] = []
    per_alarm = [
        raise_and_measure(
            base, small[n % len(small)].people[-1][1], listeners[n % len(small)], 1, answered
        )
        for n in range(ALARMS_SMALL + 1)
    ]
    results["a_first_alarm_after_start_ms"] = round(max(per_alarm[0]), 1)
    results["a_audience_25_with_2000_connected"] = percentiles(
        [ms for alarm in per_alarm[1:] for ms in alarm]
    )
    # The raise's answer (its transaction: the alarm, its recipients and the event stored)
    # apart from the fan-out.
    results["a_raise_answered"] = percentiles(answered[1:])

    for key in () if os.environ.get("BENCH_ONLY_A") else ("b500", "b1000"):
        (team,) = teams[key]
        audience = [Listener(ws_url, c) for _, c in team.people[:-1]]
        connect_all(audience)
        everyone += audience
        answered = []
        samples = raise_and_measure(base, team.people[-1][1], audience, 10, answered)
        results[f"b_audience_{len(audience)}"] = percentiles(samples)
        results[f"b_raise_answered_{len(audience)}"] = percentiles(answered)
        results["connections"] += len(audience)
    for listener in everyone:
        listener.close()
    return results


def main() -> None:
    results: dict = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "alarm_gap_seconds": ALARM_GAP,
    }
    with bench_server(BENCH_TEAMS) as server:
        results.update(measure_fanout(server))
    save_results("alarm_latency", results)
    report(results)


def report(results: dict) -> None:
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
