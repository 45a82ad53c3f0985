"""The message bus: one package reacts to another's facts without importing it (the shape of
cosmicpython's `messagebus.py`). Incidents say "incident reported", follow-up schedules the
aftercare; a visit says "ok, under duress", alarms raise the silent alarm.

The contract — persist, then react, at least once:

- A message is a frozen dataclass, named by its class (`IncidentReported(incident_id=7)`).
  Handlers are subscribed by message type, at start-up (services/reactions.py).
- `emit` writes one row per subscribed handler into `pending_reactions` inside the emitting
  unit of work: the reaction is exactly as durable as the fact, and a rolled-back fact leaves
  nothing to react to.
- Once that unit of work has committed and published its own events, each handler runs in a
  unit of work of its own, which also deletes the handler's row: the reaction and "done"
  commit together, so its database work happens once. It reads what was committed, never the
  emitter's session, and the emitter's answer does not depend on it.
- A handler that raises is rolled back and logged, and its row stays, with the error, the
  number of attempts and a later due time (backing off). `handle_due`, a sweeper task, runs
  the rows that are due: those of failed handlers and those a crash left between the commit
  and the reaction. Hence at least once: effects outside the database (an event to people)
  must be harmless twice, or be guarded by what the handler stored.
- Every process sweeps. A row is claimed under its row lock with SKIP LOCKED, so the
  emitter's own run and other processes' sweeps never run it twice, and none waits for a
  handler running elsewhere.

Why an outbox table rather than an in-memory queue: a crash or a busy database between the
commit and the reaction would otherwise lose the reaction (aftercare never scheduled, a
duress alarm never raised) without a trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from services.clock import Clock
from services.db import Database, UnitOfWork
from services.events.models import PendingReaction

if TYPE_CHECKING:  # the event log carries the bus; only its type is needed here
    from services.events.log import EventLog

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, "EventLog", Clock, Any], None]

RETRY_FIRST = timedelta(seconds=5)  # also how long a sweep leaves a fresh row to its emitter
RETRY_MAX = timedelta(minutes=10)
BATCH = 100


def handler_name(handler: Handler) -> str:
    """What a pending reaction stores to find its handler again after a restart."""
    named = getattr(handler, "func", handler)  # a functools.partial: its function
    named = named if hasattr(named, "__qualname__") else type(named)  # a callable object
    return f"{named.__module__}.{named.__qualname__}"


class MessageBus:
    def __init__(self, db: Database, clock: Clock):
        self.db = db
        self.clock = clock
        self._subscribers: dict[str, list[str]] = {}
        self._handlers: dict[str, Handler] = {}
        self._types: dict[str, type] = {}

    def subscribe(self, message_type: type, handler: Handler) -> None:
        """The names are stored with each pending reaction, so they must say one thing."""
        name = handler_name(handler)
        if self._types.setdefault(message_type.__name__, message_type) is not message_type:
            raise ValueError(f"two message types are called {message_type.__name__}")
        if self._handlers.setdefault(name, handler) is not handler:
            raise ValueError(f"two handlers are called {name}")
        self._subscribers.setdefault(message_type.__name__, []).append(name)

    def emit(self, uow: UnitOfWork, events: EventLog, message: Any) -> None:
        """Store the message's reactions in this unit of work; run them after its commit."""
        kind, now = type(message).__name__, self.clock.now()
        rows = [
            PendingReaction(
                message_type=kind,
                handler=name,
                payload=asdict(message),
                created_at=now,
                due_at=now + RETRY_FIRST,
                attempts=0,
            )
            for name in self._subscribers.get(kind, [])
        ]
        if not rows:
            return
        uow.session.add_all(rows)
        uow.session.flush()
        ids = [row.id for row in rows]
        uow.after_commit(lambda: self._run_all(ids, events), last=True)

    def handle_due(self, events: EventLog) -> int:
        """Sweeper task: run the reactions that are due (failed before, or left by a crash)."""
        with self.db.reader() as uow:
            due = list(
                uow.session.scalars(
                    select(PendingReaction.id)
                    .where(PendingReaction.due_at <= self.clock.now())
                    .order_by(PendingReaction.id)
                    .limit(BATCH)
                )
            )
        return self._run_all(due, events)

    def _run_all(self, ids: list[int], events: EventLog) -> int:
        return sum(self._run(reaction_id, events) for reaction_id in ids)

    def _run(self, reaction_id: int, events: EventLog) -> bool:
        """Claim the row by locking and deleting it and run its handler in the same unit of
        work; never raises, since it runs after someone else's commit."""
        try:
            with self.db.uow() as uow:
                row = _claim(uow, reaction_id)
                if row is None:  # another process ran it, or is running it now
                    return False
                uow.session.delete(row)
                message = self._types[row.message_type](**row.payload)
                self._handlers[row.handler](uow, events, self.clock, message)
            return True
        except Exception as failure:
            log.exception("reaction %s failed; it is retried", reaction_id)
            self._postpone(reaction_id, failure)
            return False

    def _postpone(self, reaction_id: int, failure: Exception) -> None:
        try:
            with self.db.uow() as uow:
                row = _claim(uow, reaction_id)
                if row is None:  # run meanwhile, or being run: nothing to postpone
                    return
                row.attempts += 1
                row.last_error = repr(failure)[:1000]
                row.due_at = self.clock.now() + min(RETRY_FIRST * 2**row.attempts, RETRY_MAX)
        except Exception:  # the row keeps its due time: the next sweep tries again
            log.exception("could not postpone reaction %s", reaction_id)


def _claim(uow: UnitOfWork, reaction_id: int) -> PendingReaction | None:
    """The pending reaction, locked until the commit; None when it is gone or another
    process holds it (SKIP LOCKED: never waited for)."""
    return uow.session.scalar(
        select(PendingReaction)
        .where(PendingReaction.id == reaction_id)
        .with_for_update(skip_locked=True)
    )
