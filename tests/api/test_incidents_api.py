"""The incident register over HTTP: exactly once, field-level refusals that store nothing,
the version check, and for every register route what each role gets."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from services.clock import local_date

BASE = {
    "behaviour_type": "D",
    "kinds": ["intimidatie"],
    "channel": "huisbezoek",
    "location": "Kerkstraat 7",
    "description": "Dreigde me buiten op te wachten.",
    "aggressor": {"name": "J. Jansen", "address": "Molenweg 3"},
}


def body(client_id="5d1c8f7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f", **overrides) -> dict:
    moment = datetime.now(UTC) - timedelta(minutes=10)
    return {"client_id": client_id, "occurred_at": moment.isoformat(), **BASE, **overrides}


def capture(client, **overrides) -> dict:
    response = client.post("/api/incidents", json=body(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["incident"]


def total(client) -> int:
    return client.get("/api/incidents").get_json()["total"]


def test_the_same_client_id_twice_is_one_incident(clients):
    first = clients["sanne"].post("/api/incidents", json=body())
    again = clients["sanne"].post("/api/incidents", json=body(description="Andere tekst"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["duplicate"] is True
    assert again.get_json()["incident"]["id"] == first.get_json()["incident"]["id"]
    assert again.get_json()["incident"]["description"] == BASE["description"]  # the first wins
    assert total(clients["lisa"]) == 1
    taken = clients["kim"].post("/api/incidents", json=body())
    assert taken.status_code == 409 and taken.get_json()["fields"] == {"client_id": "al in gebruik"}


NOW = datetime.now(UTC)


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"behaviour_type": "F"}, "behaviour_type"),
        ({"kinds": ["schelden"]}, "kinds.0"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["verbaal", "verbaal"]}, "kinds"),
        ({"channel": "duiven"}, "channel"),
        ({"occurred_at": (NOW + timedelta(days=1)).isoformat()}, "occurred_at"),
        ({"occurred_at": "2026-11-25T09:00:00"}, "occurred_at"),  # no time zone
        ({"occurred_at": "gisteren"}, "occurred_at"),
        ({"description": ""}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"description": "nul\x00byte"}, "description"),
        ({"location": "y" * 201}, "location"),
        ({"aggressor": {"name": "z" * 201}}, "aggressor.name"),
        ({"aggressor": {"phone": "06"}}, "aggressor.phone"),
        ({"alarm_id": 424242}, "alarm_id"),
        ({"visit_id": 424242}, "visit_id"),
        ({"victim_id": 1}, "victim_id"),
        ({"client_id": "kort"}, "client_id"),
        ({"severity": "hoog"}, "severity"),
    ],
)
def test_bad_reports_get_field_messages_and_store_nothing(clients, overrides, field):
    response = clients["sanne"].post("/api/incidents", json=body(**overrides))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"], response.get_json()
    assert total(clients["coordinator"]) == 0


def test_script_in_text_is_stored_as_text(clients):
    script = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    incident = capture(clients["sanne"], description=script, location=script)
    response = clients["lisa"].get(f"/api/incidents/{incident['id']}")
    assert response.mimetype == "application/json"
    assert response.get_json()["incident"]["description"] == script  # the PWA renders text


def test_a_stale_edit_is_409_and_changes_nothing(clients):
    incident = capture(clients["sanne"])
    path = f"/api/incidents/{incident['id']}"
    saved = clients["lisa"].patch(
        path, json={"version": 1, "form": {"cause": "Uitkering"}, "status": "in_behandeling"}
    )
    assert saved.status_code == 200 and saved.get_json()["incident"]["version"] == 2
    stale = clients["sanne"].patch(path, json={"version": 1, "description": "Overschreven"})
    assert stale.status_code == 409 and "intussen" in stale.get_json()["error"]
    now = clients["sanne"].get(path).get_json()["incident"]
    assert now["description"] == BASE["description"] and now["version"] == 2
    assert [h["action"] for h in now["history"]] == ["gemeld", "gewijzigd"]


def test_completing_the_form_raises_completeness_and_keeps_history(clients):
    incident = capture(clients["sanne"])
    assert incident["completeness"]["count"] == 4  # wie (named), wat, waar, wanneer
    done = (
        clients["sanne"]
        .patch(
            f"/api/incidents/{incident['id']}",
            json={
                "version": 1,
                "form": {
                    "cause": "Afwijzing",
                    "course": "Aan de deur",
                    "weapons": False,
                    "damage_employer": True,
                    "damage_amount_cents": 12550,
                    "police_report": True,
                    "police_report_date": "2026-11-20",
                },
            },
        )
        .get_json()["incident"]
    )
    assert done["completeness"]["count"] == 7
    assert {"damage_employer_description", "damage_recovered"} <= set(
        done["completeness"]["open_questions"]
    )
    assert done["form"]["police_report_date"] == "2026-11-20"
    fields = {c["field"] for c in done["history"][-1]["changes"]}
    assert fields == {
        "form.cause",
        "form.course",
        "form.weapons",
        "form.damage_employer",
        "form.damage_amount_cents",
        "form.police_report",
        "form.police_report_date",
    }


@pytest.mark.parametrize(
    "patch,field",
    [
        ({"version": 1, "form": {"injury": "misschien"}}, "form.injury"),
        ({"version": 1, "form": {"damage_amount_cents": -5}}, "form.damage_amount_cents"),
        ({"version": 1, "form": {"police_report_date": "gisteren"}}, "form.police_report_date"),
        ({"version": 1, "form": {"unknown": 1}}, "form.unknown"),
        ({"version": 1, "serious_criteria": ["hoofdpijn"]}, "serious_criteria.0"),
        ({"version": 1, "status": "weg"}, "status"),
        ({"form": {"cause": "x"}}, "version"),
    ],
)
def test_bad_edits_are_refused_with_field_messages(clients, patch, field):
    incident = capture(clients["sanne"])
    response = clients["lisa"].patch(f"/api/incidents/{incident['id']}", json=patch)
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert (
        clients["lisa"].get(f"/api/incidents/{incident['id']}").get_json()["incident"]["version"]
        == 1
    )


@pytest.mark.parametrize(
    "query,field",
    [
        ("from=gisteren", "from"),
        ("behaviour=Z", "behaviour"),
        ("limit=0", "limit"),
        ("serious=misschien", "serious"),
        ("colour=red", "colour"),
        ("kind=alles", "kind"),
    ],
)
def test_bad_filters_are_422(clients, query, field):
    response = clients["lisa"].get(f"/api/incidents?{query}")
    assert response.status_code == 422 and field in response.get_json()["fields"]


# ---- access per role, for every register route -------------------------------------------------


def test_every_register_route_per_role(clients):
    incident = capture(clients["sanne"])
    path = f"/api/incidents/{incident['id']}"

    def status(who, method, url, json=None):
        return clients[who].open(url, method=method, json=json).status_code

    # the detail and edits: the reporter, her chain of managers and the coordinator only
    for who, code in (
        ("sanne", 200),
        ("lisa", 200),
        ("gemeentesecretaris", 200),
        ("coordinator", 200),
        ("mohammed", 404),
        ("peter", 404),
        ("kim", 404),
        ("beheer", 404),
    ):
        assert status(who, "GET", path) == code, who
    version = 1
    for who, code in (
        ("mohammed", 404),
        ("peter", 404),
        ("beheer", 404),
        ("sanne", 200),
        ("lisa", 200),
        ("coordinator", 200),
    ):
        got = clients[who].patch(path, json={"version": version, "location": f"door {who}"})
        assert got.status_code == code, who
        version += code == 200
    assert status("sanne", "PATCH", path, {"version": version, "status": "afgehandeld"}) == 403
    # the read log: the coordinator's
    for who, code in (("sanne", 403), ("lisa", 403), ("beheer", 403), ("coordinator", 200)):
        assert status(who, "GET", path + "/reads") == code, who
    # the export: managers and the coordinator
    for who, code in (
        ("sanne", 403),
        ("beheer", 403),
        ("lisa", 200),
        ("peter", 200),
        ("coordinator", 200),
    ):
        assert status(who, "GET", "/api/incidents/export.csv") == code, who
    # the list: scoped, never refused
    for who, count in (
        ("sanne", 1),
        ("mohammed", 0),
        ("lisa", 1),
        ("peter", 0),
        ("coordinator", 1),
        ("beheer", 0),
    ):
        assert total(clients[who]) == count, who


def test_aggressor_details_are_for_managers_and_every_read_is_logged(clients):
    incident = capture(clients["sanne"])
    path = f"/api/incidents/{incident['id']}"
    mine = clients["sanne"].get(path).get_json()["incident"]
    assert mine["aggressor"] is None and mine["aggressor_recorded"] is True
    clients["sanne"].patch(path, json={"version": 1, "aggressor": {"name": "K. de Boer"}})
    redacted = clients["sanne"].get(path).get_json()["incident"]["history"][-1]["changes"]
    assert redacted == [{"field": "aggressor.name", "old": None, "new": None, "redacted": True}]
    assert clients["lisa"].get(path).get_json()["incident"]["aggressor"]["name"] == "K. de Boer"
    export = clients["coordinator"].get("/api/incidents/export.csv")
    rows = list(
        csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert export.mimetype == "text/csv" and rows[1][-2:] == ["K. de Boer", "Molenweg 3"]
    reads = clients["coordinator"].get(path + "/reads").get_json()["reads"]
    assert [(r["user"]["name"], r["purpose"]) for r in reads] == [
        ("Lisa de Vries", "detail"),
        ("Ingrid Smit", "export"),
    ]


def test_a_manager_reports_for_a_worker_who_then_sees_it(clients, app):
    from tests.conftest import user_id

    incident = capture(clients["lisa"], victim_id=user_id(app, "sanne"))
    assert incident["victim"]["name"] == "Sanne Jansen" and incident["team"]["name"]
    assert incident["team"]["name"] == "Sociaal Domein"  # the victim's team
    assert total(clients["sanne"]) == 1


def test_closing_waits_for_the_reaction_and_the_police_step(clients):
    incident = capture(clients["sanne"])
    path = f"/api/incidents/{incident['id']}"
    lisa = clients["lisa"]

    def close():
        version = lisa.get(path).get_json()["incident"]["version"]
        return lisa.patch(path, json={"version": version, "status": "afgehandeld"})

    refused = close()
    assert refused.status_code == 422 and refused.get_json()["fields"] == {"status": "open punten"}
    assert "reactie naar de agressor" in refused.get_json()["error"]
    assert "aangifte of melding bij de politie" in refused.get_json()["error"]
    today = local_date(datetime.now(UTC)).isoformat()  # the municipality's date
    assert (
        lisa.post(
            path + "/measures",
            json={
                "kind": "geen_maatregel",
                "decided_on": today,
                "note": "Agressor verhuisd, onvindbaar",
            },
        ).status_code
        == 201
    )
    assert (
        lisa.post(
            path + "/police",
            json={"kind": "afgezien", "on": today, "reason": "Medewerker ziet ervan af"},
        ).status_code
        == 201
    )
    assert close().status_code == 200
