"""End-to-end check of the PWA shell in Debian's headless Chromium.

Two people in one browser (two contexts): the manager (lisa) and a field
worker (sanne). The worker sends a message that reaches the manager live over
the websocket, then the worker's app is reloaded offline from the service worker.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, worker_and_manager

pytestmark = pytest.mark.browser


def test_message_reaches_manager_live_and_app_opens_offline(browser, live_server):
    # 1. Both log in and get a live connection (the helper waits for it and fails the test on
    #    any uncaught page error); each sees themselves.
    with worker_and_manager(browser, live_server, "sanne", "lisa") as (worker, manager):
        expect(manager.locator("#who")).to_contain_text("Lisa de Vries")
        expect(worker.locator("#who")).to_contain_text("Sanne Jansen")
        expect(manager.locator('#conn-state[data-state="open"]')).to_be_visible(timeout=LIVE)
        expect(worker.locator('#conn-state[data-state="open"]')).to_be_visible(timeout=LIVE)
        expect(worker.locator("#offline-banner")).to_be_hidden()

        # 2. The worker messages her manager; it shows up in the manager's feed live.
        option = worker.locator("#message-to option", has_text=re.compile(r"^\s*Lisa de Vries"))
        expect(option).to_have_count(1, timeout=10_000)
        worker.select_option("#message-to", value=option.get_attribute("value"))
        text = f"Ik ben bij de Dorpsstraat 12 ({uuid.uuid4().hex[:6]})"
        worker.fill("#message-text", text)
        worker.click("#message-form button[type=submit]")
        expect(worker.locator("#message-status")).not_to_be_empty()
        expect(manager.locator("#feed li.event", has_text=text)).to_have_count(1, timeout=10_000)

        # 3. Once the service worker controls the page, the app opens offline.
        assert worker.evaluate("navigator.serviceWorker.ready.then(() => true)")
        worker.reload()
        worker.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10_000)
        expect(worker.locator("#who")).to_contain_text("Sanne Jansen")

        worker.context.set_offline(True)
        worker.reload()
        expect(worker.locator("#home-screen")).to_be_visible()
        expect(worker.locator("#who")).to_contain_text("Sanne Jansen")
        expect(worker.locator("#offline-banner")).to_be_visible()
        expect(worker.locator("#conn-state")).to_have_attribute("data-state", "offline")

        # 4. Offline, the report form still offers its choices: the service worker kept the
        #    server's vocabulary (GET /api/vocabulary, network first).
        worker.click("#incident-new")
        expect(worker.locator("#incident-type-A-help")).not_to_be_empty()
        expect(worker.locator('input[name="incident-channel"]')).not_to_have_count(0)
        assert worker.locator("#incident-description").get_attribute("maxlength") == "2000"
    # (no uncaught page errors: asserted by worker_and_manager on leaving the block)
