"""Who gets a push, with which urgency, one delivery per device: retried, claimed once, never
held up by another device, and picked up again after a crash."""

import json
import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.clock import FakeClock
from services.errors import Conflict, Invalid
from services.events.audience import team_key, user_key
from services.events.hub import Hub
from services.events.log import EventLog
from services.events.models import Event
from services.push.dispatcher import PushDispatcher
from services.push.models import PushDelivery, PushSubscription
from services.push.retry import outcome_of
from services.push.subscriptions import (
    remove_subscription,
    save_subscription,
    subscriptions_of,
    validate_subscription,
)
from tests.conftest import user_by_name
from tests.fakes import ListBroker, RecordingPushTransport
from tests.unit.races import at_once_in_two_processes

P256DH = "B" + "A" * 86  # 65 bytes, base64url
AUTH = "A" * 22  # 16 bytes


@pytest.fixture
def people(db):
    with db.reader() as uow:
        return {n: user_by_name(uow.session, n).id for n in ("sanne", "lisa", "mohammed", "kim")}


def subscribe(db, user_id, endpoint):
    with db.uow() as uow:
        save_subscription(
            uow.session,
            FakeClock(),
            user_id=user_id,
            endpoint=endpoint,
            p256dh=P256DH,
            auth=AUTH,
            user_agent="test",
        )


@dataclass(eq=False)
class OpenApp:
    """A connection, for presence only."""

    user_id: int
    keys: frozenset[str]

    def deliver(self, envelope):
        pass

    def restart(self):
        pass


def make_dispatcher(db, online=(), clock=None, transport=None):
    """A dispatcher whose presence is a real Hub with an open connection for each online user."""
    transport = transport or RecordingPushTransport()
    hub = Hub()
    for uid in online:
        hub.subscribe(OpenApp(uid, frozenset({user_key(uid)})))
    assert hub.online_among(set(online)) == set(online)
    return PushDispatcher(db, clock or FakeClock(), transport, hub.online_among, ttl=900), transport


def message(db, *keys, urgent=False, push_always=False, clock=None):
    """Record an event as the services do; returns what the broker was handed."""
    broker = ListBroker()
    with db.uow() as uow:
        EventLog(clock or FakeClock(), broker).record(
            uow,
            type="t",
            audience=set(keys),
            title="Titel",
            body="Tekst",
            urgent=urgent,
            data={"secret": 1},
            push_always=push_always,
        )
    return broker.published[0]


def deliver(dispatcher, envelope):
    dispatcher.deliver(envelope)
    dispatcher.settle()


def sweep(dispatcher):
    started = dispatcher.send_due()
    while not dispatcher._queue.empty():  # stranded events the sweep queued for this process
        dispatcher.deliver(dispatcher._queue.get_nowait())
    dispatcher.settle()
    return started


def deliveries(db, event_id):
    with db.reader() as uow:
        rows = uow.session.execute(
            select(PushSubscription.endpoint, PushDelivery)
            .join(PushSubscription)
            .where(PushDelivery.event_id == event_id)
        ).all()
        return {endpoint.rsplit("/", 1)[1]: (d.state, d.attempts) for endpoint, d in rows}


def test_only_offline_addressees_are_pushed(db, people):
    subscribe(db, people["sanne"], "https://push.test/sanne")
    subscribe(db, people["mohammed"], "https://push.test/mohammed")
    subscribe(db, people["kim"], "https://push.test/kim")
    dispatcher, transport = make_dispatcher(db, online={people["mohammed"]})
    with db.reader() as uow:
        team = team_key(user_by_name(uow.session, "sanne").team_id)
    deliver(dispatcher, message(db, team))
    assert transport.endpoints() == ["https://push.test/sanne"]


