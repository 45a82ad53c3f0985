"""The second factor of those who read aggressors' details: set up with a code from the app,
asked at the next login (a wrong code refused, a recovery code working once), skipped on a
remembered browser, enforced for the configured roles, reset by the administrator."""

from datetime import datetime, timedelta

import pyotp
import pytest

from app import create_app
from tests.conftest import app_config, runtime_of

PASSWORD = "veldwacht-demo"


@pytest.fixture
def strict_app(instance, db_url, backend, push_transport):
    """Managers must have a second factor, as a municipality would configure it."""
    app = create_app(
        app_config(
            instance,
            db_url,
            backend,
            PUSH_TRANSPORT=push_transport,
            MFA_ROLES=frozenset({"leidinggevende", "coordinator", "beheerder"}),
        )
    )
    yield app
    runtime_of(app).close()


def password_step(client, username="lisa", **extra):
    return client.post(
        "/api/auth/login", json={"username": username, "password": PASSWORD, **extra}
    )


def set_up(client) -> tuple[pyotp.TOTP, list[str]]:
    """Set up the factor as the app's screen does; the TOTP and the recovery codes."""
    enrolment = client.post("/api/me/second-factor", json={}).get_json()
    assert enrolment["uri"].startswith("otpauth://totp/") and "<svg" in enrolment["qr_svg"]
    totp = pyotp.TOTP(enrolment["secret"])
    wrong = client.post("/api/me/second-factor/confirm", json={"code": "000000"})
    assert wrong.status_code == 422 and wrong.get_json()["fields"] == {"code": "onjuist"}
    confirmed = client.post("/api/me/second-factor/confirm", json={"code": totp.now()})
    assert confirmed.status_code == 200, confirmed.get_json()
    codes = confirmed.get_json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    return totp, codes


def test_a_manager_must_set_it_up_before_anything_else(strict_app):
    lisa = strict_app.test_client()
    me = password_step(lisa).get_json()["user"]
    assert me["second_factor"] == {"on": False, "required": True, "set_up_first": True}
    refused = lisa.get("/api/incidents")
    assert (refused.status_code, refused.get_json()["error"]) == (
        403,
        "Stel eerst tweestapsverificatie in.",
    )
    set_up(lisa)
    assert lisa.get("/api/incidents").status_code == 200
    assert lisa.get("/api/me").get_json()["second_factor"] == {
        "on": True,
        "required": True,
        "set_up_first": False,
    }
    # a field worker is not asked
    sanne = strict_app.test_client()
    assert "user" in password_step(sanne, "sanne").get_json()
    assert sanne.get("/api/me").get_json()["second_factor"] == {
        "on": False,
        "required": False,
        "set_up_first": False,
    }


def test_the_code_is_asked_at_the_next_login_a_wrong_one_is_refused(strict_app):
    totp, _ = set_up(_signed_in(strict_app))
    phone = strict_app.test_client()
    assert password_step(phone).get_json() == {"second_factor": "code"}
    assert phone.get("/api/me").status_code == 401  # not signed in after the password alone
    wrong = phone.post("/api/auth/second-factor", json={"code": "123456"})
    assert (wrong.status_code, wrong.get_json()["error"]) == (422, "Deze code klopt niet.")
    code = next_code(totp)
    right = phone.post("/api/auth/second-factor", json={"code": code})
    assert right.status_code == 200 and right.get_json()["user"]["username"] == "lisa"
    assert phone.get("/api/me").status_code == 200
    # the same code is not taken twice
    again = strict_app.test_client()
    password_step(again)
    assert again.post("/api/auth/second-factor", json={"code": code}).status_code == 422


def test_a_recovery_code_works_once(strict_app):
    _, codes = set_up(_signed_in(strict_app))
    first = strict_app.test_client()
    password_step(first)
    assert first.post("/api/auth/second-factor", json={"code": codes[0]}).status_code == 200
    second = strict_app.test_client()
    password_step(second)
    assert second.post("/api/auth/second-factor", json={"code": codes[0]}).status_code == 422
    assert second.post("/api/auth/second-factor", json={"code": codes[1]}).status_code == 200


def test_five_wrong_codes_end_the_attempt_and_the_password_is_asked_again(strict_app):
    set_up(_signed_in(strict_app))
    phone = strict_app.test_client()
    password_step(phone)
    answers = [
        phone.post("/api/auth/second-factor", json={"code": "111111"}).status_code for _ in range(5)
    ]
    assert answers == [422, 422, 422, 422, 401]
    later = phone.post("/api/auth/second-factor", json={"code": "111111"})
    assert later.status_code == 401 and "Log opnieuw in" in later.get_json()["error"]


def test_a_remembered_browser_is_not_asked_again(strict_app):
    totp, _ = set_up(_signed_in(strict_app))
    desk = strict_app.test_client()
    password_step(desk)
    answer = desk.post(
        "/api/auth/second-factor", json={"code": next_code(totp), "remember_device": True}
    )
    assert answer.status_code == 200
    assert "HttpOnly" in next(
        h for h in answer.headers.getlist("Set-Cookie") if h.startswith("veldwacht_device=")
    )
    desk.post("/api/auth/logout", json={})
    assert "user" in password_step(desk).get_json()  # this browser: password only
    other = strict_app.test_client()
    assert password_step(other).get_json() == {"second_factor": "code"}


def test_the_administrator_resets_a_lost_factor_nobody_else_may(strict_app):
    lisa = _signed_in(strict_app)
    set_up(lisa)
    sanne = _signed_in(strict_app, "sanne")
    lisa_id = sanne.get("/api/me").get_json()["manager"]["id"]
    for someone in (sanne, lisa):
        assert (
            someone.delete(f"/api/admin/people/{lisa_id}/second-factor", json={}).status_code == 403
        )
    beheer = strict_app.test_client()
    password_step(beheer, "beheer")
    set_up(beheer)
    assert beheer.delete(f"/api/admin/people/{lisa_id}/second-factor", json={}).status_code == 204
    assert lisa.get("/api/me").status_code == 401  # logged out everywhere
    me = password_step(lisa).get_json()["user"]  # no code asked: she sets it up again
    assert me["second_factor"] == {"on": False, "required": True, "set_up_first": True}


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next 30 s (a phone's clock a little ahead is allowed): the one of now
    was used by the set-up, and a code is taken once."""
    return totp.at(datetime.now() + timedelta(seconds=30))


def _signed_in(app, username="lisa"):
    client = app.test_client()
    assert "user" in password_step(client, username).get_json()
    return client


def test_sending_the_first_cookie_again_does_not_give_five_more_tries(strict_app):
    """The wrong codes are counted in the database: the session cookie of the password step,
    sent again as an attacker would, starts no count afresh."""
    set_up(_signed_in(strict_app))
    phone = strict_app.test_client()
    password_step(phone)
    first_cookie = phone.get_cookie("session").value
    for _ in range(4):
        assert phone.post("/api/auth/second-factor", json={"code": "111111"}).status_code == 422
    phone.set_cookie("session", first_cookie)
    assert phone.post("/api/auth/second-factor", json={"code": "111111"}).status_code == 401
    phone.set_cookie("session", first_cookie)
    assert phone.post("/api/auth/second-factor", json={"code": "111111"}).status_code == 401
