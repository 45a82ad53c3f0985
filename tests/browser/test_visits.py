"""End-to-end check of a visit in Debian's headless Chromium.

The worker (anouk, Sociaal Domein) plans a home visit with the risk checklist, sees the
risk and advice, checks in (alone on *hoog*: she confirms it); her manager (lisa) sees the
visit under way. The visit runs over: the worker is asked "Alles goed?", and while she does
not answer the manager's list marks it TE LAAT. She answers "Alles goed" — with her PIN, as
the visit is *hoog* — and the manager's item is back on time. She checks out: the item goes.

The test server runs one visit "minute" in one second (VELDWACHT_VISIT_MINUTE_SECONDS=1).
"""

import re

import pytest
from playwright.sync_api import expect

from services.checklists.defaults import BAD_NEWS, BRIEFING, DIVISION, EXITS, INFORMED, PHONE
from services.checklists.scoring import LEVEL_ADVICE, LEVEL_LABELS
from tests.browser.conftest import LIVE, open_tab, worker_and_manager

pytestmark = pytest.mark.browser

WORKER, WORKER_NAME = "anouk", "Anouk Visser"
MANAGER = "lisa"
ADDRESS = "Kerkstraat 7, Demodorp"
LATE = re.compile(r"^(overdue|escalated)$")
# Anouk (Werkpleinen) gets "Checklist huisbezoek Sociaal Domein" first. Answering "nee" to
# all but "slecht nieuws" ("ja") is risky for bad_news (2), division (1), informed (2),
# phone (3), exits (1) and briefing (1): 10 points >= the "hoog" threshold (6), no floors,
# and Kerkstraat 7 is not in the register. Advice: the level's, then per question in order.
CHECKLIST_TITLE = "Checklist huisbezoek Sociaal Domein"
EXPECTED_LEVEL = "hoog"
EXPECTED_ADVICE = [
    LEVEL_ADVICE[EXPECTED_LEVEL],
    BAD_NEWS["advice"],
    DIVISION["advice"],
    INFORMED["advice"],
    PHONE["advice"],
    EXITS["advice"],
    BRIEFING["advice"],
]


@pytest.fixture
def people(browser, live_server):
    with worker_and_manager(browser, live_server, WORKER, MANAGER) as pages:
        yield pages


def _answer_checklist(worker):
    """'nee' to every question of the first checklist, 'ja' to one (bad news, if asked)."""
    questions = worker.locator("#checklist fieldset.question")
    expect(questions.first).to_be_visible(timeout=LIVE)
    count = questions.count()
    assert count > 0
    legends = [questions.nth(i).locator("legend").inner_text() for i in range(count)]
    bad_news = [i for i, text in enumerate(legends) if "slecht nieuws" in text.lower()]
    assert len(bad_news) == 1, legends  # the "ja" question must be there, exactly once
    yes = bad_news[0]
    for i in range(count):
        questions.nth(i).locator(f'input[value="{"ja" if i == yes else "nee"}"]').check()


def test_visit_runs_over_the_manager_sees_it_late_and_back_on_time(people):
    worker, manager = people

    # 1. The worker plans a home visit of 5 (test) minutes with the first checklist.
    worker.click("#visit-start")
    expect(worker.locator("#visit-screen")).to_be_visible()
    expect(worker.locator("#visit-form")).to_be_visible()
    worker.check('input[name="visit-kind"][value="visit"]')
    worker.fill("#visit-address", ADDRESS)
    worker.fill("#visit-minutes", "5")
    expect(worker.locator("#visit-checklist option")).not_to_have_count(0, timeout=LIVE)
    first_checklist = worker.locator("#visit-checklist option").first.get_attribute("value")
    expect(worker.locator("#visit-checklist option").first).to_have_text(CHECKLIST_TITLE)
    assert worker.input_value("#visit-checklist") == first_checklist
    worker.click("#visit-next")
    _answer_checklist(worker)
    worker.click("#visit-submit")

    # 2. The risk and the advice.
    risk = worker.locator("#visit-risk")
    expect(risk).to_be_visible(timeout=LIVE)
    expect(risk).to_have_attribute("data-level", EXPECTED_LEVEL)
    expect(worker.locator("#visit-risk-level")).not_to_be_empty()
    expect(worker.locator("#visit-risk-level")).to_have_text(LEVEL_LABELS[EXPECTED_LEVEL])
    assert worker.locator("#visit-advice li").count() >= 1
    expect(worker.locator("#visit-advice li")).to_have_text(EXPECTED_ADVICE)
    # The advice of the question answered "ja", word for word.
    expect(worker.locator("#visit-advice li", has_text=BAD_NEWS["advice"])).to_have_count(1)
    expect(worker.locator("#visit-advice li").nth(1)).to_have_text(
        "Bereid het gesprek voor; overweeg het op kantoor te voeren."
    )
    expect(worker.locator("#visit-air")).not_to_be_empty()

    # 3. Check in: alone on hoog, which she confirms; the visit is under way.
    worker.check("#visit-alone")
    worker.click("#visit-checkin")
    active = worker.locator("#visit-active")
    expect(active).to_be_visible(timeout=LIVE)
    expect(worker.locator("#visit-time-left")).to_contain_text("nog")

    # 4. The manager sees it in her list of visits under way, on her Team screen.
    open_tab(manager, "team")
    item = manager.locator("#team-visits-list li.team-visit", has_text=WORKER_NAME)
    expect(item).to_have_count(1, timeout=LIVE)
    expect(item).to_contain_text("Kerkstraat 7")
    expect(item).to_have_attribute("data-status", "on_time")

    # 5. It runs over: the worker is asked "Alles goed?" (due after 5 s).
    expect(worker.locator("#visit-prompt")).to_be_visible(timeout=LIVE)
    expect(worker.locator("#visit-prompt")).to_have_attribute("role", "alertdialog")
    expect(worker.locator("#visit-time-left")).to_contain_text("te laat")

    # 6. No answer: the manager's item turns late, with a text label, not only a colour.
    expect(item).to_have_attribute("data-status", LATE, timeout=20_000)
    expect(item).to_contain_text("TE LAAT")

    # 7. The worker is fine (the PIN, first a wrong one): the manager's item is back on time.
    worker.fill("#visit-prompt-pin", "0000")
    worker.click("#visit-ok-yes")
    expect(worker.locator("#visit-prompt-status")).to_have_text(
        "Onjuiste pincode: er is niets doorgegeven.", timeout=LIVE
    )
    expect(worker.locator("#visit-prompt")).to_be_visible()
    worker.fill("#visit-prompt-pin", "4826")
    worker.click("#visit-ok-yes")
    expect(worker.locator("#visit-prompt")).to_be_hidden(timeout=LIVE)
    expect(active).to_have_attribute("data-status", "on_time", timeout=LIVE)
    expect(item).to_have_attribute("data-status", "on_time", timeout=10_000)
    expect(item).not_to_contain_text("TE LAAT")

    # 8. She checks out: the visit leaves the manager's list.
    worker.click("#visit-checkout")
    expect(worker.locator("#home-screen")).to_be_visible(timeout=LIVE)
    expect(worker.locator("#visit-home-status")).to_contain_text("Uitgecheckt")
    expect(item).to_have_count(0, timeout=LIVE)
