"""The coordinator's checklist editor in Debian's headless Chromium: the risk answers a question
can name are the server's (GET /api/vocabulary "risk_answers"), in the chosen language. Nothing
is published here: the live server is shared, and other tests answer these checklists."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LIVE, VIEWPORT, login

pytestmark = pytest.mark.browser


def _options(select) -> list[tuple[str, str]]:
    return select.evaluate("s => [...s.options].map(o => [o.value, o.textContent])")


def test_the_risk_answers_are_the_servers_in_the_users_language(browser, live_server):
    base = live_server.url.rstrip("/")
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    errors: list = []
    try:
        page = login(context, base, "coordinator", errors)
        page.click("#checklists-open")
        questions = page.locator("#checklist-editor-questions li.cl-question")
        expect(questions.first).to_be_visible(timeout=LIVE)

        served = page.evaluate(
            "async () => (await (await fetch('/api/vocabulary?lang=nl')).json()).risk_answers"
        )
        expected = [(a["code"], a["label"]) for a in served]
        assert expected == [("ja", "Ja"), ("nee", "Nee")]  # "weet niet" is never the risky one
        first = questions.first.locator("select[id$='-risk-answer']")
        assert [list(o) for o in _options(first)] == [list(o) for o in expected]

        # The questions keep their own risky answer: the defaults have both.
        values = [
            questions.nth(i).locator("select[id$='-risk-answer']").input_value()
            for i in range(questions.count())
        ]
        assert set(values) == {"ja", "nee"}

        # A new question starts at the first answer the server names.
        page.click("#checklist-editor-add")
        added = questions.last.locator("select[id$='-risk-answer']")
        expect(added).to_have_value(expected[0][0])

        # English: the labels follow the vocabulary in that language; the choices stay.
        page.select_option("#lang", "en")
        expect(first.locator("option").first).to_have_text("Yes", timeout=LIVE)
        expect(first.locator("option").last).to_have_text("No")
        after = [
            questions.nth(i).locator("select[id$='-risk-answer']").input_value()
            for i in range(len(values))
        ]
        assert after == values
        assert errors == [], errors
    finally:
        context.close()
