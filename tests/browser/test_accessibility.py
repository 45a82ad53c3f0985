"""WCAG 2.1 A/AA rules checked by axe-core in Debian's headless Chromium, on every screen a
worker and a manager use: login, home (with the alarm explained), quick capture, visit
planning (both steps), Te doen and the team behind the manager's tab bar, the worker's alarm
and the manager's full-screen alert, the bar that keeps an open alarm in sight and the trace
of how it ended, the card after the worker's alarm and her privacy page with who saw her
location, the register (GIR) with its follow-up, the AIR. Automated rules catch a part of WCAG
(names, roles, contrast, structure); keyboard and screen-reader behaviour is asserted in the
other browser tests."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, VIEWPORT, login, open_tab, worker_and_manager
from tests.browser.test_alarm import _raise, _resolve
from tests.browser.test_gir import REPORT

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
axe = Axe()


def violations(page) -> list[str]:
    found = axe.run(page, options=WCAG_21_AA).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found]


def test_every_screen_meets_the_automated_wcag_21_aa_rules(browser, live_server):
    # Yara and Peter: no other browser test leaves them with a visit or an alarm.
    with worker_and_manager(browser, live_server, "yara", "peter") as (worker, manager):
        problems = {}

        def audit(page, screen: str) -> None:
            problems[screen] = violations(page)

        worker.click("#alarm-explain summary")  # "Hoe werkt het alarm?" with the location state
        expect(worker.locator("#alarm-explain li").first).to_be_visible()
        audit(worker, "home (worker, alarm explained)")
        audit(manager, "home (manager: te doen, lopende bezoeken)")
        worker.click("#incident-new")
        expect(worker.locator("#incident-screen")).to_be_visible()
        audit(worker, "incident capture")
        worker.click("#incident-back")
        worker.click("#visit-start")
        expect(worker.locator("#visit-form")).to_be_visible()
        audit(worker, "visit planning: where and with whom")
        worker.fill("#visit-address", "Stationsplein 2, Demodorp")
        expect(worker.locator("#visit-checklist option")).not_to_have_count(0, timeout=LIVE)
        worker.click("#visit-next")
        expect(worker.locator("#checklist fieldset.question").first).to_be_visible(timeout=LIVE)
        audit(worker, "visit planning: the checklist")
        worker.click("#visit-back")  # checklist -> where
        worker.click("#visit-back")  # where -> home
        report = worker.evaluate(
            REPORT,
            {
                "client_id": uuid.uuid4().hex,
                "behaviour_type": "E",
                "kinds": ["fysiek_persoon"],
                "channel": "gemeentelijk_gebouw",
                "location": "Balie stadhuis",
                "occurred_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
                "description": "Duwde me tegen de balie",
                "aggressor": {"name": "K. Bakker"},
            },
        )
        open_tab(manager, "todo")
        expect(manager.locator("#todo-list li.todo-entry").first).to_be_visible(timeout=LIVE)
        audit(manager, "Te doen")
        open_tab(manager, "team")
        audit(manager, "team (visits under way)")
        open_tab(manager, "gir")
        row = manager.locator("#gir-screen li", has_text=report["number"])
        expect(row).to_be_visible(timeout=LIVE)
        audit(manager, "register list")
        row.locator("button").first.click()
        expect(manager.locator("#gir-detail-heading")).to_have_text(report["number"], timeout=LIVE)
        expect(manager.locator("#fu-responsible")).to_be_visible(timeout=LIVE)
        audit(manager, "register detail with the follow-up")
        manager.click("#gir-back")  # detail -> list
        manager.click("#gir-back")  # list -> home
        manager.click("#register-open")
        expect(manager.locator("li.air-entry").first).to_be_visible(timeout=LIVE)
        audit(manager, "Agressie Informatie Register")
        _raise(worker, manager, name="Yara de Boer")
        expect(manager.locator("#alarm-map-status")).not_to_be_empty(timeout=LIVE)  # no tiles here
        audit(worker, "alarm (worker, with 112 and the manager)")
        audit(manager, "alarm alert (manager: place, navigation, map)")
        manager.click("#alarm-alert-dismiss")
        expect(manager.locator("#alarm-banner")).to_be_visible()
        audit(manager, "register with the open alarm's bar")
        manager.locator("#alarm-banner button.btn-banner").click()
        _resolve(manager, "false_alarm")
        expect(manager.locator("#alarm-trace")).not_to_be_empty()
        audit(manager, "register with how the alarm ended")
        expect(worker.locator("#alarm-after")).to_be_visible(timeout=LIVE)
        audit(worker, "home after my alarm (the report card)")
        worker.click("#account-open")
        worker.click("#privacy-open")
        views = worker.locator("#privacy-views section").first  # the alarm just resolved
        expect(views).to_contain_text("Peter Bakker (Leidinggevende)", timeout=LIVE)
        expect(views).to_contain_text("Gewaarschuwd, met je locatie")
        expect(worker.locator("#privacy-processings h3")).not_to_have_count(0)
        audit(worker, "privacy: who saw my location, what is kept")
        assert {screen: found for screen, found in problems.items() if found} == {}


def test_the_administration_screen_meets_the_automated_wcag_21_aa_rules(browser, live_server):
    """Beheer as the administrator has it (the people, the person form with the server's
    refusals next to their fields, the staff file's report) and as the coordinator reads it;
    the coordinator's Inzagelog with its table."""
    base, errors, problems = live_server.url.rstrip("/"), [], {}
    contexts = [browser.new_context(viewport=VIEWPORT, locale="nl-NL") for _ in range(2)]
    try:
        admin, coordinator = (
            login(c, base, who, errors)
            for c, who in zip(contexts, ("beheer", "coordinator"), strict=True)
        )
        admin.click("#admin-open")
        expect(admin.locator("#admin-people li.admin-person").first).to_be_visible(timeout=LIVE)
        expect(admin.locator("#admin-changes li").first).to_be_visible(timeout=LIVE)
        problems["Beheer (administrator)"] = violations(admin)
        admin.click("#admin-person-new")
        admin.fill("#admin-person-form-name", "Nieuwe Collega")
        admin.fill("#admin-person-form-username", "sanne")  # taken: refused next to the field
        admin.locator("#admin-person-form button[type=submit]").click()
        expect(admin.locator("#admin-person-form-username-error")).not_to_be_empty(timeout=LIVE)
        problems["Beheer: a person's form, refused"] = violations(admin)
        admin.click("#admin-person-form button[data-action=cancel]")
        wrong = b"gebruikersnaam;naam;rol\nsanne;Sanne Jansen;baas\n"
        admin.set_input_files(
            "#admin-import-file", files=[{"name": "p.csv", "mimeType": "text/csv", "buffer": wrong}]
        )
        admin.click("#admin-import-check")
        expect(admin.locator("#admin-import-problems li")).to_have_count(1, timeout=LIVE)
        problems["Beheer: the staff file's report"] = violations(admin)
        coordinator.goto(base + "/beheer")
        expect(coordinator.locator("#admin-readonly")).to_be_visible(timeout=LIVE)
        expect(coordinator.locator("#admin-people li.admin-person").first).to_be_visible(
            timeout=LIVE
        )
        problems["Beheer (coordinator, reading)"] = violations(coordinator)
        assert coordinator.request.get(base + "/api/audit.csv").ok  # a row: the export itself
        coordinator.goto(base + "/inzagelog")
        expect(coordinator.locator("#audit-rows tr").first).to_be_visible(timeout=LIVE)
        problems["Inzagelog (coordinator)"] = violations(coordinator)
        assert {screen: found for screen, found in problems.items() if found} == {}
        assert errors == [], errors
    finally:
        for context in contexts:
            context.close()
