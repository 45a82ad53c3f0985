"""Visits and the register over HTTP: need-to-know, the lookup log, and bad input."""

from datetime import timedelta

import pytest

from services.checklists.defaults import DEFAULT_CHECKLISTS
from services.clock import FakeClock
from services.visits.overdue import escalate_overdue_visits
from tests.conftest import runtime_of, user_id


def first_checklist(client):
    return client.get("/api/checklists/for-me").get_json()["checklists"][0]


def visit_body(client, **changes):
    sheet = first_checklist(client)
    body = {
        "kind": "visit",
        "visit_type": "dienstverlenend",
        "address": "Lindelaan 21, Demodorp",
        "expected_minutes": 30,
        "checklist_id": sheet["id"],
        "answers": {q["id"]: "weet_niet" for q in sheet["questions"]},
    }
    return {**body, **changes}


def test_a_worker_gets_the_flag_and_advice_but_no_register_details(clients):
    worker = clients["sanne"]
    visit = worker.post("/api/visits", json=visit_body(worker)).get_json()["visit"]
    assert visit["risk_level"] == "niet_gaan" and visit["air"]["no_contact"] is True
    assert "J. de Wit" not in str(visit) and "Sloeg" not in str(visit)
    assert worker.get("/api/air").status_code == 403
    refused = worker.post(f"/api/visits/{visit['id']}/check-in", json={})
    assert refused.status_code == 409 and "leidinggevende" in refused.get_json()["error"]
    details = clients["lisa"].get("/api/air").get_json()["entries"]
    assert any(e["name"] == "J. de Wit" and e["measures"][0]["active"] for e in details)


def test_every_lookup_is_logged_and_only_the_coordinator_reads_the_log(clients, app):
    worker = clients["sanne"]
    worker.post("/api/visits", json=visit_body(worker, address="Kerkstraat 7, Demodorp"))
    clients["lisa"].get("/api/air")
    assert clients["lisa"].get("/api/air/lookups").status_code == 403
    log = clients["coordinator"].get("/api/air/lookups").get_json()["lookups"]
    sanne, lisa = user_id(app, "sanne"), user_id(app, "lisa")
    assert [x["purpose"] for x in log if x["user_id"] == lisa] == ["register bekeken"]
    (mine,) = [x for x in log if x["user_id"] == sanne]
    assert mine["query"]["address"] == "Kerkstraat 7, Demodorp" and mine["matched_ids"] == []


def test_another_teams_visits_are_not_visible(clients):
    worker = clients["sanne"]
    visit = worker.post(
        "/api/visits",
        json=visit_body(worker, address="Kerkstraat 7, Demodorp", answers=low_risk(worker)),
    ).get_json()
    assert worker.post(f"/api/visits/{visit['visit']['id']}/check-in", json={}).status_code == 200
    assert clients["kim"].get("/api/visits").get_json()["visits"] == []
    assert (
        clients["kim"].post(f"/api/visits/{visit['visit']['id']}/check-out", json={}).status_code
        == 404
    )
    assert [v["id"] for v in clients["lisa"].get("/api/visits").get_json()["visits"]] == [
        visit["visit"]["id"]
    ]


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"expected_minutes": -30}, "expected_minutes"),  # ending in the past
        ({"expected_minutes": 0}, "expected_minutes"),
        ({"expected_minutes": 100000}, "expected_minutes"),  # absurd
        ({"buddy_id": 99999}, "buddy_id"),  # unknown buddy
        ({"answers": {"history": "misschien"}}, "answers.history"),
        ({"answers": {"not_in_this_version": "ja"}}, "answers.not_in_this_version"),
        ({"kind": "picnic"}, "kind"),
        ({"address": "x"}, "address"),
    ],
)
def test_bad_visits_get_a_clear_4xx_and_store_nothing(clients, changes, field):
    worker = clients["sanne"]
    response = worker.post("/api/visits", json=visit_body(worker, **changes))
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert worker.get("/api/visits").get_json()["visits"] == []


def test_register_measures_need_sane_dates(clients):
    manager = clients["lisa"]
    entry = manager.post(
        "/api/air",
        json={
            "address": "Stationsweg 1, Demodorp",
            "known_aggressive": True,
            "behaviour_type": "C",
        },
    )
    entry_id = entry.get_json()["entry"]["id"]
    backwards = manager.post(
        f"/api/air/{entry_id}/measures",
        json={"kind": "pandverbod", "starts_on": "2026-12-01", "ends_on": "2026-11-01"},
    )
    assert backwards.status_code == 422 and "ends_on" in backwards.get_json()["fields"]
    assert manager.post("/api/air", json={"remarks": "niemand"}).status_code == 422


