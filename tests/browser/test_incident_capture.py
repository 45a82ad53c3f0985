"""End-to-end check of incident capture in Debian's headless Chromium.

The worker (sanne) has no signal: she writes two reports, the phone keeps them and says they
wait. The network comes back: both reach the register, her phone keeps only a summary, and her
manager (lisa) sees exactly two. Sending them again (a retry, the service worker racing the
page) changes nothing: the server answers "duplicate". A report the server refuses stays on
the phone, marked rejected with the reason, is corrected in the form and then received. After
her own alarm closes, "Incidentmelding maken" opens the form filled from that alarm. With no
page of the app open, the service worker's Background Sync sends what waits.
"""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from services.vocabulary import vocabulary
from tests.browser.conftest import LIVE, worker_and_manager

pytestmark = pytest.mark.browser

WORKER, MANAGER = "sanne", "lisa"

# This user's outbox entries, as the page and the service worker share them.
READ_OUTBOX = """async () => {
    const me = JSON.parse(localStorage.getItem('veldwacht.profile'));
    return VeldwachtOutbox.list(me.id);
}"""

# A report put straight into this user's outbox and sent, as a second form or phone would.
ADD_TO_OUTBOX = """async (payload) => {
    const me = JSON.parse(localStorage.getItem('veldwacht.profile'));
    await VeldwachtOutbox.add(me.id, payload);
    await VeldwachtOutbox.flush();
}"""


def report_payload(**fields):
    """A complete report with a fresh client id; `fields` override the defaults."""
    return {
        "client_id": str(uuid.uuid4()),
        "behaviour_type": "B",
        "kinds": ["verbaal"],
        "channel": "telefoon",
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "location": "Telefoon",
        "description": "Belachelijke regel, riep hij",
        "alarm_id": None,
        "visit_id": None,
        "aggressor": None,
        **fields,
    }


# Incidents the page's user may see whose location contains the marker.
COUNT_IN_REGISTER = """async (marker) => {
    const r = await fetch('/api/incidents?mine=false&limit=200', {credentials: 'same-origin'});
    const data = await r.json();
    return data.incidents.filter((i) => (i.location || '').includes(marker)).length;
}"""


@pytest.fixture
def people(browser, live_server):
    with worker_and_manager(browser, live_server, WORKER, MANAGER) as pages:
        yield pages


def _fill_report(page, behaviour, kinds, channel, location, description):
    page.check(f"#incident-type-{behaviour}")
    for kind in kinds:
        page.check(f'input[name="incident-kind"][value="{kind}"]')
    page.check(f'input[name="incident-channel"][value="{channel}"]')
    page.fill("#incident-location", location)
    page.fill("#incident-description", description)


def _submit(page):
    page.click("#incident-submit")
    expect(page.locator("#home-screen")).to_be_visible(timeout=LIVE)


def test_offline_reports_wait_then_reach_the_register_exactly_once(people):
    worker, manager = people
    marker = uuid.uuid4().hex[:8]

    # 1. No signal: two reports through the form, both kept on the phone.
    worker.context.set_offline(True)
    worker.click("#incident-new")
    expect(worker.locator("#incident-screen")).to_be_visible()
    assert worker.input_value("#incident-when")  # defaults to now
    # ... the browser's local "now" (datetime-local, nl-NL), give or take a couple of minutes.
    drift_ms = worker.evaluate("""() => {
        const value = document.getElementById('incident-when').value;
        return Math.abs(new Date(value).getTime() - Date.now());
    }""")
    assert drift_ms <= 2 * 60_000, (worker.input_value("#incident-when"), drift_ms)
    _fill_report(
        worker,
        "D",
        ["intimidatie"],
        "huisbezoek",
        f"Molenweg 3 {marker}",
        "Dreigde me buiten op te wachten",
    )
    worker.click("#incident-aggressor summary")
    worker.fill("#incident-aggressor-name", "J. de Boer")
    _submit(worker)
    expect(worker.locator("#outbox-status")).to_contain_text("Opgeslagen op je telefoon")

    worker.click("#incident-new")
    expect(worker.locator("#incident-description")).to_have_value("")  # a fresh form
    _fill_report(
        worker,
        "C",
        ["verbaal", "discriminatie"],
        "openbare_ruimte",
        f"Markt {marker}",
        "Schold me uit",
    )
    _submit(worker)
    expect(worker.locator("#outbox-status")).to_contain_text("2 meldingen wachten op verbinding")
    expect(worker.locator('li.outbox-item[data-state="waiting"]')).to_have_count(2)
    payloads = [e["payload"] for e in worker.evaluate(READ_OUTBOX) if e["state"] == "waiting"]
    assert len(payloads) == 2 and len({p["client_id"] for p in payloads}) == 2
    assert payloads[0]["aggressor"] == {"name": "J. de Boer", "address": ""}
    assert payloads[0]["occurred_at"][-6] in "+-"  # sent with the phone's offset

    # 2. Signal again: both are received; the phone keeps a summary only.
    worker.context.set_offline(False)
    received = worker.locator('li.outbox-item[data-state="received"]')
    expect(received).to_have_count(2, timeout=LIVE)
    expect(received.first).to_contain_text("Ontvangen door het register — GIR-")
    expect(worker.locator("#outbox-status")).not_to_contain_text("wachten")
    kept = worker.evaluate(READ_OUTBOX)
    assert len(kept) == 2, kept
    assert {e["client_id"] for e in kept} == {p["client_id"] for p in payloads}
    for entry in kept:
        assert entry["state"] == "received", entry
        assert isinstance(entry["incident_id"], int) and entry["incident_id"] > 0, entry
        assert "description" not in entry["payload"] and "aggressor" not in entry["payload"]
    assert manager.evaluate(COUNT_IN_REGISTER, marker) == 2

    # 3. A retry of both, straight and through the outbox: duplicates, still two.
    answers = worker.evaluate(
        """async (payloads) => Promise.all(payloads.map(async (p) => {
        const r = await fetch('/api/incidents', {method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json'}, body: JSON.stringify(p)});
        return {status: r.status, duplicate: (await r.json()).duplicate};
    }))""",
        payloads,
    )
    assert answers == [{"status": 200, "duplicate": True}] * 2
    worker.evaluate(
        """async (payloads) => {
        for (const p of payloads) {
            await VeldwachtOutbox.update(p.client_id, {state: 'waiting', payload: p});
        }
        await VeldwachtOutbox.flush();
    }""",
        payloads,
    )
    expect(received).to_have_count(2, timeout=LIVE)
    assert manager.evaluate(COUNT_IN_REGISTER, marker) == 2


