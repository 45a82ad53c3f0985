"""Follow-up records of an incident: measures against the aggressor, police reports, aftercare
steps, the analysis's causes and actions, and letters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from services.accounts.models import User
from services.db import Base, UTCDateTime
from services.register.models import RegisterMeasure


class IncidentMeasure(Base):
    """The reaction to the aggressor the responsible manager decided on: a measure, or "geen
    maatregel" with its reason. A ban, warning or suspension is also a measure in the Agressie
    Informatie Register (`air_measure_id`), so the next pre-visit check sees it."""

    __tablename__ = "incident_measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # measures.REACTIONS
    decided_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(1000), default="")  # the reason, for geen_maatregel
    air_measure_id: Mapped[int | None] = mapped_column(ForeignKey("air_measures.id"))
    # Set when this decision extends a running ban (another incident's, or the AIR's own):
    # the end it had before. The period itself stays in the AIR.
    extended_from: Mapped[date | None] = mapped_column(Date)
    breaches: Mapped[list] = mapped_column(JSON, default=list)  # [{on, extend_days, note, …}]
    # The AIR measure's period, kept here when retention removed the AIR entry (the link goes).
    period_starts_on: Mapped[date | None] = mapped_column(Date)
    period_ends_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    air_measure: Mapped[RegisterMeasure | None] = relationship()

    # The period lives in the AIR: ending or changing it there is what the follow-up shows.
    @property
    def starts_on(self) -> date | None:
        return self.air_measure.starts_on if self.air_measure else self.period_starts_on

    @property
    def ends_on(self) -> date | None:
        return self.air_measure.ends_on if self.air_measure else self.period_ends_on


class PoliceRecord(Base):
    """An aangifte or melding — or the recorded decision not to (only the victim can file)."""

    __tablename__ = "incident_police"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # aangifte | melding | afgezien
    on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    domicile: Mapped[bool] = mapped_column(Boolean, default=False)
    supported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(1000), default="")  # why not, when afgezien
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    supported_by: Mapped[User | None] = relationship(foreign_keys=[supported_by_id])


class AftercareRecord(Base):
    """One step of the victim's aftercare: due from the incident's time, done when recorded.
    `reminded_at` is claimed once by the sweeper, so a reminder is sent once."""

    __tablename__ = "aftercare_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    from_on: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str] = mapped_column(String(2000), default="")
    signs: Mapped[list] = mapped_column(JSON, default=list)
    referral: Mapped[str | None] = mapped_column(String(40))


class Finalisable:
    """A document drafted, then finalised once as a PDF that never changes: a letter, and the
    quarterly and half-year reports (services/reports/models.py)."""

    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @declared_attr
    def created_by(cls) -> Mapped[User]:
        return relationship(foreign_keys=f"{cls.__name__}.created_by_id")

    @declared_attr
    def finalised_by(cls) -> Mapped[User | None]:
        return relationship(foreign_keys=f"{cls.__name__}.finalised_by_id")


class IncidentLetter(Finalisable, Base):
    """A letter from annexes 4-7 (or the police pack): an editable draft, then a final PDF."""

    __tablename__ = "incident_letters"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    variant: Mapped[int] = mapped_column(default=1)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("incident_measures.id"))
    text: Mapped[str] = mapped_column(Text)
