"""The coordinator's audit trail (Inzagelog) in Debian's headless Chromium.

A manager (henk) looks at the register from his phone; the coordinator (Ingrid) did so too.
She finds his read in the Inzagelog, narrows it to him, and downloads that selection as CSV.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, PASSWORD, VIEWPORT, login

pytestmark = pytest.mark.browser

MANAGER, MANAGER_NAME, COORDINATOR_NAME = "henk", "Henk de Groot", "Ingrid Smit"
READ = "register bekeken"  # the purpose the register's list is read with


def test_the_coordinator_finds_a_managers_read_and_downloads_it(browser, live_server):
    base, errors = live_server.url.rstrip("/"), []
    phone = browser.new_context()
    desk = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    try:
        # Henk reads the register over the API, as his phone would: one row in the trail.
        henk = phone.request
        assert henk.post(
            f"{base}/api/auth/login", data={"username": MANAGER, "password": PASSWORD}
        ).ok
        assert henk.get(f"{base}/api/air").ok
        coordinator = login(desk, base, "coordinator", errors)
        assert coordinator.request.get(f"{base}/api/air").ok  # her own read, newer than his

        coordinator.click("#audit-open")
        expect(coordinator.locator("#audit-screen")).to_be_visible()
        rows = coordinator.locator("#audit-rows tr")
        his = rows.filter(has_text=MANAGER_NAME).filter(has_text=READ)
        expect(his.first).to_be_visible(timeout=LIVE)
        expect(his.first).to_contain_text("Ingezien")
        expect(his.first).to_contain_text("Agressie Informatie Register")
        expect(rows.filter(has_text=COORDINATOR_NAME).first).to_be_visible()

        # Only Henk: her own read is gone, his stays; the CSV link carries the same filter.
        coordinator.select_option("#audit-person", label=MANAGER_NAME)
        henk_id = coordinator.locator("#audit-person").input_value()
        coordinator.click("#audit-filters button[type=submit]")
        expect(rows.filter(has_text=COORDINATOR_NAME)).to_have_count(0, timeout=LIVE)
        expect(his.first).to_be_visible()
        expect(coordinator.locator("#audit-status")).to_contain_text("Regels:")
        csv_link = coordinator.locator("#audit-csv")
        expect(csv_link).to_have_attribute("href", f"/api/audit.csv?person={henk_id}")

        with coordinator.expect_download() as download:
            csv_link.click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert text.startswith("Nr;Tijdstip (UTC);Medewerker")
        assert f"{MANAGER_NAME};read;air;;{READ}" in text
        assert COORDINATOR_NAME not in text
        assert errors == [], errors
    finally:
        phone.close()
        desk.close()