def test_the_coordinator_publishes_a_new_checklist_version_and_old_answers_are_refused(clients):
    worker, coordinator = clients["sanne"], clients["coordinator"]
    old = first_checklist(worker)
    assert worker.put(f"/api/checklists/{old['key']}", json={}).status_code == 403
    current = {c["key"]: c for c in coordinator.get("/api/checklists").get_json()["checklists"]}
    parking = {
        "id": "parking",
        "text": "Kun je dichtbij de uitgang parkeren?",
        "help": None,
        "risk_answer": "nee",
        "points": 1,
        "advice": "Parkeer met de neus naar de uitgang.",
        "floor": None,
    }
    questions = [*current[old["key"]]["questions"][:2], parking]
    bad = coordinator.put(
        f"/api/checklists/{old['key']}", json={"title": "x", "questions": [{"id": "Bad Id!"}]}
    )
    assert bad.status_code == 422 and "questions.0.id" in bad.get_json()["fields"]
    published = coordinator.put(
        f"/api/checklists/{old['key']}", json={"title": old["title"], "questions": questions}
    )
    assert published.status_code == 201 and published.get_json()["version"] == 2
    new = first_checklist(worker)
    assert new["version"] == 2 and [q["id"] for q in new["questions"]][-1] == "parking"
    stale = worker.post(
        "/api/visits",
        json=visit_body(worker, checklist_id=old["id"], address="Kerkstraat 7, Demodorp"),
    )
    assert stale.status_code == 422 and stale.get_json()["fields"] == {
        "checklist_id": "oude versie"
    }


# ---- permission, going alone, answers and the PIN over HTTP -------------------------------


def plan_at(client, address, **changes):
    response = client.post("/api/visits", json=visit_body(client, address=address, **changes))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["visit"]


def low_risk(client):
    """The answers that signal no risk on the client's first checklist: a laag visit."""
    sheet = first_checklist(client)
    (spec,) = [c for c in DEFAULT_CHECKLISTS if c["key"] == sheet["key"]]
    return {q["id"]: "nee" if q["risk_answer"] == "ja" else "ja" for q in spec["questions"]}


def test_a_refused_check_in_answers_409_with_the_visit_and_the_way_to_ask(clients):
    worker = clients["sanne"]
    visit = plan_at(worker, "Lindelaan 21, Demodorp")
    refused = worker.post(f"/api/visits/{visit['id']}/check-in", json={})
    body = refused.get_json()
    assert refused.status_code == 409 and "Vraag toestemming" in body["error"]
    assert body["visit"]["can"] == {"check_in": False, "request_permission": True}
    assert (
        worker.post(
            f"/api/visits/{visit['id']}/check-in", json={"alone_confirmed": "ja"}
        ).status_code
        == 422
    )


def test_the_permission_request_and_decision_routes(clients, app):
    worker, manager = clients["sanne"], clients["lisa"]
    visit = plan_at(worker, "Lindelaan 21, Demodorp")
    url = f"/api/visits/{visit['id']}"
    for bad in ({}, {"reason": "kort"}, {"reason": "x" * 501}, {"reason": 12}):
        assert worker.post(f"{url}/override-request", json=bad).status_code == 422
    assert (
        clients["kim"]
        .post(f"{url}/override-request", json={"reason": "Ik wil er toch heen"})
        .status_code
        == 404
    )
    assert manager.get("/api/visits/override-requests").get_json() == {"requests": []}
    asked = worker.post(f"{url}/override-request", json={"reason": "Kinderen in huis: zorg"})
    assert asked.status_code == 200
    assert asked.get_json()["visit"]["permission"]["state"] == "requested"

    assert worker.get("/api/visits/override-requests").status_code == 403
    assert clients["peter"].get("/api/visits/override-requests").get_json()["requests"] == []
    (request,) = manager.get("/api/visits/override-requests").get_json()["requests"]
    assert set(request) == {"visit", "requested_at", "requested_by", "reason", "register_reason"}
    assert request["requested_by"] == {"id": user_id(app, "sanne"), "name": "Sanne Jansen"}
    assert request["reason"] == "Kinderen in huis: zorg" and request["register_reason"]
    log = clients["coordinator"].get("/api/air/lookups").get_json()["lookups"]
    assert [x["purpose"] for x in log if x["user_id"] == user_id(app, "lisa")] == [
        "toestemming beoordelen"
    ]

    decision = {"approve": True, "reason": "Met de wijkagent, afgestemd"}
    assert worker.post(f"{url}/override", json=decision).status_code == 403
    assert clients["peter"].post(f"{url}/override", json=decision).status_code == 404
    for bad in (
        {"reason": "Met de wijkagent"},
        {"approve": True, "reason": "kort"},
        {"approve": "ja", "reason": "Met de wijkagent"},
    ):
        assert manager.post(f"{url}/override", json=bad).status_code == 422
    decided = manager.post(f"{url}/override", json=decision)
    assert decided.status_code == 200
    assert decided.get_json()["visit"]["permission"]["decided_by"]["name"] == "Lisa de Vries"
    assert manager.get("/api/visits/override-requests").get_json()["requests"] == []
    checked_in = worker.post(f"{url}/check-in", json={"alone_confirmed": True})
    assert checked_in.status_code == 200 and checked_in.get_json()["visit"]["state"] == "active"
    assert checked_in.get_json()["visit"]["alone_label"] == "Alleen ingecheckt, bevestigd"


