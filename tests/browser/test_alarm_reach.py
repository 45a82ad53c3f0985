"""What reaches people when an alarm goes off, in Debian's headless Chromium.

A worker raises an alarm during a checked-in visit: the manager's alert has the visit's address
and floor as its headline, navigation links and, since map tiles cannot load here (no
internet), says the map cannot load while the address stays. The manager was on another screen
and dismissed the alert: a bar on that screen keeps the alarm in sight and reopens it, and when
it is closed a trace of how it ended stays there. Without location permission both sides are
told: the worker that her location is not shared, the manager why. After a withdrawn alarm the
card offering a report survives a reload and then leads to the one report. A test alarm
updates the manager's readiness list at once; three wrong PINs lock cancelling by PIN and warn
the responders.

Each test has its own worker (the live server is shared by all browser tests in a session);
Henk and Peter manage their teams.
"""

import re
import uuid
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from services.alarms.models import POSITION_STATUS_LABELS, PositionStatus
from services.alarms.service import PIN_LOCKED
from tests.browser.conftest import LIVE, plan_visit, worker_and_manager
from tests.browser.test_alarm import _hold_alarm_button, _raise, _resolve
from tests.browser.test_incident_capture import ADD_TO_OUTBOX, _fill_report, _submit, report_payload

pytestmark = pytest.mark.browser

# The responder's alert, top to bottom: who, where, since when, the position, how to get there.
ALERT_ORDER = [
    "alarm-alert-worker",
    "alarm-alert-call",
    "alarm-alert-place",
    "alarm-alert-ago",
    "alarm-alert-position",
    "alarm-alert-nav",
    "alarm-map",
]
IN_ORDER = """(ids) => ids.every((id, i) => i === 0 || Boolean(document.getElementById(ids[i - 1])
    .compareDocumentPosition(document.getElementById(id)) & Node.DOCUMENT_POSITION_FOLLOWING))"""


def _check_in(worker, address: str, floor_room: str):
    plan_visit(worker, address, floor_room)
    expect(worker.locator("#visit-risk")).to_be_visible(timeout=LIVE)
    worker.click("#visit-checkin")
    expect(worker.locator("#visit-active")).to_be_visible(timeout=LIVE)


def _check_out(worker):
    expect(worker.locator("#home-screen")).to_be_visible(timeout=LIVE)
    worker.click("#visit-start")
    worker.click("#visit-checkout")
    expect(worker.locator("#visit-home-status")).to_contain_text("Uitgecheckt", timeout=LIVE)


def test_an_alarm_during_a_visit_puts_the_place_first_and_stays_in_sight(browser, live_server):
    address, floor = "Beukenlaan 40, Demodorp", "2e etage, woning 3B"
    with worker_and_manager(browser, live_server, "joost", "henk") as (worker, manager):
        _check_in(worker, address, floor)
        # The manager is busy in the register when the alarm comes in.
        manager.click("#register-open")
        expect(manager.locator("#register-screen")).to_be_visible()
        _hold_alarm_button(worker)

        alert = manager.locator("#alarm-alert")
        expect(alert).to_be_visible(timeout=LIVE)
        place = manager.locator("#alarm-alert-place")
        expect(place).to_have_text(f"{address}, {floor}")
        expect(manager.locator("#alarm-alert-visit")).to_have_text("Huisbezoek of bedrijfsbezoek")
        expect(manager.locator("#alarm-alert-visit")).to_be_visible()
        expect(manager.locator("#alarm-alert-worker")).to_have_text("Joost Meijer (Buitendienst)")
        expect(manager.locator("#alarm-alert-ago")).to_contain_text("geleden")
        expect(manager.locator("#alarm-alert-position")).to_contain_text("Laatste positie: ±20 m,")
        assert manager.evaluate(IN_ORDER, ALERT_ORDER)

        # Navigation: a geo: link (the phone's maps app) and a web map per place.
        nav = manager.locator("#alarm-alert-nav")
        expect(nav.locator('a[href^="geo:"]')).to_have_count(2)  # last position, visit address
        expect(nav.locator('li[data-kind="address"] a[href^="geo:"]')).to_have_attribute(
            "href", f"geo:0,0?q={quote(address, safe='')}"
        )
        maps = nav.locator('a[target="_blank"]')
        expect(maps).to_have_count(2)
        for i in range(2):
            expect(maps.nth(i)).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
            expect(maps.nth(i)).to_have_attribute("href", re.compile(r"^https://"))

        # No tiles here: the map area says so, the marker is there, the address stays on top.
        expect(manager.locator("#alarm-map-status")).to_have_text(
            "Kaart kan niet laden — gebruik het adres hierboven", timeout=LIVE
        )
        expect(manager.locator("#alarm-map .leaflet-marker-icon")).to_have_count(1)
        expect(place).to_have_text(f"{address}, {floor}")

        # The worker moves: the new position reaches the alert (sent at most every 10 s).
        worker.context.set_geolocation({"latitude": 52.0912, "longitude": 5.1220, "accuracy": 5})
        expect(manager.locator("#alarm-alert-position")).to_contain_text("±5 m", timeout=LIVE)

        # Dismissed on the register screen: the bar there keeps it in sight and reopens it.
        manager.click("#alarm-alert-dismiss")
        expect(alert).to_be_hidden()
        expect(manager.locator("#register-screen")).to_be_visible()
        bar = manager.locator("#alarm-banner")
        expect(bar).to_be_visible()
        expect(bar.locator("button.btn-banner")).to_have_text("Open alarm: Joost Meijer")
        bar.locator("button.btn-banner").click()
        expect(alert).to_be_visible()
        expect(place).to_have_text(f"{address}, {floor}")

        # Closed: the bar goes, the register screen keeps a trace of how it ended.
        _resolve(manager, "resolved_without_help")
        expect(bar).to_be_hidden()
        expect(manager.locator("#register-screen")).to_be_visible()
        trace = manager.locator("#alarm-trace")
        expect(trace).to_contain_text("Alarm van Joost Meijer afgesloten: Opgelost zonder hulp")
        trace.get_by_role("button", name=re.compile("^Sluiten")).click()
        expect(trace).to_be_empty()
        _check_out(worker)


