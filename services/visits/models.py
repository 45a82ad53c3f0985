"""A visit (or an outdoor shift), its timer and its log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.accounts.models import FunctionGroup, User
from services.db import Base, UTCDateTime
from services.limits import Limit

# What a visit takes: an address to find the worker at, and how long it may run (the overdue
# timer's start) or be extended at once; a reason for a "niet gaan" request or its decision.
ADDRESS = Limit(200, min=3)
FLOOR_ROOM = Limit(100)
EXPECTED_MINUTES = Limit(480, min=5)
EXTEND_MINUTES = Limit(240, min=5)
REASON = Limit(500, min=5)

VISIT_TYPES = {"dienstverlenend": "Dienstverlenend", "controlerend": "Controlerend"}
# BOAs and inspectors come to check: their visits are controlerend unless they say otherwise.
CHECKING_GROUPS = frozenset({FunctionGroup.BOA, FunctionGroup.INSPECTIE})


def default_visit_type(function_group: str | None) -> str:
    return "controlerend" if function_group in CHECKING_GROUPS else "dienstverlenend"


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_due", "state", "next_step_at"),
        Index("ix_visits_reminder", "state", "reminder_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # visit | shift
    visit_type: Mapped[str | None] = mapped_column(String(20))  # dienstverlenend | controlerend
    address: Mapped[str] = mapped_column(String(200))
    floor_room: Mapped[str | None] = mapped_column(String(100))
    client_ref: Mapped[str | None] = mapped_column(String(50))
    buddy_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expected_minutes: Mapped[int | None] = mapped_column(Integer)
    interval_minutes: Mapped[int | None] = mapped_column(Integer)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklists.id"))
    answers: Mapped[dict] = mapped_column(JSON)
    risk_level: Mapped[str] = mapped_column(String(20))
    advice: Mapped[list] = mapped_column(JSON)
    register_match: Mapped[bool] = mapped_column(Boolean, default=False)
    no_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the register said at check-in that it did not say at planning (need-to-know words).
    register_change: Mapped[dict | None] = mapped_column(JSON)
    # Permission for a "niet gaan" visit: requested by the pair, decided by a manager.
    override_state: Mapped[str | None] = mapped_column(String(10))  # requested|approved|refused
    override_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    override_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_request_reason: Mapped[str | None] = mapped_column(String(500))
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the decision
    override_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    override_reason: Mapped[str | None] = mapped_column(String(500))
    alone_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default="planned")  # planned|active|closed
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy: Mapped[float | None] = mapped_column(Float)
    policy: Mapped[list | None] = mapped_column(JSON)  # overdue steps, snapshot at check-in
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cycle: Mapped[int] = mapped_column(Integer, default=0)  # +1 at each stand-down
    fired_steps: Mapped[int] = mapped_column(Integer, default=0)  # in this cycle
    next_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the timer, as a row
    reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # "loopt over 5 minuten af"
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    buddy: Mapped[User | None] = relationship(foreign_keys=[buddy_id])
    override_by: Mapped[User | None] = relationship(foreign_keys=[override_by_id])
    override_requested_by: Mapped[User | None] = relationship(
        foreign_keys=[override_requested_by_id]
    )
    responses: Mapped[list[VisitResponse]] = relationship(order_by="VisitResponse.at")


class VisitLog(Base):
    """Append-only: planned, checked in, prompted, alerted (per person), ok, extended, ..."""

    __tablename__ = "visit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cycle: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class VisitResponse(Base):
    """An alerted colleague's answer to an overdue alert ("Ik ga kijken", "Ik bel"), one per
    person and cycle: a stand-down starts a new cycle and the answers with it."""

    __tablename__ = "visit_responses"
    __table_args__ = (UniqueConstraint("visit_id", "cycle", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    cycle: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    response: Mapped[str] = mapped_column(String(20))  # checking | calling
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()
