"""The follow-up of a serious threat in Debian's headless Chromium.

A worker (sanne) reports that P. Verhoeven threatened her on a home visit, then marks the
report serious (hospital admission). Her manager (lisa) finds it in "Te doen", marked urgent
in words, and opens it: the Inspectie SZW countdown runs and the reaction matrix advises
"Pandverbod 3 maanden" with aangifte. Lisa records her call to the Inspectie (the countdown
becomes "gemeld"), then the written report; issues the pandverbod (it goes into the Agressie
Informatie Register) and records Sanne's aangifte; drafts the ban letter for the measure just
recorded, beside Sanne's own words as a suggestion. "Definitief maken" is refused while the
draft still has places to fill in; once she has written the behaviour in her own words it is
final, and the PDF names P. Verhoeven, the aangifte, and the ban "tot en met" its end. When
Sanne then plans a visit to that address, the register warns her, without the name.

The live server runs on the real clock: dates are computed from today in the Netherlands.
"""

import base64
import io
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from services.clock import local_date
from services.followup.letters import OWN_WORDS, dutch_date
from tests.browser.conftest import LIVE, expect_register_warning, open_tab, worker_and_manager
from tests.browser.test_gir import REPORT
from tests.browser.test_register import _in_months

pytestmark = pytest.mark.browser

WORKER, MANAGER = "sanne", "lisa"
AGGRESSOR = "P. Verhoeven"
ADDRESS = "Esdoornlaan 12, Demodorp"  # not in the demo register

MARK_SERIOUS = """async ({id, version}) => {
    const r = await fetch('/api/incidents/' + id, {method: 'PATCH', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({version, serious_criteria: ['ziekenhuisopname']})});
    if (r.status !== 200) throw new Error(r.status + ' ' + await r.text());
    return (await r.json()).incident;
}"""

# The download link's PDF, fetched as the browser would when it is clicked; base64 for the trip.
FETCH_PDF = """async () => {
    const link = document.querySelector('#fu-letters a.fu-pdf');
    const r = await fetch(link.href, {credentials: 'same-origin'});
    const bytes = new Uint8Array(await r.arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return {status: r.status, type: r.headers.get('Content-Type'), body: btoa(text)};
}"""


@pytest.fixture
def people(browser, live_server):
    with worker_and_manager(browser, live_server, WORKER, MANAGER) as pages:
        yield pages


def _serious_threat(worker) -> dict:
    occurred = (datetime.now(UTC) - timedelta(minutes=2)).isoformat()
    incident = worker.evaluate(
        REPORT,
        {
            "client_id": uuid.uuid4().hex,
            "behaviour_type": "D",
            "kinds": ["intimidatie"],
            "channel": "huisbezoek",
            "occurred_at": occurred,
            "location": ADDRESS,
            "description": "Dreigde me buiten op te wachten",
            "aggressor": {"name": AGGRESSOR, "address": ADDRESS},
        },
    )
    return worker.evaluate(MARK_SERIOUS, {"id": incident["id"], "version": incident["version"]})


