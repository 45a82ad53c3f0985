"""Running retention: every kind of data in bounded batches, each batch its own transaction.

A batch claims the rows it acts on (FOR UPDATE … SKIP LOCKED on PostgreSQL, so a row someone
is editing waits for the next sweep and nobody waits for the sweep), acts, and commits; what is
left is simply found by the next batch or the next run, so a crash or a restart in between
loses nothing and does nothing twice. With several workers, one at a time works on a kind
(a transaction-scoped advisory lock, tried, never waited for). Acting makes a row no longer
due (anonymised, cleared or gone), which is what makes a second run change nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services import audit
from services.alarms.models import Alarm
from services.clock import Clock
from services.db import Database
from services.events.models import Event
from services.incidents.models import Incident
from services.register.models import RegisterEntry
from services.retention import events, incidents, positions, register
from services.retention.policy import RetentionPolicy, kept_since
from services.visits.models import Visit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Item:
    id: int
    since: date | datetime  # what its period counts from: the closing, the last measure's end


@dataclass(frozen=True)
class Due:
    """What a kind would act on now: how many, and (up to a limit) which, oldest first."""

    kind: str
    days: int
    count: int
    items: list[Item]


@dataclass(frozen=True)
class Batch:
    kind: str
    ids: list[int]  # the rows acted on (none for the audit trail, which counts only)
    count: int
    more: bool  # the batch was full: more may be due


class Kind(Protocol):
    name: str
    period: str  # the RetentionPolicy field that says how long
    done: str  # what happens to what is due: "anonymised", "cleared", "deleted"

    def preview(self, session: Session, now: datetime, days: int, limit: int | None) -> Due: ...

    def batch(self, session: Session, now: datetime, days: int) -> Batch: ...


@dataclass(frozen=True, kw_only=True)
class RowKind:
    """Rows found by a query of (id, since), acted on by id."""

    name: str
    period: str
    done: str
    due: Callable[[datetime, int], Select]
    act: Callable[[Session, datetime, list[int]], None]
    model: type  # whose rows are claimed
    deletes: bool = False  # a delete claims FOR UPDATE, a change FOR NO KEY UPDATE
    size: int = 200  # rows a batch acts on: a transaction of tens of milliseconds

    def preview(self, session: Session, now: datetime, days: int, limit: int | None) -> Due:
        query = self.due(now, days)
        count = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        items = [Item(*row) for row in session.execute(query.limit(limit))]
        return Due(self.name, days, count, items)

    def batch(self, session: Session, now: datetime, days: int) -> Batch:
        claim = self.due(now, days).limit(self.size)
        claim = claim.with_for_update(of=self.model, key_share=not self.deletes, skip_locked=True)
        ids = [row[0] for row in session.execute(claim)]
        if ids:
            self.act(session, now, ids)
        return Batch(self.name, ids, len(ids), more=len(ids) == self.size)


@dataclass(frozen=True)
class AuditTrailKind:
    """The audit trail removes its own oldest rows and leaves an anchor (services.audit)."""

    name: str = "logs"
    period: str = "logs"
    done: str = "deleted"

    def preview(self, session: Session, now: datetime, days: int, limit: int | None) -> Due:
        return Due(self.name, days, audit.count_before(session, before=kept_since(now, days)), [])

    def batch(self, session: Session, now: datetime, days: int) -> Batch:
        removed = audit.purge(session, now, before=kept_since(now, days))
        return Batch(self.name, [], removed, more=removed > 0)


KINDS: tuple[Kind, ...] = (
    RowKind(
        name="incidents",
        period="incidents",
        done="anonymised",
        due=incidents.due,
        act=incidents.anonymise,
        model=Incident,
        size=50,
    ),
    RowKind(
        name="air_entries",
        period="air_entries",
        done="deleted",
        due=register.due,
        act=register.delete_entries,
        model=RegisterEntry,
        deletes=True,
    ),
    RowKind(
        name="alarm_positions",
        period="positions",
        done="cleared",
        due=positions.alarms_due,
        act=positions.clear_alarms,
        model=Alarm,
    ),
    RowKind(
        name="visit_positions",
        period="positions",
        done="cleared",
        due=positions.visits_due,
        act=positions.clear_visits,
        model=Visit,
    ),
    RowKind(
        name="alarm_events",
        period="positions",
        done="deleted",
        due=positions.alarm_events_due,
        act=events.delete_events,
        model=Event,
        deletes=True,
    ),
    RowKind(
        name="events",
        period="events",
        done="deleted",
        due=events.due,
        act=events.delete_events,
        model=Event,
        deletes=True,
        size=500,
    ),
    AuditTrailKind(),
)


def _claimed(session: Session, kind: str) -> bool:
    """This worker's turn at `kind` until the commit; SQLite has one writer at a time already."""
    if session.bind.dialect.name != "postgresql":
        return True
    return session.scalar(
        select(func.pg_try_advisory_xact_lock(func.hashtext("retention"), func.hashtext(kind)))
    )


def run_batch(db: Database, clock: Clock, policy: RetentionPolicy, kind: Kind) -> Batch:
    with db.uow() as uow:
        if not _claimed(uow.session, kind.name):  # another worker is at it
            return Batch(kind.name, [], 0, more=False)
        return kind.batch(uow.session, clock.now(), getattr(policy, kind.period))


def sweep_round(db: Database, clock: Clock, policy: RetentionPolicy) -> bool:
    """The sweeper's: one batch of each kind, so that a backlog never holds the safety rules
    back for long. True while some kind may have more due."""
    more = False
    for kind in KINDS:
        try:
            batch = run_batch(db, clock, policy, kind)
        except Exception:  # one kind failing must not keep the others for ever
            log.exception("retention of %s failed", kind.name)
            continue
        if batch.count:
            log.info("retention: %s %s %d", kind.name, kind.done, batch.count)
        more |= batch.more
    return more


def sweep_until_done(db: Database, clock: Clock, policy: RetentionPolicy) -> Iterator[Batch]:
    """Every kind until nothing is due (the command's); each batch that acted, as it commits."""
    for kind in KINDS:
        while True:
            batch = run_batch(db, clock, policy, kind)
            if batch.count:
                yield batch
            if not batch.more:
                break


def preview(
    db: Database, clock: Clock, policy: RetentionPolicy, *, limit: int | None = None
) -> list[Due]:
    """The dry run: per kind what a sweep now would act on, changing nothing."""
    with db.reader() as uow:
        now = clock.now()
        return [
            kind.preview(uow.session, now, getattr(policy, kind.period), limit) for kind in KINDS
        ]
