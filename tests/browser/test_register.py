"""The Agressie Informatie Register in Debian's headless Chromium.

A manager (lisa) adds an address to the register with a pandverbod; a worker (mohammed)
plans a visit there and gets a high risk and the register's flag, but never the remarks.
The manager ends the measure early, which asks a reason: from today it no longer holds. She
changes one field, and the entry's history shows who did what, and why.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from services.clock import local_date
from tests.browser.conftest import LIVE, expect_register_warning, worker_and_manager

pytestmark = pytest.mark.browser

WORKER, MANAGER = "mohammed", "lisa"
ADDRESS = "Beukenlaan 4, Demodorp"
REMARKS = "Schold medewerker uit"
NEW_REMARKS = "Schold medewerker uit en dreigde terug te komen"
END_REASON = "Verhuisd naar een andere gemeente"


@pytest.fixture
def people(browser, live_server):
    with worker_and_manager(browser, live_server, WORKER, MANAGER) as pages:
        yield pages


def _in_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def test_manager_registers_a_pandverbod_the_worker_sees_only_the_flag(people):
    worker, manager = people

    # 1. Lisa opens the register: the AVG note; the coordinator's lookup log is not hers.
    expect(worker.locator("#register-open")).to_be_hidden()
    expect(worker.locator("#checklists-open")).to_be_hidden()
    expect(manager.locator("#checklists-open")).to_be_hidden()
    manager.click("#register-open")
    screen = manager.locator("#register-screen")
    expect(screen).to_be_visible()
    expect(screen).to_contain_text("Elke raadpleging wordt vastgelegd")
    expect(manager.locator("#air-lookups-section")).to_be_hidden()
    expect(manager.locator("li.air-entry", has_text="Molenweg 3")).to_have_count(1, timeout=LIVE)

    # 2. She adds the address: known aggressive, D behaviour, a remark.
    manager.fill("#air-address", ADDRESS)
    manager.check("#air-known")
    manager.select_option("#air-behaviour", "D")
    manager.fill("#air-remarks", REMARKS)
    manager.click("#air-form button[type=submit]")
    entry = manager.locator("li.air-entry", has_text=ADDRESS)
    expect(entry).to_have_count(1, timeout=LIVE)
    expect(entry).to_contain_text("Bekend agressief")
    expect(entry).to_contain_text("dreiging")
    expect(entry).to_contain_text(REMARKS)
    expect(manager.locator("#register-status")).to_contain_text("toegevoegd")
    entry_id = entry.get_attribute("data-entry-id")
    assert entry_id and entry_id.isdigit()

    # 3. A pandverbod from today (the default) for three months.
    entry.locator("details.air-new-measure > summary").click()
    today_here = local_date(datetime.now(UTC)).isoformat()  # the Dutch calendar day
    expect(manager.locator(f"#air-measure-start-{entry_id}")).to_have_value(today_here)
    ends = _in_months(date.fromisoformat(today_here), 3).isoformat()
    manager.select_option(f"#air-measure-kind-{entry_id}", "pandverbod")
    manager.fill(f"#air-measure-end-{entry_id}", ends)
    manager.fill(f"#air-measure-reason-{entry_id}", "Dreigde met geweld aan de balie")
    manager.click(f"#air-measure-add-{entry_id}")
    measure = entry.locator("li.air-measure", has_text="Pandverbod")
    expect(measure).to_have_count(1, timeout=LIVE)
    expect(measure).to_have_attribute("data-active", "true")
    expect(measure.locator(".air-measure-state")).to_have_text("actief")
    expect(measure.locator("time.measure-end")).to_have_attribute("datetime", ends)
    expect(measure.get_by_role("button", name=re.compile("beëindigen", re.I))).to_be_visible()

    # 4. The worker plans a visit there: high risk, the register's flag, no details.
    expect_register_warning(worker, ADDRESS)
    expect(worker.locator("#visit-air")).to_contain_text("Bekend")
    assert REMARKS not in worker.content()
    assert REMARKS not in worker.locator("body").inner_text()

    # 5. Lisa ends the measure early: the server asks why, at the field; then it no longer
    # holds from today ("tot en met" yesterday).
    measure.locator("button[data-end-measure]").click()
    measure_id = measure.get_attribute("data-measure-id")
    reason = manager.locator(f"#air-end-reason-{measure_id}")
    expect(reason).to_be_focused()
    manager.click(f"#air-end-confirm-{measure_id}")
    expect(manager.locator(f"#air-end-error-{measure_id}")).to_contain_text("Geef de reden")
    expect(manager.locator(f"#air-end-reason-{measure_id}-error")).to_have_text("verplicht")
    expect(reason).to_have_attribute("aria-invalid", "true")
    reason.fill(END_REASON)
    manager.click(f"#air-end-confirm-{measure_id}")
    server_today = local_date(datetime.now(UTC))
    expect(measure.locator("time.measure-end")).to_have_attribute(
        "datetime", (server_today - timedelta(days=1)).isoformat(), timeout=LIVE
    )
    expect(measure.locator(".air-measure-state")).to_have_text("beëindigd")
    expect(measure).to_have_attribute("data-active", "false")
    expect(measure).to_have_class(re.compile(r"(^|\s)is-ended(\s|$)"))
    expect(measure.get_by_role("button", name=re.compile("beëindigen", re.I))).to_have_count(0)
    expect(manager.locator("#register-status")).to_contain_text("geldt niet meer vanaf")

    # 6. She changes the remarks only; the history lists every change with its author.
    entry.locator("details.air-edit > summary").click()
    manager.fill(f"#air-edit-remarks-{entry_id}", NEW_REMARKS)
    manager.click(f"#air-edit-save-{entry_id}")
    expect(entry.locator(".air-remarks")).to_contain_text(NEW_REMARKS, timeout=LIVE)
    expect(entry.locator(".air-flag")).to_contain_text("Bekend agressief")  # not sent: kept
    expect(manager.locator("#register-status")).to_contain_text("gewijzigd")
    entry.locator("details.air-history > summary").click()
    versions = entry.locator("li.air-version")
    expect(versions).to_have_count(4, timeout=LIVE)
    expect(versions.nth(0)).to_contain_text("Lisa de Vries")
    expect(versions.nth(2)).to_contain_text("maatregel beëindigd: Pandverbod")
    expect(versions.nth(2)).to_contain_text(END_REASON)
    expect(versions.nth(3).locator('li[data-field="remarks"]')).to_contain_text(
        f"{REMARKS} → {NEW_REMARKS}"
    )

    # Leaving the screen takes the register's details off the page.
    manager.click("#register-back")
    expect(manager.locator("#home-screen")).to_be_visible()
    assert REMARKS not in manager.content() and END_REASON not in manager.content()
