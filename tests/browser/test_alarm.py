"""End-to-end check of the one-tap alarm in Debian's headless Chromium.

The worker (mohammed, Sociaal Domein) holds the alarm button; his manager (lisa) gets the
full-screen alert with his position on a map, says she is coming, closes the alarm and reads
its timeline. Then the duress PIN: the worker's phone must show exactly what a real cancel
shows, while the manager's alert stays open and says DWANG.

Tiles cannot load here (no internet): the map and its marker must render all the same.
"""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from services.alarms.service import RAISE_BUSY
from tests.browser.conftest import LIVE, VIEWPORT, login, worker_and_manager

pytestmark = pytest.mark.browser

WORKER, WORKER_NAME = "mohammed", "Mohammed El Amrani"
MANAGER, MANAGER_NAME = "lisa", "Lisa de Vries"


@pytest.fixture
def people(browser, live_server):
    with worker_and_manager(browser, live_server, WORKER, MANAGER) as pages:
        yield pages


HOLD_MS = 1500  # how long the alarm button must be held

# A value the phone keeps in IndexedDB (it survives a reload): "pendingAlarm", the raise until
# the server has it; "positionCover", the alarm whose position it keeps sending after a cancel.
READ_KV = """(key) => VeldwachtDb.open().then((db) => new Promise((resolve, reject) => {
    const r = db.transaction('kv').objectStore('kv').get(key);
    r.onsuccess = () => resolve(r.result || null);
    r.onerror = () => reject(r.error);
}))"""

# GET /api/alarms as the page's user.
OPEN_ALARMS = """async () => {
    const r = await fetch('/api/alarms', {credentials: 'same-origin'});
    return (await r.json()).alarms;
}"""


def _hold_alarm_button(worker):
    expect(worker.locator("#alarm-button")).to_be_visible()
    worker.locator("#alarm-button").hover()
    worker.mouse.down()
    worker.wait_for_timeout(HOLD_MS + 300)
    worker.mouse.up()


def _raise(worker, manager, previous_id=None, name=WORKER_NAME):
    """Raise an alarm; return its id once the worker saw it received and the manager's alert."""
    _hold_alarm_button(worker)
    expect(worker.locator("#alarm-screen")).to_be_visible()
    expect(worker.locator("#alarm-status")).to_have_attribute(
        "data-state", "received", timeout=LIVE
    )
    alert = manager.locator("#alarm-alert")
    expect(alert).to_be_visible(timeout=LIVE)
    expect(alert).to_contain_text(name)
    if previous_id is not None:
        expect(alert).not_to_have_attribute("data-alarm-id", str(previous_id), timeout=LIVE)
    return int(alert.get_attribute("data-alarm-id"))


def _resolve(manager, outcome):
    manager.select_option("#alarm-outcome", outcome)
    manager.click("#alarm-resolve-form button[type=submit]")
    expect(manager.locator("#alarm-alert")).to_be_hidden(timeout=LIVE)


def _feed_texts(page):
    """Title and body of each feed item, newest first, without the times."""
    return page.evaluate("""() => [...document.querySelectorAll('#feed > li')].map((li) =>
        [...li.querySelectorAll('.event-title, .event-body')]
            .map((n) => n.innerText).join(' | '))""")


def _worker_after_cancel(worker, feed_before):
    """What an onlooker sees on the worker's phone once the alarm was withdrawn."""
    expect(worker.locator("#alarm-closed")).to_be_visible(timeout=LIVE)
    expect(worker.locator("#alarm-screen")).to_be_hidden()
    worker.wait_for_timeout(2500)  # let any later event about this alarm arrive
    # The feed's history grows with every alarm; compare it as "what was added".
    body = _screen_text(worker)
    feed_after = _feed_texts(worker)
    added = feed_after[: len(feed_after) - len(feed_before)]
    elements = {
        sel: worker.locator(sel).is_visible()
        for sel in (
            "#home-screen",
            "#alarm-screen",
            "#alarm-bar",
            "#alarm-after",
            "#alarm-closed",
            "#alarm-report",
            "#alarm-offline",
            "#alarm-pin-error",
            "#alarm-banner",
            "#alarm-alert",
        )
    }
    return {
        "body": body,
        "feed_added": added,
        "elements": elements,
        "closed": worker.inner_text("#alarm-closed"),
        "focused": worker.evaluate("document.activeElement && document.activeElement.id"),
    }


