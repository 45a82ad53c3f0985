"""The register read again at check-in, and permission as a request, in Debian's headless
Chromium.

Daan (BOA) plans a visit to an address the register does not know: *hoog* by his checklist,
alone. Meanwhile his manager Peter records a contactverbod for it. Daan taps "Inchecken": it is
refused, his screen says what changed in the register, and offers "Vraag toestemming" and "Bel
leidinggevende" — no "Inchecken". He asks, with a reason. Peter's phone shows the request at
once; he opens it (Daan's reason and the register's), approves with a reason, and Daan's screen
offers "Inchecken" again: alone, which he confirms. Peter's list shows he checked in alone.
"""

import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from services.clock import local_date
from tests.browser.conftest import LIVE, open_tab, plan_visit, worker_and_manager
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

WORKER, WORKER_NAME = "daan", "Daan Mulder"
MANAGER, MANAGER_NAME = "peter", "Peter Bakker"
WHY = "Controle na meldingen van de buren, samen met de wijkagent"
BAN_REASON = "Bedreigde een BOA met een mes"
DECISION = "Akkoord: ga met de wijkagent en bel mij na afloop"


def record_contact_ban(live_server, address: str) -> None:
    """The manager records a contactverbod for `address` from today (the register's API)."""
    http = live_server.session(MANAGER)
    entry = http.post(
        f"{live_server.url}/api/air",
        json={
            "address": address,
            "name": "R. Onbekend",
            "known_aggressive": True,
            "behaviour_type": "D",
        },
    )
    assert entry.status_code == 201, entry.text
    today = local_date(datetime.now(UTC)).isoformat()
    measure = http.post(
        f"{live_server.url}/api/air/{entry.json()['entry']['id']}/measures",
        json={"kind": "contactverbod", "starts_on": today, "reason": BAN_REASON},
    )
    assert measure.status_code == 201, measure.text


def submit_with_reason(page, button: str, field: str, reason: str) -> None:
    """Without a reason the phone says it is needed; then with the reason."""
    page.click(button)
    expect(page.locator(f"{field}-error")).not_to_be_empty()
    page.fill(field, reason)
    page.click(button)


def test_a_refused_check_in_asks_permission_and_the_managers_approval_allows_it(
    browser, live_server
):
    address = f"Wilgenhof {uuid.uuid4().int % 9000 + 1000}, Demodorp"  # new on the shared server
    with worker_and_manager(browser, live_server, WORKER, MANAGER) as (worker, manager):
        # 1. Planned: hoog by the checklist, not in the register; alone needs a tick.
        plan_visit(worker, address)
        risk = worker.locator("#visit-risk")
        expect(risk).to_have_attribute("data-level", "hoog", timeout=LIVE)
        expect(worker.locator("#visit-checkin")).to_be_visible()
        expect(worker.locator("#visit-permission")).to_be_hidden()
        record_contact_ban(live_server, address)

        # 2. Check-in reads the register again: refused, with what changed and how to ask.
        worker.check("#visit-alone")
        worker.click("#visit-checkin")
        expect(worker.locator("#visit-checkin-error")).to_contain_text(
            "Inchecken geweigerd: het register meldt een contactverbod", timeout=LIVE
        )
        expect(worker.locator("#visit-register-change")).to_contain_text(
            "Sinds je planning is er iets veranderd in het register: er geldt nu een contactverbod",
            timeout=LIVE,
        )
        expect(worker.locator("#visit-register-change")).not_to_contain_text("Onbekend")
        expect(risk).to_have_attribute("data-level", "niet_gaan")
        expect(worker.locator("#visit-checkin")).to_be_hidden()
        call = worker.locator("#visit-call-manager")
        expect(call).to_have_text(f"Bel leidinggevende: {MANAGER_NAME}")
        expect(call).to_have_attribute("href", "tel:+31610000002")
        expect(worker.locator("#visit-permission-ask")).to_have_text("Vraag toestemming")
        assert violations(worker) == []

        # 3. "Vraag toestemming" with a reason.
        submit_with_reason(worker, "#visit-permission-ask", "#visit-permission-reason", WHY)
        expect(worker.locator("#visit-permission-status")).to_have_text(
            "Toestemming gevraagd. Je leidinggevende beslist; je krijgt meteen bericht.",
            timeout=LIVE,
        )
        expect(worker.locator("#visit-permission-form")).to_be_hidden()
        expect(worker.locator("#visit-checkin-error")).to_be_hidden()

        # 4. The manager's phone shows the request live; it heads his "Te doen" and opens
        # from there, as from the banner, where he approves it.
        banner = manager.locator("#visit-request-banner .visit-request-row", has_text=WORKER_NAME)
        expect(banner).to_contain_text(
            f"{WORKER_NAME} vraagt toestemming voor {address}", timeout=LIVE
        )
        open_tab(manager, "todo")
        group = manager.locator("#todo-requests")
        expect(group.get_by_role("heading", name="Toestemming gevraagd")).to_be_visible(
            timeout=LIVE
        )
        assert manager.evaluate("""() => Boolean(document.getElementById('todo-requests')
            .compareDocumentPosition(document.getElementById('todo-list'))
            & Node.DOCUMENT_POSITION_FOLLOWING)""")
        expect(group).to_contain_text(f"Reden: {WHY}")
        group.get_by_role("button").filter(has_text=address.split(",")[0]).click()
        expect(manager.locator("#override-dialog")).to_be_visible(timeout=LIVE)
        expect(manager.locator("#override-details")).to_contain_text(WHY, timeout=LIVE)
        manager.click("#override-close")
        banner.locator("button").click()
        dialog = manager.locator("#override-dialog")
        expect(dialog).to_be_visible()
        details = manager.locator("#override-details")
        expect(details).to_contain_text(WHY, timeout=LIVE)
        expect(details).to_contain_text("Contactverbod van")
        expect(details).to_contain_text(BAN_REASON)
        assert violations(manager) == []
        submit_with_reason(manager, "#override-approve", "#override-reason", DECISION)
        expect(manager.locator("#override-status")).to_have_text(
            f"Toegestaan voor vandaag. {WORKER_NAME} krijgt meteen bericht.", timeout=LIVE
        )
        expect(banner).to_have_count(0)
        manager.click("#override-close")
        expect(dialog).to_be_hidden()

        # 5. The worker's screen allows the check-in at once; alone, confirmed.
        expect(worker.locator("#visit-permission-status")).to_have_text(
            f"Toestemming van {MANAGER_NAME} voor vandaag: {DECISION}", timeout=LIVE
        )
        expect(worker.locator("#visit-checkin")).to_be_visible()
        expect(worker.locator("#visit-call-manager")).to_be_hidden()
        worker.click("#visit-checkin")
        expect(worker.locator("#visit-alone-error")).not_to_be_empty()  # not ticked yet
        worker.check("#visit-alone")
        worker.click("#visit-checkin")
        expect(worker.locator("#visit-active")).to_be_visible(timeout=LIVE)
        open_tab(manager, "team")
        item = manager.locator("#team-visits-list li.team-visit", has_text=WORKER_NAME)
        expect(item).to_contain_text("Alleen ingecheckt, bevestigd", timeout=LIVE)

        worker.click("#visit-checkout")
        expect(worker.locator("#home-screen")).to_be_visible(timeout=LIVE)
        expect(item).to_have_count(0, timeout=LIVE)
