"""The hub delivers by key, once per subscriber, survives a broken subscriber, and knows who
is online. (How a websocket takes an event without waiting: test_live.py.)"""

from dataclasses import dataclass, field

from services.events.hub import Hub
from services.events.log import Envelope


@dataclass(eq=False)
class Recorder:
    user_id: int
    keys: frozenset[str]
    got: list[int] = field(default_factory=list)
    restarted: bool = False

    def deliver(self, envelope):
        self.got.append(envelope.id)

    def restart(self):
        self.restarted = True


class Broken(Recorder):
    def deliver(self, envelope):
        raise OSError("reset by peer")


def envelope(event_id, *keys):
    return Envelope(id=event_id, audience=frozenset(keys), message={"id": event_id})


def test_dispatch_reaches_subscribers_of_any_addressed_key_once():
    hub = Hub()
    manager = Recorder(2, frozenset({"user:2", "team:1"}))
    other = Recorder(7, frozenset({"user:7", "team:2"}))
    hub.subscribe(manager)
    hub.subscribe(other)
    assert hub.dispatch(envelope(1, "team:1", "user:2")) == 1
    assert manager.got == [1] and other.got == []


def test_a_broken_subscriber_does_not_cost_the_others_the_event():
    hub = Hub()
    broken, fine = Broken(1, frozenset({"team:1"})), Recorder(2, frozenset({"team:1"}))
    hub.subscribe(broken)
    hub.subscribe(fine)
    assert hub.dispatch(envelope(5, "team:1")) == 2
    assert fine.got == [5]


def test_closing_restarts_every_connection_and_each_new_one():
    hub = Hub()
    early = Recorder(1, frozenset({"user:1"}))
    hub.subscribe(early)
    assert hub.close_all() == 1 and early.restarted
    late = Recorder(2, frozenset({"user:2"}))
    hub.subscribe(late)
    assert late.restarted


def test_presence_counts_connections_per_user():
    hub = Hub()
    phone, laptop = Recorder(3, frozenset({"user:3"})), Recorder(3, frozenset({"user:3"}))
    hub.subscribe(phone)
    hub.subscribe(laptop)
    hub.unsubscribe(phone)
    assert hub.online_among({3, 4}) == {3}
    assert hub.subscribers() == [laptop]
    hub.unsubscribe(laptop)
    assert hub.online_among({3}) == set()
    assert hub.dispatch(envelope(1, "user:3")) == 0
