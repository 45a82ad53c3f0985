"""The incident register (GIR) in Debian's headless Chromium.

A worker (sanne) reports two incidents through the API; they appear live in her manager's
(lisa) register, where the type filter tells them apart. Lisa sees the aggressor's name and
the description as text (never as HTML); Sanne sees only that aggressor details are recorded.
Lisa completes the annex-8 form and the seven W's rise; Sanne, who opened the report before
that, saves a stale version: she is told, her input stays, and saving again succeeds. The CSV
export follows the filters.
"""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, worker_and_manager

pytestmark = pytest.mark.browser

WORKER, MANAGER = "sanne", "lisa"
AGGRESSOR = "Piet Dreigement"
HOSTILE = '<img src=x onerror="window.__pwned=1">'

# POST a report from the page itself (its session cookie, its Origin); returns the incident.
REPORT = """async (body) => {
    const r = await fetch('/api/incidents', {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
    if (r.status !== 201) throw new Error(r.status + ' ' + await r.text());
    return (await r.json()).incident;
}"""

# The export link's CSV, fetched as the browser would when the link is clicked.
FETCH_EXPORT = """async () => {
    const r = await fetch(document.getElementById('gir-export').href, {credentials: 'same-origin'});
    return {status: r.status, type: r.headers.get('Content-Type'), text: await r.text()};
}"""


@pytest.fixture
def people(browser, live_server):
    with worker_and_manager(browser, live_server, WORKER, MANAGER) as pages:
        yield pages


def _report(page, behaviour, kinds, location, description, aggressor=None):
    occurred = (datetime.now(UTC) - timedelta(minutes=20)).isoformat()
    return page.evaluate(
        REPORT,
        {
            "client_id": uuid.uuid4().hex,
            "behaviour_type": behaviour,
            "kinds": kinds,
            "channel": "huisbezoek",
            "occurred_at": occurred,
            "location": location,
            "description": description,
            "aggressor": aggressor,
        },
    )


def _filter(page, behaviour):
    page.select_option("#gir-filter-behaviour", behaviour)
    page.click("#gir-filters button[type=submit]")


def _open_report(page, location):
    page.locator("li.gir-row", has_text=location).locator("button.gir-row-open").click()
    expect(page.locator("#gir-detail-heading")).to_be_focused(timeout=LIVE)


