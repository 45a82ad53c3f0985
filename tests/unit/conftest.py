"""Service-layer fixtures: a fake clock, a broker that keeps what it was given, the event log
with the app's message bus, the demo's people by username."""

import pytest
from sqlalchemy import select

from services.accounts.models import User
from services.clock import FakeClock
from services.events.log import EventLog
from services.reactions import message_bus
from tests.fakes import ListBroker


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def broker():
    return ListBroker()


@pytest.fixture
def events(db, clock, broker):
    """With the message bus the app has, so that reactions run after each commit."""
    return EventLog(clock, broker, message_bus(db, clock))


@pytest.fixture
def ids(db) -> dict[str, int]:
    with db.reader() as uow:
        return dict(uow.session.execute(select(User.username, User.id)).all())
