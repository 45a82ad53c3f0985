"""Logging in and out, remember-me, revoking a device."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

from tests.conftest import login


def test_login_returns_the_profile_with_team_manager_and_function_group(client):
    me = login(client, "sanne").get_json()["user"]
    assert (me["name"], me["role"], me["team"]["name"]) == (
        "Sanne Jansen",
        "medewerker",
        "Sociaal Domein",
    )
    assert me["function_group_label"] == "Sociaal Domein"
    assert me["manager"]["name"] == "Lisa de Vries" and me["manager"]["phone"]
    assert "password_hash" not in me


def test_wrong_password_is_a_clear_401(client):
    response = client.post("/api/auth/login", json={"username": "sanne", "password": "fout"})
    assert response.status_code == 401
    assert "wachtwoord" in response.get_json()["error"]


def test_remember_me_sets_a_long_lived_cookie(client):
    response = login(client, "sanne", remember=True)
    cookies = [SimpleCookie(h) for h in response.headers.getlist("Set-Cookie")]
    remember = [c["remember_token"] for c in cookies if "remember_token" in c]
    assert remember and remember[0]["httponly"] and remember[0]["samesite"] == "Lax"
    assert remember[0]["expires"]
    expires = parsedate_to_datetime(remember[0]["expires"])
    assert expires - datetime.now(UTC) >= timedelta(days=80), remember[0]["expires"]


def test_logout_revokes_the_device_session_for_good(app):
    phone = app.test_client()
    login(phone, "sanne", remember=True)
    stolen = {c.key: c.value for c in phone._cookies.values()}
    assert phone.post("/api/auth/logout", json={}).status_code == 204
    replay = app.test_client()
    for key, value in stolen.items():  # someone who copied the cookies before logout
        replay.set_cookie(key, value)
    assert replay.get("/api/me").status_code == 401


def test_revoking_my_other_device_logs_it_out(app):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "sanne")
    login(laptop, "sanne")
    sessions = laptop.get("/api/me/sessions").get_json()["sessions"]
    other = [s["key"] for s in sessions if not s["current"]]
    assert len(sessions) == 2 and len(other) == 1
    assert laptop.delete(f"/api/me/sessions/{other[0]}", json={}).status_code == 204
    assert phone.get("/api/me").status_code == 401
    assert laptop.get("/api/me").status_code == 200


def test_on_duty_flag_can_be_switched(client):
    login(client, "sanne")
    assert client.put("/api/me/duty", json={"on_duty": False}).get_json()["on_duty"] is False
    assert client.get("/api/me").get_json()["on_duty"] is False


def test_a_device_idle_for_a_while_is_marked_used_once_its_request_is_answered(app):
    from sqlalchemy import select, update

    from app.runtime import runtime
    from services.accounts.models import DeviceSession

    phone = app.test_client()
    login(phone, "sanne")
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    with app.app_context(), runtime().db.uow() as uow:
        uow.session.execute(update(DeviceSession).values(last_seen_at=an_hour_ago))
    with phone.get("/api/me") as answer:
        assert answer.status_code == 200
        with app.app_context(), runtime().db.reader() as uow:  # answered, not yet closed
            assert uow.session.scalar(select(DeviceSession.last_seen_at)) == an_hour_ago
    (mine,) = phone.get("/api/me/sessions").get_json()["sessions"]
    assert datetime.fromisoformat(mine["last_seen_at"]) > datetime.now(UTC) - timedelta(minutes=1)
