"""Which package reacts to which message: the message bus wired once, for the app and the
tests alike (cosmicpython's `bootstrap.py`). Each package lists its own handlers."""

from __future__ import annotations

from services.alarms import at_visits
from services.clock import Clock
from services.db import Database
from services.events.bus import MessageBus
from services.followup import reactions as followup


def message_bus(db: Database, clock: Clock) -> MessageBus:
    bus = MessageBus(db, clock)
    for message_type, handler in (*followup.HANDLERS, *at_visits.HANDLERS):
        bus.subscribe(message_type, handler)
    return bus
