"""The quarterly report as a document and the annual count (issue 17) in Debian's headless
Chromium, on a 360 px phone.

The coordinator opens this quarter's draft and tries to finalise it: the server refuses while
the quarter runs, and the page says so and still says Concept. She opens the previous quarter's
draft, writes the recommendations and saves them (the page says saved only once the server
answered), finalises it after a second step, downloads its PDF (final, with her text) and opens
a new version, which starts from those recommendations. Lisa, a manager, sees the final version
and not the new draft, and no form to open one. The annual count of last year shows the
figures the Sociaal jaarverslag counts, by its URL, with its CSV. Both screens meet the
automated WCAG 2.1 AA rules (no serious or critical violation).

Report documents are stored on the server the browser tests share: the versions are read from
the page, so that a second run against the same server finds the next ones.
"""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import LIVE, login
from tests.browser.test_reports import PHONE, _fits_the_phone, _serious

pytestmark = pytest.mark.browser

RECOMMENDATIONS = "Extra training de-escalatie voor de balie."
TAP = 44  # px: the smallest touch target


def _quarters() -> tuple[tuple[int, int], tuple[int, int]]:
    """(this quarter, the previous one) as (year, number), in the municipality's calendar."""
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    this = (today.year, (today.month - 1) // 3 + 1)
    previous = (this[0], this[1] - 1) if this[1] > 1 else (this[0] - 1, 4)
    return this, previous


def _first_day(year: int, number: int) -> str:
    return date(year, 3 * (number - 1) + 1, 1).isoformat()


def _documents(page, year: int, number: int):
    """The versions of a quarter's report on the page, the latest first."""
    return page.locator(
        f'li.report-doc[data-kind="quarterly"][data-period="{_first_day(year, number)}"]'
    )


def _open_draft(page, year: int, number: int):
    """Open (or reopen) a quarter's draft with the form; returns its item."""
    page.select_option("#report-docs-kind", "quarterly")
    page.fill("#report-docs-year", str(year))
    page.select_option("#report-docs-number", str(number))
    page.click("#report-docs-open-submit")
    expect(page.locator("#report-docs-open-status")).to_contain_text(
        f"{number}e kwartaal {year}", timeout=LIVE
    )
    draft = _documents(page, year, number).first
    expect(draft).to_have_attribute("data-state", "draft")
    expect(draft.locator(".report-doc-state")).to_contain_text("Concept")
    return draft


def _finalise(item):
    """Definitief maken, and yes in the second step."""
    item.locator('button[id$="-final"]').click()
    confirm = item.locator('[id$="-confirm"]')
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("verandert daarna niet meer")
    confirm.locator('button[id$="-final-yes"]').click()


def _targets_are_large_enough(page, root: str):
    targets = page.locator(f"{root} :is(button, a.btn, select, input, summary):visible")
    sizes = targets.evaluate_all(
        "nodes => nodes.map((n) => [n.id || n.textContent.trim(), n.offsetHeight])"
    )
    assert sizes and all(height >= TAP for _, height in sizes), sizes


def _no_duplicate_ids(page):
    twice = page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map((n) => n.id);"
        " return ids.filter((id, i) => ids.indexOf(id) !== i); }"
    )
    assert twice == [], twice


