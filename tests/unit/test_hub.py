"""The hub delivers by key, never waits on a slow subscriber, and knows who is online."""

from services.events.hub import Hub, Subscriber
from services.events.log import Envelope


def envelope(event_id, *keys):
    return Envelope(id=event_id, audience=frozenset(keys), message={"id": event_id})


def test_dispatch_reaches_subscribers_of_any_addressed_key_once():
    hub = Hub()
    manager = Subscriber(2, frozenset({"user:2", "team:1"}))
    other = Subscriber(7, frozenset({"user:7", "team:2"}))
    hub.subscribe(manager)
    hub.subscribe(other)
    assert hub.dispatch(envelope(1, "team:1", "user:2")) == 1
    assert manager.outbox.get_nowait().id == 1
    assert manager.outbox.empty() and other.outbox.empty()


def test_a_full_subscriber_is_cut_off_without_blocking_the_others():
    hub = Hub()
    slow = Subscriber(1, frozenset({"team:1"}), maxsize=2)
    fast = Subscriber(2, frozenset({"team:1"}), maxsize=100)
    hub.subscribe(slow)
    hub.subscribe(fast)
    for n in range(5):
        hub.dispatch(envelope(n, "team:1"))
    assert slow.overflowed
    assert fast.outbox.qsize() == 5 and not fast.overflowed


def test_presence_counts_connections_per_user():
    hub = Hub()
    phone, laptop = Subscriber(3, frozenset({"user:3"})), Subscriber(3, frozenset({"user:3"}))
    hub.subscribe(phone)
    hub.subscribe(laptop)
    hub.unsubscribe(phone)
    assert hub.online_among({3, 4}) == {3}
    hub.unsubscribe(laptop)
    assert hub.online_among({3}) == set()
    assert hub.dispatch(envelope(1, "user:3")) == 0
