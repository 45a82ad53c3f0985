"""Benchmark: an alarm's fan-out beside the floor, in the same run.

Contenders, each under gunicorn with one gevent worker unless said otherwise:
- `floor`: a bare flask-sock broadcast — no database, no authentication (floor_server.py);
- `socketio`: Flask-SocketIO, a room emit (peer_socketio.py);
- `veldwacht`: `POST /api/alarms` on the embedded default (SQLite WAL, in-process broker):
  the alarm, its recipients, its log and its event committed durably before the first frame;
- `cluster`: the same on PostgreSQL + Redis with two workers.

Scenarios, on one server per contender and round (a fresh start each round): (a) 1,925
listeners in 77 groups of 25, 1 + ALARMS alarms, each to one group (the first after the start
reported on its own); (b) 500 more listeners in one group, ALARMS alarms to them; (c) 1,000
more, ALARMS alarms; each scenario starts SETTLE_SECONDS after its listeners are connected.
Triggers are ALARM_GAP apart. Latency: from just before the trigger's
HTTP request to each listener's socket read, all read by one epoll set in another process
(epoll_listeners.py). Also: memory per idle connection and idle CPU with the 1,925 connected.

Rounds are interleaved (the order rotates each round); each figure is the median of the
rounds with their range, and each ratio to the floor is taken within a round, then the median
of the rounds: a ratio measured side by side survives a noisy machine, a millisecond does not.

Run with `make bench` (or `python -m bench.alarm_latency`; BENCH_ROUNDS, BENCH_CONTENDERS=
floor,veldwacht to choose; `before` is Veldwacht from the checkout BENCH_BEFORE names, e.g.
a `git worktree` of an earlier commit). Prints the table; writes
bench/results/alarm_latency.json."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.epoll_listeners import Listeners, Spec, now
from bench.measure import cpu_seconds, rss_kb
from bench.restarts import worker_pids
from bench.seed import (
    ROOT,
    BenchTeam,
    new_instance,
    percentiles,
    production_shape,
    save_results,
    seed_bench,
    start_server,
)
from ops.servers import free_port

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ALARMS = int(os.environ.get("BENCH_ALARMS", "30"))
IDLE_SECONDS = int(os.environ.get("BENCH_IDLE_SECONDS", "20"))
# Alarms are rare; half a second apart, each is measured on its own rather than queued
# behind the previous one's fan-out and push work.
ALARM_GAP = float(os.environ.get("BENCH_ALARM_GAP", "0.5"))
SETTLE_SECONDS = 2  # after connecting: the alarms go to phones that are connected, not joining
SMALL_GROUPS, SMALL_SIZE = 77, 25  # 1,925 listeners; each group's alarm goes to 25
BENCH_TEAMS = {f"small*{SMALL_GROUPS}": SMALL_SIZE + 1, "b500": 501, "b1000": 1001}
SCENARIOS = ("a_25_of_1925", "b_500_of_2425", "c_1000_of_3425")
CONTENDERS = os.environ.get("BENCH_CONTENDERS", "floor,socketio,veldwacht,cluster").split(",")


@dataclass
class Audience:
    """Listeners and the request that alarms them, returning the alarm's id."""

    specs: list[Spec]
    trigger: Callable[[], int]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    protocol: str  # "websocket" or "socketio"
    small: list[Audience]
    big: dict[str, Audience]  # "b500", "b1000"

    def pids(self) -> set[int]:
        return worker_pids(self.process.pid)


def _post(url: str, cookie: str = "") -> Callable[[], int]:
    http = requests.Session()
    if cookie:
        http.cookies.set("session", cookie)

    def trigger() -> int:
        body = {"client_id": str(uuid.uuid4())} if cookie else None
        response = http.post(url, json=body)
        response.raise_for_status()
        return response.json()["alarm"]["id"]

    return trigger


# -- the plain servers: the floor and the peer ---------------------------------------------


GUNICORN = (sys.executable, "-m", "gunicorn", "-k", "gevent", "--worker-connections", "10000")


def start_plain(module: str, port: int) -> subprocess.Popen:
    """`module`'s `app` under gunicorn, with Veldwacht's worker class and connection limit."""
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", f"{module}:app"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=1)  # the worker answers
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{module} did not start")


