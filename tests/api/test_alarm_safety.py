"""What an alarm carries to responders, what the worker's phone is told, PIN attempts, one
report per alarm, and a raise when the database is busy — over HTTP."""

import json
import re
import time
import uuid
from datetime import UTC, datetime

from tests.api.test_visits_api import first_checklist, visit_body
from tests.conftest import ON_POSTGRES, write_lock_held


def raise_body(**changes):
    return {"client_id": str(uuid.uuid4()), **changes}


def raise_alarm(client, **changes) -> dict:
    response = client.post("/api/alarms", json=raise_body(**changes))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["alarm"]


def checked_in_visit(worker, **changes) -> dict:
    answers = {q["id"]: "nee" for q in first_checklist(worker)["questions"]}
    visit = worker.post(
        "/api/visits",
        json=visit_body(worker, address="Esdoornlaan 12, Demodorp", answers=answers, **changes),
    ).get_json()
    visit_id = visit["visit"]["id"]
    checked_in = worker.post(
        f"/api/visits/{visit_id}/check-in", json={"alone_confirmed": True}
    )  # hoog, alone: confirmed
    assert checked_in.status_code == 200
    return visit["visit"]


def events_of(client, kind):
    return [
        e for e in client.get("/api/events?limit=500").get_json()["events"] if e["type"] == kind
    ]


def test_an_alarm_during_a_visit_carries_the_place_but_never_the_client_reference(clients):
    worker, manager = clients["sanne"], clients["lisa"]
    checked_in_visit(worker, floor_room="2e etage, woning 3B", client_ref="K-7731")
    raised = raise_alarm(worker, position={"lat": 52.0907, "lon": 5.1214, "accuracy": 15})

    alarm = manager.get(f"/api/alarms/{raised['id']}").get_json()["alarm"]
    assert alarm["visit"]["address"] == "Esdoornlaan 12, Demodorp"
    assert alarm["visit"]["floor_room"] == "2e etage, woning 3B"
    assert alarm["visit"]["kind_label"] == "Huisbezoek of bedrijfsbezoek"
    assert alarm["place"] == "Esdoornlaan 12, Demodorp, 2e etage, woning 3B"
    assert [(link["kind"], link["geo"]) for link in alarm["navigation"]] == [
        ("position", "geo:52.090700,5.121400?q=52.090700,5.121400"),
        ("address", "geo:0,0?q=Esdoornlaan%2012%2C%20Demodorp"),
    ]
    assert all(
        link["map"].startswith("https://www.openstreetmap.org/") for link in alarm["navigation"]
    )
    (pushed,) = [
        e for e in events_of(manager, "alarm.raised") if e["data"]["alarm"]["id"] == raised["id"]
    ]
    assert pushed["body"] == "Esdoornlaan 12, Demodorp, 2e etage, woning 3B"  # the notification
    assert "K-7731" not in json.dumps(alarm) + json.dumps(pushed)

    timeline = clients["coordinator"].get(f"/api/alarms/{raised['id']}").get_json()["timeline"]
    assert timeline[0]["label"] == (
        "Alarm gemaakt door Sanne Jansen — Esdoornlaan 12, Demodorp, 2e etage, woning 3B"
    )


def test_responders_are_told_why_there_is_no_position(clients):
    worker, manager = clients["mohammed"], clients["lisa"]
    alarm = raise_alarm(worker, position_missing="pending")
    seen = manager.get(f"/api/alarms/{alarm['id']}").get_json()["alarm"]
    assert (seen["position"], seen["position_status"]) == (None, "pending")
    assert seen["place"] == "Locatie onbekend. Bel de medewerker." and seen["navigation"] == []

    assert (
        worker.post(
            f"/api/alarms/{alarm['id']}/position-missing", json={"reason": "denied"}
        ).status_code
        == 204
    )
    seen = manager.get(f"/api/alarms/{alarm['id']}").get_json()["alarm"]
    assert seen["position_status"] == "denied"
    assert "toestemming" in seen["position_status_label"]
    updates = [
        e for e in events_of(manager, "alarm.updated") if e["data"]["alarm"]["id"] == alarm["id"]
    ]
    assert updates[-1]["data"]["alarm"]["position_status"] == "denied"  # told live

    assert (
        worker.post(
            f"/api/alarms/{alarm['id']}/positions", json={"lat": 52.1, "lon": 5.1, "accuracy": 30}
        ).status_code
        == 204
    )
    seen = manager.get(f"/api/alarms/{alarm['id']}").get_json()["alarm"]
    assert (seen["position_status"], seen["position"]["accuracy"]) == ("shared", 30)
    assert (
        manager.post(
            f"/api/alarms/{alarm['id']}/position-missing", json={"reason": "denied"}
        ).status_code
        == 403
    )  # only the worker's phone
    both = worker.post(
        "/api/alarms",
        json=raise_body(
            position={"lat": 52.1, "lon": 5.1, "accuracy": 30}, position_missing="denied"
        ),
    )
    assert both.status_code == 422


