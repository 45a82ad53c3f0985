"""The reports over HTTP: who may ask, what a bad question gets, and a figure opened in the
register list."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest


def report_incident(client, *, behaviour: str, n: int) -> None:
    at = (datetime.now(UTC) - timedelta(days=2, hours=n)).isoformat()
    body = {
        "client_id": f"report-api-{behaviour}-{n}",
        "behaviour_type": behaviour,
        "kinds": ["verbaal"],
        "channel": "telefoon",
        "occurred_at": at,
        "description": "Schold me uit aan de telefoon.",
    }
    assert client.post("/api/incidents", json=body).status_code == 201


def figure(report: dict, table: str, row: str) -> dict:
    found = (t for s in report["sections"] for t in s["tables"] if t["key"] == table)
    return next(r for r in next(found)["rows"] if r["key"] == row)


def test_a_figure_opens_the_same_incidents_in_the_register(clients):
    for n in range(3):
        report_incident(clients["sanne"], behaviour="C", n=n)
    coordinator = clients["coordinator"]
    answer = coordinator.get("/api/reports?preset=last_12_months")
    assert answer.status_code == 200
    row = figure(answer.json, "behaviour", "C")
    assert row["value"] >= 3
    listed = coordinator.get("/api/incidents", query_string=row["drill"])
    assert listed.status_code == 200 and listed.json["total"] == row["value"]
    assert all(i["behaviour_type"] == "C" for i in listed.json["incidents"])
    lines = list(csv.reader(io.StringIO(coordinator.get(answer.json["downloads"]["csv"]).text)))
    assert [row["label"], str(row["value"])] in [line[2:4] for line in lines]


def test_a_manager_sees_their_scope_a_worker_none(clients):
    report_incident(clients["sanne"], behaviour="D", n=9)
    whole = clients["coordinator"].get("/api/reports?preset=last_12_months").json
    lisa = clients["lisa"].get("/api/reports?preset=last_12_months").json
    assert whole["scope"]["everything"] and not lisa["scope"]["everything"]
    assert len(lisa["options"]["teams"]) < len(whole["options"]["teams"])
    assert figure(lisa, "total", "all")["value"] <= figure(whole, "total", "all")["value"]
    assert clients["sanne"].get("/api/reports").status_code == 403
    assert clients["sanne"].get("/api/reports.csv").status_code == 403


def test_the_annual_count(clients):
    answer = clients["coordinator"].get("/api/reports/annual?year=2026")
    assert answer.status_code == 200
    assert {t["key"] for s in answer.json["sections"] for t in s["tables"]} >= {"total", "police"}
    download = clients["coordinator"].get(answer.json["downloads"]["csv"])
    assert (
        download.status_code == 200
        and "jaartelling-2026" in download.headers["Content-Disposition"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "period=quarter",
        "period=quarter&year=2026&number=5",
        "period=half_year&year=2026&number=3",
        "period=custom&from=2026-02-01&to=2026-01-01",
        "period=custom&from=2020-01-01&to=2026-01-01",
        "period=custom&from=2026-01-01",
        "period=year&year=1800",
        "team=999999",
        "department=999999",
        "function_group=piloot",
        "bogus=1",
    ],
)
def test_a_bad_question_is_a_clear_422(clients, query):
    answer = clients["coordinator"].get(f"/api/reports?{query}")
    assert answer.status_code == 422 and answer.json["error"]


def test_a_manager_cannot_ask_for_another_team(clients):
    whole = clients["coordinator"].get("/api/reports").json
    mine = {t["id"] for t in clients["lisa"].get("/api/reports").json["options"]["teams"]}
    other = next(t["id"] for t in whole["options"]["teams"] if t["id"] not in mine)
    assert clients["lisa"].get(f"/api/reports?team={other}").status_code == 422


@pytest.mark.parametrize(
    "query",
    [
        "figure=behaviour&value=Z",
        "figure=behaviour",
        "figure=nope&value=1",
        "figure=team&value=x",
        "figure=team&value=%C2%B2",  # "²": a digit to str.isdigit, not to int()
        "figure=department&value=1%C2%B2",
    ],
)
def test_a_bad_figure_in_the_register_list_is_a_422(clients, query):
    assert clients["coordinator"].get(f"/api/incidents?{query}").status_code == 422


def test_a_worker_cannot_open_a_figure_in_their_register_list(clients):
    """A figure filters by other people's reports (a repeat aggressor) and by the follow-up
    (police, measures, aftercare): a worker, who sees neither, learns nothing from it."""
    for n, who in enumerate(("sanne", "kim")):  # two teams report the same person
        body = {
            "client_id": f"report-api-repeat-{who}",
            "behaviour_type": "C",
            "kinds": ["verbaal"],
            "channel": "telefoon",
            "occurred_at": (datetime.now(UTC) - timedelta(days=3 - n)).isoformat(),
            "description": "Schold me uit aan de telefoon.",
            "aggressor": {"name": "Piet Herhaal"},
        }
        assert clients[who].post("/api/incidents", json=body).status_code == 201
    for query in ("figure=repeat&value=incidents", "figure=police&value=afgezien"):
        answer = clients["sanne"].get(f"/api/incidents?{query}")
        assert answer.status_code == 403 and answer.json["error"]
    assert clients["sanne"].get("/api/incidents").json["total"] >= 1  # her own list still is
    repeat = clients["lisa"].get("/api/incidents?figure=repeat&value=incidents")
    assert repeat.status_code == 200 and repeat.json["total"] >= 1