def _pdf_text(manager) -> str:
    pdf = manager.evaluate(FETCH_PDF)
    assert pdf["status"] == 200 and pdf["type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(base64.b64decode(pdf["body"])))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_serious_threat_from_to_do_to_ban_letter_and_the_registers_warning(people):
    worker, manager = people
    expect(worker.locator("#tab-bar")).to_be_hidden()  # a field worker has no "Te doen"

    # 1. Sanne reports the threat and marks it serious: urgent in Lisa's "Te doen", in words.
    incident = _serious_threat(worker)
    open_tab(manager, "todo")
    entry = manager.locator("#todo-list li.todo-entry", has_text=incident["number"])
    expect(entry).to_contain_text("DRINGEND", timeout=LIVE)
    expect(entry).to_contain_text("Telefonisch melden bij de Inspectie SZW")
    expect(entry).to_contain_text("Sanne Jansen")

    # 2. She opens it: the countdown to the Inspectie SZW, the advice, the police step.
    entry.locator("a.todo-open").click()
    expect(manager.locator("#gir-detail-heading")).to_have_text(incident["number"], timeout=LIVE)
    expect(manager.locator("#fu-responsible")).to_have_text("Lisa de Vries", timeout=LIVE)
    countdown = manager.locator("#fu-szw-countdown")
    expect(countdown).to_have_text(re.compile(r"^Nog 23:5\d uur om te melden$"))
    expect(countdown).to_have_attribute("role", "timer")
    expect(manager.locator("a.fu-call")).to_have_attribute("href", "tel:08005151")
    expect(manager.locator("#fu-advice-measure")).to_have_text("Pandverbod 3 maanden")
    expect(manager.locator("#fu-advice-police")).to_have_text("Aangifte")
    expect(manager.locator("#fu-police-advice")).to_contain_text("D-gedrag: altijd aangifte")

    # 3. She records her call: the countdown becomes "gemeld (op tijd)"; then, in writing.
    manager.fill("#fu-szw-reference", "SZW-2026-17")
    manager.click("#fu-szw-form button[type=submit]")
    done = manager.locator("#fu-szw-done")
    expect(done).to_contain_text("Telefonisch gemeld op", timeout=LIVE)
    expect(done).to_contain_text("(op tijd)")
    expect(done).to_be_focused()
    expect(countdown).to_have_count(0)
    expect(manager.locator("#fu-szw-status")).to_have_text(
        "Telefonische melding bij de Inspectie SZW vastgelegd."
    )
    expect(manager.locator("#fu-szw-written-due")).to_contain_text("schriftelijk")
    manager.fill("#fu-szw-written-reference", "Webformulier 17")
    manager.click("#fu-szw-written-form button[type=submit]")
    expect(manager.locator("#fu-szw-written-done")).to_be_focused(timeout=LIVE)
    expect(manager.locator("#fu-szw-written-done")).to_contain_text("Schriftelijk gemeld op")

    # 4. The pandverbod, prefilled from the advice: from today for three months, into the AIR.
    starts = local_date(datetime.now(UTC))
    ends = _in_months(starts, 3)
    expect(manager.locator("#fu-measure-kind")).to_have_value("pandverbod")
    expect(manager.locator("#fu-measure-starts")).to_have_value(starts.isoformat())
    expect(manager.locator("#fu-measure-ends")).to_have_value(ends.isoformat())
    manager.fill("#fu-measure-note", "Dreigde medewerker bij huisbezoek")
    manager.click("#fu-measure-form button[type=submit]")
    measure = manager.locator("#fu-measures li.fu-measure")
    expect(measure).to_have_count(1, timeout=LIVE)
    expect(measure).to_be_focused()
    expect(measure).to_contain_text("Pandverbod")
    expect(measure.locator(f'time[datetime="{ends.isoformat()}"]')).to_have_count(1)
    expect(measure).to_contain_text("Agressie Informatie Register")
    measure_id = measure.get_attribute("id").removeprefix("fu-measure-")

    # 5. Sanne's aangifte, as the advice says (the victim files it, Lisa supports).
    expect(manager.locator("#fu-police-kind")).to_have_value("aangifte")
    manager.fill("#fu-police-reference", "PL-2026-0042")
    manager.click("#fu-police-form button[type=submit]")
    expect(manager.locator("#fu-police-records")).to_contain_text("PL-2026-0042", timeout=LIVE)

    # 6. The ban letter starts from the measure just recorded; her own words, not Sanne's.
    expect(manager.locator("#fu-letter-kind")).to_have_value("pandverbod")
    expect(manager.locator("#fu-letter-measure")).to_have_value(measure_id)
    manager.click("#fu-letter-form button[type=submit]")
    text = manager.locator("form.fu-form textarea[data-field=text]")
    expect(text).to_be_focused(timeout=LIVE)
    expect(text).to_have_value(re.compile(f"Geachte {re.escape(AGGRESSOR)},"))
    assert "Dreigde me buiten op te wachten" not in text.input_value()
    draft = manager.locator("form.fu-form:has(textarea[data-field=text])")
    expect(draft.locator(".fu-suggestion")).to_contain_text("Dreigde me buiten op te wachten")
    manager.once("dialog", lambda dialog: dialog.accept())
    manager.get_by_role("button", name="Definitief maken (PDF)").click()
    refusal = draft.locator(".fu-form-error")
    expect(refusal).to_contain_text("Nog niet definitief te maken", timeout=LIVE)
    expect(refusal).to_contain_text("open plekken")
    expect(manager.locator("#fu-letters a.fu-pdf")).to_have_count(0)
    own = (
        text.input_value()
        .replace(OWN_WORDS, "U dreigde onze medewerker buiten op te wachten.")
        .replace("Aanleiding: …", "Aanleiding: een afgewezen aanvraag.")
        .replace("Toedracht: …", "Toedracht: u kwam dreigend dichtbij.")
    )
    text.fill(own + "\n\nU kunt bezwaar maken bij de gemeente.")
    manager.once("dialog", lambda dialog: dialog.accept())
    manager.get_by_role("button", name="Definitief maken (PDF)").click()
    link = manager.locator("#fu-letters a.fu-pdf")
    expect(link).to_be_focused(timeout=LIVE)
    expect(link).to_contain_text("Pandverbod")
    expect(text).to_have_count(0)
    pdf = _pdf_text(manager)
    assert AGGRESSOR in pdf
    assert f"met ingang van {dutch_date(starts)} tot en met {dutch_date(ends)}" in pdf, pdf
    assert "Wij hebben aangifte gedaan" in pdf and "Toedracht: u kwam dreigend dichtbij." in pdf
    assert "…" not in pdf and "U kunt bezwaar maken bij de gemeente." in pdf

    # 7. Sanne plans a visit to that address: the register's flag and advice, never the name.
    expect_register_warning(worker, "Esdoornlaan 12")
    expect(worker.locator("#visit-advice")).to_contain_text("ga niet alleen")
    assert AGGRESSOR not in worker.content()
    worker.click("#visit-cancel")
    expect(worker.locator("#home-screen")).to_be_visible(timeout=LIVE)