def test_quarterly_report_drafted_finalised_new_version_and_read_by_a_manager(browser, live_server):
    base, errors = live_server.url.rstrip("/"), []
    (year, number), (last_year, last) = _quarters()
    desk = browser.new_context(viewport=PHONE, locale="nl-NL", accept_downloads=True)
    phone = browser.new_context(viewport=PHONE, locale="nl-NL")
    try:
        coordinator = login(desk, base, "coordinator", errors)
        coordinator.goto(base + "/rapportages")  # by its URL, as a bookmark opens it
        expect(coordinator.locator("#reports-screen")).to_be_visible()
        expect(coordinator.locator("#report-docs-open")).to_be_visible()

        # A period that has not begun: the server's word, at the field it is about.
        coordinator.select_option("#report-docs-kind", "quarterly")
        coordinator.fill("#report-docs-year", str(year + 1))
        coordinator.select_option("#report-docs-number", "1")
        coordinator.click("#report-docs-open-submit")
        expect(coordinator.locator("#report-docs-open-error")).to_contain_text(
            "nog niet begonnen", timeout=LIVE
        )
        number_field = coordinator.locator("#report-docs-number")
        expect(number_field).to_have_attribute("aria-invalid", "true")
        expect(number_field).to_be_focused()
        expect(number_field).to_have_attribute("aria-describedby", "report-docs-number-error")
        expect(coordinator.locator("#report-docs-number-error")).not_to_be_empty()
        expect(coordinator.locator("#report-docs-open-status")).to_have_text("")

        # This quarter runs still: the server refuses to finalise it, and the page says why.
        running = _open_draft(coordinator, year, number)
        _finalise(running)
        expect(running.locator('[id$="-error"]').last).to_contain_text("loopt nog", timeout=LIVE)
        expect(running.locator(".report-doc-state")).to_contain_text("Concept")
        expect(running).to_have_attribute("data-state", "draft")
        expect(running.locator('[id$="-status"]').last).not_to_contain_text("definitief")

        # The previous quarter: recommendations, saved only once the server says so.
        draft = _open_draft(coordinator, last_year, last)
        version = int(draft.get_attribute("data-version"))
        document_id = draft.get_attribute("data-document-id")
        item = coordinator.locator(f'li.report-doc[data-document-id="{document_id}"]')
        text = item.locator("textarea")
        expect(text).to_be_focused()
        expect(text).to_have_attribute("maxlength", "20000")
        text.fill(RECOMMENDATIONS)
        held = []
        pattern = f"**/api/report-documents/{document_id}"
        coordinator.route(
            pattern,
            lambda route: held.append(route) if route.request.method == "PUT" else route.fallback(),
        )
        status = item.locator(f"#report-doc-{document_id}-status")
        save = item.locator(f"#report-doc-{document_id}-save")
        save.click()
        expect(status).to_have_text("Aanbevelingen opslaan…")
        expect(save).to_be_disabled()
        for _ in range(100):
            if held:
                break
            coordinator.wait_for_timeout(50)
        assert held, "the recommendations were not sent"
        expect(status).not_to_contain_text("opgeslagen")
        held[0].continue_()
        coordinator.unroute(pattern)
        expect(status).to_contain_text("Aanbevelingen opgeslagen", timeout=LIVE)
        expect(save).to_be_enabled()

        # Final, after the second step; the list is the server's again.
        _finalise(item)
        expect(status).to_have_text(f"Versie {version} is definitief.", timeout=LIVE)
        expect(item).to_have_attribute("data-state", "final")
        state = item.locator(".report-doc-state")
        expect(state).to_contain_text("Definitief op")
        expect(state).to_contain_text(f"versie {version}")
        expect(item.locator("textarea")).to_have_count(0)
        _fits_the_phone(coordinator)
        _targets_are_large_enough(coordinator, "#report-docs")

        # Its PDF: final, with the recommendations.
        with coordinator.expect_download() as download:
            item.locator(".report-doc-pdf").click()
        assert download.value.suggested_filename == (
            f"kwartaalrapportage-{last_year}-Q{last}-v{version}.pdf"
        )
        pdf = PdfReader(download.value.path())
        content = " ".join(page.extract_text() for page in pdf.pages)
        assert RECOMMENDATIONS in " ".join(content.split()), content[-1500:]
        assert "Definitief" in content

        # A new version starts from those recommendations.
        item.locator(f"#report-doc-{document_id}-new").click()
        expect(status).to_contain_text(f"Versie {version + 1} is geopend", timeout=LIVE)
        newer = _documents(coordinator, last_year, last).first
        expect(newer).to_have_attribute("data-version", str(version + 1))
        expect(newer).to_have_attribute("data-state", "draft")
        expect(newer.locator("textarea")).to_have_value(RECOMMENDATIONS)
        expect(newer.locator("textarea")).to_be_focused()
        expect(item.locator(f"#report-doc-{document_id}-new")).to_have_count(0)
        _fits_the_phone(coordinator)
        assert _serious(coordinator) == []

        # Lisa, a manager: the final version, not the draft after it, and no form.
        lisa = login(phone, base, "lisa", errors)
        lisa.goto(base + "/rapportages")  # by its URL, as a bookmark opens it
        expect(lisa.locator("#reports-screen")).to_be_visible()
        final = lisa.locator(f'li.report-doc[data-document-id="{document_id}"]')
        expect(final).to_be_visible(timeout=LIVE)
        expect(final.locator(".report-doc-state")).to_contain_text("Definitief op")
        expect(final.locator(".report-doc-state")).to_contain_text(f"versie {version}")
        expect(_documents(lisa, last_year, last).first).to_have_attribute(
            "data-version", str(version)
        )
        expect(lisa.locator(f'li.report-doc[data-version="{version + 1}"]')).to_have_count(0)
        expect(_documents(lisa, year, number)).to_have_count(0)  # the running quarter's draft
        expect(lisa.locator("#report-docs-open")).to_be_hidden()
        expect(lisa.locator("#report-docs textarea, #report-docs [id$='-new']")).to_have_count(0)
        final.locator("summary").click()
        expect(final.locator(".report-doc-recs")).to_have_text(RECOMMENDATIONS)
        _fits_the_phone(lisa)
        assert _serious(lisa) == []
        assert errors == [], errors
    finally:
        desk.close()
        phone.close()


