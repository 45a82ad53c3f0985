"""The manager's follow-up fits a phone, in Debian's headless Chromium at 390 px.

The coordinator reports four threats against herself, one of them serious; her manager (the
gemeentesecretaris, §5) sees them in "Te doen" grouped per report, the serious one first, with
a count, the first three and "Meer tonen". She taps the report's police step and lands on it:
the "Politie" heading of that report's follow-up focused and in view. The follow-up's section
navigation names each part with its state in words; a link (tapped, or by keyboard) moves the
focus to that part's heading, in view and not hidden under the navigation; recording the
police step turns "Politie" to "klaar".
"""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, VIEWPORT, login, open_tab

pytestmark = pytest.mark.browser

REPORTER, MANAGER = "coordinator", "gemeentesecretaris"  # no other browser test uses them


def _report(live_server, n: int, serious: bool) -> dict:
    http = live_server.session(REPORTER)
    occurred = (datetime.now(UTC) - timedelta(minutes=5 + n)).isoformat()
    answer = http.post(
        f"{live_server.url}/api/incidents",
        json={
            "client_id": uuid.uuid4().hex,
            "behaviour_type": "D",
            "kinds": ["intimidatie"],
            "channel": "telefoon",
            "occurred_at": occurred,
            "location": "",
            "description": f"Dreigde aan de telefoon ({n})",
            "aggressor": {"name": f"Beller {n}", "address": f"Wilgenlaan {n + 40}, Demodorp"},
        },
    )
    assert answer.status_code == 201, answer.text
    incident = answer.json()["incident"]
    if serious:
        marked = http.patch(
            f"{live_server.url}/api/incidents/{incident['id']}",
            json={"version": incident["version"], "serious_criteria": ["ernstig_letsel"]},
        )
        assert marked.status_code == 200, marked.text
    return incident


def _below_the_navigation(page, heading_id: str) -> bool:
    """The heading is in view and not under the sticky navigation (waits while it scrolls)."""
    page.wait_for_function(
        """(id) => {
        const heading = document.getElementById(id).getBoundingClientRect();
        const nav = document.getElementById('fu-nav').getBoundingClientRect();
        return heading.top >= nav.bottom - 1 && heading.bottom <= window.innerHeight;
    }""",
        arg=heading_id,
        timeout=LIVE,
    )
    return True


@pytest.fixture
def manager(browser, live_server):
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    errors: list = []
    try:
        yield login(context, live_server.url.rstrip("/"), MANAGER, errors)
        assert errors == [], errors
    finally:
        context.close()


def test_a_todo_item_opens_its_step_and_the_sections_navigate(live_server, manager):
    calm = [_report(live_server, n, serious=False) for n in range(3)]
    serious = _report(live_server, 3, serious=True)
    open_tab(manager, "todo")

    # 1. Grouped per report, the serious one first, a count, the first three and "meer".
    entries = manager.locator("#todo-list > li.todo-entry")
    expect(entries.first).to_contain_text(serious["number"], timeout=LIVE)
    expect(entries.first).to_contain_text("DRINGEND")
    expect(entries).to_have_count(3)
    expect(manager.locator("#todo-summary")).to_contain_text(
        re.compile(r"\d+ open punten bij \d+ meldingen")
    )
    first = entries.first
    expect(first.locator(".todo-count")).to_have_text(re.compile(r"^\d+ open$"))
    more = manager.locator("#todo-more")
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(more).to_have_text(re.compile(r"^Meer tonen \(\d+\)$"))
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(entries.nth(len(calm))).to_be_visible()  # hers, and any others
    expect(entries.nth(3).locator("a.todo-open")).to_be_focused(timeout=LIVE)

    # 2. Its police step opens the report at that step: the heading focused and in view.
    police = first.locator("a.todo-task-link", has_text="Politie: aangifte")
    expect(police).to_have_attribute("href", f"/gir/{serious['id']}/politie")
    police.click()
    expect(manager.locator("#gir-detail-heading")).to_have_text(serious["number"], timeout=LIVE)
    heading = manager.locator("#fu-police-heading")
    expect(heading).to_be_focused(timeout=LIVE)
    expect(heading).to_be_in_viewport()
    assert _below_the_navigation(manager, "fu-police-heading")

    # 3. The section navigation: every part with its state in words.
    nav = manager.get_by_role("navigation", name="Onderdelen van de afhandeling")
    expect(nav.get_by_role("link")).to_have_count(6)
    expect(nav.get_by_role("link", name=re.compile(r"^Inspectie SZW"))).to_contain_text("open")
    expect(nav.get_by_role("link", name=re.compile(r"^Politie"))).to_contain_text("open")
    expect(nav.get_by_role("link", name=re.compile(r"^Brieven"))).to_contain_text("niet nodig")
    nav.get_by_role("link", name=re.compile(r"^Nazorg")).click()
    aftercare = manager.locator("#fu-aftercare-heading")
    expect(aftercare).to_be_focused(timeout=LIVE)
    expect(aftercare).to_be_in_viewport()
    assert _below_the_navigation(manager, "fu-aftercare-heading")
    letters = nav.get_by_role("link", name=re.compile(r"^Brieven"))
    letters.focus()
    manager.keyboard.press("Enter")  # by keyboard, as a screen reader user would
    expect(manager.locator("#fu-letters-heading")).to_be_focused(timeout=LIVE)
    assert _below_the_navigation(manager, "fu-letters-heading")

    # 4. Done is said: record the police step, the navigation follows.
    nav.get_by_role("link", name=re.compile(r"^Politie")).click()
    expect(heading).to_be_focused(timeout=LIVE)
    manager.fill("#fu-police-reference", "PL-77")
    manager.click("#fu-police-form button[type=submit]")
    expect(nav.get_by_role("link", name=re.compile(r"^Politie"))).to_contain_text(
        "klaar", timeout=LIVE
    )


def test_te_doen_still_works_when_the_permission_requests_cannot_be_had(manager):
    """The visits' permission requests (their own module, tests/browser/test_visit_permission.py
    shows them heading "Te doen") are asked for separately: when that route fails, Te doen
    shows its reports and no requests group."""
    manager.route(
        "**/api/visits/override-requests",
        lambda route: route.fulfill(
            status=404, content_type="application/json", body='{"error": "Niet gevonden."}'
        ),
    )
    with manager.expect_response("**/api/visits/override-requests") as answer:
        open_tab(manager, "todo")
    assert answer.value.status == 404
    expect(manager.locator("#todo-card")).to_be_visible(timeout=LIVE)
    expect(manager.locator("#todo-requests")).to_be_hidden()
