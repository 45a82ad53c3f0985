"""The language as data: Dutch is on the page before any script and in the service worker's
shell; English is fetched when chosen, kept for the next start (offline too), and the server's
messages come in it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, PASSWORD, VIEWPORT

pytestmark = pytest.mark.browser


def test_english_is_loaded_when_chosen_and_the_server_answers_in_it(browser, live_server):
    base = live_server.url.rstrip("/")
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    errors: list = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        asked = []
        page.on("request", lambda r: asked.append(r.url) if "/i18n/" in r.url else None)
        page.goto(base + "/")
        expect(page.locator("#login-screen h1")).to_have_text("Inloggen")
        assert not any(url.endswith("/en.json") for url in asked)  # English only when chosen

        page.select_option("#lang", "en")
        expect(page.locator("#login-screen h1")).to_have_text("Sign in")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert any(url.endswith("/en.json") and "/v/" in url for url in asked)

        # the server's own words follow (Accept-Language)
        page.fill("#username", "sanne")
        page.fill("#password", "wrong")
        page.click("#login-form button[type=submit]")
        expect(page.locator("#login-error")).to_have_text("Unknown username or wrong password.")

        page.fill("#password", PASSWORD)
        page.click("#login-form button[type=submit]")
        expect(page.locator("#home-screen")).to_be_visible()
        expect(page.locator("#home-screen h1")).to_have_text("Overview")

        # kept for the next start, offline too: the service worker cached en.json on first use
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=LIVE)
        page.reload()
        expect(page.locator("#home-screen h1")).to_have_text("Overview")
        context.set_offline(True)
        page.reload()
        expect(page.locator("#home-screen")).to_be_visible()
        expect(page.locator("#home-screen h1")).to_have_text("Overview")
        expect(page.locator("#offline-banner")).to_be_visible()
        assert errors == [], errors
    finally:
        context.close()