def test_a_rejected_report_is_kept_corrected_and_then_received(people):
    worker, manager = people
    marker = uuid.uuid4().hex[:8]

    # A report dated tomorrow (a wrong phone clock, say) goes straight into the outbox.
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    payload = report_payload(occurred_at=tomorrow, location=f"Telefoon {marker}")
    worker.evaluate(ADD_TO_OUTBOX, payload)
    client_id = payload["client_id"]
    item = worker.locator(f'li.outbox-item[data-client-id="{client_id}"]')
    expect(item).to_have_attribute("data-state", "rejected", timeout=LIVE)
    expect(item).to_contain_text("Afgewezen: Het tijdstip ligt in de toekomst")
    expect(worker.locator("#outbox-status")).to_contain_text("1 melding afgewezen")

    # Corrigeren: the same report on the form, the server's message at the field.
    item.locator(".outbox-correct").click()
    expect(worker.locator("#incident-screen")).to_be_visible()
    expect(worker.locator("#incident-when")).to_have_attribute("aria-invalid", "true")
    expect(worker.locator("#incident-when-error")).to_contain_text("toekomst")
    expect(worker.locator("#incident-description")).to_have_value("Belachelijke regel, riep hij")
    assert worker.evaluate("document.activeElement.id") == "incident-when"
    an_hour_ago = worker.evaluate("""() => {
        const d = new Date(Date.now() - 3600000), p = (n) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
            + `T${p(d.getHours())}:${p(d.getMinutes())}`;
    }""")
    worker.fill("#incident-when", an_hour_ago)
    _submit(worker)

    expect(item).to_have_attribute("data-state", "received", timeout=LIVE)
    expect(worker.locator("#outbox-status")).to_contain_text("Melding verstuurd naar het register")
    assert manager.evaluate(COUNT_IN_REGISTER, marker) == 1


def test_after_my_alarm_the_report_is_prefilled_from_it(people):
    worker, manager = people
    marker = uuid.uuid4().hex[:8]

    # Hold the alarm button, then withdraw the alarm with the PIN.
    worker.locator("#alarm-button").hover()
    worker.mouse.down()
    worker.wait_for_timeout(1800)
    worker.mouse.up()
    expect(worker.locator("#alarm-status")).to_have_attribute(
        "data-state", "received", timeout=LIVE
    )
    worker.fill("#alarm-pin", "4826")
    worker.click("#alarm-cancel-form button[type=submit]")
    expect(worker.locator("#alarm-after")).to_be_visible(timeout=LIVE)
    expect(manager.locator("#alarm-alert")).to_be_hidden(timeout=LIVE)
    alarm_id = int(worker.get_attribute("#alarm-report", "href").rsplit("=", 1)[1])

    # "Incidentmelding maken": linked to that alarm, at the moment it was raised.
    worker.click("#alarm-report")
    expect(worker.locator("#incident-screen")).to_be_visible()
    expect(worker.locator("#incident-context")).to_contain_text("Gekoppeld aan je alarm van")
    raised = worker.evaluate(f"""async () => {{
        const r = await fetch('/api/alarms/{alarm_id}', {{credentials: 'same-origin'}});
        const d = new Date((await r.json()).alarm.raised_at), p = (n) => String(n).padStart(2, '0');
        return `${{d.getFullYear()}}-${{p(d.getMonth() + 1)}}-${{p(d.getDate())}}`
            + `T${{p(d.getHours())}}:${{p(d.getMinutes())}}`;
    }}""")
    expect(worker.locator("#incident-when")).to_have_value(raised)
    _fill_report(
        worker,
        "E",
        ["fysiek_persoon"],
        "openbare_ruimte",
        f"Stationsplein {marker}",
        "Duwde me tegen de muur",
    )
    _submit(worker)

    entry = next(
        e for e in worker.evaluate(READ_OUTBOX) if marker in (e["payload"]["location"] or "")
    )
    item = worker.locator(f'li.outbox-item[data-client-id="{entry["client_id"]}"]')
    expect(item).to_have_attribute("data-state", "received", timeout=LIVE)
    incident_id = next(
        e["incident_id"]
        for e in worker.evaluate(READ_OUTBOX)
        if e["client_id"] == entry["client_id"]
    )
    detail = worker.evaluate(f"""async () => (await (await fetch('/api/incidents/{incident_id}',
        {{credentials: 'same-origin'}})).json()).incident""")
    assert detail["alarm_id"] == alarm_id


