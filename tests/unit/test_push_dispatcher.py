"""Who gets a push, with which urgency, and what happens to dead subscriptions."""
import json

import pytest

from services.clock import FakeClock
from services.errors import Invalid
from services.events.audience import team_key, user_key
from services.events.hub import Hub, Subscriber
from services.events.log import EventLog
from services.push.dispatcher import PushDispatcher
from services.push.models import PushSubscription
from services.push.subscriptions import save_subscription, subscriptions_of, validate_subscription
from tests.conftest import user_by_name
from tests.fakes import ListBroker, RecordingPushTransport
from tests.unit.test_alarms import at_once_in_two_processes

P256DH = "B" + "A" * 86  # 65 bytes, base64url
AUTH = "A" * 22          # 16 bytes


@pytest.fixture
def people(db):
    with db.reader() as uow:
        return {n: user_by_name(uow.session, n).id for n in ("sanne", "lisa", "mohammed", "kim")}


def subscribe(db, user_id, endpoint):
    with db.uow() as uow:
        save_subscription(uow.session, FakeClock(), user_id, endpoint, P256DH, AUTH, "test")


def make_dispatcher(db, online=()):
    """A dispatcher whose presence is a real Hub with an open connection for each online user."""
    transport = RecordingPushTransport()
    hub = Hub()
    for uid in online:
        hub.subscribe(Subscriber(uid, frozenset({user_key(uid)})))
    assert all(hub.is_online(uid) for uid in online)
    return PushDispatcher(db, FakeClock(), transport, hub.is_online, ttl=900), transport


def message(db, *keys, urgent=False, push_always=False, clock=None):
    """Record an event as the services do; returns what the broker was handed."""
    broker = ListBroker()
    with db.uow() as uow:
        EventLog(clock or FakeClock(), broker).record(
            uow, type="t", audience=set(keys), title="Titel", body="Tekst", urgent=urgent,
            data={"secret": 1}, push_always=push_always)
    return broker.published[0]


def test_only_offline_addressees_are_pushed(db, people):
    subscribe(db, people["sanne"], "https://push.test/sanne")
    subscribe(db, people["mohammed"], "https://push.test/mohammed")
    subscribe(db, people["kim"], "https://push.test/kim")
    dispatcher, transport = make_dispatcher(db, online={people["mohammed"]})
    with db.reader() as uow:
        team = team_key(user_by_name(uow.session, "sanne").team_id)
    dispatcher.deliver(message(db, team))
    assert transport.endpoints() == ["https://push.test/sanne"]


