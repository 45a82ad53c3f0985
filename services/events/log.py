"""Record events (persist) and hand them to the broker once the transaction has committed
(publish). Replay reads the same rows, so live delivery and catching up cannot disagree."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.clock import Clock, iso
from services.db import UnitOfWork, insert_rows
from services.events.bus import MessageBus
from services.events.models import Event, EventAudience

REPLAY_LIMIT = 500
# The advisory lock under which PostgreSQL gives event ids (any constant; "VELD" in ASCII).
EVENT_ORDER_LOCK = 0x56454C44
_PENDING = "veldwacht.pending_events"  # session.info: events recorded, not yet written


@dataclass(frozen=True)
class Envelope:
    """What travels from the publishing process to the delivery channels."""

    id: int
    audience: frozenset[str]
    message: dict = field(hash=False)  # the JSON the client receives
    push: bool = True  # False: live only (e.g. a position stream), never via the push service
    push_always: bool = False  # also push to devices whose app is open (a device test)
    wire: str = field(default="", hash=False)  # the websocket frame, serialised once for all

    @classmethod
    def of(cls, message: dict, audience: frozenset[str], **flags) -> Envelope:
        wire = json.dumps({"type": "event", "event": message}, ensure_ascii=False)
        return cls(id=message["id"], audience=audience, message=message, wire=wire, **flags)

    @property
    def urgent(self) -> bool:
        return bool(self.message["urgent"])


class Broker(Protocol):
    """Fan-out to every process that holds connections. In-process by default; the seam
    a Redis pub/sub implementation fills for several workers."""

    def publish(self, envelope: Envelope) -> None: ...


def event_message(event: Event) -> dict:
    return {
        "id": event.id,
        "type": event.type,
        "created_at": iso(event.created_at),
        "urgent": event.urgent,
        "title": event.title,
        "body": event.body,
        "data": event.data or {},
    }


class EventLog:
    """Records events inside a unit of work and publishes them after its commit; carries the
    message bus, through which one package's facts reach another's handlers (bus.py)."""

    def __init__(self, clock: Clock, broker: Broker, bus: MessageBus | None = None):
        self.clock = clock
        self.broker = broker
        self.bus = bus

    def emit(self, uow: UnitOfWork, message) -> None:
        """A fact for other packages' handlers, run after this unit of work commits."""
        if self.bus is None:  # without a bus the reaction would be lost without a trace
            raise RuntimeError(f"no message bus for {type(message).__name__}")
        self.bus.emit(uow, self, message)

    def record(
        self,
        uow: UnitOfWork,
        *,
        type: str,
        audience: set[str],
        title: str,
        body: str = "",
        data: dict | None = None,
        urgent: bool = False,
        actor_id: int | None = None,
        push: bool = True,
        push_always: bool = False,
    ) -> Event:
        if not audience:
            raise ValueError("an event needs at least one addressee")
        event = Event(
            type=type,
            created_at=self.clock.now(),
            actor_id=actor_id,
            urgent=urgent,
            title=title[:200],
            body=body[:1000],
            data=data or {},
            push_state="pending" if push else None,
            push_always=push_always,
        )
        pending = uow.session.info.get(_PENDING)
        if pending is None:  # the first event of this unit of work: written at its commit
            pending = uow.session.info[_PENDING] = []
            uow.before_commit(lambda: self._write(uow, pending))
        pending.append((event, frozenset(audience), push, push_always))
        return event

    def _write(self, uow: UnitOfWork, pending: list) -> None:
        """Give this transaction's events their ids, as its last work before the commit.

        A replay asks for "every event after id N", so ids must become visible in the order
        they were given: an event that got id 10 and committed after id 11 had been read would
        be skipped. SQLite has one writer at a time, so that holds already. PostgreSQL hands out
        sequence values to concurrent transactions, which commit in any order; so the ids are
        given under a transaction-scoped advisory lock, held from here until the commit (the
        Message DB approach). Its cost: event-writing commits queue on that lock, for the
        length of these inserts and the commit only, since nothing is locked after it.
        """
        del uow.session.info[_PENDING]
        if uow.session.bind.dialect.name == "postgresql":
            uow.session.execute(select(func.pg_advisory_xact_lock(EVENT_ORDER_LOCK)))
        for event, audience, push, push_always in pending:
            uow.session.add(event)
            uow.session.flush()  # assigns the id, in order
            # one bulk insert: an alarm to a thousand people must not build a thousand objects
            insert_rows(
                uow.session,
                EventAudience.__table__,
                [{"event_id": event.id, "key": key} for key in sorted(audience)],
            )
            envelope = Envelope.of(
                event_message(event), audience, push=push, push_always=push_always
            )
            uow.after_commit(partial(self.broker.publish, envelope))


def envelope_of(event: Event) -> Envelope:
    """Rebuild what was published, from the stored row (for a push left pending)."""
    return Envelope.of(
        event_message(event),
        frozenset(a.key for a in event.audience),
        push=event.push_state is not None,
        push_always=event.push_always,
    )


def events_since(
    session: Session, keys: frozenset[str], since: int, limit: int = REPLAY_LIMIT
) -> list[Event]:
    """Events addressed to any of `keys` with an id above `since`, oldest first."""
    ids = (
        select(EventAudience.event_id)
        .where(EventAudience.key.in_(keys), EventAudience.event_id > since)
        .distinct()
    )
    return list(
        session.scalars(select(Event).where(Event.id.in_(ids)).order_by(Event.id).limit(limit))
    )