COVER_WAIT_MS = 20_000  # the phone sends its position every ~15 s after a PIN cancel


def _cover_after_cancel(worker, alarm_id, seen):
    """After any PIN cancel the phone keeps sending its position, silently: nothing on screen
    changes and nothing goes to the console. `seen` is what _worker_after_cancel saw."""
    console = []

    def note(message):
        console.append(message.text)

    worker.on("console", note)
    try:
        with worker.expect_response(
            lambda r: (
                r.request.method == "POST" and r.url.endswith(f"/api/alarms/{alarm_id}/positions")
            ),
            timeout=COVER_WAIT_MS,
        ) as answer:
            pass
    finally:
        worker.remove_listener("console", note)
    assert answer.value.status == 204
    assert console == []
    assert _screen_text(worker) == seen["body"]
    assert worker.evaluate(READ_KV, "positionCover")["alarm_id"] == alarm_id


def _screen_text(worker):
    """The page's text without the feed (whose history grows with every alarm)."""
    return worker.evaluate("""() => {
        const feed = document.getElementById('feed');
        feed.hidden = true;
        try { return document.body.innerText; } finally { feed.hidden = false; }
    }""")


def test_alarm_reaches_manager_who_comes_and_closes_it(people):
    worker, manager = people

    # 2. The worker holds the alarm button; the server has the alarm.
    alarm_id = _raise(worker, manager)
    expect(worker.locator("#alarm-status")).to_contain_text("Alarm ontvangen door de server")

    # 3. The manager's alert shows who and where (no visit: the position is the place), with a
    #    marker on the map (tiles or not).
    expect(manager.locator("#alarm-alert-title")).to_have_text("ALARM")
    expect(manager.locator("#alarm-alert-place")).to_contain_text("52.09070, 5.12140", timeout=LIVE)
    expect(manager.locator("#alarm-alert-position")).to_contain_text("±20 m")
    expect(manager.locator("#alarm-map .leaflet-marker-icon")).to_have_count(1, timeout=LIVE)
    expect(manager.locator("#alarm-alert-call")).to_have_attribute("href", "tel:+31610000012")
    expect(manager.locator("#alarm-alert-duress")).to_be_hidden()
    assert manager.evaluate("document.activeElement.id") == "alarm-alert"

    # 4. She is coming; the worker sees it.
    manager.click("#ack-coming")
    expect(worker.locator("#alarm-acks")).to_contain_text(
        f"{MANAGER_NAME} komt eraan", timeout=LIVE
    )
    expect(worker.locator("#alarm-status")).to_have_attribute("data-state", "acknowledged")
    expect(manager.locator("#alarm-alert-acks")).to_contain_text(f"{MANAGER_NAME} komt eraan")

    # 5. She closes it; the worker's screen returns to normal; the timeline tells the story.
    _resolve(manager, "resolved_without_help")
    expect(worker.locator("#alarm-screen")).to_be_hidden(timeout=LIVE)
    expect(worker.locator("#alarm-closed")).to_contain_text("Opgelost zonder hulp")
    expect(worker.locator("#alarm-report")).to_have_attribute("href", f"/melden?alarm={alarm_id}")
    expect(worker.locator("#alarm-bar")).to_be_visible()

    manager.locator(f'#feed li[data-alarm-id="{alarm_id}"] .timeline-btn').first.click()
    timeline = manager.locator("#alarm-timeline li")
    expect(timeline.filter(has_text="Afgesloten")).to_have_count(1, timeout=LIVE)
    texts = timeline.all_inner_texts()
    for wanted in (
        "Alarm gemaakt",
        f"Gewaarschuwd: {MANAGER_NAME}",
        f"Ontvangen door {MANAGER_NAME}",
        f"Gezien door {MANAGER_NAME}",
        f"{MANAGER_NAME}: komt eraan",
        "Afgesloten",
    ):
        assert any(wanted in t for t in texts), (wanted, texts)
    assert all(t[:8].count(":") == 2 and " — " in t for t in texts), texts  # "HH:MM:SS — label"
    manager.click("#alarm-timeline-close")


