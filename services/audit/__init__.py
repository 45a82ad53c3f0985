"""The audit trail (`trail`) and the hash chains that make it tamper-evident (`chain`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from services.audit import chain
from services.audit.models import AuditAnchor, AuditEntry, Chained
from services.audit.trail import record
from services.db import Base

PURGE_BATCH = 2000  # rows one sweep removes (a short write lock); the next sweep goes on


def purge(session: Session, now: datetime, *, before: datetime) -> int:
    """Retention: the trail's rows older than `before` go, oldest first, in batches."""
    return chain.purge(session, now, AuditEntry, before=before, limit=PURGE_BATCH)


def count_before(session: Session, *, before: datetime) -> int:
    return chain.count_before(session, AuditEntry, before=before)


def chained_models() -> list[type[Chained]]:
    """Every hash-chained table mapped (`services.schema` imports them all), anchors last."""
    found = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, Chained)]
    return sorted(found, key=lambda m: (m is AuditAnchor, m.__chain__))


__all__ = ["chained_models", "count_before", "purge", "record"]
