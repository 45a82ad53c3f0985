"""The server's messages follow the user's language: the PWA sends the language chosen as
Accept-Language; English gets English, anything else the protocol's Dutch."""

import pytest

from tests.conftest import login, user_id

EN = {"Accept-Language": "en"}
NL = {"Accept-Language": "nl"}


@pytest.fixture
def sanne(client):
    login(client, "sanne")
    return client


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Unknown username or wrong password."),
        ("en-GB,en;q=0.9,nl;q=0.8", "Unknown username or wrong password."),
        ("nl", "Onbekende gebruikersnaam of onjuist wachtwoord."),
        ("fr", "Onbekende gebruikersnaam of onjuist wachtwoord."),  # no French: Dutch
        (None, "Onbekende gebruikersnaam of onjuist wachtwoord."),
    ],
)
def test_a_failed_login_is_told_in_the_language_asked(client, language, message):
    headers = {"Accept-Language": language} if language else {}
    response = client.post(
        "/api/auth/login", json={"username": "sanne", "password": "fout"}, headers=headers
    )
    assert response.status_code == 401
    assert response.get_json() == {"error": message}
    assert response.headers["Content-Language"] == ("en" if language and "en" in language else "nl")
    assert "Accept-Language" in response.headers["Vary"]


def test_a_domain_error_and_its_fields_in_english_with_the_data_filled_in(sanne, app):
    too_long = {"user_id": user_id(app, "lisa"), "text": "a" * 501}
    english = sanne.post("/api/messages", json=too_long, headers=EN)
    dutch = sanne.post("/api/messages", json=too_long, headers=NL)
    assert english.status_code == dutch.status_code == 422
    assert english.get_json()["fields"] == {"text": "too long"}
    assert dutch.get_json()["fields"] == {"text": "te lang"}
    assert english.get_json()["error"] != dutch.get_json()["error"]


def test_a_refusal_of_the_service_and_its_field_in_english(sanne, app):
    lisa = user_id(app, "lisa")
    body = {"user_id": lisa, "team_id": 1, "text": "hoi"}
    english = sanne.post("/api/messages", json=body, headers=EN).get_json()
    dutch = sanne.post("/api/messages", json=body, headers=NL).get_json()
    assert english == {
        "error": "Choose one recipient: a person or a team.",
        "fields": {"user_id": "exactly one of user_id and team_id"},
    }
    assert dutch["error"] == "Kies één ontvanger: een persoon of een team."


def test_validation_and_http_messages_in_english(sanne):
    missing = sanne.post("/api/messages", json={"user_id": 2}, headers=EN).get_json()
    assert missing == {
        "error": "Invalid input: check the marked fields.",
        "fields": {"text": "required"},
    }
    assert sanne.get("/api/no-such-thing", headers=EN).get_json() == {"error": "Not found."}
    assert sanne.get("/api/no-such-thing", headers=NL).get_json() == {"error": "Niet gevonden."}
    malformed = sanne.post("/api/messages", data=b"{", content_type="application/json", headers=EN)
    assert malformed.get_json() == {"error": "The content is not valid JSON."}


def test_not_logged_in_in_english(client):
    assert client.get("/api/me", headers=EN).get_json() == {"error": "Log in first."}
    assert client.get("/api/me").get_json() == {"error": "Log eerst in."}
