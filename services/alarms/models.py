"""An alarm, who was alerted, who acknowledged, and its timeline."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.accounts.models import User
from services.db import Base, UTCDateTime
from services.visits.models import Visit


class AlarmState(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    FALSE_ALARM = "false_alarm"
    RESOLVED_WITHOUT_HELP = "resolved_without_help"
    RESOLVED_WITH_HELP = "resolved_with_help"
    POLICE_CALLED = "police_called"
    TEST_COMPLETED = "test_completed"


OUTCOME_LABELS = {
    Outcome.FALSE_ALARM: "Vals alarm",
    Outcome.RESOLVED_WITHOUT_HELP: "Opgelost zonder hulp",
    Outcome.RESOLVED_WITH_HELP: "Opgelost met hulp van collega's",
    Outcome.POLICE_CALLED: "Politie ingeschakeld",
    Outcome.TEST_COMPLETED: "Test geslaagd",
}


class Response(StrEnum):
    COMING = "coming"
    CALLING_112 = "calling_112"


RESPONSE_LABELS = {Response.COMING: "komt eraan", Response.CALLING_112: "belt 112"}


class PositionStatus(StrEnum):
    """Whether the worker's phone shares a position, and if not, why: responders must know
    whether "no position" means "look at the visit address" or "the phone is still trying"."""

    SHARED = "shared"
    PENDING = "pending"  # the phone is still looking for a fix
    DENIED = "denied"  # the worker (or the browser) refused location permission
    UNAVAILABLE = "unavailable"  # permission given, but no fix (indoors, GPS off, timeout)
    UNSUPPORTED = "unsupported"  # this browser has no geolocation
    UNKNOWN = "unknown"  # the phone said nothing (an older app version)


POSITION_STATUS_LABELS = {
    PositionStatus.SHARED: "Locatie wordt gedeeld",
    PositionStatus.PENDING: "De telefoon zoekt de locatie nog",
    PositionStatus.DENIED: "Locatie niet gedeeld: de telefoon geeft geen toestemming voor locatie",
    PositionStatus.UNAVAILABLE: "Locatie niet gedeeld: de telefoon kan geen locatie bepalen",
    PositionStatus.UNSUPPORTED: "Locatie niet gedeeld: deze telefoon of browser kan geen "
    "locatie geven",
    PositionStatus.UNKNOWN: "Locatie onbekend",
}

# A worker who types a wrong PIN this often may not be the worker: cancelling by PIN stops.
PIN_ATTEMPTS = 3


class Alarm(Base):
    __tablename__ = "alarms"
    __table_args__ = (Index("ix_alarms_due", "state", "next_step_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))  # where it happened
    is_test: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[AlarmState] = mapped_column(String(20), default=AlarmState.OPEN)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    policy: Mapped[list] = mapped_column(JSON)  # snapshot taken at the raise
    fired_steps: Mapped[int] = mapped_column(Integer, default=0)
    next_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the timer, as a row
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duress_step: Mapped[int | None] = mapped_column(Integer)  # what the worker last saw
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[Outcome | None] = mapped_column(String(40))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy: Mapped[float | None] = mapped_column(Float)
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    position_status: Mapped[PositionStatus | None] = mapped_column(String(20))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    visit: Mapped[Visit | None] = relationship()
    recipients: Mapped[list[AlarmRecipient]] = relationship(order_by="AlarmRecipient.step")
    acknowledgements: Mapped[list[AlarmAcknowledgement]] = relationship(
        order_by="AlarmAcknowledgement.at"
    )

    @property
    def duress(self) -> bool:
        return self.duress_at is not None

    @property
    def pin_locked(self) -> bool:
        return self.pin_failures >= PIN_ATTEMPTS

    @property
    def closed_for_worker(self) -> bool:
        """What the worker's phone believes: closed, also after a duress PIN."""
        return self.state != AlarmState.OPEN or self.duress


class AlarmRecipient(Base):
    __tablename__ = "alarm_recipients"
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    step: Mapped[int] = mapped_column(Integer)
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()


class AlarmAcknowledgement(Base):
    __tablename__ = "alarm_acknowledgements"
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    response: Mapped[Response] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()


class AlarmLog(Base):
    """Append-only audit trail: every state change and delivery step, with time and actor."""

    __tablename__ = "alarm_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the responder
    channel: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])
