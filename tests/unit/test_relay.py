"""The relay hands each committed event to this process's connections once and in id order,
whatever the transport brought: late, twice, out of order, or not at all."""

import pytest

from services.errors import Busy
from services.events.log import EventLog
from services.events.relay import Relay
from tests.fakes import ListBroker


class SwitchableDatabase:
    """The real database, which can be made unreachable."""

    def __init__(self, db):
        self.db, self.down = db, False

    def reader(self):
        if self.down:
            raise Busy()
        return self.db.reader()


@pytest.fixture
def published(db, clock):
    """record(title) commits one event to user 1 and returns its envelope, as published."""
    broker = ListBroker()
    log = EventLog(clock, broker)

    def record(title: str):
        with db.uow() as uow:
            log.record(uow, type="t", audience={"user:1"}, title=title)
        return broker.published[-1]

    return record


def relay_of(database):
    delivered = []
    relay = Relay(database, delivered.append)
    relay.start()
    return relay, delivered


def titles(delivered) -> list[str]:
    return [envelope.message["title"] for envelope in delivered]


def test_an_event_that_overtook_others_waits_for_them_and_late_copies_are_dropped(db, published):
    relay, delivered = relay_of(db)
    first, second, third = published("1"), published("2"), published("3")
    relay.offer(third)  # the transport brought the newest first
    assert titles(delivered) == ["1", "2", "3"]  # the two it jumped over, read from the log
    relay.offer(first)
    relay.offer(second)
    relay.offer(third)
    assert titles(delivered) == ["1", "2", "3"]  # none twice
    assert relay.filled == 2


def test_events_the_transport_never_brought_are_caught_up_from_the_log(db, published):
    relay, delivered = relay_of(db)
    relay.offer(published("1"))
    published("2")
    published("3")  # lost on the way: a subscriber that was reconnecting
    assert relay.catch_up() == 2
    assert titles(delivered) == ["1", "2", "3"]
    assert relay.catch_up() == 0


def test_events_before_the_relay_started_are_not_its_to_hand_on(db, published):
    published("before")  # connections replay these themselves
    relay, delivered = relay_of(db)
    relay.offer(published("after"))
    assert titles(delivered) == ["after"]


def test_while_the_log_cannot_be_read_a_gap_is_held_not_skipped(db, published):
    database = SwitchableDatabase(db)
    relay, delivered = relay_of(database)
    relay.offer(published("1"))
    published("2")
    database.down = True
    relay.offer(published("3"))
    assert titles(delivered) == ["1"]  # 3 waits: handing it on would leave 2 out for good
    database.down = False
    relay.catch_up()
    assert titles(delivered) == ["1", "2", "3"]
