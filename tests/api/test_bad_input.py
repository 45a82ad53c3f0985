"""Bad input gets a clear 4xx with a message, never a 500, and changes nothing."""

import pytest

from tests.conftest import WS_UPGRADE, login, user_id


@pytest.fixture
def sanne(client):
    login(client, "sanne")
    return client


def event_count(client):
    return len(client.get("/api/events").get_json()["events"])


@pytest.mark.parametrize(
    "body,status,field",
    [
        (b'{"user_id": 2, "text": "hoi"', 400, None),  # malformed JSON
        (b"[1, 2, 3]", 422, "body"),  # not an object
        (b'{"user_id": "2", "text": "hoi"}', 422, "user_id"),  # wrong type
        (b'{"user_id": true, "text": "hoi"}', 422, "user_id"),  # bool is not an int
        (b'{"user_id": 2, "text": "hoi", "urgent": 1}', 422, "urgent"),  # unknown field
        (b'{"user_id": 2}', 422, "text"),  # missing field
        (b'{"user_id": 2, "text": ""}', 422, "text"),
        (b'{"text": "hoi"}', 422, "user_id"),  # no recipient
        (b'{"user_id": 2, "team_id": 1, "text": "hoi"}', 422, "user_id"),  # two recipients
        (b"\xff\xfe", 400, None),  # not UTF-8
        # at the edge, before any work (each of these was a 500):
        (b'{"user_id": 1000000000000000000000000000000, "text": "hoi"}', 422, "user_id"),
        (b'{"user_id": 9223372036854775808, "text": "hoi"}', 422, "user_id"),  # 2**63
        (b"[" * 30_000 + b"]" * 30_000, 400, None),  # RecursionError in the parser
        (b'{"user_id": 2, "text": [[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]}', 400, None),
        (b'{"user_id": 2, "text": "ho\\u0000i"}', 422, "text"),  # a NUL
        (b'{"user_id": 2, "text": "ho\\u001bi"}', 422, "text"),  # an escape
    ],
)
def test_malformed_message_bodies(sanne, body, status, field):
    before = event_count(sanne)
    response = sanne.post("/api/messages", data=body, content_type="application/json")
    assert response.status_code == status, response.get_json()
    payload = response.get_json()
    assert payload["error"]
    if field:
        assert field in payload["fields"]
    assert event_count(sanne) == before


def test_oversize_body_is_413(sanne):
    response = sanne.post(
        "/api/messages", data=b'{"text": "' + b"a" * 70_000 + b'"}', content_type="application/json"
    )
    assert response.status_code == 413 and response.get_json()["error"]


def test_too_long_text_is_named(sanne, app):
    response = sanne.post(
        "/api/messages", json={"user_id": user_id(app, "lisa"), "text": "a" * 501}
    )
    assert response.status_code == 422 and response.get_json()["fields"] == {"text": "te lang"}


def test_form_posts_are_refused_as_csrf(sanne):
    response = sanne.post("/api/messages", data={"user_id": "2", "text": "hoi"})
    assert response.status_code == 415


def test_unknown_recipient_is_404(sanne):
    response = sanne.post("/api/messages", json={"user_id": 9999, "text": "hoi"})
    assert response.status_code == 404 and response.get_json()["error"]


@pytest.mark.parametrize("query", ["since=abc", "since=-1", "limit=0", "limit=100000"])
def test_bad_event_query_is_422(sanne, query):
    response = sanne.get(f"/api/events?{query}")
    assert response.status_code == 422 and response.get_json()["fields"]


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("/api/messages", {"user_id": 2**70, "text": "hoi"}, "user_id"),
        ("/api/messages", {"team_id": 2**70, "text": "hoi"}, "team_id"),
        (
            "/api/visits",
            {"kind": "visit", "address": "Dorpsstraat 1", "checklist_id": 2**70, "answers": {}},
            "checklist_id",
        ),
        (
            "/api/visits",
            {
                "kind": "visit",
                "address": "Dorpsstraat 1",
                "buddy_id": 2**70,
                "checklist_id": 1,
                "answers": {},
            },
            "buddy_id",
        ),
    ],
)
def test_an_id_beyond_the_database_is_422(sanne, path, body, field):
    response = sanne.post(path, json=body)
    assert response.status_code == 422 and response.get_json()["fields"] == {field: "te groot"}


@pytest.mark.parametrize("since", ["abc", "-1", "\u00b2", "9" * 30])
def test_bad_websocket_since_is_400_before_the_upgrade(sanne, since):
    response = sanne.get(
        "/ws",
        query_string={"since": since},
        headers=WS_UPGRADE,
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": "'since' moet een geheel getal zijn."}


def test_unknown_api_path_and_method_are_json(sanne):
    assert sanne.get("/api/nope").get_json() == {"error": "Niet gevonden."}
    assert sanne.delete("/api/me", json={}).status_code == 405


def test_bad_push_subscription_is_refused(sanne):
    response = sanne.post(
        "/api/push/subscriptions",
        json={
            "endpoint": "http://127.0.0.1:9/push",
            "expirationTime": None,
            "keys": {"p256dh": "B" + "A" * 86, "auth": "A" * 22},
        },
    )
    assert response.status_code == 422 and "endpoint" in response.get_json()["fields"]


def test_test_push_without_a_device_says_what_to_do(sanne):
    response = sanne.post("/api/push/test", json={})
    assert response.status_code == 422 and "meldingen aan" in response.get_json()["error"]


def test_a_negative_id_is_not_found_and_a_wrong_method_says_which_are_allowed(sanne):
    for method, path in (("POST", "/api/alarms/-1/cancel"), ("GET", "/api/incidents/-5")):
        answer = sanne.open(path, method=method, json={})
        assert (answer.status_code, answer.get_json()["error"]) == (404, "Niet gevonden."), path
    wrong = sanne.delete("/api/me", json={})
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "GET, HEAD, OPTIONS"
