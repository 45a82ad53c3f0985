"""Hands committed events to this process's connections once each and in id order, whatever
the transport did: Redis pub/sub (at most once, and in any order across workers) or a direct
call from the publishing greenlet.

Why in order: a client remembers the highest id it was given and asks for "everything after
it" when it reconnects, so an event given after a higher one would be skipped by that replay.
Why this can be exact: event ids become visible in the order they were given (events/log.py),
so once id N is committed, every id below N is committed or never will be. An envelope above
the next expected id therefore means the ones in between are in the database now (or were
rolled back): they are read from it, handed on first, and their late copies from the
transport are dropped. `catch_up` does the same when nothing arrives at all (a subscriber that
reconnected, or went deaf without noticing): it reads the newest id and fills up to it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from services.db import Database
from services.events.log import Envelope, envelope_of
from services.events.models import Event

log = logging.getLogger(__name__)

CATCH_UP_BATCH = 500


class Relay:
    def __init__(self, db: Database, deliver: Callable[[Envelope], object]):
        self._db = db
        self._deliver = deliver
        self._lock = threading.Lock()
        self._last: int | None = None  # the highest id handed on
        self._held: dict[int, Envelope] = {}  # arrived, waiting for lower ids to be read
        self.filled = 0  # events read from the database because the transport missed them

    def start(self) -> None:
        """Begin after the newest committed event: connections replay older ones themselves.
        Raises while the database cannot answer (the caller tries again)."""
        with self._lock:
            if self._last is None:
                self._last = self._newest()

    def offer(self, envelope: Envelope) -> None:
        """An event from the transport: handed on now, with any it jumped over; dropped when
        it was handed on already."""
        with self._lock:
            if self._last is None:  # the database could not be read at the start
                self._last = envelope.id - 1
            if envelope.id <= self._last:
                return
            self._held[envelope.id] = envelope
            self._release(max(self._held))

    def catch_up(self) -> int:
        """Hand on what was committed but never arrived; returns how many events that was."""
        with self._lock:
            if self._last is None:
                self._last = self._newest()
                return 0
            filled = self.filled
            newest = self._newest()
            if newest > self._last:
                self._release(newest)
            return self.filled - filled

    def _newest(self) -> int:
        with self._db.reader() as uow:
            return uow.session.scalar(select(func.coalesce(func.max(Event.id), 0)))

    def _release(self, upto: int) -> None:
        """Hand on every event up to `upto`, in order, reading the missing ones first. When
        the database cannot be read, the held events wait for the next offer or catch-up
        rather than leave a gap."""
        missing = [i for i in range(self._last + 1, upto + 1) if i not in self._held]
        if missing:
            try:
                self._read(missing[0], missing[-1])
            except Exception:
                log.warning("relay cannot fill events %s..%s yet", missing[0], upto, exc_info=True)
                return
        for event_id in sorted(i for i in self._held if i <= upto):
            envelope = self._held.pop(event_id)
            try:
                self._deliver(envelope)
            except Exception:  # one broken delivery must not stop the order for the others
                log.exception("relay could not hand on event %s", event_id)
        self._last = upto

    def _read(self, first: int, last: int) -> None:
        while first <= last:
            with self._db.reader() as uow:
                events = list(
                    uow.session.scalars(
                        select(Event)
                        .options(selectinload(Event.audience))
                        .where(Event.id >= first, Event.id <= last)
                        .order_by(Event.id)
                        .limit(CATCH_UP_BATCH)
                    )
                )
                for event in events:
                    if event.id not in self._held:
                        self._held[event.id] = envelope_of(event)
                        self.filled += 1
            if len(events) < CATCH_UP_BATCH:
                return
            first = events[-1].id + 1