def test_duress_pin_looks_exactly_like_a_cancel_but_the_alarm_goes_on(people):
    worker, manager = people

    # The duress PIN: the worker's phone shows a cancelled alarm ...
    feed_before = _feed_texts(worker)
    duress_id = _raise(worker, manager)
    worker.fill("#alarm-pin", "7391")
    worker.click("#alarm-cancel-form button[type=submit]")
    after_duress = _worker_after_cancel(worker, feed_before)
    _cover_after_cancel(worker, duress_id, after_duress)

    # ... while the manager's alert stays open and says DWANG.
    expect(manager.locator("#alarm-alert-duress")).to_be_visible(timeout=LIVE)
    expect(manager.locator("#alarm-alert")).to_be_visible()
    expect(manager.locator("#alarm-alert")).to_contain_text(WORKER_NAME)
    assert manager.get_attribute("#alarm-alert", "data-alarm-id") == str(duress_id)
    _resolve(manager, "police_called")

    # A real cancel, for comparison.
    feed_before = _feed_texts(worker)
    cancel_id = _raise(worker, manager, previous_id=duress_id)
    assert worker.evaluate(READ_KV, "positionCover") is None  # a new alarm ends the cover
    expect(manager.locator("#alarm-alert-duress")).to_be_hidden()
    worker.fill("#alarm-pin", "4826")
    worker.click("#alarm-cancel-form button[type=submit]")
    after_cancel = _worker_after_cancel(worker, feed_before)
    expect(manager.locator("#alarm-alert")).to_be_hidden(timeout=LIVE)
    _cover_after_cancel(worker, cancel_id, after_cancel)  # the same after a real cancel

    assert after_duress["elements"]["#alarm-closed"] and after_cancel["elements"]["#alarm-closed"]
    assert after_duress["closed"] == "Alarm ingetrokken."
    assert after_duress == after_cancel
    assert cancel_id != duress_id


def test_wrong_pin_is_refused_and_the_alarm_stays(people):
    worker, manager = people
    _raise(worker, manager)
    worker.fill("#alarm-pin", "0000")
    worker.click("#alarm-cancel-form button[type=submit]")
    expect(worker.locator("#alarm-pin-error")).not_to_be_empty(timeout=LIVE)
    expect(worker.locator("#alarm-screen")).to_be_visible()
    expect(worker.locator("#alarm-status")).to_have_attribute("data-state", "received")
    worker.fill("#alarm-pin", "4826")
    worker.click("#alarm-cancel-form button[type=submit]")
    expect(worker.locator("#alarm-closed")).to_be_visible(timeout=LIVE)
    expect(manager.locator("#alarm-alert")).to_be_hidden(timeout=LIVE)


