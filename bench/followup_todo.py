"""Benchmark: how long the responsible manager's to-do list and one incident's follow-up take
to build when many incidents are open. A demo municipality gets BENCH_OPEN open reports
against one team (half with an aggressor, a tenth serious), then the manager's GET
/api/followup/todo and GET /api/incidents/<id>/followup are timed in-process (Flask's test
client: no network, no other load), 20 times each."""

import json
import os
import shutil
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from app import create_app
from bench.seed import new_instance, percentiles, save_results
from services.demo import DEMO_PASSWORD, seed_demo_municipality

OPEN = int(os.environ.get("BENCH_OPEN", "500"))
WORKERS = ("sanne", "mohammed", "anouk")


def login(app, username):
    client = app.test_client()
    client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    return client


def report(client, n: int) -> int:
    moment = datetime.now(UTC) - timedelta(hours=n % 700)
    body = {
        "client_id": str(uuid.uuid4()),
        "behaviour_type": "CDE"[n % 3],
        "kinds": [["verbaal"], ["intimidatie"], ["fysiek_persoon"]][n % 3],
        "channel": "huisbezoek",
        "occurred_at": moment.isoformat(),
        "location": f"Benchstraat {n}",
        "description": "Bench",
        "aggressor": {"name": f"Persoon {n % 40}"} if n % 2 else None,
    }
    incident = client.post("/api/incidents", json=body).get_json()["incident"]
    if n % 10 == 0:
        client.patch(
            f"/api/incidents/{incident['id']}",
            json={"version": 1, "serious_criteria": ["ernstig_letsel"]},
        )
    return incident["id"]


def timed(client, path: str, runs: int = 20) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        assert client.get(path).status_code == 200
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def main() -> None:
    instance, db, _ = new_instance()
    with db.uow() as uow:
        seed_demo_municipality(uow.session)
    db.dispose()
    app = create_app({"INSTANCE_PATH": str(instance), "SWEEP_SECONDS": 0, "GC_POLICY": False})
    try:
        workers = [login(app, name) for name in WORKERS]
        ids = [report(workers[n % 3], n) for n in range(OPEN)]
        manager = login(app, "lisa")
        todo = timed(manager, "/api/followup/todo")
        entries = len(manager.get("/api/followup/todo").get_json()["todo"])
        one = timed(manager, f"/api/incidents/{ids[-1]}/followup")
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    results = {
        "open_incidents": OPEN,
        "todo_entries": entries,
        "todo_ms": percentiles(todo),
        "followup_ms": percentiles(one),
        "todo_ms_per_incident": round(statistics.median(todo) / OPEN, 2),
    }
    save_results("followup_todo", results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
