"""Navigation like an app, in Debian's headless Chromium: every screen has its URL, the phone's
back button goes back a screen and never out of the app from inside it, links to a report open
it (after the login when logged out, from a notification, from an old hash link), and a message
announces itself wherever the manager is."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, PASSWORD, VIEWPORT, open_tab, worker_and_manager
from tests.browser.test_gir import REPORT

pytestmark = pytest.mark.browser

WORKER, MANAGER = "sanne", "lisa"


@pytest.fixture
def people(browser, live_server):
    with worker_and_manager(browser, live_server, WORKER, MANAGER) as pages:
        yield pages


def _report(worker) -> dict:
    return worker.evaluate(
        REPORT,
        {
            "client_id": uuid.uuid4().hex,
            "behaviour_type": "D",
            "kinds": ["intimidatie"],
            "channel": "huisbezoek",
            "location": "Navigatiestraat 1",
            "occurred_at": (datetime.now(UTC) - timedelta(minutes=10)).isoformat(),
            "description": "Dreigde bij de deur",
        },
    )


def test_back_returns_screen_by_screen_and_stays_in_the_app(people, live_server):
    worker, _ = people
    base = live_server.url.rstrip("/")
    worker.click("#visit-start")
    expect(worker).to_have_url(f"{base}/bezoek")
    worker.fill("#visit-address", "Terugweg 4, Demodorp")
    expect(worker.locator("#visit-checklist option")).not_to_have_count(0, timeout=LIVE)
    worker.click("#visit-next")
    expect(worker).to_have_url(f"{base}/bezoek/checklist")
    expect(worker.locator("#checklist fieldset.question").first).to_be_visible(timeout=LIVE)

    worker.go_back()
    expect(worker).to_have_url(f"{base}/bezoek")
    expect(worker.locator("#visit-step-where")).to_be_visible()
    expect(worker.locator("#visit-address")).to_have_value("Terugweg 4, Demodorp")  # kept
    worker.go_back()
    expect(worker).to_have_url(f"{base}/")
    expect(worker.locator("#home-screen")).to_be_visible()
    expect(worker.locator("#alarm-button")).to_be_visible()


def test_a_deep_link_to_a_report_opens_it_after_the_login(browser, people, live_server):
    worker, _ = people
    base = live_server.url.rstrip("/")
    report = _report(worker)
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{base}/gir/{report['id']}")  # e.g. from an e-mail, logged out
        expect(page.locator("#login-screen")).to_be_visible()
        page.fill("#username", MANAGER)
        page.fill("#password", PASSWORD)
        page.click("#login-form button[type=submit]")
        expect(page.locator("#gir-detail-heading")).to_have_text(report["number"], timeout=LIVE)
        expect(page).to_have_url(f"{base}/gir/{report['id']}")
        page.go_back()  # home was put behind the link: back stays in the app
        expect(page).to_have_url(f"{base}/")
        expect(page.locator("#home-screen")).to_be_visible()
    finally:
        context.close()


def test_a_notifications_link_and_an_old_hash_link_open_their_screen(people, live_server):
    worker, manager = people
    base = live_server.url.rstrip("/")
    report = _report(worker)
    manager.evaluate("navigator.serviceWorker.ready.then(() => true)")
    service_worker = next(w for w in manager.context.service_workers if w.url.endswith("/sw.js"))
    # What the service worker does when the notification of a follow-up step is tapped.
    service_worker.evaluate("(path) => openLink(path)", f"/gir/{report['id']}/politie")
    expect(manager).to_have_url(f"{base}/gir/{report['id']}/politie", timeout=LIVE)
    expect(manager.locator("#gir-detail-heading")).to_have_text(report["number"], timeout=LIVE)
    expect(manager.locator("#fu-police-heading")).to_be_focused(timeout=LIVE)

    open_tab(manager, "home")
    manager.evaluate(f"location.hash = '#gir/{report['id']}/police'")  # a link from before
    expect(manager).to_have_url(f"{base}/gir/{report['id']}/politie", timeout=LIVE)
    expect(manager.locator("#gir-detail-heading")).to_have_text(report["number"], timeout=LIVE)


def test_managers_get_a_bottom_navigation_and_messages_reach_them_on_any_screen(people):
    worker, manager = people
    expect(worker.locator("#tab-bar")).to_be_hidden()  # a field worker has one screen to go to
    tabs = manager.locator("#tab-bar a.tab")
    expect(tabs).to_have_text(["Overzicht", "Te doen", "Register", "Team"])
    open_tab(manager, "team")
    expect(manager.locator("#team-screen")).to_be_visible()
    expect(manager.locator("#home-screen")).to_be_hidden()

    option = worker.locator("#message-to option", has_text=re.compile(r"^\s*Lisa de Vries"))
    expect(option).to_have_count(1, timeout=LIVE)
    worker.select_option("#message-to", value=option.get_attribute("value"))
    text = f"Ben je op kantoor? ({uuid.uuid4().hex[:6]})"
    worker.fill("#message-text", text)
    worker.click("#message-form button[type=submit]")
    notice = manager.locator("#live-notice")
    expect(notice).to_contain_text(f"Bericht van Sanne Jansen: {text}", timeout=LIVE)
    expect(notice).to_have_attribute("role", "status")
    notice.get_by_role("button").click()
    expect(notice).to_be_empty()
