"""Hash chains over append-only tables.

Each row's `hash` is SHA-256 over the hash of the row before it and the row's own content
(every column but the id and the two hashes, as canonical JSON). Changing, inserting or
removing a row anywhere breaks every hash after it; `verify` walks a chain and names the
first row that does not fit. Rows are appended at the very end of their transaction (the
session's `before_commit`, after the event log's ids), under a lock on the chain, so two
transactions never both continue from the same row.

What a chain cannot show by itself is the removal of its newest rows; `verify` reports the
head's hash so an operator can keep it elsewhere (docs/privacy.md)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, event, func, select, text
from sqlalchemy.orm import Session

from services.audit.models import AuditAnchor, Chained
from services.clock import iso
from services.db import lock_key

GENESIS = "0" * 64  # the predecessor of a chain's first row
_PENDING = "veldwacht.audit_pending"  # session.info: rows to append at the commit
_BATCH = 2000  # rows read at a time while verifying
PURGE_SETTING = "veldwacht.purge"  # the PostgreSQL trigger lets a DELETE pass only with this on


def _plain(value):
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def digest(prev_hash: str, values: dict) -> str:
    """The hash of a row given as its column values. Every column but the id and the hashes
    counts; empty ones are left out, so that a column added to the table later leaves the
    rows before it with the hash they had."""
    content = {
        key: _plain(value)
        for key, value in values.items()
        if value is not None and key not in ("id", "prev_hash", "hash")
    }
    body = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def row_hash(prev_hash: str, row: Chained) -> str:
    return digest(prev_hash, {c.key: getattr(row, c.key) for c in type(row).__table__.columns})


def append(session: Session, row: Chained) -> None:
    """Queue `row` for its chain; it is written as this transaction's last work. A read-only
    unit of work never commits, so a row given to one would be lost: refused loudly."""
    if session.connection().get_execution_options().get("read_only", False):
        raise RuntimeError("an audit row needs a writing unit of work")
    session.info.setdefault(_PENDING, []).append(row)


def _anchor(session: Session, chain: str) -> AuditAnchor | None:
    return session.scalars(
        select(AuditAnchor).where(AuditAnchor.chain == chain).order_by(AuditAnchor.id.desc())
    ).first()


def _head(session: Session, model: type[Chained]) -> str:
    """The hash the next row continues from."""
    last = session.scalar(select(model.hash).order_by(model.id.desc()).limit(1))
    if last is not None:
        return last
    anchor = _anchor(session, model.__chain__)
    return anchor.through_hash if anchor else GENESIS


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    for model in sorted({type(r) for r in pending}, key=lambda m: m.__chain__):
        lock_key(session, "audit chain", model.__chain__)
        prev = _head(session, model)
        for row in (r for r in pending if type(r) is model):
            row.prev_hash, row.hash = prev, row_hash(prev, row)
            prev = row.hash
            session.add(row)
        session.flush()  # the next chain's head may be an anchor just added


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class Verdict:
    chain: str
    rows: int
    head: str
    broken_at: int | None = None  # the id of the first row that does not fit
    why: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(session: Session, model: type[Chained]) -> Verdict:
    """Walk the chain oldest first. Its first row continues from the last anchor (or from
    the genesis), and each row's hash must be what its content and predecessor give."""
    chain = model.__chain__
    anchor = _anchor(session, chain) if model is not AuditAnchor else None
    prev = anchor.through_hash if anchor else GENESIS
    after, rows = (anchor.through_id if anchor else 0), 0
    if anchor is not None and session.scalar(
        select(func.count()).select_from(model).where(model.id <= anchor.through_id)
    ):
        return Verdict(chain, rows, prev, anchor.through_id, "rows before the anchor still exist")
    while batch := list(
        session.scalars(select(model).where(model.id > after).order_by(model.id).limit(_BATCH))
    ):
        for row in batch:
            if row.prev_hash != prev:
                return Verdict(chain, rows, prev, row.id, "the row before it is missing or changed")
            if row.hash != row_hash(prev, row):
                return Verdict(chain, rows, prev, row.id, "its content was changed")
            prev, rows = row.hash, rows + 1
        after = batch[-1].id
        session.expunge_all()  # a long chain is never held in memory whole
    return Verdict(chain, rows, prev)


def _purgeable_through(session: Session, model, before: datetime, limit: int) -> int | None:
    """The last id of the oldest run of rows all older than `before`, at most `limit` rows."""
    first_kept = session.scalar(select(func.min(model.id)).where(model.at >= before))
    ids = select(model.id).order_by(model.id).limit(limit)
    if first_kept is not None:
        ids = ids.where(model.id < first_kept)
    return session.scalar(select(func.max(ids.subquery().c.id)))


def purge(session: Session, now: datetime, model, *, before: datetime, limit: int) -> int:
    """Remove the chain's oldest rows from before `before`, at most `limit`, and leave an
    anchor saying where the chain now starts. Only ever from the oldest end: the rows left
    still verify. Returns how many went."""
    through = _purgeable_through(session, model, before, limit)
    if through is None:
        return 0
    through_hash = session.scalar(select(model.hash).where(model.id == through))
    if session.bind.dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL {PURGE_SETTING} = 'on'"))
    removed = session.execute(delete(model).where(model.id <= through)).rowcount
    append(
        session,
        AuditAnchor(
            at=now,
            chain=model.__chain__,
            through_id=through,
            through_hash=through_hash,
            removed=removed,
        ),
    )
    return removed


def count_before(session: Session, model, *, before: datetime) -> int:
    """How many rows `purge` would remove, all batches together."""
    first_kept = session.scalar(select(func.min(model.id)).where(model.at >= before))
    query = select(func.count()).select_from(model)
    if first_kept is not None:
        query = query.where(model.id < first_kept)
    return session.scalar(query)
