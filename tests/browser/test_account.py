"""My account on the phone: a one-time password is changed before the app opens, failed
attempts on the account are told after the login, and alarm PINs a bystander would try first
are refused in words."""

import uuid

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, VIEWPORT, login
from tests.browser.test_admin import POST

pytestmark = pytest.mark.browser

NEW_PASSWORD = "langs de dijk naar het gemeentehuis"


def new_person(live_server, marker: str) -> tuple[str, str]:
    """A person the administrator adds (the shared server's demo people stay as the other
    browser tests expect them): their username and one-time password."""
    made = live_server.session("beheer").post(
        f"{live_server.url}/api/admin/people",
        json={"username": f"m{marker}", "name": f"Mira {marker}", "role": "leidinggevende"},
        timeout=10,
    )
    assert made.status_code == 201, made.text
    return f"m{marker}", made.json()["one_time_password"]


def test_a_one_time_password_is_changed_first_and_failed_attempts_are_told(browser, live_server):
    base = live_server.url.rstrip("/")
    username, one_time = new_person(live_server, uuid.uuid4().hex[:6])
    for _ in range(2):
        wrong = requests.post(
            f"{base}/api/auth/login",
            json={"username": username, "password": "raden"},
            timeout=10,
        )
        assert wrong.status_code == 401
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    errors: list = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + "/")
        page.fill("#username", username)
        page.fill("#password", one_time)
        page.click("#login-form button[type=submit]")

        # only the change of password: no tabs, no alarm bar, no way around it
        expect(page.locator("#account-screen")).to_be_visible(timeout=LIVE)
        expect(page.locator("#account-forced")).to_be_visible()
        expect(page.locator("#pins-form")).to_be_hidden()
        expect(page.locator("#alarm-bar")).to_be_hidden()
        expect(page.locator("#password-current")).to_be_focused()

        page.fill("#password-current", one_time)
        page.fill("#password-new", "Welkom01!Welkom")
        page.click("#password-form button[type=submit]")
        expect(page.locator("#password-new-error")).to_contain_text("te makkelijk te raden")
        expect(page.locator("#password-new")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#home-screen")).to_be_hidden()

        page.fill("#password-new", NEW_PASSWORD)
        page.click("#password-form button[type=submit]")
        expect(page.locator("#home-screen")).to_be_visible(timeout=LIVE)
        expect(page.locator("#signin-notice-text")).to_contain_text(
            "2 mislukte inlogpogingen op je account sinds"
        )
        page.click("#signin-notice-dismiss")
        expect(page.locator("#signin-notice")).to_be_hidden()
        relogin = requests.post(
            f"{base}/api/auth/login",
            json={"username": username, "password": NEW_PASSWORD},
            timeout=10,
        )
        assert (
            relogin.status_code == 200 and relogin.json()["user"]["must_change_password"] is False
        )

        # PINs, from the home screen's link
        page.click("#account-open")
        expect(page.locator("#pins-form")).to_be_visible()
        page.fill("#pins-pin", "1234")
        page.fill("#pins-duress", "3917")
        page.fill("#pins-password", NEW_PASSWORD)
        page.click("#pins-form button[type=submit]")
        expect(page.locator("#pins-pin-error")).to_contain_text("reeks")
        expect(page.locator("#pins-status")).not_to_contain_text("opgeslagen.")
        page.fill("#pins-pin", "5820")
        page.click("#pins-form button[type=submit]")
        expect(page.locator("#pins-status")).to_have_text("Je pincodes zijn opgeslagen.")
        assert errors == [], errors
    finally:
        context.close()


def test_the_administrator_gives_a_one_time_password_and_sees_repeated_failures(
    browser, live_server
):
    base, marker, errors = live_server.url.rstrip("/"), uuid.uuid4().hex[:6], []
    for _ in range(3):  # someone guessing at a name that is nobody's
        requests.post(
            f"{base}/api/auth/login",
            json={"username": f"raden{marker}", "password": "x"},
            timeout=10,
        )
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    try:
        admin = login(context, base, "beheer", errors)
        made = admin.evaluate(
            POST,
            [
                "/api/admin/people",
                {"username": f"p{marker}", "name": f"Pim {marker}", "role": "medewerker"},
            ],
        )
        assert made["status"] == 201, made
        admin.click("#admin-open")
        attempts = admin.locator("#admin-attempts li", has_text=f"raden{marker}")
        expect(attempts).to_contain_text("(bestaat niet) 3 mislukt", timeout=LIVE)
        admin.fill("#admin-search", f"p{marker}")
        admin.locator("li.admin-person", has_text=f"p{marker}").locator("button[data-edit]").click()
        admin.click("#admin-person-form-reset-password")
        expect(admin.locator("#admin-password")).to_be_focused(timeout=LIVE)
        expect(admin.locator("#admin-status")).to_contain_text(
            "eenmalig wachtwoord (24 uur geldig)"
        )
        one_time = admin.locator("#admin-password-value").inner_text()
        assert one_time != made["body"]["one_time_password"]
        signed_in = requests.post(
            f"{base}/api/auth/login",
            json={"username": f"p{marker}", "password": one_time},
            timeout=10,
        )
        assert signed_in.status_code == 200 and signed_in.json()["user"]["must_change_password"]
        assert errors == [], errors
    finally:
        context.close()