def test_annual_count_by_its_url_with_its_csv(browser, live_server):
    base, errors = live_server.url.rstrip("/"), []
    year = datetime.now(ZoneInfo("Europe/Amsterdam")).year - 1
    desk = browser.new_context(viewport=PHONE, locale="nl-NL", accept_downloads=True)
    try:
        coordinator = login(desk, base, "coordinator", errors)
        coordinator.goto(base + "/rapportages")  # by its URL, as a bookmark opens it
        expect(coordinator.locator("#reports-result")).to_be_visible(timeout=LIVE)
        field = coordinator.locator("#reports-annual-year")
        expect(field).to_have_value(str(year))  # last year, to begin with
        expect(field).to_have_attribute("min", "2000")
        field.fill(str(year))
        coordinator.click("#reports-annual-form button[type=submit]")
        expect(coordinator).to_have_url(base + f"/rapportages?annual={year}")
        total = coordinator.locator('#reports-annual-sections [data-table="total"]')
        expect(total.locator("h3")).to_have_text("Aantal meldingen", timeout=LIVE)
        expect(total.locator("table caption")).to_have_text("Aantal meldingen")
        expect(coordinator.locator("#reports-annual-scope")).to_contain_text(f"Jaartelling {year}")
        expect(coordinator.locator("#reports-annual-scope")).to_be_focused()
        expect(coordinator.locator("#reports-annual-status")).to_contain_text(f"Jaartelling {year}")
        # Reload: the same year, asked again.
        coordinator.reload()
        expect(coordinator.locator("#reports-annual-scope")).to_contain_text(
            f"Jaartelling {year}", timeout=LIVE
        )
        expect(field).to_have_value(str(year))
        expect(coordinator.locator("#reports-result")).to_be_visible(timeout=LIVE)

        with coordinator.expect_download() as download:
            coordinator.click("#reports-annual-csv")
        assert download.value.suggested_filename.startswith(f"jaartelling-{year}")
        content = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert str(year) in content.splitlines()[0], content[:200]
        assert "Aantal meldingen" in content

        # The documents, the annual count and the report on one page: one id each, and AA.
        expect(coordinator.locator("#report-docs")).to_be_visible()
        expect(coordinator.locator("#report-docs-status")).to_have_text("")
        _no_duplicate_ids(coordinator)
        _fits_the_phone(coordinator)
        _targets_are_large_enough(coordinator, "#reports-annual")
        assert _serious(coordinator) == []

        # Closing it takes the year out of the URL, and the figures off the page.
        coordinator.click("#reports-annual-close")
        expect(coordinator).to_have_url(base + "/rapportages")
        expect(coordinator.locator("#reports-annual-result")).to_be_hidden()
        assert errors == [], errors
    finally:
        desk.close()