def cancel(client, alarm_id, pin):
    return client.post(f"/api/alarms/{alarm_id}/cancel", json={"pin": pin})


def test_three_wrong_pins_lock_cancelling_and_responders_are_alerted(clients):
    worker, manager = clients["anouk"], clients["lisa"]
    alarm = raise_alarm(worker)
    answers = [cancel(worker, alarm["id"], "0000") for _ in range(3)]
    assert [a.status_code for a in answers] == [422, 422, 429]
    assert [a.get_json()["error"] for a in answers[:2]] == [
        "Onjuiste pincode. Nog 2 pogingen.",
        "Onjuiste pincode. Nog 1 poging.",
    ]
    assert "kan niet meer" in answers[2].get_json()["error"]
    assert cancel(worker, alarm["id"], "4826").status_code == 429  # the right PIN too, now

    seen = manager.get(f"/api/alarms/{alarm['id']}").get_json()["alarm"]
    assert (seen["state"], seen["pin_failures"], seen["pin_locked"]) == ("open", 3, True)
    warnings = [
        e for e in events_of(manager, "alarm.updated") if e["data"]["alarm"]["id"] == alarm["id"]
    ]
    assert [e["data"]["alarm"]["pin_failures"] for e in warnings] == [1, 2, 3]
    assert [e["urgent"] for e in warnings] == [False, False, True]
    assert (
        warnings[-1]["title"] == "Let op: iemand probeert het alarm van Anouk Visser in te trekken"
    )
    timeline = manager.get(f"/api/alarms/{alarm['id']}").get_json()["timeline"]
    assert [e["label"] for e in timeline if e["kind"].startswith("pin_")] == [
        "Onjuiste pincode ingevoerd (1 van 3)",
        "Onjuiste pincode ingevoerd (2 van 3)",
        "Onjuiste pincode ingevoerd (3 van 3)",
        "Intrekken met pincode geblokkeerd na 3 onjuiste pincodes: mogelijk probeert iemand "
        "anders het alarm in te trekken",
    ]

    # a duress PIN after the lock: the same answer to the phone, and responders learn of it
    assert cancel(worker, alarm["id"], "7391").status_code == 429
    assert (
        manager.get(f"/api/alarms/{alarm['id']}").get_json()["timeline"][-1]["kind"]
        == "duress_after_lock"
    )
    assert (
        manager.post(
            f"/api/alarms/{alarm['id']}/resolve", json={"outcome": "police_called"}
        ).status_code
        == 200
    )


FOLLOW_UPS = (  # what a phone (or someone holding it) might send after withdrawing
    ("GET", "/api/alarms", None),
    ("GET", "/api/alarms/{id}", None),
    ("POST", "/api/alarms/{id}/positions", {"lat": 52.1, "lon": 5.1, "accuracy": 9}),
    ("POST", "/api/alarms/{id}/position-missing", {"reason": "unavailable"}),
    ("POST", "/api/alarms/{id}/cancel", {"pin": "4826"}),
    ("POST", "/api/alarms/{id}/cancel", {"pin": "7391"}),
    ("POST", "/api/alarms/{id}/acknowledge", {"response": "coming"}),
    ("POST", "/api/alarms/{id}/resolve", {"outcome": "false_alarm"}),
    ("POST", "/api/alarms/{id}/receipts", {"state": "seen", "channel": "websocket"}),
    ("POST", "/api/alarms/{id}/cancel", {"pin": "0000"}),
    ("POST", "/api/alarms/{id}/cancel", {"pin": "0000"}),
    ("POST", "/api/alarms/{id}/cancel", {"pin": "0000"}),
    ("POST", "/api/alarms/{id}/cancel", {"pin": "4826"}),
    ("GET", "/api/alarms/{id}", None),
)
TIMES = re.compile(r'"\d{4}-\d\d-\d\dT[^"]+"')


