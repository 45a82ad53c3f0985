"""Single sign-on as an option: off (and nothing changes) without an issuer; on, the login
screen is told so, a provider that cannot be reached or an answer that is not its own sends
the browser back to the login screen with the reason, and the roles whose password login is
switched off are refused a password login. The flow itself, against a real provider:
tests/live/test_oidc.py."""

import pytest

from app import create_app
from app.config import load_config
from app.oidc import ensure_password_login
from ops.servers import free_port
from services.errors import NotAllowed
from tests.conftest import DEMO_PASSWORD, app_config, runtime_of, user_by_name

OFF = "Inloggen met een gemeente-account staat niet aan."


# Single sign-on with a provider nobody listens for (the flow's first request fails).
SSO = {
    "OIDC_ISSUER": f"http://127.0.0.1:{free_port()}",
    "OIDC_CLIENT_ID": "veldwacht",
    "OIDC_CLIENT_SECRET": "geheim",
    "PASSWORD_LOGIN_OFF_FOR": frozenset({"leidinggevende"}),
}


@pytest.fixture
def sso_app(instance, db_url, backend, push_transport):
    app = create_app(app_config(instance, db_url, backend, PUSH_TRANSPORT=push_transport, **SSO))
    yield app
    runtime_of(app).close()


def test_off_without_an_issuer(client):
    assert client.get("/api/auth/options").get_json() == {"sso": False, "label": None}
    for route in ("/api/auth/oidc/login", "/api/auth/oidc/callback?code=x&state=y"):
        answer = client.get(route)
        assert answer.status_code == 404 and answer.get_json()["error"] == OFF


def test_on_the_login_screen_offers_it_in_the_users_language(sso_app):
    client = sso_app.test_client()
    assert client.get("/api/auth/options").get_json() == {
        "sso": True,
        "label": "Inloggen met je gemeente-account",
    }
    english = client.get("/api/auth/options", headers={"Accept-Language": "en"}).get_json()
    assert english["label"] == "Sign in with your municipality account"
    sso_app.config["OIDC_LABEL"] = "Inloggen met je Demodorp-account"
    assert client.get("/api/auth/options").get_json()["label"] == "Inloggen met je Demodorp-account"


def test_a_provider_that_cannot_be_reached_is_said(sso_app):
    answer = sso_app.test_client().get("/api/auth/oidc/login")
    assert answer.status_code == 302 and answer.headers["Location"] == "/?sso=unreachable"


def test_an_answer_veldwacht_did_not_ask_for_is_refused(sso_app):
    answer = sso_app.test_client().get("/api/auth/oidc/callback?code=x&state=forged")
    assert answer.status_code == 302 and answer.headers["Location"] == "/?sso=failed"
    denied = sso_app.test_client().get("/api/auth/oidc/callback?error=access_denied&state=x")
    assert denied.headers["Location"] == "/?sso=failed"


def test_the_login_query_takes_remember_only(sso_app):
    answer = sso_app.test_client().get("/api/auth/oidc/login?next=https://elders.example")
    assert answer.status_code == 422


def test_password_login_is_refused_for_the_roles_switched_off(sso_app):
    with sso_app.test_request_context(), runtime_of(sso_app).db.reader() as uow:
        with pytest.raises(NotAllowed, match="gemeente-account"):
            ensure_password_login(user_by_name(uow.session, "lisa"))
        ensure_password_login(user_by_name(uow.session, "sanne"))
        ensure_password_login(None)  # a wrong password: the login's own 401


def test_a_manager_with_the_right_password_is_sent_to_the_municipality_account(sso_app):
    answer = sso_app.test_client().post(
        "/api/auth/login", json={"username": "lisa", "password": DEMO_PASSWORD}
    )
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "Log in via je gemeente-account."


def test_a_wrong_password_tells_nobody_which_role_it_is(sso_app):
    answer = sso_app.test_client().post(
        "/api/auth/login", json={"username": "lisa", "password": "niet haar wachtwoord"}
    )
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"VELDWACHT_PASSWORD_LOGIN_OFF_FOR": "coordinator"}, "needs VELDWACHT_OIDC_ISSUER"),
        ({"VELDWACHT_OIDC_ISSUER": "https://idp.example"}, "needs VELDWACHT_OIDC_CLIENT_ID"),
        ({"VELDWACHT_OIDC_USER_FIELD": "phone"}, "VELDWACHT_OIDC_USER_FIELD"),
        ({"VELDWACHT_PASSWORD_LOGIN_OFF_FOR": "baas"}, "unknown roles"),
        ({"VELDWACHT_OIDC_SCOPES": "profile email"}, "needs openid"),
    ],
)
def test_a_wrong_setting_stops_the_start(monkeypatch, tmp_path, env, says):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=says):
        load_config({"INSTANCE_PATH": str(tmp_path)})


def test_settings_from_the_environment(monkeypatch, tmp_path):
    for name, value in {
        "VELDWACHT_OIDC_ISSUER": "https://login.example/realms/demodorp",
        "VELDWACHT_OIDC_CLIENT_ID": "veldwacht",
        "VELDWACHT_OIDC_CLIENT_SECRET": "geheim",
        "VELDWACHT_OIDC_CLAIM": "email",
        "VELDWACHT_OIDC_USER_FIELD": "email",
        "VELDWACHT_PASSWORD_LOGIN_OFF_FOR": "leidinggevende, coordinator",
    }.items():
        monkeypatch.setenv(name, value)
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["OIDC_ISSUER"] == "https://login.example/realms/demodorp"
    assert (config["OIDC_CLAIM"], config["OIDC_USER_FIELD"]) == ("email", "email")
    assert config["PASSWORD_LOGIN_OFF_FOR"] == {"leidinggevende", "coordinator"}