@contextmanager
def plain_contender(module: str, path: str, protocol: str) -> Iterator[Callable]:
    def start() -> Server:
        port = free_port()
        base = f"http://127.0.0.1:{port}"

        def audience(group: str, size: int) -> Audience:
            specs = [Spec(path.format(group=group)) for _ in range(size)]
            return Audience(specs, _post(f"{base}/broadcast/{group}"))

        small = [audience(f"a{n}", SMALL_SIZE) for n in range(SMALL_GROUPS)]
        big = {"b500": audience("b500", 500), "b1000": audience("b1000", 1000)}
        return Server(start_plain(module, port), port, protocol, small, big)

    yield start


# -- Veldwacht, seeded once per shape and started afresh each round -----------------------


@contextmanager
def veldwacht_contender(settings: dict[str, str], root: Path = ROOT) -> Iterator[Callable]:
    instance, db, secret = new_instance(settings.get("DATABASE_URL"))
    try:
        seeded = seed_bench(db, secret, BENCH_TEAMS)
        db.dispose()

        def start() -> Server:
            port = free_port()
            base = f"http://127.0.0.1:{port}"

            def audience(team: BenchTeam) -> Audience:
                specs = [Spec("/ws", cookie) for _, cookie in team.people[:-1]]
                return Audience(specs, _post(f"{base}/api/alarms", team.people[-1][1]))

            process = start_server(instance, port, root, SECRET_KEY=secret, **settings)
            big = {key: audience(seeded[key][0]) for key in ("b500", "b1000")}
            return Server(process, port, "websocket", list(map(audience, seeded["small"])), big)

        yield start
    finally:
        shutil.rmtree(instance, ignore_errors=True)


# -- one round on one server ----------------------------------------------------------------


def alarm_latencies(listeners: Listeners, audience: Audience) -> list[float]:
    started = now()
    alarm_id = audience.trigger()
    arrivals = listeners.arrivals(alarm_id, len(audience.specs))
    time.sleep(ALARM_GAP)
    return [(t - started) * 1000 for t in arrivals]


def scenario(alarms: list[list[float]]) -> dict:
    """Every listener's latency pooled, and each alarm's time to its last listener."""
    last = [max(alarm) for alarm in alarms]
    return {
        **percentiles([ms for alarm in alarms for ms in alarm]),
        "median_alarm_last_ms": statistics.median(last),
        "worst_alarm_last_ms": max(last),
        "alarm_last_ms": [round(ms, 1) for ms in last],  # in order, to see which ones stalled
    }


def measure_round(server: Server) -> dict:
    listeners, pids = Listeners(), server.pids()
    try:
        rss_before = sum(map(rss_kb, pids))
        everyone = [spec for audience in server.small for spec in audience.specs]
        seconds = listeners.connect(server.port, everyone, protocol=server.protocol)
        result = {"connect_seconds": seconds}
        time.sleep(SETTLE_SECONDS)
        grown = sum(map(rss_kb, server.pids())) - rss_before
        result["kb_per_idle_connection"] = round(grown / len(everyone), 1)
        cpu, wall = sum(map(cpu_seconds, pids)), time.monotonic()
        time.sleep(IDLE_SECONDS)
        idle = (sum(map(cpu_seconds, pids)) - cpu) / (time.monotonic() - wall)
        result["idle_cpu_percent"] = round(100 * idle, 2)
        small = server.small
        alarms = [alarm_latencies(listeners, small[n % len(small)]) for n in range(ALARMS + 1)]
        result["first_alarm_last_ms"] = max(alarms[0])
        result[SCENARIOS[0]] = scenario(alarms[1:])
        for key, name in zip(("b500", "b1000"), SCENARIOS[1:], strict=True):
            audience = server.big[key]
            listeners.connect(server.port, audience.specs, protocol=server.protocol)
            time.sleep(SETTLE_SECONDS)
            result[name] = scenario([alarm_latencies(listeners, audience) for _ in range(ALARMS)])
        return result
    finally:
        listeners.close()


def run_round(start: Callable[[], Server]) -> dict:
    server = start()
    try:
        return measure_round(server)
    finally:
        server.process.terminate()
        server.process.wait(timeout=60)