def test_without_location_permission_the_worker_and_the_manager_are_told(browser, live_server):
    address, floor = "Kastanjelaan 5, Demodorp", "begane grond, achterdeur"
    with worker_and_manager(browser, live_server, "fatima", "henk", worker_located=False) as (
        worker,
        manager,
    ):
        expect(worker.locator("#location-state")).to_contain_text("Locatie: geblokkeerd")
        worker.click("#visit-start")
        expect(worker.locator("#visit-location")).to_be_visible()
        expect(worker.locator("#visit-location")).to_contain_text("Locatie: geblokkeerd")
        worker.click("#visit-back")
        _check_in(worker, address, floor)
        _hold_alarm_button(worker)

        expect(worker.locator("#alarm-status")).to_have_attribute(
            "data-state", "received", timeout=LIVE
        )
        expect(worker.locator("#alarm-location")).to_have_text(
            "Je locatie wordt niet gedeeld — collega's zien je bezoekadres"
        )

        alert = manager.locator("#alarm-alert")
        expect(alert).to_be_visible(timeout=LIVE)
        expect(manager.locator("#alarm-alert-place")).to_have_text(f"{address}, {floor}")
        expect(manager.locator("#alarm-alert-position")).to_have_text(
            POSITION_STATUS_LABELS[PositionStatus.DENIED]
        )
        expect(manager.locator("#alarm-map")).to_be_hidden()
        expect(manager.locator("#alarm-alert-nav li")).to_have_count(1)
        expect(manager.locator('#alarm-alert-nav li[data-kind="address"]')).to_have_count(1)
        _resolve(manager, "false_alarm")
        _check_out(worker)