def test_checking_in_alone_on_hoog_asks_for_the_confirmation(clients):
    worker = clients["sanne"]
    visit = plan_at(worker, "Molenweg 3, Demodorp", answers=low_risk(worker))
    assert visit["risk_level"] == "hoog" and visit["alone_needs_confirmation"]
    alone = worker.post(f"/api/visits/{visit['id']}/check-in", json={})
    assert alone.status_code == 409 and "alone_confirmed" in alone.get_json()["fields"]
    confirmed = worker.post(f"/api/visits/{visit['id']}/check-in", json={"alone_confirmed": True})
    assert confirmed.status_code == 200
    (seen,) = clients["lisa"].get("/api/visits").get_json()["visits"]
    assert seen["alone_label"] == "Alleen ingecheckt, bevestigd"


def test_alles_goed_takes_the_pin_on_a_hoog_visit(clients):
    worker = clients["sanne"]
    visit = plan_at(worker, "Molenweg 3, Demodorp", answers=low_risk(worker))
    url = f"/api/visits/{visit['id']}"
    worker.post(f"{url}/check-in", json={"alone_confirmed": True})
    assert worker.post(f"{url}/ok", json={}).get_json()["fields"] == {"pin": "verplicht"}
    wrong = worker.post(f"{url}/ok", json={"pin": "0000"})
    assert wrong.status_code == 422 and wrong.get_json()["fields"] == {"pin": "onjuist"}
    for bad in ({"pin": "12"}, {"pin": 1234}, {"pin": "12ab"}):
        assert worker.post(f"{url}/ok", json=bad).status_code == 422
    assert worker.post(f"{url}/ok", json={"pin": "4826"}).status_code == 200
    assert clients["lisa"].get("/api/alarms").get_json()["alarms"] == []


def test_responders_answer_an_overdue_visit(clients, app):
    worker = clients["sanne"]
    visit = plan_at(worker, "Kerkstraat 7, Demodorp", answers=low_risk(worker), expected_minutes=5)
    url = f"/api/visits/{visit['id']}/respond"
    worker.post(f"/api/visits/{visit['id']}/check-in", json={})
    assert clients["anouk"].post(url, json={"response": "checking"}).status_code == 404
    assert clients["lisa"].post(url, json={"response": "calling"}).status_code == 409
    rt = runtime_of(app)
    later = FakeClock(rt.clock.now() + timedelta(hours=1))
    escalate_overdue_visits(rt.db, later, rt.events, rt.visit_minute)  # "Alles goed?"
    escalate_overdue_visits(rt.db, later, rt.events, rt.visit_minute)  # the team alerted
    for bad in ({}, {"response": "coming"}, {"response": "checking", "extra": 1}):
        assert clients["anouk"].post(url, json=bad).status_code == 422
    assert clients["kim"].post(url, json={"response": "checking"}).status_code == 404
    answered = clients["anouk"].post(url, json={"response": "checking"})
    assert answered.status_code == 200
    (seen,) = clients["lisa"].get("/api/visits").get_json()["visits"]
    assert [r["response_label"] for r in seen["responses"]] == ["gaat kijken"]