def test_register_live_filters_detail_completion_and_a_stale_save(people):
    worker, manager = people
    marker = uuid.uuid4().hex[:8]
    threat, insult = f"Dreigstraat {marker}", f"Scheldweg {marker}"

    # 1. Role-dependent entry: the worker's own reports, the manager's register.
    expect(worker.locator("#gir-open")).to_have_text("Mijn meldingen")
    expect(manager.locator("#gir-open")).to_have_text("Incidentenregister")
    manager.click("#gir-open")
    expect(manager.locator("#gir-screen")).to_be_visible()
    expect(manager.locator("#gir-count")).to_contain_text("meldingen", timeout=LIVE)

    # 2. Sanne reports a threat (aggressor named, hostile text) and an insult: both arrive live.
    _report(
        worker,
        "D",
        ["intimidatie"],
        threat,
        f"Dreigde me op te wachten {HOSTILE}",
        {"name": AGGRESSOR, "address": "Dreefweg 1"},
    )
    insult_report = _report(worker, "C", ["verbaal"], insult, "Schold me uit")
    rows = manager.locator("li.gir-row")
    expect(rows.filter(has_text=threat)).to_have_count(1, timeout=LIVE)
    expect(rows.filter(has_text=insult)).to_have_count(1, timeout=LIVE)
    expect(rows.filter(has_text=threat)).to_contain_text("4/7 W's")
    expect(rows.filter(has_text=threat)).to_contain_text("Sanne Jansen")

    # 3. The type filter: D shows the threat only, C the insult only.
    manager.click("#gir-filters-box > summary")
    _filter(manager, "D")
    expect(rows.filter(has_text=insult)).to_have_count(0, timeout=LIVE)
    expect(rows.filter(has_text=threat)).to_have_count(1)
    _filter(manager, "C")
    expect(rows.filter(has_text=threat)).to_have_count(0, timeout=LIVE)
    expect(rows.filter(has_text=insult)).to_have_count(1)
    _filter(manager, "D")
    expect(rows.filter(has_text=threat)).to_have_count(1, timeout=LIVE)

    # 4. The CSV export follows the filter: the threat's row, with the aggressor, no insult.
    csv = manager.evaluate(FETCH_EXPORT)
    assert csv["status"] == 200 and csv["type"].startswith("text/csv")
    assert "Nummer;" in csv["text"] and "Naam agressor" in csv["text"]
    line = next(row for row in csv["text"].splitlines() if threat in row)
    assert AGGRESSOR in line and insult not in csv["text"]

    # 5. Sanne opens her report before Lisa completes it: no name, only "recorded".
    worker.click("#gir-open")
    expect(worker.locator("#gir-filter-team-field")).to_be_hidden()
    expect(worker.locator("#gir-export-box")).to_be_hidden()
    _open_report(worker, threat)
    expect(worker.locator("#gir-aggressor-note")).to_contain_text("Gegevens agressor vastgelegd")
    assert AGGRESSOR not in worker.content()

    # 6. Lisa's detail: the aggressor, the hostile text as text, 4 of 7 W's.
    _open_report(manager, threat)
    detail = manager.locator("#gir-detail")
    expect(detail).to_contain_text(AGGRESSOR)
    expect(detail.locator(".gir-description")).to_contain_text(HOSTILE)
    assert manager.evaluate("window.__pwned") is None
    assert detail.locator("img").count() == 0
    expect(manager.locator("#gir-ws-heading")).to_contain_text("4 van de 7")
    expect(detail.locator('.gir-ws li[data-w="waarom"]')).to_contain_text("open")

    # 7. She fills in why, how and "no weapons": all seven W's.
    detail.locator("#gir-edit > summary").click()
    manager.fill("#gir-f-form-cause", "Uitkering stopgezet")
    manager.fill("#gir-f-form-course", "Stond dreigend in de deuropening")
    manager.locator("#gir-f-form-weapons").get_by_text("Nee").click()
    manager.click("#gir-save")
    expect(manager.locator("#gir-status")).to_have_text("Opgeslagen.", timeout=LIVE)
    expect(manager.locator("#gir-ws-heading")).to_contain_text("7 van de 7")
    expect(detail.locator('.gir-ws li[data-w="waarom"]')).to_contain_text("ingevuld")

    # 8. Sanne saves on her stale version: told plainly, her input kept and listed.
    worker.locator("#gir-edit > summary").click()
    worker.fill("#gir-f-form-involved", "Buurman keek toe")
    worker.click("#gir-save")
    conflict = worker.locator("#gir-conflict")
    expect(conflict).to_contain_text(
        "Iemand anders heeft deze melding intussen opgeslagen", timeout=LIVE
    )
    expect(conflict).to_contain_text("Buurman keek toe")
    expect(conflict).to_be_focused()
    expect(worker.locator("#gir-f-form-involved")).to_have_value("Buurman keek toe")
    # The newest version is on her screen: Lisa's answers are there.
    expect(worker.locator("#gir-f-form-cause")).to_have_value("Uitkering stopgezet")

    # 9. Saving again applies her change; the history has both edits, the aggressor still hidden.
    worker.click("#gir-save")
    expect(worker.locator("#gir-status")).to_have_text("Opgeslagen.", timeout=LIVE)
    history = worker.locator("#gir-history > li")
    expect(history).to_have_count(3)
    expect(history.nth(1)).to_contain_text("Lisa de Vries")
    expect(history.nth(1)).to_contain_text("Uitkering stopgezet")
    expect(history.nth(2)).to_contain_text("Sanne Jansen")
    expect(history.nth(2)).to_contain_text("Buurman keek toe")
    assert AGGRESSOR not in worker.content()

    # 10. The outbox's "Bekijken" opens a received report here.
    worker.evaluate(
        "(id) => window.dispatchEvent(new CustomEvent('veldwacht:open-incident', {detail: {id}}))",
        insult_report["id"],
    )
    expect(worker.locator("#gir-detail-heading")).to_have_text(
        insult_report["number"], timeout=LIVE
    )
    expect(worker.locator("#gir-detail-heading")).to_be_focused()

    # Leaving the register takes its data off the page.
    manager.click("#gir-back")
    manager.click("#gir-back")
    expect(manager.locator("#home-screen")).to_be_visible()
    assert AGGRESSOR not in manager.content()
