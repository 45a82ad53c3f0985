"""Benchmark: the quarter report, the year report and the quarter report's PDF over a large
register on the embedded default (SQLite). A demo municipality gets BENCH_INCIDENTS reports
(100,000 by default) spread over five years across its people, with the follow-up a register
holds (a tenth with a measure, a tenth with a police step, a twentieth with analysed causes,
aftercare for a fifth), inserted in bulk; then the coordinator's GET /api/reports for a
quarter and a year and GET /api/reports.pdf for both are timed in-process (Flask's test
client: no network), BENCH_RUNS times each; and a manager's quarter (her teams and the people
below her: the scope as OR'ed conditions instead of none)."""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from app import create_app
from bench.seed import new_instance, percentiles, save_results
from services.accounts.models import User
from services.demo import DEMO_PASSWORD, seed_demo_municipality
from services.followup.models import AftercareRecord, IncidentMeasure, PoliceRecord
from services.identity import aggressor_key
from services.incidents.models import Incident

INCIDENTS = int(os.environ.get("BENCH_INCIDENTS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "10"))
END = datetime(2026, 11, 30, tzinfo=UTC)
SPAN = timedelta(days=5 * 365)
CHUNK = 5000
KINDS = (["verbaal"], ["intimidatie"], ["fysiek_persoon"], ["intimidatie", "verbaal"])
CHANNELS = ("huisbezoek", "openbare_ruimte", "gemeentelijk_gebouw", "telefoon")


def _incident(n: int, people: list, rng: random.Random) -> dict:
    victim_id, team_id = people[n % len(people)]
    at = END - SPAN * rng.random()
    return {
        "client_id": f"bench-{n}",
        "reporter_id": victim_id,
        "victim_id": victim_id,
        "team_id": team_id,
        "occurred_at": at,
        "reported_at": at + timedelta(hours=rng.choice((1, 2, 30))),
        "updated_at": at,
        "behaviour_type": "ABCDE"[n % 5],
        "kinds": KINDS[n % 4],
        "channel": CHANNELS[n % 4],
        "location": "",
        "description": "Bench",
        "status": "afgehandeld" if n % 3 else "gemeld",
        "serious": n % 50 == 0,
        "serious_criteria": [],
        "form": {"injury": n % 7 == 0, "damage_employer": n % 11 == 0},
        "analysis": {"causes": [{"category": "burger", "action": "Gesprek"}]}
        if n % 20 == 0
        else {},
        "aggressor_name": f"Persoon {n % 9000}" if n % 2 else "",
        "aggressor_key": aggressor_key(None, f"Persoon {n % 9000}") if n % 2 else None,
        "absence_days": 2 if n % 13 == 0 else None,
        "version": 1,
    }


def _followup(ids: list[tuple[int, datetime]], boss: int) -> tuple[list, list, list]:
    measures, police, aftercare = [], [], []
    for incident_id, at in ids:
        day = at.date()
        if incident_id % 10 == 0:
            measures.append(
                {
                    "incident_id": incident_id,
                    "kind": "waarschuwingsbrief",
                    "decided_on": day,
                    "decided_by_id": boss,
                    "created_at": at,
                    "breaches": [],
                }
            )
        if incident_id % 10 == 1:
            police.append(
                {
                    "incident_id": incident_id,
                    "kind": "aangifte",
                    "on": day,
                    "recorded_by_id": boss,
                    "recorded_at": at,
                }
            )
        if incident_id % 5 == 2:
            aftercare.append(
                {
                    "incident_id": incident_id,
                    "step": "first_talk",
                    "from_on": day,
                    "due_at": at + timedelta(hours=10),
                    "remind_at": at,
                    "done_on": day,
                }
            )
    return measures, police, aftercare


def seed(db) -> None:
    rng = random.Random(17)
    with db.uow() as uow:
        seed_demo_municipality(uow.session)
    with db.uow() as uow:
        session = uow.session
        people = session.execute(
            select(User.id, User.team_id).where(User.team_id.is_not(None))
        ).all()
        boss = session.scalar(select(User.id).where(User.username == "lisa"))
        for start in range(0, INCIDENTS, CHUNK):
            rows = [_incident(n, people, rng) for n in range(start, min(start + CHUNK, INCIDENTS))]
            session.execute(insert(Incident), rows)
        ids = session.execute(select(Incident.id, Incident.occurred_at)).all()
        for model, rows in zip(
            (IncidentMeasure, PoliceRecord, AftercareRecord), _followup(ids, boss), strict=True
        ):
            session.execute(insert(model), rows)


def login(app, username: str):
    client = app.test_client()
    client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    return client


def timed(client, path: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        answer = client.get(path)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def main() -> None:
    instance, db, _ = new_instance()
    t0 = time.perf_counter()
    seed(db)
    seeded_s = time.perf_counter() - t0
    db.dispose()
    app = create_app({"INSTANCE_PATH": str(instance), "SWEEP_SECONDS": 0, "GC_POLICY": False})
    try:
        client, manager = login(app, "coordinator"), login(app, "lisa")
        quarter, year = "period=quarter&year=2026&number=3", "period=year&year=2026"
        results = {
            "incidents": INCIDENTS,
            "seed_s": round(seeded_s, 1),
            "quarter_report_ms": percentiles(timed(client, f"/api/reports?{quarter}", RUNS)),
            "year_report_ms": percentiles(timed(client, f"/api/reports?{year}", RUNS)),
            "quarter_pdf_ms": percentiles(timed(client, f"/api/reports.pdf?{quarter}", RUNS)),
            "year_pdf_ms": percentiles(timed(client, f"/api/reports.pdf?{year}", RUNS)),
            "manager_quarter_ms": percentiles(timed(manager, f"/api/reports?{quarter}", RUNS)),
            "quarter_incidents": client.get(f"/api/reports?{quarter}").get_json()["sections"][0][
                "tables"
            ][0]["rows"][0]["value"],
        }
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    save_results("reports", results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
