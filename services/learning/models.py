"""The learning loop's records: an instrument version (a leerdoelwijzer or the development
matrix), the answers someone gave to one version, their learning goals, and a team's plan.

An instrument is versioned like the checklists: publishing makes a new row and the old one stays,
so answers keep pointing at the statements they answered."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UTCDateTime


class Instrument(Base):
    __tablename__ = "learning_instruments"
    __table_args__ = (UniqueConstraint("key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), index=True)  # a function group, or "matrix"
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # instruments.KINDS
    function_group: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(300))
    groups: Mapped[list] = mapped_column(JSON)  # [{key, title, statements: [{id, text}]}]
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Response(Base):
    """One round of answers by one person to one instrument version. `team_id` is their team
    when they answered: a team's picture is of the people who were in it."""

    __tablename__ = "learning_responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)  # sent exactly once
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("learning_instruments.id"))
    instrument_key: Mapped[str] = mapped_column(String(60))
    answers: Mapped[dict] = mapped_column(JSON)  # statement id -> option key
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LearningGoal(Base):
    __tablename__ = "learning_goals"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("learning_responses.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_with_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)


class PlanItem(Base):
    """An action in a team's plan (seed 000, "Borg de leer- en ontwikkelaanpak"): what, the
    result it should give, who and by when; later its evaluation in the team meeting.
    `assignee` is someone outside the team who can solve what the team cannot; `area` (a
    questionnaire's aspect) or `incident` and `cause_id` (a cause from its analysis) say where
    the action came from; `carried_from` is the item whose evaluation put it in this planning."""

    __tablename__ = "team_plan_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # plan.KINDS
    title: Mapped[str] = mapped_column(String(200))
    work_form: Mapped[str | None] = mapped_column(String(40))  # workforms.WORK_FORMS
    expected_result: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="gepland")  # plan.STATES
    area: Mapped[dict | None] = mapped_column(JSON)  # {questionnaire, key}
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    cause_id: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(20))  # plan.OUTCOMES
    evaluation: Mapped[str] = mapped_column(Text, default="")
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    evaluated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("team_plan_items.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
