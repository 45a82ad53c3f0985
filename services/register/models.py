"""Register entries and their measures with dates, and every change to them as a version
(lookups are in the audit trail)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.accounts.models import User
from services.db import Base, UTCDateTime
from services.limits import Limit

# The longest texts of an entry; the client reference is the AIR's, also on visits and reports.
CLIENT_REF = Limit(50)
NAME = Limit(200)
ADDRESS = Limit(200)
REMARKS = Limit(1000)
MEASURE_REASON = Limit(500)
EXTEND_REASON = Limit(300)


class MeasureKind(StrEnum):
    WAARSCHUWING = "waarschuwing"
    PANDVERBOD = "pandverbod"
    CONTACTVERBOD = "contactverbod"
    OPGESCHORTE_DIENSTVERLENING = "opgeschorte_dienstverlening"


MEASURE_LABELS = {
    MeasureKind.WAARSCHUWING: "Waarschuwing",
    MeasureKind.PANDVERBOD: "Pandverbod",
    MeasureKind.CONTACTVERBOD: "Contactverbod",
    MeasureKind.OPGESCHORTE_DIENSTVERLENING: "Opgeschorte dienstverlening",
}


class RegisterEntry(Base):
    """A person (by name and/or client reference) or an address."""

    __tablename__ = "air_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    client_ref: Mapped[str | None] = mapped_column(String(50), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    known_aggressive: Mapped[bool] = mapped_column(Boolean, default=False)
    behaviour_type: Mapped[str | None] = mapped_column(String(1))  # A-E, protocol §7
    remarks: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The team that recorded it (its creator's): its managers may change it (need-to-know).
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    measures: Mapped[list[RegisterMeasure]] = relationship(
        back_populates="entry", order_by="RegisterMeasure.starts_on"
    )


class RegisterMeasure(Base):
    __tablename__ = "air_measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("air_entries.id"), index=True)
    kind: Mapped[MeasureKind] = mapped_column(String(40))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # the last day it holds; None: until ended
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Decided in an incident's follow-up: that incident, and its victim, whose responsible
    # manager (§5) may change the measure. Who that is, is asked when it matters (the chain of
    # managers), so a handover or a new manager needs nothing stored here.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    victim_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entry: Mapped[RegisterEntry] = relationship(back_populates="measures")

    def active_on(self, day: date) -> bool:
        """A period runs from its start "tot en met" its end date, and ends by itself: no
        job has to switch it off."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class RegisterVersion(Base):
    """One change to an entry or one of its measures: who, when, what (`before` and `after`
    hold only the fields that changed; `before` is empty for a creation) and why. Written in
    the change's own transaction; it goes with its entry when retention removes that."""

    __tablename__ = "air_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("air_entries.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("air_measures.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))  # history.ACTIONS
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor: Mapped[User] = relationship()
    measure: Mapped[RegisterMeasure | None] = relationship()