def test_urgent_events_go_with_high_urgency_a_ttl_a_topic_and_no_extra_data(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    dispatcher, transport = make_dispatcher(db)
    first = message(db, user_key(people["lisa"]), urgent=True)
    deliver(dispatcher, first)
    deliver(dispatcher, message(db, user_key(people["lisa"])))
    (_, urgent), (_, normal) = transport.sent
    assert (urgent.urgency, urgent.ttl, normal.urgency) == ("high", 900, "normal")
    assert urgent.topic == f"event-{first.id}"
    assert json.loads(urgent.data) == {
        "id": first.id,
        "type": "t",
        "title": "Titel",
        "body": "Tekst",
        "urgent": True,
        "url": "/",
    }


def test_device_test_is_pushed_even_while_the_app_is_open(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    dispatcher, transport = make_dispatcher(db, online={people["lisa"]})
    deliver(dispatcher, message(db, user_key(people["lisa"]), urgent=True, push_always=True))
    assert transport.endpoints() == ["https://push.test/lisa"]


def test_gone_subscriptions_are_removed_and_failures_counted(db, people):
    for name in ("gone", "missing", "flaky", "fine"):
        subscribe(db, people["lisa"], f"https://push.test/{name}")
    dispatcher, transport = make_dispatcher(db)
    transport.status.update(
        {
            "https://push.test/gone": 410,
            "https://push.test/missing": 404,
            "https://push.test/flaky": 503,
        }
    )
    deliver(dispatcher, message(db, user_key(people["lisa"])))
    with db.reader() as uow:
        left = {
            s.endpoint.rsplit("/", 1)[1]: s for s in subscriptions_of(uow.session, {people["lisa"]})
        }
    assert set(left) == {"flaky", "fine"}
    assert (left["flaky"].failures, left["fine"].failures) == (1, 0)
    assert left["fine"].last_success_at is not None


def test_an_endpoint_of_another_login_stays_theirs(db, people):
    """Knowing someone's endpoint is not enough to take their pushes (issue 16): on a
    shared phone the app forgets the subscription at logout, and the next person's is new."""
    subscribe(db, people["sanne"], "https://push.test/shared-phone")
    with pytest.raises(Conflict):
        subscribe(db, people["kim"], "https://push.test/shared-phone")
    with db.reader() as uow:
        owners = [s.user_id for s in uow.session.query(PushSubscription).all()]
    assert owners == [people["sanne"]]


@pytest.mark.parametrize(
    "endpoint,p256dh,auth,field",
    [
        ("http://push.test/x", P256DH, AUTH, "endpoint"),
        ("file:///etc/passwd", P256DH, AUTH, "endpoint"),
        ("https://push.test/x", P256DH, AUTH, "endpoint"),  # not a known push service
        ("https://fcm.googleapis.com/fcm/send/x", "AAAA", AUTH, "keys.p256dh"),
        ("https://fcm.googleapis.com/fcm/send/x", P256DH, "not base64!", "keys.auth"),
    ],
)
def test_subscriptions_that_cannot_be_pushed_to_are_refused(endpoint, p256dh, auth, field):
    with pytest.raises(Invalid) as refused:
        validate_subscription(endpoint, p256dh, auth, allow_http=False)
    assert field in refused.value.fields


def test_a_push_is_sent_once_even_if_two_processes_try(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    envelope = message(db, user_key(people["lisa"]), urgent=True)

    def both_deliver(database):
        dispatcher, transport = make_dispatcher(database)
        deliver(dispatcher, envelope)
        return transport.endpoints()

    sent = at_once_in_two_processes(db.url, both_deliver)
    assert len(sent) == 2  # both processes ran
    assert sorted(sent, key=len) == [[], ["https://push.test/lisa"]]


def test_a_push_left_pending_by_a_stopped_process_is_sent_after_a_restart(db, people):
    """The event was committed, then the process stopped before pushing: after a restart the
    sweep finds it (not before it had time to be sent normally) and sends it once."""
    subscribe(db, people["lisa"], "https://push.test/lisa")
    clock = FakeClock()
    stranded = message(db, user_key(people["lisa"]), urgent=True, clock=clock)  # never sent
    restarted, transport = make_dispatcher(db, clock=clock)
    assert restarted.send_due() == 0  # too fresh: its own process may still send it
    clock.advance(seconds=6)
    assert restarted.send_due() == 1
    assert restarted.send_due() == 0  # already waiting in this process: not queued twice
    deliver(restarted, restarted._queue.get_nowait())
    assert transport.endpoints() == ["https://push.test/lisa"]
    assert sweep(restarted) == 0  # sent: nothing left pending
    deliver(restarted, stranded)  # a late duplicate from anywhere is refused by the claim
    assert transport.endpoints() == ["https://push.test/lisa"]


def test_an_urgent_push_that_failed_is_sent_again_to_the_failing_device_only(db, people):
    """An alarm must not be lost to one flaky push: the device that failed (timeout, 5xx)
    gets it again 2 s later; the one that got it is not bothered twice."""
    subscribe(db, people["lisa"], "https://push.test/lisa-phone")
    subscribe(db, people["lisa"], "https://push.test/lisa-tablet")
    clock = FakeClock()
    alarm = message(db, user_key(people["lisa"]), urgent=True, clock=clock)
    first, transport = make_dispatcher(db, clock=clock)
    transport.status["https://push.test/lisa-tablet"] = 503
    deliver(first, alarm)
    assert sorted(transport.endpoints()) == [
        "https://push.test/lisa-phone",
        "https://push.test/lisa-tablet",
    ]
    assert deliveries(db, alarm.id) == {
        "lisa-phone": ("accepted", 1),
        "lisa-tablet": ("pending", 1),
    }
    clock.advance(seconds=1)
    retrying, again = make_dispatcher(db, clock=clock)  # any process may retry it
    assert sweep(retrying) == 0  # not before its time
    clock.advance(seconds=1)
    assert sweep(retrying) == 1
    assert again.endpoints() == ["https://push.test/lisa-tablet"]  # answered 201 this time
    assert deliveries(db, alarm.id) == {
        "lisa-phone": ("accepted", 1),
        "lisa-tablet": ("accepted", 2),
    }
    clock.advance(seconds=61)
    assert sweep(retrying) == 0  # delivered everywhere: no longer pending


def test_urgent_retries_back_off_within_the_ttl_and_normal_pushes_are_tried_once():
    clock = FakeClock()
    created, now = clock.now(), clock.now()
    delays, attempts = [], 0
    while True:
        attempts += 1
        state, next_try = outcome_of(
            500, urgent=True, attempts=attempts, created_at=created, ttl=900, now=now
        )
        if state != "pending":
            break
        delays.append(round((next_try - now).total_seconds()))
        now = next_try
    assert delays[:6] == [2, 5, 15, 30, 60, 60]
    assert state == "expired" and now + timedelta(seconds=60) >= created + timedelta(seconds=900)
    assert (
        outcome_of(0, urgent=True, attempts=1, created_at=created, ttl=900, now=created)[0]
        == "pending"
    )  # a timeout is worth another try
    assert outcome_of(500, urgent=False, attempts=1, created_at=created, ttl=900, now=created) == (
        "failed",
        None,
    )
    assert outcome_of(400, urgent=True, attempts=1, created_at=created, ttl=900, now=created) == (
        "failed",
        None,
    )  # refused for good: no retry


def test_failed_pushes_are_not_retried_when_not_urgent_or_past_their_ttl(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    clock = FakeClock()
    for urgent, late in ((False, 0), (True, 899)):
        event = message(db, user_key(people["lisa"]), urgent=urgent, clock=clock)
        dispatcher, transport = make_dispatcher(db, clock=clock)
        transport.status["https://push.test/lisa"] = 500
        clock.advance(seconds=late)  # the first try comes this late (TTL 900 s)
        deliver(dispatcher, event)
        clock.advance(seconds=61)
        assert sweep(dispatcher) == 0, (urgent, late)
        assert deliveries(db, event.id)["lisa"][0] == ("failed" if not urgent else "expired")


def test_an_event_past_its_ttl_is_not_pushed_at_all(db, people):
    """After a long outage, a notification about an alarm of an hour ago helps nobody."""
    subscribe(db, people["lisa"], "https://push.test/lisa")
    clock = FakeClock()
    old = message(db, user_key(people["lisa"]), urgent=True, clock=clock)
    clock.advance(seconds=901)
    dispatcher, transport = make_dispatcher(db, clock=clock)
    assert sweep(dispatcher) == 1 and transport.sent == []
    with db.reader() as uow:
        assert uow.session.get(Event, old.id).push_state == "expired"


class HangingTransport(RecordingPushTransport):
    """A push service where one endpoint never answers until released."""

    def __init__(self, hanging: str):
        super().__init__()
        self.hanging, self.release = hanging, threading.Event()
        self.answered = {}

    def send(self, subscription, message):
        if subscription["endpoint"] == self.hanging:
            self.release.wait(10)
            return 0  # as a timeout would
        status = super().send(subscription, message)
        self.answered[subscription["endpoint"]] = self.answered.get(subscription["endpoint"], 0) + 1
        return status


def test_a_hanging_endpoint_delays_neither_another_device_nor_another_event(db, people):
    subscribe(db, people["lisa"], "https://push.test/hangs")
    subscribe(db, people["lisa"], "https://push.test/healthy")
    subscribe(db, people["kim"], "https://push.test/kim")
    transport = HangingTransport("https://push.test/hangs")
    dispatcher, _ = make_dispatcher(db, transport=transport)
    dispatcher.deliver(message(db, user_key(people["lisa"]), urgent=True))
    dispatcher.deliver(message(db, user_key(people["kim"]), urgent=True))
    deadline = threading.Event()
    for _ in range(100):  # both healthy devices answered while "hangs" still hangs
        if set(transport.answered) == {"https://push.test/healthy", "https://push.test/kim"}:
            break
        deadline.wait(0.02)
    assert set(transport.answered) == {"https://push.test/healthy", "https://push.test/kim"}
    assert not transport.release.is_set()
    transport.release.set()
    dispatcher.settle()


def test_after_a_crash_only_the_devices_not_yet_accepted_get_the_push_again(db, people):
    """The process expanded and claimed three deliveries, one push service accepted (and that
    was recorded), then the process died: after the claim expires another process sends to
    the other two, once; the accepted one is never sent it again."""
    for name in ("accepted", "unsent", "in-flight"):
        subscribe(db, people["lisa"], f"https://push.test/{name}")
    clock = FakeClock()
    alarm = message(db, user_key(people["lisa"]), urgent=True, clock=clock)
    crashed, _ = make_dispatcher(db, clock=clock)
    claimed = crashed._expand(alarm)  # claimed in the database, nothing sent yet
    accepted = next(c for c in claimed if c.subscription["endpoint"].endswith("/accepted"))
    crashed._record([(accepted, alarm, 201)])  # the one result that made it before the crash
    restarted, transport = make_dispatcher(db, clock=clock)
    clock.advance(seconds=9)
    assert sweep(restarted) == 0  # the claim may still be a live process's
    clock.advance(seconds=2)
    assert sweep(restarted) == 2
    assert sorted(transport.endpoints()) == [
        "https://push.test/in-flight",
        "https://push.test/unsent",
    ]
    clock.advance(seconds=30)
    assert sweep(restarted) == 0
    assert {state for state, _ in deliveries(db, alarm.id).values()} == {"accepted"}


def test_a_retry_never_reaches_a_device_that_moved_to_another_login(db, people):
    subscribe(db, people["lisa"], "https://push.test/shared-phone")
    clock = FakeClock()
    alarm = message(db, user_key(people["lisa"]), urgent=True, clock=clock)
    dispatcher, transport = make_dispatcher(db, clock=clock)
    transport.status["https://push.test/shared-phone"] = 503
    deliver(dispatcher, alarm)
    with db.uow() as uow:  # Lisa logs out: the app forgets the device
        remove_subscription(uow.session, people["lisa"], "https://push.test/shared-phone")
    subscribe(db, people["kim"], "https://push.test/shared-phone")  # Kim logs in on it
    clock.advance(seconds=3)
    assert sweep(dispatcher) == 0
    assert transport.endpoints() == ["https://push.test/shared-phone"]  # the first try only
    assert deliveries(db, alarm.id) == {}  # Lisa's went with her subscription
