"""Stored events and to whom each is addressed; reactions still to run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime


class Event(Base):
    """One domain event. `id` only grows (AUTOINCREMENT never reuses an id), so a client
    that remembers the last id it saw can ask for exactly what it missed."""

    __tablename__ = "events"
    # the sweep looks for pushes still pending every second: never a scan of the whole log
    __table_args__ = (
        Index("ix_events_push_state", "push_state", "created_at"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # for retention
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(1000), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    # Web Push as part of the stored fact, so a restart between commit and push cannot lose
    # it: "pending" until the dispatcher has expanded it into one delivery per device
    # (push_deliveries), then "expanded"; "expired" when no process got to it within its TTL.
    # None: live only. ("sent" on events from before per-device deliveries.)
    push_state: Mapped[str | None] = mapped_column(String(10))
    push_always: Mapped[bool] = mapped_column(Boolean, default=False)
    audience: Mapped[list[EventAudience]] = relationship(viewonly=True)


class EventAudience(Base):
    """One addressee key of an event: 'user:7', 'team:2' or 'role:coordinator'."""

    __tablename__ = "event_audience"
    __table_args__ = (Index("ix_event_audience_key_event", "key", "event_id"),)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(60), primary_key=True)


class PendingReaction(Base):
    """A handler still to run for a message (the bus's outbox, events/bus.py): written in the
    transaction that emitted the message, deleted in the one in which the handler ran."""

    __tablename__ = "pending_reactions"
    __table_args__ = (Index("ix_pending_reactions_due_at", "due_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_type: Mapped[str] = mapped_column(String(60))
    handler: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when a sweep may (re)try it
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(1000))