def test_without_network_the_phone_says_not_sent_at_once_and_the_alarm_arrives_once(people):
    """No signal: the moment the hold completes the phone says the alarm is not sent and offers
    one-tap calls to 112 and the manager (the browser knows it is offline: no waiting); it keeps
    retrying, and once the network is back the alarm arrives, once."""
    worker, manager = people
    worker.context.set_offline(True)
    expect(worker.locator("#alarm-button")).to_be_visible()
    worker.locator("#alarm-button").hover()
    worker.mouse.down()
    status = worker.locator("#alarm-status")
    expect(status).to_have_attribute("data-state", "unsent", timeout=HOLD_MS + 1_000)
    expect(status).to_have_text("Niet verstuurd — bel 112")
    expect(worker.locator("#call-112")).to_be_visible()
    worker.mouse.up()
    expect(worker.locator("#call-112")).to_have_attribute("href", "tel:112")
    expect(worker.locator("#call-manager")).to_have_attribute("href", "tel:+31610000001")
    expect(worker.locator("#alarm-offline")).to_contain_text("geen verbinding")
    client_id = worker.evaluate(READ_KV, "pendingAlarm")["client_id"]
    worker.wait_for_timeout(2500)  # it keeps trying meanwhile, and still says so
    expect(status).to_have_attribute("data-state", "unsent")
    expect(manager.locator("#alarm-alert")).to_be_hidden()

    worker.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "received", timeout=LIVE)
    expect(status).to_have_text("Alarm ontvangen door de server")
    alert = manager.locator("#alarm-alert")
    expect(alert).to_be_visible(timeout=LIVE)
    expect(alert).to_contain_text(WORKER_NAME)
    # Once: the worker has one open alarm, the one this phone made; the manager one alert.
    open_alarms = worker.evaluate(OPEN_ALARMS)
    assert [a["client_id"] for a in open_alarms] == [client_id], open_alarms
    theirs = [a for a in manager.evaluate(OPEN_ALARMS) if a["worker"]["name"] == WORKER_NAME]
    assert len(theirs) == 1, theirs
    expect(manager.locator("#alarm-banner button")).to_have_count(0)
    _resolve(manager, "false_alarm")


def test_a_busy_server_is_not_sent_in_its_own_words_and_is_tried_again_when_it_says(people):
    """The server cannot store the raise in time (its database is locked: 503 with
    Retry-After): the phone says "Niet verstuurd" with the server's message at once, sends the
    same raise again after the time the server asked for, and then it is received."""
    worker, manager = people
    tries = []

    def busy_once(route):
        if route.request.method != "POST":
            return route.continue_()
        tries.append((time.monotonic(), json.loads(route.request.post_data)))
        if len(tries) > 1:
            return route.continue_()
        return route.fulfill(
            status=503,
            headers={"Retry-After": "4"},
            content_type="application/json",
            body=json.dumps({"error": RAISE_BUSY}),
        )

    worker.route("**/api/alarms", busy_once)
    _hold_alarm_button(worker)
    status = worker.locator("#alarm-status")
    expect(status).to_have_text("Niet verstuurd — bel 112", timeout=1_500)  # at once, not after 3 s
    expect(worker.locator("#alarm-offline")).to_have_text(RAISE_BUSY)
    expect(status).to_have_attribute("data-state", "received", timeout=LIVE)
    (first_at, first), (second_at, second) = tries
    assert second_at - first_at >= 3.9  # Retry-After: 4, not our own 2 s
    assert second["client_id"] == first["client_id"]
    expect(manager.locator("#alarm-alert")).to_contain_text(WORKER_NAME, timeout=LIVE)
    _resolve(manager, "false_alarm")


def test_the_alarm_works_before_the_code_of_visits_and_capture_has_arrived(browser, live_server):
    """On a slow connection the alarm comes first: with the code of visits and quick capture
    held back, the worker signs in to home with a working alarm, raises one and has it
    received; the rest of the app follows once that code arrives."""
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    held, errors = [], []
    context.route(
        re.compile(r".*/js/(visits/index|incidents/capture)\.js$"), lambda route: held.append(route)
    )
    try:
        worker = login(context, live_server.url.rstrip("/"), "sanne", errors)
        expect(worker.locator("#alarm-button")).to_be_enabled()
        assert held, "the code of visits and capture was asked for, and is held back"
        _hold_alarm_button(worker)
        expect(worker.locator("#alarm-status")).to_have_attribute(
            "data-state", "received", timeout=LIVE
        )
        worker.fill("#alarm-pin", "4826")
        worker.click("#alarm-cancel-form button[type=submit]")
        expect(worker.locator("#alarm-closed")).to_have_text("Alarm ingetrokken.", timeout=LIVE)
        for request in held:
            request.continue_()
        # quick capture, which starts after visits, draws the report's choices
        expect(worker.locator("#incident-type-options input")).not_to_have_count(0)
        worker.click("#visit-start")
        expect(worker.locator("#visit-screen")).to_be_visible(timeout=LIVE)
        assert errors == [], errors
    finally:
        context.close()
