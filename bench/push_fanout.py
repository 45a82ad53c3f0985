"""Benchmark: an alarm to 25 responders whose apps are closed, through a loopback push service
(tests/live/pushservice.py: a real HTTP server; the pushes are encrypted and VAPID-signed by
the real transport). Measured from just before the raise request to the moment the push
service answered 201 to the last responder's device; then the same with one of the 25
endpoints hanging on every request (a dead push service), where the other 24 must not notice.

Run with `make bench`; prints a table and writes bench/results/push_fanout.json."""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402

from bench.seed import new_instance, percentiles, save_results, seed_bench, start_server  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.push.subscriptions import save_subscription  # noqa: E402
from tests.live.pushservice import BrowserSubscription, PushService  # noqa: E402

ALARMS = int(os.environ.get("BENCH_PUSH_ALARMS", "30"))
GAP = float(os.environ.get("BENCH_ALARM_GAP", "0.5"))
HANGING = "/push/device-0"
DEADLINE = float(os.environ.get("BENCH_PUSH_DEADLINE", "20"))  # seconds for one alarm


def subscribe_all(db, people, push_service) -> list[str]:
    """One phone per responder, subscribed as the browser would have done."""
    paths = []
    with db.uow() as uow:
        for number, (user_id, _) in enumerate(people):
            path = f"/push/device-{number}"
            keys = BrowserSubscription(push_service.origin + path).to_json()["keys"]
            save_subscription(
                uow.session,
                SystemClock(),
                user_id=user_id,
                endpoint=push_service.origin + path,
                p256dh=keys["p256dh"],
                auth=keys["auth"],
                user_agent="bench",
            )
            paths.append(path)
    return paths


def accepted_after(push_service, index: int, paths: set[str]) -> dict[str, float]:
    """When each path's first push after record `index` was accepted."""
    found = {}
    for record in push_service.received[index:]:
        if record["path"] in paths and record["status"] == 201 and not record["hung"]:
            found.setdefault(record["path"], record["answered_at"])
    return found


def run(base: str, cookie: str, push_service, paths: list[str], alarms: int) -> dict:
    http = requests.Session()
    http.cookies.set("session", cookie)
    last, every = [], []
    for _ in range(alarms):
        index = len(push_service.received)
        started = time.monotonic()
        http.post(f"{base}/api/alarms", json={"client_id": str(uuid.uuid4())}).raise_for_status()
        wanted = set(paths)
        deadline = started + DEADLINE
        while len(found := accepted_after(push_service, index, wanted)) < len(wanted):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(wanted) - len(found)} devices never got the alarm")
            gevent.sleep(0.002)
        latencies = [(at - started) * 1000 for at in found.values()]
        last.append(max(latencies))
        every += latencies
        gevent.sleep(GAP)
    return {"last_device": percentiles(last), "every_device": percentiles(every)}


def main() -> None:
    instance, db, secret = new_instance()
    (team,) = seed_bench(db, secret, {"push": 26})["push"]
    push_service = PushService()
    responders = team.people[:-1]  # the manager and 24 workers; the last worker raises
    paths = subscribe_all(db, responders, push_service)
    db.dispose()
    port = 5400 + os.getpid() % 500
    server = start_server(instance, port, VELDWACHT_PUSH_ALLOW_HTTP="1")
    base = f"http://127.0.0.1:{port}"
    results: dict = {
        "machine": {"cores": os.cpu_count()},
        "responders": len(paths),
        "alarms_per_scenario": ALARMS,
        "alarm_gap_seconds": GAP,
    }
    try:
        run(base, team.people[-1][1], push_service, paths, 1)  # warm-up: first-use costs
        results["all_healthy"] = run(base, team.people[-1][1], push_service, paths, ALARMS)
        push_service.hang.add(HANGING)
        healthy = [p for p in paths if p != HANGING]
        results["one_hanging_other_24"] = run(
            base, team.people[-1][1], push_service, healthy, ALARMS
        )
    finally:
        push_service.release.set()
        server.terminate()
        server.wait(timeout=20)
        push_service.close()
        shutil.rmtree(instance, ignore_errors=True)
    results["ratio_p50_last_device"] = round(
        results["one_hanging_other_24"]["last_device"]["p50"]
        / results["all_healthy"]["last_device"]["p50"],
        2,
    )
    save_results("push_fanout", results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
