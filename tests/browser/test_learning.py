"""Leren (issue 18) in Debian's headless Chromium, on a phone.

Two employees of Lisa's team (function group Sociaal Domein) fill in their leerdoelwijzer.
Mohammed has no signal: the questionnaire still opens (the phone kept it), and says his
answers wait on the phone; only once the network is back and the server confirmed them does
it say they were received. Sanne answers online. Lisa, their manager, then sees the team
picture of Sociaal Domein as a heat map (the test server shows it from two respondents) whose
counts are what the two answered, turns the weakest area into a team-plan action with a date,
and later records its evaluation (gelukt), which the plan then shows. The screens meet the
automated WCAG 2.1 AA rules (no serious or critical violation).
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from services.vocabulary import vocabulary
from tests.browser.conftest import LIVE, VIEWPORT, login
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

WEAK_GROUP = 1  # the competence aspect both answer "Nooit" to: the team's weakest area

# The questionnaire the phone kept for an offline start, or null.
KEPT_INSTRUMENT = """() => new Promise((resolve) => {
    const r = indexedDB.open('veldwacht');
    r.onsuccess = () => {
        const get = r.result.transaction('kv').objectStore('kv').get('instruments');
        get.onsuccess = () => { resolve(get.result?.questionnaire ?? null); r.result.close(); };
    };
})"""

# This user's questionnaire answers in the outbox.
ANSWERS_IN_OUTBOX = """async () => {
    const me = JSON.parse(localStorage.getItem('veldwacht.profile'));
    return VeldwachtOutbox.list(me.id, 'learning_response');
}"""


def _serious(page) -> list[str]:
    return [v for v in violations(page) if "(serious)" in v or "(critical)" in v]


def _label(name: str, code: str) -> str:
    return next(e["label"] for e in vocabulary()[name] if e["code"] == code)


def _choice(instrument: dict, group_index: int, best: int) -> int:
    """Which option (by position) is chosen in a group: "Nooit" in the weak one."""
    return len(instrument["options"]) - 1 if group_index == WEAK_GROUP else best


def _fill_in(page, instrument: dict, best: int) -> None:
    form = page.locator(f"#learning-form-{instrument['id']}")
    for group_index, group in enumerate(instrument["groups"]):
        for statement in group["statements"]:
            option = instrument["options"][_choice(instrument, group_index, best)]["key"]
            form.locator(
                f'input[name="lq-{instrument["id"]}-{statement["id"]}"][value="{option}"]'
            ).check()
    form.locator("button[type=submit]").click()


def _open_learning(page) -> None:
    page.click("#learning-open")
    expect(page.locator("#learning-screen")).to_be_visible()


@pytest.fixture
def phones(browser, live_server):
    base = live_server.url.rstrip("/")
    errors: list = []
    names = ("mohammed", "sanne", "lisa")
    contexts = [browser.new_context(viewport=VIEWPORT, locale="nl-NL") for _ in names]
    try:
        yield [login(c, base, name, errors) for c, name in zip(contexts, names, strict=True)]
        assert errors == [], errors
    finally:
        for context in contexts:
            context.close()


def test_two_answers_one_offline_make_the_team_picture_and_a_team_action(phones):
    mohammed, sanne, lisa = phones

    # 1. Mohammed's phone keeps the questionnaire once home is on view; then the signal goes.
    mohammed.wait_for_function(KEPT_INSTRUMENT, timeout=LIVE)
    instrument = mohammed.evaluate(KEPT_INSTRUMENT)
    assert instrument["function_group_label"] and instrument["groups"][WEAK_GROUP]["statements"]
    mohammed.context.set_offline(True)
    _open_learning(mohammed)
    expect(mohammed.locator(".learning-offline")).to_contain_text("komt van je telefoon")
    _fill_in(mohammed, instrument, best=1)
    sent = mohammed.locator(f"#learning-form-{instrument['id']}-sent")
    expect(sent).to_have_attribute("data-state", "waiting", timeout=LIVE)
    expect(sent).to_contain_text("wacht op verbinding")
    expect(sent).not_to_contain_text("Verzonden")
    [waiting] = mohammed.evaluate(ANSWERS_IN_OUTBOX)
    assert waiting["state"] == "waiting" and len(waiting["payload"]["answers"]) == sum(
        len(g["statements"]) for g in instrument["groups"]
    )

    # ... the network is back: received, and said so, once the server confirmed it.
    mohammed.context.set_offline(False)
    expect(sent).to_have_attribute("data-state", "received", timeout=LIVE)
    expect(sent).to_contain_text("Verzonden: ontvangen op")
    [received] = mohammed.evaluate(ANSWERS_IN_OUTBOX)
    assert received["state"] == "received" and received["response_id"]
    expect(mohammed.locator(".learning-profile .score-row").first).to_be_visible(timeout=LIVE)
    assert _serious(mohammed) == []

    # 2. Sanne answers online: received at once.
    _open_learning(sanne)
    expect(sanne.locator(f"#learning-form-{instrument['id']}")).to_be_visible(timeout=LIVE)
    _fill_in(sanne, instrument, best=0)
    expect(sanne.locator(f"#learning-form-{instrument['id']}-sent")).to_have_attribute(
        "data-state", "received", timeout=LIVE
    )

    # 3. Lisa: the team picture of Sociaal Domein, its counts what the two answered.
    _open_learning(lisa)
    lisa.locator(".learning-team-link", has_text="Sociaal Domein").click()
    table = lisa.locator(f'table.heat-table[data-picture="{instrument["key"]}"]')
    expect(table).to_be_visible(timeout=LIVE)
    expect(table.locator("caption")).to_contain_text("2 respondenten")
    for group_index, group in enumerate(instrument["groups"]):
        chosen = {_choice(instrument, group_index, best) for best in (0, 1)}
        for statement in group["statements"]:
            row = table.locator(f'tr[data-statement="{statement["id"]}"]')
            for position, option in enumerate(instrument["options"]):
                expected = 2 if chosen == {position} else 1 if position in chosen else 0
                cell = row.locator(f'td.heat-cell[data-option="{option["key"]}"]')
                expect(cell).to_have_text(str(expected))
    assert _serious(lisa) == []

    # ... the weakest area becomes a team action with a date.
    weak = instrument["groups"][WEAK_GROUP]
    area = lisa.locator(f'.learning-weak[data-area="{weak["key"]}"]')
    area.locator("button").click()
    plan_form = lisa.locator("#learning-plan-form")
    expect(plan_form.locator("#learning-plan-form-title")).to_have_value(weak["title"])
    expect(plan_form).to_contain_text(weak["title"])
    plan_form.locator("#learning-plan-form-kind").select_option(index=1)
    due = (date.today() + timedelta(days=21)).isoformat()
    plan_form.locator("#learning-plan-form-due").fill(due)
    plan_form.locator("button[type=submit]").click()
    item = lisa.locator(".plan-item", has_text=weak["title"])
    expect(item).to_be_visible(timeout=LIVE)
    expect(item.locator(".plan-source")).to_contain_text(weak["title"])
    expect(item.locator(f'time[datetime="{due}"]')).to_be_visible()
    expect(lisa.locator("#learning-plan-status")).to_have_text("Teamactie toegevoegd.")

    # 4. Later, in the team meeting: its evaluation, which the plan then shows.
    item.locator(".plan-evaluate summary").click()
    item.locator('select[data-field="outcome"]').select_option("gelukt")
    item.locator('textarea[data-field="text"]').fill(
        "Iedereen oefende het begrenzen in tweetallen."
    )
    item.locator(".plan-evaluate button[type=submit]").click()
    evaluated = lisa.locator(".plan-item", has_text=weak["title"]).locator(".plan-evaluation")
    expect(evaluated).to_contain_text(_label("plan_outcomes", "gelukt"), timeout=LIVE)
    expect(evaluated).to_contain_text("Iedereen oefende het begrenzen")
    expect(
        lisa.locator(".plan-item", has_text=weak["title"]).locator(".plan-evaluate")
    ).to_have_count(0)
    assert _serious(lisa) == []


def test_the_coordinator_sees_the_organisation_and_publishes_a_new_version(browser, live_server):
    """The organisation picture per function group beside its incidents, the open actions, and
    a new version of the BOA questionnaire (no other test of this server answers it): a line
    added, the rest unchanged."""
    base = live_server.url.rstrip("/")
    errors: list = []
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    try:
        page = login(context, base, "coordinator", errors)
        _open_learning(page)
        page.click("#learning-org-open")
        expect(page.locator("#learning-org-heading")).to_be_visible(timeout=LIVE)
        expect(page.locator("#learning-open-heading")).to_be_visible()
        assert page.locator(".learning-org-group").count() == 8
        boa = page.locator("#learning-edit-boa")
        page.locator("details", has=boa).locator("summary").click()
        aspect = boa.locator('[data-field="group-risico_inschatting"]')
        aspect.fill(aspect.input_value() + "\nIk bespreek een risico vooraf met mijn collega")
        boa.locator("button[type=submit]").click()
        expect(page.locator("#learning-editor-status")).to_contain_text("Versie 2", timeout=LIVE)
        assert _serious(page) == []
        assert errors == [], errors
    finally:
        context.close()
