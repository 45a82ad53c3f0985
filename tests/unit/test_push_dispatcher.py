"""Who gets a push, with which urgency, and what happens to dead subscriptions."""
import json

import pytest

from services.clock import FakeClock
from services.errors import Invalid
from services.events.audience import team_key, user_key
from services.events.log import Envelope
from services.push.dispatcher import PushDispatcher
from services.push.models import PushSubscription
from services.push.subscriptions import save_subscription, subscriptions_of, validate_subscription
from tests.conftest import user_by_name
from tests.fakes import RecordingPushTransport

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
    transport = RecordingPushTransport()
    return PushDispatcher(db, FakeClock(), transport, lambda uid: uid in online, ttl=900), \
        transport


def message(event_id, *keys, urgent=False, push_always=False):
    return Envelope(id=event_id, audience=frozenset(keys), push_always=push_always,
                    message={"id": event_id, "type": "t", "title": "Titel", "body": "Tekst",
                             "urgent": urgent, "created_at": "x", "data": {"secret": 1}})


def test_only_offline_addressees_are_pushed(db, people):
    subscribe(db, people["sanne"], "https://push.test/sanne")
    subscribe(db, people["mohammed"], "https://push.test/mohammed")
    subscribe(db, people["kim"], "https://push.test/kim")
    dispatcher, transport = make_dispatcher(db, online={people["mohammed"]})
    with db.reader() as uow:
        team = team_key(user_by_name(uow.session, "sanne").team_id)
    dispatcher.deliver(message(1, team))
    assert transport.endpoints() == ["https://push.test/sanne"]


def test_urgent_events_go_with_high_urgency_and_a_ttl_and_no_extra_data(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    dispatcher, transport = make_dispatcher(db)
    dispatcher.deliver(message(5, user_key(people["lisa"]), urgent=True))
    dispatcher.deliver(message(6, user_key(people["lisa"])))
    (_, urgent), (_, normal) = transport.sent
    assert (urgent.urgency, urgent.ttl, normal.urgency) == ("high", 900, "normal")
    assert json.loads(urgent.data) == {"id": 5, "type": "t", "title": "Titel", "body": "Tekst",
                                       "urgent": True, "url": "/"}


def test_device_test_is_pushed_even_while_the_app_is_open(db, people):
    subscribe(db, people["lisa"], "https://push.test/lisa")
    dispatcher, transport = make_dispatcher(db, online={people["lisa"]})
    dispatcher.deliver(message(7, user_key(people["lisa"]), urgent=True, push_always=True))
    assert transport.endpoints() == ["https://push.test/lisa"]


def test_gone_subscriptions_are_removed_and_failures_counted(db, people):
    for name in ("gone", "missing", "flaky", "fine"):
        subscribe(db, people["lisa"], f"https://push.test/{name}")
    dispatcher, transport = make_dispatcher(db)
    transport.status.update({"https://push.test/gone": 410, "https://push.test/missing": 404,
                             "https://push.test/flaky": 503})
    dispatcher.deliver(message(1, user_key(people["lisa"])))
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
