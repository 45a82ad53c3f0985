"""The audit trail: every read of aggressor details or a staff member's position, every
register lookup and every export, one row each, chained by hash so that a row changed or
removed behind the application's back shows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from services.accounts.models import User
from services.db import Base, UTCDateTime

HASH_LENGTH = 64  # hex SHA-256


class Chained:
    """A table whose rows are appended only, each carrying the hash of its content and of the
    row before it (`services.audit.chain`). Never updated; deleted only from the oldest end by
    the retention sweep, which leaves an anchor behind."""

    prev_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    hash: Mapped[str] = mapped_column(String(HASH_LENGTH))

    @declared_attr.directive
    def __chain__(cls) -> str:
        return cls.__tablename__


class AuditEntry(Chained, Base):
    """One act on personal data. `shown` says what the person saw, never the values
    themselves (the trail would otherwise keep what retention removes): the fields, the
    entries matched, how many rows an export held."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject", "subject", "subject_id"),
        Index("ix_audit_log_actor_at", "actor_id", "at"),
        {"sqlite_autoincrement": True},  # a purged id is never given again
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    act: Mapped[str] = mapped_column(String(20))  # trail.ACTS
    subject: Mapped[str] = mapped_column(String(30))  # trail.SUBJECTS
    subject_id: Mapped[int | None] = mapped_column()
    purpose: Mapped[str] = mapped_column(String(100))
    shown: Mapped[dict] = mapped_column(JSON)
    actor: Mapped[User | None] = relationship()


class AuditAnchor(Chained, Base):
    """Where a chain continues after retention removed its oldest rows: the hash of the last
    row removed, which the first row left must name as its predecessor. Anchors are a chain
    of their own, so removing one shows too."""

    __tablename__ = "audit_anchors"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    chain: Mapped[str] = mapped_column(String(30))
    through_id: Mapped[int] = mapped_column()  # the last id removed
    through_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    removed: Mapped[int] = mapped_column()