def answers_after_withdrawal(client, alarm) -> list[tuple[int, str]]:
    """Every follow-up's status and body, with this alarm's own id, client id and the times
    made neutral (two alarms never share them)."""
    answers = []
    for method, path, body in FOLLOW_UPS:
        response = client.open(path.format(id=alarm["id"]), method=method, json=body)
        text = response.get_data(as_text=True)
        text = text.replace(alarm["client_id"], "CLIENT").replace(f'"id": {alarm["id"]}', "ID")
        text = text.replace(f'"id":{alarm["id"]}', "ID")
        answers.append((response.status_code, TIMES.sub('"TIME"', text)))
    return answers


def test_after_a_duress_pin_the_phone_is_answered_byte_for_byte_as_after_a_cancel(clients):
    worker, manager = clients["sanne"], clients["lisa"]
    real = raise_alarm(worker)
    assert cancel(worker, real["id"], "4826").status_code == 200
    after_cancel = answers_after_withdrawal(worker, real)

    duress = raise_alarm(worker)
    assert cancel(worker, duress["id"], "7391").status_code == 200
    after_duress = answers_after_withdrawal(worker, duress)

    assert after_duress == after_cancel
    assert [status for status, _ in after_cancel] == [
        200,
        200,
        204,
        204,
        200,
        200,
        403,
        403,
        403,
        422,
        422,
        429,
        429,
        200,
    ]
    truth = manager.get(f"/api/alarms/{duress['id']}").get_json()["alarm"]
    assert truth["state"] == "open" and truth["duress"] is True
    assert truth["position"]["accuracy"] == 9  # the phone's position still reaches responders
    closed = manager.get(f"/api/alarms/{real['id']}").get_json()["alarm"]
    assert closed["state"] == "cancelled" and closed["position"] is None  # dropped: it is over


def report(client, alarm_id, client_id=None):
    return client.post(
        "/api/incidents",
        json={
            "client_id": client_id or str(uuid.uuid4()),
            "behaviour_type": "D",
            "kinds": ["intimidatie"],
            "channel": "huisbezoek",
            "location": "Esdoornlaan 12",
            "occurred_at": datetime.now(UTC).isoformat(),
            "description": "Dreigde",
            "alarm_id": alarm_id,
        },
    )


def test_one_report_per_alarm_and_the_alarm_says_which_it_is(clients):
    worker = clients["kim"]
    alarm = raise_alarm(worker)
    assert worker.get(f"/api/alarms/{alarm['id']}").get_json()["report"] is None
    first_id = str(uuid.uuid4())
    first = report(worker, alarm["id"], first_id)
    assert first.status_code == 201, first.get_json()
    number = first.get_json()["incident"]["number"]
    assert report(worker, alarm["id"], first_id).status_code == 200  # a retry of the same one
    second = report(worker, alarm["id"])
    assert second.status_code == 409
    assert second.get_json()["error"] == f"Voor dit alarm heb je al een melding gemaakt: {number}."
    assert second.get_json()["fields"] == {"alarm_id": f"al gemeld: {number}"}
    assert worker.get(f"/api/alarms/{alarm['id']}").get_json()["report"] == {
        "id": first.get_json()["incident"]["id"],
        "number": number,
    }
    assert "report" not in clients["peter"].get(f"/api/alarms/{alarm['id']}").get_json()


def test_the_readiness_of_a_phone_that_got_its_test_alarm_changes_live(clients, app):
    raise_alarm(clients["sanne"], test=True)
    (test_alarm,) = clients["lisa"].get("/api/alarms").get_json()["alarms"]
    pending = {
        p["user"]["name"]: p
        for p in clients["lisa"].get("/api/alarm-readiness").get_json()["people"]
    }
    assert pending["Mohammed El Amrani"]["status"] == "pending"
    assert pending["Mohammed El Amrani"]["recheck_at"]
    assert (
        clients["mohammed"]
        .post(
            f"/api/alarms/{test_alarm['id']}/receipts",
            json={"state": "delivered", "channel": "push"},
        )
        .status_code
        == 204
    )
    assert (
        clients["mohammed"]
        .post(
            f"/api/alarms/{test_alarm['id']}/receipts",
            json={"state": "seen", "channel": "websocket"},
        )
        .status_code
        == 204
    )
    changed = events_of(clients["lisa"], "readiness.changed")
    assert [e["data"]["user_id"] for e in changed] == [
        clients["mohammed"].get("/api/me").get_json()["id"]
    ]  # once, at the first receipt
    assert events_of(clients["kim"], "readiness.changed") == []  # another team's worker
    ok = {
        p["user"]["name"]: p
        for p in clients["lisa"].get("/api/alarm-readiness").get_json()["people"]
    }
    assert ok["Mohammed El Amrani"]["status"] == "ok"