@contextmanager
def contenders(names: list[str]) -> Iterator[dict[str, Callable[[], Server]]]:
    with ExitStack() as stack:
        found = {}
        for name in names:
            if name == "floor":
                path = "/ws?group={group}"
                found[name] = plain_contender("bench.floor_server", path, "websocket")
            elif name == "socketio":
                path = "/socket.io/?EIO=4&transport=websocket&group={group}"
                found[name] = plain_contender("bench.peer_socketio", path, "socketio")
            elif name == "veldwacht":
                found[name] = veldwacht_contender({})
            elif name == "before":  # the same, from another checkout (BENCH_BEFORE=its path)
                found[name] = veldwacht_contender({}, Path(os.environ["BENCH_BEFORE"]))
            elif name == "cluster":
                cluster = stack.enter_context(production_shape(workers=2))
                found[name] = veldwacht_contender(cluster.settings("bench_cluster"))
        yield {name: stack.enter_context(context) for name, context in found.items()}


# -- the report -----------------------------------------------------------------------------

FIGURES = ("p50", "p99", "max", "median_alarm_last_ms", "worst_alarm_last_ms")


def summarise(rounds: dict[str, list[dict]]) -> dict:
    """Per contender: each figure's median of the rounds and range; ratios to the floor taken
    round by round."""
    summary: dict = {}
    for name, results in rounds.items():
        entry = summary[name] = {}
        for key in ("kb_per_idle_connection", "idle_cpu_percent", "first_alarm_last_ms"):
            entry[key] = _spread([r[key] for r in results])
        warm = [r[SCENARIOS[0]]["median_alarm_last_ms"] for r in results]
        entry["first_alarm_to_warm"] = _spread(
            [r["first_alarm_last_ms"] / w for r, w in zip(results, warm, strict=True)]
        )
        for sc in SCENARIOS:
            entry[sc] = {f: _spread([r[sc][f] for r in results]) for f in FIGURES}
            entry[sc]["worst_to_median_alarm"] = _spread(
                [r[sc]["worst_alarm_last_ms"] / r[sc]["median_alarm_last_ms"] for r in results]
            )
            if "floor" in rounds and name != "floor":
                floor = rounds["floor"]
                entry[sc]["ratio_to_floor"] = {
                    f: _spread([r[sc][f] / b[sc][f] for r, b in zip(results, floor, strict=True)])
                    for f in ("p50", "p99")
                }
    return summary


def _spread(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def report(summary: dict) -> None:
    def cell(value: dict) -> str:
        return f"{value['median']:.1f} ({value['min']:.1f}–{value['max']:.1f})"

    for sc in SCENARIOS:
        print(f"\n== {sc}: ms, median of rounds (range)")
        heads = ("p50", "p99", "worst alarm", "p50 ×floor", "p99 ×floor")
        print(f"{'':<11}" + "".join(f"{h:>20}" for h in heads))
        for name, entry in summary.items():
            ratio = entry[sc].get("ratio_to_floor")
            ratios = [cell(ratio["p50"]), cell(ratio["p99"])] if ratio else ["", ""]
            figures = [cell(entry[sc]["p50"]), cell(entry[sc]["p99"])]
            figures.append(cell(entry[sc]["worst_alarm_last_ms"]))
            print(f"{name:<11}" + "".join(f"{c:>20}" for c in figures + ratios))
    heads = ("KB/idle conn", "idle CPU %", "first alarm ms", "first/warm")
    print(f"\n{'':<11}" + "".join(f"{h:>20}" for h in heads))
    for name, entry in summary.items():
        keys = ("kb_per_idle_connection", "idle_cpu_percent", "first_alarm_last_ms")
        cells = [cell(entry[k]) for k in (*keys, "first_alarm_to_warm")]
        print(f"{name:<11}" + "".join(f"{c:>20}" for c in cells))


def main() -> None:
    started = time.monotonic()
    results: dict = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "alarm_gap_seconds": ALARM_GAP,
        "load_average_at_start": os.getloadavg(),
        "rounds": {name: [] for name in CONTENDERS},
    }
    with contenders(CONTENDERS) as starts:
        for number in range(ROUNDS):
            order = CONTENDERS[number % len(CONTENDERS) :] + CONTENDERS[: number % len(CONTENDERS)]
            for name in order:
                results["rounds"][name].append(run_round(starts[name]))
                print(f"round {number + 1}: {name} done", flush=True)
    results["load_average_at_end"] = os.getloadavg()
    results["summary"] = summarise(results["rounds"])
    results["minutes"] = round((time.monotonic() - started) / 60, 1)
    save_results("alarm_latency", results)
    report(results["summary"])


if __name__ == "__main__":
    main()
