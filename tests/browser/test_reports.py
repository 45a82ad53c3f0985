"""Reports (Rapportages, issue 17) in Debian's headless Chromium, on a 360 px phone.

Sanne (Lisa's team) and Kim (Peter's) report an incident each. The coordinator opens the
reports from her home screen and picks the last twelve months: the whole organisation, the
URL says which report. Lisa, a manager, opens the same report by its URL: her teams only, and
no more incidents than the coordinator's. A chart's numbers are its table's; the PDF and the
CSV hold the period and the total the page shows; a figure opens the register list of its
incidents, with a note that says so, and back returns to the report. Both screens meet the
automated WCAG 2.1 AA rules (no serious or critical violation).
"""

import csv
import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import LIVE, PASSWORD, login
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PRESET = "last_12_months"  # holds the reports made just now
REPORT = "/rapportages?preset=" + PRESET
TOTAL = '[data-section="frequency"] [data-table="total"] tr[data-key="all"] td.reports-value'
BEHAVIOUR = '[data-section="frequency"] [data-table="behaviour"]'


def _report_incident(browser, base: str, username: str, behaviour: str, kinds: list[str]):
    """A report made over the API, as the worker's phone sends it."""
    context = browser.new_context()
    try:
        api = context.request
        assert api.post(
            f"{base}/api/auth/login", data={"username": username, "password": PASSWORD}
        ).ok
        answer = api.post(
            f"{base}/api/incidents",
            data={
                "client_id": uuid.uuid4().hex,
                "behaviour_type": behaviour,
                "kinds": kinds,
                "channel": "huisbezoek",
                "occurred_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat(),
                "location": f"Rapportageweg {uuid.uuid4().hex[:6]}",
                "description": "Dreigde bij de deur",
            },
        )
        assert answer.status == 201, answer.text()
    finally:
        context.close()


def _number(text: str) -> int:
    """A count as the page or a chart writes it ("1.234")."""
    return int(re.sub(r"\D", "", text))


def _serious(page) -> list[str]:
    return [v for v in violations(page) if "(serious)" in v or "(critical)" in v]


def _open_report(page) -> int:
    """The report on screen (no stale figures while it loads); returns its total."""
    expect(page.locator("#reports-result")).to_be_visible(timeout=LIVE)
    expect(page.locator(TOTAL)).to_have_count(1)
    return _number(page.locator(TOTAL).inner_text())


def _chart_matches_table(page):
    """Each bar's numbers in the chart are its row's in the table beside it."""
    block = page.locator(BEHAVIOUR)
    expect(block.locator(".reports-chart")).to_have_attribute("aria-hidden", "true")
    bars = block.locator(".reports-chart svg > g > g")  # the legend, then a group per row
    rows = block.locator("table tbody tr")
    assert rows.count() > 0 and bars.count() == rows.count() + 1
    for i in range(rows.count()):
        texts = bars.nth(i + 1).locator("text").evaluate_all("ts => ts.map((t) => t.textContent)")
        row = rows.nth(i)
        assert texts[1:] == [
            row.locator("td.reports-value").inner_text(),
            row.locator("td.reports-previous").inner_text(),
        ], (texts, row.inner_text())


def _fits_the_phone(page):
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


def test_reports_by_scope_chart_downloads_and_drill_down(browser, live_server):
    base, errors = live_server.url.rstrip("/"), []
    _report_incident(browser, base, "sanne", "D", ["intimidatie"])  # Lisa's team
    _report_incident(browser, base, "kim", "C", ["verbaal"])  # Peter's team
    desk = browser.new_context(viewport=PHONE, locale="nl-NL", accept_downloads=True)
    phone = browser.new_context(viewport=PHONE, locale="nl-NL", accept_downloads=True)
    try:
        # The coordinator: from her home screen, then the last twelve months, in the URL.
        coordinator = login(desk, base, "coordinator", errors)
        coordinator.click("#reports-open")
        expect(coordinator.locator("#reports-screen")).to_be_visible()
        _open_report(coordinator)
        coordinator.select_option("#reports-period", PRESET)
        coordinator.click("#reports-form button[type=submit]")
        expect(coordinator).to_have_url(base + REPORT)
        expect(coordinator.locator("#reports-status")).to_contain_text(
            "Hele organisatie", timeout=LIVE
        )
        everything = _open_report(coordinator)
        expect(coordinator.locator("#reports-scope")).to_contain_text("Hele organisatie")
        label = coordinator.locator("#reports-compare").inner_text().split(" vergeleken met ")[0]
        assert " t/m " in label, label
        _chart_matches_table(coordinator)
        _fits_the_phone(coordinator)
        assert _serious(coordinator) == []

        # The PDF: the period and the total the page shows.
        with coordinator.expect_download() as download:
            coordinator.click("#reports-pdf")
        pdf = PdfReader(download.value.path())
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert label in text
        assert re.search(rf"Meldingen\s+{everything}\b", text), text[:2000]

        # The CSV: the same total.
        with coordinator.expect_download() as download:
            coordinator.click("#reports-csv")
        content = Path(download.value.path()).read_text(encoding="utf-8-sig")
        dialect = csv.Sniffer().sniff(content.splitlines()[2], delimiters=",;")
        lines = list(csv.reader(io.StringIO(content), dialect))
        assert label in lines[0][0]
        total = next(r for r in lines if r[1:3] == ["Aantal meldingen", "Meldingen"])
        assert int(total[3]) == everything

        # A manager: her teams only, opened by the report's URL (a bookmark, a reload).
        lisa = login(phone, base, "lisa", errors)
        lisa.goto(base + REPORT)
        mine = _open_report(lisa)
        scope = lisa.locator("#reports-scope")
        expect(scope).to_contain_text("Sociaal Domein")
        expect(scope).not_to_contain_text("Hele organisatie")
        assert 1 <= mine < everything
        _chart_matches_table(lisa)
        _fits_the_phone(lisa)
        matrix = lisa.locator('[data-table="weekday_hour"] .reports-scroll')
        expect(matrix).to_have_attribute("role", "region")
        expect(matrix).to_have_attribute("tabindex", "0")
        assert _serious(lisa) == []

        # A figure opens the register list of its incidents: as many as the figure says.
        threats = lisa.locator(f'{BEHAVIOUR} tr[data-key="D"] td.reports-value a')
        count = _number(threats.inner_text())
        assert count >= 1
        threats.click()
        expect(lisa.locator("#gir-screen")).to_be_visible()
        assert "figure=behaviour" in lisa.url and "value=D" in lisa.url
        note = lisa.locator("#gir-drill")
        expect(note).to_be_visible()
        expect(note).to_contain_text("Uit rapportage: Naar gedragstype")
        expect(lisa.locator("#gir-count")).to_have_text(
            f"{min(count, 50)} van {count} meldingen", timeout=LIVE
        )
        expect(lisa.locator("li.gir-row")).to_have_count(min(count, 50))
        assert _serious(lisa) == []

        # Dismissing the note lists the period's reports again, of every type.
        lisa.click("#gir-drill-clear")
        expect(note).to_be_hidden()
        assert "figure=" not in lisa.url
        expect(lisa.locator("#gir-count")).to_have_text(
            f"{min(mine, 50)} van {mine} meldingen", timeout=LIVE
        )

        # Back: the report as it was asked for.
        lisa.go_back()
        expect(lisa).to_have_url(base + REPORT)
        assert _open_report(lisa) == mine
        assert errors == [], errors
    finally:
        desk.close()
        phone.close()