def test_a_raise_the_database_cannot_take_in_time_is_503_and_its_retry_stores_it_once(
    clients, db_url
):
    worker, body = clients["yara"], raise_body()
    with write_lock_held(db_url):
        started = time.monotonic()
        busy = worker.post("/api/alarms", json=body)
        took = time.monotonic() - started
    assert busy.status_code == 503 and 1.5 < took < 3.0, (busy.status_code, took)
    assert busy.headers["Retry-After"] == "2" and "112" in busy.get_json()["error"]
    assert worker.post("/api/alarms", json=body).status_code == 201
    assert worker.post("/api/alarms", json=body).status_code == 200
    assert len(clients["peter"].get("/api/alarms").get_json()["alarms"]) == 1


def test_overseers_follow_the_alarm_live_but_a_manager_never_learns_of_her_own_duress(clients):
    """The coordinator sees every open alarm in her list before she is alerted (step 2), so
    she gets its updates too; a manager who raises one herself is never among the overseers."""
    worker, manager, coordinator = clients["mohammed"], clients["lisa"], clients["coordinator"]
    alarm = raise_alarm(worker)
    assert (
        manager.post(
            f"/api/alarms/{alarm['id']}/acknowledge", json={"response": "coming"}
        ).status_code
        == 200
    )
    updates = [
        e["data"]["alarm"]
        for e in events_of(coordinator, "alarm.updated")
        if e["data"]["alarm"]["id"] == alarm["id"]
    ]
    assert updates and updates[-1]["acknowledgements"][0]["user"]["name"] == "Lisa de Vries"

    own = raise_alarm(manager)
    assert cancel(manager, own["id"], "7391").status_code == 200
    told = [
        e
        for e in manager.get("/api/events?limit=500").get_json()["events"]
        if (e["data"].get("alarm") or {}).get("id") == own["id"]
        or e["data"].get("alarm_id") == own["id"]
    ]
    assert told and all(e["data"]["alarm"]["state"] in ("open", "cancelled") for e in told)
    assert not any("duress" in e["data"]["alarm"] or "DWANG" in e["title"] for e in told)
    assert [
        e["data"]["alarm"]["duress"]
        for e in events_of(coordinator, "alarm.updated")
        if e["data"]["alarm"]["id"] == own["id"]
    ] == [True]


def test_the_alarm_is_committed_to_disk_before_its_first_frame_is_written(clients, app):
    """Persist, then publish: when the hub hands the alarm to a responder's socket, another
    connection already reads it (committed), and every commit is synced (power-loss safe)."""
    from sqlalchemy import select, text

    from app.runtime import runtime
    from services.accounts.models import User
    from services.alarms.models import Alarm

    seen_at_delivery = []

    class Responders:  # stands where the websockets are (app/live.py writes the frame here)
        user_id = 0

        def __init__(self, keys):
            self.keys = keys

        def deliver(self, envelope):
            if envelope.message["type"] == "alarm.raised":
                alarm_id = envelope.message["data"]["alarm"]["id"]
                with rt.db.reader() as uow:  # a connection of its own: sees committed rows only
                    seen_at_delivery.append(uow.session.get(Alarm, alarm_id) is not None)

        def restart(self):
            pass

    with app.app_context():
        rt = runtime()
        with rt.db.reader() as uow:
            everyone = frozenset(f"user:{uid}" for uid in uow.session.scalars(select(User.id)))
            if not ON_POSTGRES:  # PostgreSQL's commit is durable by default (synchronous_commit)
                synchronous = uow.session.execute(text("PRAGMA synchronous")).scalar()
                assert synchronous == 2  # FULL: the WAL is fsynced at every commit
        rt.hub.subscribe(Responders(everyone))
    alarm = raise_alarm(clients["sanne"])
    assert seen_at_delivery == [True]
    with app.app_context(), runtime().db.reader() as uow:
        assert uow.session.scalar(select(Alarm.id).where(Alarm.id == alarm["id"]))
