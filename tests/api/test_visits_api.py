"""Visits and the register over HTTP: need-to-know, the lookup log, and bad input."""
import pytest

from tests.conftest import user_id


def first_checklist(client):
    return client.get("/api/checklists/for-me").get_json()["checklists"][0]


def visit_body(client, **changes):
    sheet = first_checklist(client)
    body = {"kind": "visit", "visit_type": "dienstverlenend", "address": "Lindelaan 21, Demodorp",
            "expected_minutes": 30, "checklist_id": sheet["id"],
            "answers": {q["id"]: "weet_niet" for q in sheet["questions"]}}
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
    visit = worker.post("/api/visits", json=visit_body(
        worker, address="Kerkstraat 7, Demodorp",
        answers={q["id"]: "nee" for q in first_checklist(worker)["questions"]})).get_json()
    assert worker.post(f"/api/visits/{visit['visit']['id']}/check-in", json={}).status_code == 200
    assert clients["kim"].get("/api/visits").get_json()["visits"] == []
    assert clients["kim"].post(f"/api/visits/{visit['visit']['id']}/check-out",
                               json={}).status_code == 404
    assert [v["id"] for v in clients["lisa"].get("/api/visits").get_json()["visits"]] == \
        [visit["visit"]["id"]]


@pytest.mark.parametrize("changes,field", [
    ({"expected_minutes": -30}, "expected_minutes"),        # ending in the past
    ({"expected_minutes": 0}, "expected_minutes"),
    ({"expected_minutes": 100000}, "expected_minutes"),     # absurd
    ({"buddy_id": 99999}, "buddy_id"),                      # unknown buddy
    ({"answers": {"history": "misschien"}}, "answers.history"),
    ({"answers": {"not_in_this_version": "ja"}}, "answers.not_in_this_version"),
    ({"kind": "picnic"}, "kind"),
    ({"address": "x"}, "address"),
])
def test_bad_visits_get_a_clear_4xx_and_store_nothing(clients, changes, field):
    worker = clients["sanne"]
    response = worker.post("/api/visits", json=visit_body(worker, **changes))
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert worker.get("/api/visits").get_json()["visits"] == []


def test_register_measures_need_sane_dates(clients):
    manager = clients["lisa"]
    entry = manager.post("/api/air", json={"address": "Stationsweg 1, Demodorp",
                                           "known_aggressive": True, "behaviour_type": "C"})
    entry_id = entry.get_json()["entry"]["id"]
    backwards = manager.post(f"/api/air/{entry_id}/measures", json={
        "kind": "pandverbod", "starts_on": "2026-12-01", "ends_on": "2026-11-01"})
    assert backwards.status_code == 422 and "ends_on" in backwards.get_json()["fields"]
    assert manager.post("/api/air", json={"remarks": "niemand"}).status_code == 422


def test_the_coordinator_publishes_a_new_checklist_version_and_old_answers_are_refused(clients):
    worker, coordinator = clients["sanne"], clients["coordinator"]
    old = first_checklist(worker)
    assert worker.put(f"/api/checklists/{old['key']}", json={}).status_code == 403
    current = {c["key"]: c for c in coordinator.get("/api/checklists").get_json()["checklists"]}
    questions = current[old["key"]]["questions"][:2] + [{
        "id": "parking", "text": "Kun je dichtbij de uitgang parkeren?", "help": None,
        "risk_answer": "nee", "points": 1, "advice": "Parkeer met de neus naar de uitgang.",
        "floor": None}]
    bad = coordinator.put(f"/api/checklists/{old['key']}",
                          json={"title": "x", "questions": [{"id": "Bad Id!"}]})
    assert bad.status_code == 422 and "questions.0.id" in bad.get_json()["fields"]
    published = coordinator.put(f"/api/checklists/{old['key']}",
                                json={"title": old["title"], "questions": questions})
    assert published.status_code == 201 and published.get_json()["version"] == 2
    new = first_checklist(worker)
    assert new["version"] == 2 and [q["id"] for q in new["questions"]][-1] == "parking"
    stale = worker.post("/api/visits", json=visit_body(worker, checklist_id=old["id"],
                                                       address="Kerkstraat 7, Demodorp"))
    assert stale.status_code == 422 and stale.get_json()["fields"] == {"checklist_id": "oude versie"}
