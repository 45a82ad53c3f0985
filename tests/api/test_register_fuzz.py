"""Bad input on the register's routes, generated: valid bodies with one or two values
replaced by junk, sent by a manager and a worker. Whatever arrives, the answer is never a
5xx and the stored incident stays readable and whole."""

import copy
import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.test_incidents_api import capture

JUNK = [
    None,
    True,
    False,
    0,
    -1,
    10**20,
    1.5,
    "",
    "x",
    "2026-13-45",
    "2026-11-24",
    "2026-11-24T10:00:00+01:00",
    "nul\x00",
    "A" * 5000,
    [],
    [1],
    ["verbaal"],
    {},
    {"a": 1},
    "9999-12-31",
    "0001-01-01",
]


def valid_bodies(incident_id: int) -> dict:
    now = datetime.now(UTC)
    today = now.date().isoformat()
    base = f"/api/incidents/{incident_id}"
    return {
        ("POST", "/api/incidents"): {
            "client_id": "set-per-request",
            "behaviour_type": "D",
            "kinds": ["intimidatie"],
            "channel": "huisbezoek",
            "occurred_at": (now - timedelta(minutes=5)).isoformat(),
            "location": "a",
            "description": "b",
            "aggressor": {"name": "A"},
        },
        ("PATCH", base): {
            "version": 0,
            "form": {"injury": True, "damage_amount_cents": 5},
            "serious_criteria": ["overlijden"],
            "status": "in_behandeling",
            "kinds": ["verbaal"],
            "aggressor": {"name": "B"},
        },
        ("POST", base + "/measures"): {
            "kind": "pandverbod",
            "decided_on": today,
            "starts_on": today,
            "ends_on": "2099-01-01",
        },
        ("POST", base + "/police"): {"kind": "aangifte", "on": today, "domicile": True},
        ("PUT", base + "/absence"): {"days": 4},
        ("PUT", base + "/aftercare/second_talk"): {
            "done_on": today,
            "signs": ["cynisme"],
            "referral": "bedrijfsarts",
        },
        ("PUT", base + "/analysis"): {
            "version": 0,
            "answers": {"aanleiding": "x"},
            "causes": [
                {
                    "kind": "direct",
                    "category": "burger",
                    "description": "d",
                    "action": "a",
                    "action_owner_id": 2,
                    "action_due_on": today,
                }
            ],
        },
        ("POST", base + "/letters"): {"kind": "waarschuwingsbrief", "variant": 2, "measure_id": 1},
    }


def junk(rng: random.Random):
    return copy.deepcopy(rng.choice(JUNK))


def spoil(body: dict, rng: random.Random) -> dict:
    body = copy.deepcopy(body)
    for _ in range(rng.randint(1, 2)):
        key = rng.choice(list(body))
        inner = body[key]
        if isinstance(inner, list) and inner and isinstance(inner[0], dict):
            inner = inner[0]
        if isinstance(inner, dict) and inner and rng.random() < 0.6:
            inner[rng.choice(list(inner))] = junk(rng)
        else:
            body[key] = junk(rng)
    return body


@pytest.mark.parametrize("seed", [1, 2])
def test_junk_never_breaks_the_register(clients, seed):
    rng = random.Random(seed)
    incident_id = capture(clients["sanne"])["id"]
    bodies = valid_bodies(incident_id)
    for _ in range(300):
        (method, path), body = rng.choice(list(bodies.items()))
        client = clients[rng.choice(["lisa", "lisa", "sanne"])]
        body = spoil(body, rng)
        if body.get("client_id") == "set-per-request":
            body["client_id"] = str(uuid.uuid4())
        if body.get("version") == 0:  # mostly the current version, so edits get through
            body["version"] = (
                clients["lisa"]
                .get(f"/api/incidents/{incident_id}")
                .get_json()["incident"]["version"]
            )
        answer = client.open(path, method=method, json=body)
        assert answer.status_code < 500, (method, path, body, answer.get_json())
    for who, route in (("lisa", "followup"), ("sanne", None)):
        path = f"/api/incidents/{incident_id}" + (f"/{route}" if route else "")
        assert clients[who].get(path).status_code == 200
    assert clients["lisa"].get("/api/followup/todo").status_code == 200
    assert clients["lisa"].get("/api/incidents/export.csv").status_code == 200
    # The incident itself still loads whole: what the register needs is still there.
    incident = clients["lisa"].get(f"/api/incidents/{incident_id}").get_json()["incident"]
    assert isinstance(incident["kinds"], list) and incident["kinds"]
    assert all(isinstance(k, str) and k for k in incident["kinds"])
    assert isinstance(incident["description"], str) and incident["description"].strip()
    assert isinstance(incident["version"], int) and not isinstance(incident["version"], bool)
    assert isinstance(incident["history"], list) and incident["history"]


def test_null_cannot_erase_what_the_register_needs(clients):
    incident_id = capture(clients["sanne"])["id"]
    for field in ("kinds", "serious_criteria", "description", "form", "occurred_at"):
        answer = clients["lisa"].patch(
            f"/api/incidents/{incident_id}", json={"version": 1, field: None}
        )
        assert answer.status_code == 422 and answer.get_json()["fields"] == {
            field: "mag niet leeg zijn"
        }
    assert (
        clients["sanne"].get(f"/api/incidents/{incident_id}").get_json()["incident"]["version"] == 1
    )