def test_the_report_card_survives_a_reload_and_then_leads_to_the_one_report(browser, live_server):
    marker = uuid.uuid4().hex[:8]
    with worker_and_manager(browser, live_server, "kim", "peter") as (worker, manager):
        alarm_id = _raise(worker, manager, name="Kim Smit")
        worker.fill("#alarm-pin", "4826")
        worker.click("#alarm-cancel-form button[type=submit]")
        card, make = worker.locator("#alarm-after"), worker.locator("#alarm-report")
        expect(card).to_be_visible(timeout=LIVE)
        expect(manager.locator("#alarm-alert")).to_be_hidden(timeout=LIVE)

        # A reload keeps the card, with the way to a report and the way out.
        worker.reload()
        expect(card).to_be_visible(timeout=LIVE)
        expect(worker.locator("#alarm-closed")).to_have_text("Alarm ingetrokken.")
        expect(make).to_have_attribute("href", f"/melden?alarm={alarm_id}")
        expect(worker.locator("#alarm-after-dismiss")).to_have_text("Geen melding nodig")

        # The report, made from the card without signal: it waits, and the card says so.
        make.click()
        expect(worker.locator("#incident-context")).to_contain_text("Gekoppeld aan je alarm van")
        worker.context.set_offline(True)
        _fill_report(
            worker,
            "D",
            ["intimidatie"],
            "openbare_ruimte",
            f"Markt {marker}",
            "Dreigde me te slaan",
        )
        _submit(worker)
        expect(worker.locator("#alarm-report-note")).to_have_text("Melding wacht op verbinding")
        expect(make).to_be_hidden()

        # Signal again: the register has it, and the card leads there instead.
        worker.context.set_offline(False)
        open_report = worker.locator("#alarm-report-open")
        expect(open_report).to_have_text(re.compile(r"^Melding GIR-\d+ bekijken$"), timeout=LIVE)
        expect(open_report).to_be_visible()
        number = open_report.inner_text().split()[1]
        expect(make).to_be_hidden()
        worker.reload()
        expect(open_report).to_have_text(f"Melding {number} bekijken", timeout=LIVE)
        expect(open_report).to_be_visible()
        expect(make).to_be_hidden()
        expect(worker.locator("#alarm-after-dismiss")).to_have_text("Sluiten")

        # A second report of this alarm (a form opened twice, another phone): refused by the
        # register with the number of the first; the card still leads to the first.
        second = report_payload(
            behaviour_type="C",
            channel="openbare_ruimte",
            location="Markt",
            description="Nog een keer",
            alarm_id=alarm_id,
        )
        worker.evaluate(ADD_TO_OUTBOX, second)
        refused = worker.locator(f'li.outbox-item[data-client-id="{second["client_id"]}"]')
        expect(refused).to_have_attribute("data-state", "rejected", timeout=LIVE)
        expect(refused).to_contain_text(f"Voor dit alarm heb je al een melding gemaakt: {number}.")
        expect(refused.locator(".outbox-correct")).to_have_count(0)
        expect(open_report).to_have_text(f"Melding {number} bekijken")

        open_report.click()
        expect(worker.locator("#gir-detail-heading")).to_have_text(number, timeout=LIVE)
        worker.click("#gir-back")  # detail -> list
        worker.click("#gir-back")  # list -> home

        # "Sluiten": the card goes, after a reload too.
        worker.click("#alarm-after-dismiss")
        expect(card).to_be_hidden()
        worker.reload()
        expect(worker.locator("#home-screen")).to_be_visible()
        expect(worker.locator('#conn-state[data-state="open"]')).to_be_visible(timeout=LIVE)
        expect(card).to_be_hidden()


def test_readiness_and_wrong_pins_reach_the_manager_at_once(browser, live_server):
    """A test alarm first: the manager's list of who can receive alarms says at once that his
    phone got it (not at the next 30 s refresh). Then a real alarm: three wrong PINs lock
    cancelling by PIN, and the manager sees each attempt and the lock."""
    with worker_and_manager(browser, live_server, "daan", "peter") as (worker, manager):
        worker.on("dialog", lambda dialog: dialog.accept())  # "Testalarm versturen?"
        own = manager.locator("#readiness-list li", has_text="Peter Bakker")
        expect(own).to_have_attribute("data-status", "untested", timeout=LIVE)
        worker.click("#test-alarm-button")
        expect(manager.locator("#alarm-alert-test")).to_be_visible(timeout=LIVE)
        test_id = int(manager.get_attribute("#alarm-alert", "data-alarm-id"))
        expect(own).to_have_attribute("data-status", "ok", timeout=10_000)
        _resolve(manager, "test_completed")

        _raise(worker, manager, previous_id=test_id, name="Daan Mulder")
        warning = manager.locator("#alarm-alert-pin")
        expect(warning).to_be_hidden()
        for attempt, left in ((1, "Nog 2 pogingen."), (2, "Nog 1 poging.")):
            worker.fill("#alarm-pin", "0000")
            worker.click("#alarm-cancel-form button[type=submit]")
            expect(worker.locator("#alarm-pin-error")).to_have_text(
                f"Onjuiste pincode. {left}", timeout=LIVE
            )
            expect(warning).to_have_text(f"Onjuiste pincode ingevoerd ({attempt}×)", timeout=LIVE)
            expect(warning).to_be_visible()

        # The third: the server's words replace the PIN form; the alarm and the calls stay.
        worker.fill("#alarm-pin", "0000")
        worker.click("#alarm-cancel-form button[type=submit]")
        expect(worker.locator("#alarm-pin-locked")).to_have_text(PIN_LOCKED, timeout=LIVE)
        expect(worker.locator("#alarm-pin-locked")).to_be_visible()
        expect(worker.locator("#alarm-cancel-form")).to_be_hidden()
        expect(worker.locator("#alarm-screen")).to_be_visible()
        expect(worker.locator("#alarm-status")).to_have_attribute("data-state", "received")
        expect(worker.locator("#call-112")).to_be_visible()
        expect(worker.locator("#call-manager")).to_be_visible()
        expect(warning).to_have_text(
            "Iemand probeert dit alarm in te trekken — intrekken met pincode is geblokkeerd",
            timeout=LIVE,
        )
        expect(warning).to_be_visible()
        expect(manager.locator("#alarm-alert")).to_be_visible()

        _resolve(manager, "false_alarm")
        expect(worker.locator("#alarm-closed")).to_contain_text("Vals alarm", timeout=LIVE)