def _service_worker_registration(cdp, scope: str) -> str:
    """The page's service worker registration id, as DevTools knows it."""
    found = {}
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.update(
            {r["scopeURL"]: r["registrationId"] for r in event["registrations"]}
        ),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if scope in found:
            return found[scope]
        cdp.send("Runtime.evaluate", {"expression": "1"})  # lets the events arrive
    raise AssertionError(f"no service worker registration for {scope}: {found}")


def test_background_sync_sends_the_outbox_with_no_page_open(people, live_server):
    """The browser wakes the service worker when the network is back ("sync"), and the
    worker sends what waits, while no page of the app is running."""
    worker, manager = people
    context, marker = worker.context, uuid.uuid4().hex[:8]
    base = live_server.url.rstrip("/")
    worker.evaluate("navigator.serviceWorker.ready.then(() => true)")

    context.set_offline(True)
    worker.click("#incident-new")
    _fill_report(worker, "B", ["verbaal"], "telefoon", f"Telefoon {marker}", "Bleef schelden")
    _submit(worker)
    expect(worker.locator('li.outbox-item[data-state="waiting"]')).to_have_count(1)

    # No page of the app runs any more (an app page sends on "online" itself); a blank tab is
    # DevTools' way in. Then the network returns, and nobody has sent the report yet.
    worker.close()
    tab = context.new_page()
    context.set_offline(False)
    manager.wait_for_timeout(1500)
    assert manager.evaluate(COUNT_IN_REGISTER, marker) == 0

    cdp = context.new_cdp_session(tab)
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": base,
            "registrationId": _service_worker_registration(cdp, base + "/"),
            "tag": "incident-outbox",
            "lastChance": False,
        },
    )
    for _ in range(150):  # the service worker sends on its own; the manager's register shows it
        if manager.evaluate(COUNT_IN_REGISTER, marker) == 1:
            break
        manager.wait_for_timeout(100)
    assert manager.evaluate(COUNT_IN_REGISTER, marker) == 1

    # Back in the app, the phone shows it received.
    tab.goto(base + "/")
    expect(tab.locator('li.outbox-item[data-state="received"]')).not_to_have_count(0, timeout=LIVE)
    expect(tab.locator('li.outbox-item[data-state="waiting"]')).to_have_count(0)


def _values(page, selector):
    return page.locator(selector).evaluate_all("(nodes) => nodes.map((n) => n.value)")


def test_the_forms_offer_every_choice_of_the_services_vocabulary(people):
    """The capture form and the register's filters hold no list of their own: each code of
    services/vocabulary.py is offered, with its label and (behaviour types) its examples."""
    worker, manager = people
    words = vocabulary()
    worker.click("#incident-new")
    for entry in words["behaviour_types"]:
        expect(worker.locator(f"#incident-type-{entry['code']}-label")).to_have_text(entry["label"])
        expect(worker.locator(f"#incident-type-{entry['code']}-help")).to_have_text(entry["help"])
    assert _values(worker, 'input[name="incident-kind"]') == [e["code"] for e in words["kinds"]]
    channels = [e["code"] for e in words["channels"]]
    assert _values(worker, 'input[name="incident-channel"]') == channels
    expect(worker.locator('label.choice:has(input[value="doxing"])')).to_have_text("Doxing")

    manager.click("#gir-open")
    expect(manager.locator("#gir-screen")).to_be_visible()
    kinds = [e["code"] for e in words["kinds"]] + [words["combination"]]
    assert _values(manager, "#gir-filter-kind option")[1:] == kinds
    assert _values(manager, "#gir-filter-channel option")[1:] == channels
    statuses = [e["code"] for e in words["statuses"]]
    assert _values(manager, "#gir-filter-status option")[1:] == statuses