def test_urgent_events_go_with_high_urgency_and_a_ttl_and_no_extra_data(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    dispatcher, transport = make_dispatcher(db)
    first = message(db, user_key(people["lisa"]), urgent=True)
    dispatcher.deliver(first)
    dispatcher.deliver(message(db, user_key(people["lisa"])))
    (_, urgent), (_, normal) = transport.sent
    assert (urgent.urgency, urgent.ttl, normal.urgency) == ("high", 900, "normal")
    assert json.loads(urgent.data) == {"id": first.id, "type": "t", "title": "Titel", "body": "Tekst",
                                       "urgent": True, "url": "/"}


def test_device_test_is_pushed_even_while_the_app_is_open(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    dispatcher, transport = make_dispatcher(db, online={people["lisa"]})
    dispatcher.deliver(message(db, user_key(people["lisa"]), urgent=True, push_always=True))
    assert transport.endpoints() == ["https://push.test/lisa"]


def test_gone_subscriptions_are_removed_and_failures_counted(db, people):
    for name in ("gone", "missing", "flaky", "fine"):
        subscribe(db, people["lisa"], f"https://push.test/{name}")
    dispatcher, transport = make_dispatcher(db)
    transport.status.update({"https://push.test/gone": 410, "https://push.test/missing": 404,
                             "https://push.test/flaky": 503})
    dispatcher.deliver(message(db, user_key(people["lisa"])))
    with db.reader() as uow:
        left = {s.endpoint.rsplit("/", 1)[1]: s for s in
                subscriptions_of(uow.session, {people["lisa"]})}
    assert set(left) == {"flaky", "fine"}
    assert (left["flaky"].failures, left["fine"].failures) == (1, 0)
    assert left["fine"].last_success_at is not None


def test_a_subscription_moves_with_the_login_on_that_device(db, people):
    subscribe(db, people["sanne"], "https://push.test/shared-phone")
    subscribe(db, people["kim"], "https://push.test/shared-phone")
    with db.reader() as uow:
        owners = [s.user_id for s in uow.session.query(PushSubscription).all()]
    assert owners == [people["kim"]]


@pytest.mark.parametrize("endpoint,p256dh,auth,field", [
    ("http://push.test/x", P256DH, AUTH, "endpoint"),
    ("file:///etc/passwd", P256DH, AUTH, "endpoint"),
    ("https://push.test/x", "AAAA", AUTH, "keys.p256dh"),
    ("https://push.test/x", P256DH, "not base64!", "keys.auth"),
])
def test_subscriptions_that_cannot_be_pushed_to_are_refused(endpoint, p256dh, auth, field):
    with pytest.raises(Invalid) as refused:
        validate_subscription(endpoint, p256dh, auth, allow_http=False)
    assert field in refused.value.fields


def test_a_push_is_sent_once_even_if_two_processes_try(db, instance, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    envelope = message(db, user_key(people["lisa"]), urgent=True)

    def deliver(database):
        dispatcher, transport = make_dispatcher(database)
        dispatcher.deliver(envelope)
        return transport.endpoints()

    sent = at_once_in_two_processes(instance, deliver)
    assert len(sent) == 2  # both processes ran
    assert sorted(sent, key=len) == [[], ["https://push.test/lisa"]]


def test_a_push_left_pending_by_a_stopped_process_is_sent_after_a_restart(db, people):
    """The event was committed, then the process stopped before pushing: after a restart the
    sweeper finds it (not before it had time to be sent normally) and sends it once."""
    subscribe(db, people["lisa"], "https://push.test/lisa")
    clock = FakeClock()
    stranded = message(db, user_key(people["lisa"]), urgent=True, clock=clock)  # never sent
    restarted, transport = make_dispatcher(db)
    restarted.clock = clock
    assert restarted.send_stranded() == 0  # too fresh: its own process may still send it
    clock.advance(seconds=11)
    assert restarted.send_stranded() == 1
    assert restarted.send_stranded() == 0  # already waiting in this process: not queued twice
    restarted.deliver(restarted._queue.get_nowait())
    assert transport.endpoints() == ["https://push.test/lisa"]
    assert restarted.send_stranded() == 0  # sent: nothing left pending
    restarted.deliver(stranded)  # a late duplicate from anywhere is refused by the claim
    assert transport.endpoints() == ["https://push.test/lisa"]


def test_an_urgent_push_that_failed_is_sent_again_to_the_failing_device_only(db, people):
    """An alarm must not be lost to one flaky push: the device that failed (timeout, 5xx)
    gets it again from the sweep; the one that got it is not bothered twice."""
    subscribe(db, people["lisa"], "https://push.test/lisa-phone")
    subscribe(db, people["lisa"], "https://push.test/lisa-tablet")
    clock = FakeClock()
    alarm = message(db, user_key(people["lisa"]), urgent=True, clock=clock)
    first, transport = make_dispatcher(db)
    first.clock = clock
    transport.status["https://push.test/lisa-tablet"] = 503
    first.deliver(alarm)
    assert sorted(transport.endpoints()) == ["https://push.test/lisa-phone",
                                             "https://push.test/lisa-tablet"]
    clock.advance(seconds=30)
    assert first.send_stranded() == 0  # its claim still holds: not before the retry time
    clock.advance(seconds=31)
    retrying, again = make_dispatcher(db)
    retrying.clock = clock
    assert retrying.send_stranded() == 1
    retrying.deliver(retrying._queue.get_nowait())
    assert again.endpoints() == ["https://push.test/lisa-tablet"]  # answered 201 this time
    clock.advance(seconds=61)
    assert retrying.send_stranded() == 0  # delivered everywhere: no longer pending


def test_failed_pushes_are_not_retried_when_not_urgent_or_past_their_ttl(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    clock = FakeClock()
    for urgent, wait in ((False, 61), (True, 961)):
        event = message(db, user_key(people["lisa"]), urgent=urgent, clock=clock)
        dispatcher, transport = make_dispatcher(db)
        dispatcher.clock = clock
        transport.status["https://push.test/lisa"] = 500
        clock.advance(seconds=wait - 61)  # the first try comes this late (TTL 900 s)
        dispatcher.deliver(event)
        clock.advance(seconds=61)
        assert dispatcher.send_stranded() == 0, (urgent, wait)
