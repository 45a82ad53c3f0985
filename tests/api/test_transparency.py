"""A worker's own "wie zag mijn locatie" list, the reads of positions it rests on, and the
privacy page with the retention periods as configured."""

import uuid

import pytest
from sqlalchemy import func, select

from app import create_app
from services.audit.models import AuditEntry
from services.clock import FakeClock
from services.demo import DEMO_DURESS_PIN
from tests.api.test_visits_api import low_risk, visit_body
from tests.conftest import app_config, login, runtime_of

HERE = {"lat": 52.0907, "lon": 5.1214, "accuracy": 20}


def raise_alarm(client) -> int:
    body = {"client_id": str(uuid.uuid4()), "position": HERE}
    answer = client.post("/api/alarms", json=body)
    assert answer.status_code == 201
    return answer.get_json()["alarm"]["id"]


def position_reads(app, alarm_id: int) -> int:
    with runtime_of(app).db.reader() as uow:
        return uow.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.subject == "alarm", AuditEntry.subject_id == alarm_id)
        )


def views_of(client, kind: str, item_id: int) -> list[tuple[str, str, str]]:
    """(name, role, what) of everyone listed with one of my alarms or visits."""
    items = client.get("/api/me/position-views").get_json()["items"]
    (item,) = [i for i in items if (i["kind"], i["id"]) == (kind, item_id)]
    return [(v["person"]["name"], v["role"], v["what"]) for v in item["views"]]


def test_the_worker_sees_who_her_alarm_sent_her_position_to(clients):
    alarm_id = raise_alarm(clients["sanne"])
    clients["lisa"].post(
        f"/api/alarms/{alarm_id}/receipts", json={"state": "seen", "channel": "push"}
    )
    clients["lisa"].post(f"/api/alarms/{alarm_id}/acknowledge", json={"response": "coming"})
    views = views_of(clients["sanne"], "alarm", alarm_id)
    assert views[0] == ("Lisa de Vries", "leidinggevende", "alerted")
    assert {("Lisa de Vries", "leidinggevende", w) for w in ("seen", "acknowledged")} <= set(views)
    # Not alerted at the first step, but the acknowledgement reached her live, position and all.
    assert ("Ingrid Smit", "coordinator", "followed") in views
    assert all(name != "Sanne Jansen" for name, _, _ in views)


def test_an_overseers_read_is_written_once_and_an_alerted_colleagues_not_at_all(app, clients):
    alarm_id = raise_alarm(clients["sanne"])
    for path in (f"/api/alarms/{alarm_id}", "/api/alarms"):
        assert clients["lisa"].get(path).status_code == 200  # alerted: the alert is the record
        assert clients["sanne"].get(path).status_code == 200  # her own view has no position
    assert position_reads(app, alarm_id) == 0

    seen = clients["coordinator"].get(f"/api/alarms/{alarm_id}").get_json()["alarm"]
    assert seen["position"]["accuracy"] == 20
    assert position_reads(app, alarm_id) == 1
    assert ("Ingrid Smit", "coordinator", "read") in views_of(clients["sanne"], "alarm", alarm_id)
    clients["coordinator"].get("/api/alarms")
    assert position_reads(app, alarm_id) == 2


def test_nobody_sees_another_workers_list(clients):
    alarm_id = raise_alarm(clients["sanne"])
    clients["coordinator"].get(f"/api/alarms/{alarm_id}")
    for other in ("mohammed", "lisa", "coordinator"):
        items = clients[other].get("/api/me/position-views").get_json()["items"]
        assert all(i["id"] != alarm_id or i["kind"] != "alarm" for i in items), other


def test_after_a_duress_pin_the_list_shows_nothing_that_tells_the_alarm_goes_on(clients):
    worker = clients["sanne"]
    alarm_id = raise_alarm(worker)
    cancelled = worker.post(f"/api/alarms/{alarm_id}/cancel", json={"pin": DEMO_DURESS_PIN})
    assert cancelled.status_code == 200
    clients["coordinator"].get(f"/api/alarms/{alarm_id}")
    clients["lisa"].post(f"/api/alarms/{alarm_id}/acknowledge", json={"response": "coming"})
    assert {what for _, _, what in views_of(worker, "alarm", alarm_id)} == {"alerted"}


def test_a_check_in_position_is_shown_to_nobody(app, clients):
    worker = clients["sanne"]
    body = visit_body(worker, address="Kerkstraat 7, Demodorp", answers=low_risk(worker))
    visit_id = worker.post("/api/visits", json=body).get_json()["visit"]["id"]
    checked_in = worker.post(f"/api/visits/{visit_id}/check-in", json={"position": HERE})
    assert checked_in.status_code == 200
    (seen,) = [v for v in clients["lisa"].get("/api/visits").get_json()["visits"]]
    assert seen["id"] == visit_id and "lat" not in str(seen)
    assert views_of(worker, "visit", visit_id) == []


@pytest.fixture
def clocked(instance, db_url, backend):
    """An app on a fake clock, with the positions kept 14 days and incidents 5 years."""
    clock = FakeClock()
    retention = {"positions": 14, "incidents": 5 * 365}
    app = create_app(app_config(instance, db_url, backend, CLOCK=clock, RETENTION=retention))
    yield app, clock
    runtime_of(app).close()


def kept(client, key: str, lang: str = "nl") -> dict:
    answer = client.get("/api/privacy", headers={"Accept-Language": lang}).get_json()
    (found,) = [p for p in answer["processings"] if p["key"] == key]
    return found["kept"]


def test_the_privacy_page_says_the_periods_as_configured(clients, clocked):
    assert kept(clients["sanne"], "alarm_position") == {  # the documented default
        "days": 30,
        "text": "30 dagen na het afsluiten van het alarm.",
    }
    app, _ = clocked
    worker = app.test_client()
    login(worker, "sanne")
    assert kept(worker, "alarm_position")["text"] == "14 dagen na het afsluiten van het alarm."
    assert kept(worker, "alarm_position", "en")["text"] == "14 days after the alarm was closed."
    assert kept(worker, "incidents")["text"].startswith("5 jaar na het afsluiten van de melding")
    assert kept(worker, "account")["days"] is None  # kept while employed: no period of its own


def test_the_list_covers_the_period_positions_are_kept(clocked):
    app, clock = clocked
    worker, manager = app.test_client(), app.test_client()
    login(worker, "sanne")
    login(manager, "lisa")
    alarm_id = raise_alarm(worker)
    resolved = manager.post(f"/api/alarms/{alarm_id}/resolve", json={"outcome": "false_alarm"})
    assert resolved.status_code == 200

    def listed():
        return [i["id"] for i in worker.get("/api/me/position-views").get_json()["items"]]

    clock.advance(days=14)
    assert listed() == [alarm_id]
    clock.advance(seconds=1)
    assert listed() == []
