"""Debian's Chromium driven by Playwright (never a downloaded browser), one per session."""

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect, sync_playwright

PASSWORD = "veldwacht-demo"
CHROMIUM = "/usr/bin/chromium"
# As root and without internet: no sandbox, and none of Chromium's background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 390, "height": 844}  # a phone


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def login(context, base_url: str, username: str, errors: list):
    """Log in through the login screen; uncaught page errors are collected in `errors`."""
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"{username}: {exc}"))
    page.goto(base_url + "/")
    expect(page.locator("#login-screen")).to_be_visible()
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#home-screen")).to_be_visible()
    return page


DEMODORP = {"latitude": 52.0907, "longitude": 5.1214, "accuracy": 20}
LIVE = 15_000  # ms; generous: a loaded CI machine must not make these flaky


@contextmanager
def worker_and_manager(
    browser, live_server, worker_name: str, manager_name: str, worker_located: bool = True
):
    """(worker page, manager page), both logged in with a live connection; the worker's
    phone knows where it is, or (worker_located=False) may not say: Playwright then denies
    the geolocation permission. Fails the test on any uncaught page error."""
    base = live_server.url.rstrip("/")
    errors: list = []
    worker_context = browser.new_context(
        viewport=VIEWPORT,
        locale="nl-NL",
        permissions=["geolocation"] if worker_located else [],
        geolocation=DEMODORP,
    )
    manager_context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    try:
        worker = login(worker_context, base, worker_name, errors)
        manager = login(manager_context, base, manager_name, errors)
        for page in (worker, manager):
            expect(page.locator('#conn-state[data-state="open"]')).to_be_visible(timeout=LIVE)
        yield worker, manager
        assert errors == [], errors
    finally:
        worker_context.close()
        manager_context.close()


def open_tab(page, tab: str):
    """A manager's bottom navigation: "home", "todo", "gir" or "team"."""
    page.click(f'#tab-bar a[data-tab="{tab}"]')
    expect(page.locator(f'#tab-bar a[data-tab="{tab}"]')).to_have_attribute("aria-current", "page")


def plan_visit(worker, address: str, floor_room: str = ""):
    """Plan a home visit to `address` (on `floor_room`): where, then the checklist on its own
    step, answering "nee" to every question."""
    worker.click("#visit-start")
    expect(worker.locator("#visit-form")).to_be_visible()
    worker.fill("#visit-address", address)
    worker.fill("#visit-floor", floor_room)
    expect(worker.locator("#visit-checklist option")).not_to_have_count(0, timeout=LIVE)
    worker.click("#visit-next")
    questions = worker.locator("#checklist fieldset.question")
    expect(questions.first).to_be_visible(timeout=LIVE)
    for i in range(questions.count()):
        questions.nth(i).locator('input[value="nee"]').check()
    worker.click("#visit-submit")


def expect_register_warning(worker, address: str):
    """Plan a visit to `address`: the register's flag raises the risk to "hoog"."""
    plan_visit(worker, address)
    risk = worker.locator("#visit-risk")
    expect(risk).to_be_visible(timeout=LIVE)
    expect(risk).to_have_attribute("data-level", "hoog")
    expect(worker.locator("#visit-air")).to_contain_text("Agressie Informatie Register")
