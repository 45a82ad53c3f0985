"""Single sign-on against a real OpenID provider on loopback (the npm package oidc-provider,
tests/live/oidc_provider.mjs), through its real authorisation flow as a browser follows it:
Veldwacht's redirect, the provider's login and consent forms, the code back to Veldwacht, which
exchanges it (with its PKCE verifier) and checks the ID token. No mocks."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import requests
from sqlalchemy import select

from ops.servers import free_port
from services.accounts.mfa import SecretBox
from services.accounts.models import User
from services.db import Database
from tests.conftest import ROOT, start_server

CLIENT_ID, CLIENT_SECRET = "veldwacht", "a test client's secret"
SECRET_KEY = "the live server's secret key for this test"
# The provider's people: two colleagues known to Veldwacht (one of whom has left), a manager
# with Veldwacht's own second factor, and a new colleague nobody entered in Veldwacht yet.
ACCOUNTS = {
    name: {"preferred_username": name, "email": f"{name}@demodorp.example", "email_verified": True}
    for name in ("sanne", "mohammed", "lisa", "nieuwe.collega")
}
FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@pytest.fixture(scope="module")
def sso(tmp_path_factory, template_db, backend):
    """A Veldwacht server signing in through a provider of its own."""
    port = free_port()
    server = start_server(
        tmp_path_factory.mktemp("sso"),
        template_db,
        backend,
        SECRET_KEY=SECRET_KEY,
        VELDWACHT_OIDC_ISSUER=f"http://127.0.0.1:{port}",
        VELDWACHT_OIDC_CLIENT_ID=CLIENT_ID,
        VELDWACHT_OIDC_CLIENT_SECRET=CLIENT_SECRET,
        VELDWACHT_PASSWORD_LOGIN_OFF_FOR="leidinggevende",
    )
    try:
        with _provider(port, server.live) as provider:
            assert provider.stdout.readline().strip() == "ready", _log(server)
            yield server.live
    finally:
        server.stop()


@contextmanager
def _provider(port: int, live):
    """tests/live/oidc_provider.mjs on `port`, for Veldwacht at `live`; its log beside the
    server's."""
    with open(live.instance / "oidc_provider.log", "w") as log:
        provider = subprocess.Popen(
            ["node", str(ROOT / "tests/live/oidc_provider.mjs")],
            env={
                **os.environ,
                "OIDC_PORT": str(port),
                "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_REDIRECT_URI": f"{live.url}/api/auth/oidc/callback",
                "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
            },
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            yield provider
        finally:
            provider.terminate()
            provider.wait(timeout=10)
            provider.stdout.close()


def _log(server) -> str:
    return (server.live.instance / "oidc_provider.log").read_text()


def sign_in(live, login: str) -> tuple[requests.Session, list[requests.Response]]:
    """A browser's way through: Veldwacht's button, the provider's login and consent forms,
    back to Veldwacht. Returns the browser and every answer on the way, the last one last."""
    browser = requests.Session()
    page = browser.get(f"{live.url}/api/auth/oidc/login?remember=true", timeout=10)
    hops = [*page.history, page]
    while "/interaction/" in page.url and len(hops) < 20:
        action, inputs = FORM.search(page.text).groups()
        fields = dict(HIDDEN.findall(inputs))
        if fields.get("prompt") == "login":
            fields |= {"login": login, "password": "any, at this provider"}
        page = browser.post(html.unescape(action), data=fields, timeout=10)
        hops += [*page.history, page]
    return browser, hops


def test_the_login_screen_is_offered_the_municipality_account(sso):
    options = requests.get(f"{sso.url}/api/auth/options", timeout=5).json()
    assert options == {"sso": True, "label": "Inloggen met je gemeente-account"}


def test_a_colleague_signs_in_through_the_provider(sso):
    browser, hops = sign_in(sso, "sanne")
    assert hops[-1].url == f"{sso.url}/", [hop.url for hop in hops]
    asked = parse_qs(urlsplit(hops[0].headers["Location"]).query)  # Veldwacht to the provider
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"][0]
    assert asked["state"][0] and asked["nonce"][0] and asked["response_type"] == ["code"]
    assert {"session", "remember_token"} <= set(browser.cookies.keys())
    me = browser.get(f"{sso.url}/api/me", timeout=5)
    assert me.status_code == 200 and me.json()["username"] == "sanne"


def test_the_providers_answer_counts_once(sso):
    browser, hops = sign_in(sso, "sanne")
    back = next(
        r.headers["Location"] for r in hops if "/oidc/callback" in r.headers.get("Location", "")
    )
    again = browser.get(back, timeout=10, allow_redirects=False)  # its state is used up
    assert again.headers["Location"] == "/?sso=failed"
    forged = requests.get(f"{sso.url}/api/auth/oidc/callback?code=x&state=y", timeout=10)
    assert forged.url == f"{sso.url}/?sso=failed"


def test_a_person_unknown_to_veldwacht_is_refused(sso):
    browser, hops = sign_in(sso, "nieuwe.collega")
    assert hops[-1].url == f"{sso.url}/?sso=unknown"
    assert browser.get(f"{sso.url}/api/me", timeout=5).status_code == 401
    assert _user(sso, "nieuwe.collega") is None  # never created


def test_a_deactivated_person_is_refused(sso):
    with _database(sso) as session:
        _user_in(session, "mohammed").active = False
    browser, hops = sign_in(sso, "mohammed")
    assert hops[-1].url == f"{sso.url}/?sso=inactive"
    assert browser.get(f"{sso.url}/api/me", timeout=5).status_code == 401


def test_veldwachts_own_second_factor_is_still_asked(sso):
    secret = pyotp.random_base32()
    with _database(sso) as session:
        lisa = _user_in(session, "lisa")
        lisa.totp_secret = SecretBox(SECRET_KEY).seal(secret)
        lisa.totp_enabled_at = datetime.now(UTC)
    browser, hops = sign_in(sso, "lisa")
    assert hops[-1].url == f"{sso.url}/?sso=second_factor"
    assert browser.get(f"{sso.url}/api/me", timeout=5).status_code == 401
    answer = browser.post(
        f"{sso.url}/api/auth/second-factor", json={"code": pyotp.TOTP(secret).now()}, timeout=5
    )
    assert answer.status_code == 200, answer.text
    assert browser.get(f"{sso.url}/api/me", timeout=5).json()["username"] == "lisa"


@contextmanager
def _database(live):
    """A unit of work on the live server's database, committed on leaving."""
    database = Database(live.db_url)
    try:
        with database.uow() as uow:
            yield uow.session
    finally:
        database.dispose()


def _user_in(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def _user(live, username: str) -> User | None:
    with _database(live) as session:
        return _user_in(session, username)
