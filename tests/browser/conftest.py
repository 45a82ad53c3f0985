"""Debian's Chromium driven by Playwright (never a downloaded browser), one per session."""
import pytest
from playwright.sync_api import expect, sync_playwright

PASSWORD = "veldwacht-demo"
CHROMIUM = "/usr/bin/chromium"
# As root and without internet: no sandbox, and none of Chromium's background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
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
