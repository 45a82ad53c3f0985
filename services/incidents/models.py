"""The incident register (GIR): incidents and their change history (who read aggressor details
is in the audit trail)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from services.accounts.models import Team, User
from services.db import Base, UTCDateTime
from services.identity import aggressor_key


class KindList(TypeDecorator):
    """Annex-8 kinds as "intimidatie,verbaal": a plain string, so the register can filter on a
    kind with LIKE (no kind's name contains another's) and on "combinatie" by the comma."""

    impl = String(100)
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect):
        return None if value is None else ",".join(value)

    def process_result_value(self, value: str | None, dialect):
        return [] if not value else value.split(",")


class Incident(Base):
    __tablename__ = "incidents"
    # Need-to-know and the reports select by person or team and then by time: each index
    # serves both (and a lookup by person or team alone). Repeat aggressors are counted over
    # the whole register by key, time and team alone.
    __table_args__ = (
        Index("ix_incidents_reporter_id_occurred_at", "reporter_id", "occurred_at"),
        Index("ix_incidents_victim_id_occurred_at", "victim_id", "occurred_at"),
        Index("ix_incidents_team_id_occurred_at", "team_id", "occurred_at"),
        Index("ix_incidents_aggressor_key", "aggressor_key", "occurred_at", "team_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # Made by the phone when the report was written: the same report sent twice is one row.
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    victim_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    behaviour_type: Mapped[str] = mapped_column(String(1))
    kinds: Mapped[list[str]] = mapped_column(KindList)
    channel: Mapped[str] = mapped_column(String(30))
    location: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(2000))
    alarm_id: Mapped[int | None] = mapped_column(ForeignKey("alarms.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))
    status: Mapped[str] = mapped_column(String(20), default="gemeld")
    # When it was last closed (afgehandeld): the retention period counts from here.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set once, by retention (services/retention): names and free text are gone for good.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    serious_criteria: Mapped[list] = mapped_column(JSON, default=list)
    form: Mapped[dict] = mapped_column(JSON, default=dict)  # annex 8, see form.py
    # Need-to-know (AVG): only managers and the coordinator read these.
    aggressor_name: Mapped[str] = mapped_column(String(200), default="")
    aggressor_address: Mapped[str] = mapped_column(String(200), default="")
    aggressor_client_ref: Mapped[str] = mapped_column(String(200), default="")
    # Who the aggressor is, as one key (services/identity.py): kept with every save, so that
    # the reports count repeat aggressors in SQL. Need-to-know like the details it comes from.
    aggressor_key: Mapped[str | None] = mapped_column(String(210))
    # Follow-up kept on the incident itself (the rest is in services/followup/models.py).
    # Inspectie SZW (§9): the phone report within 24 hours, "en dient daarna ook schriftelijk
    # melding te maken"; each claim column lets the sweeper remind once.
    szw_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by phone
    szw_reference: Mapped[str] = mapped_column(String(100), default="")
    szw_overdue_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    szw_written_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    szw_written_reference: Mapped[str] = mapped_column(String(100), default="")
    szw_written_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    absence_days: Mapped[int | None] = mapped_column(Integer)  # > 3: employer's accident register
    analysis: Mapped[dict] = mapped_column(JSON, default=dict)  # answers, causes with actions
    # Optimistic concurrency: an UPDATE that finds another version changes nothing.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    victim: Mapped[User] = relationship(foreign_keys=[victim_id])
    team: Mapped[Team | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def has_aggressor_details(self) -> bool:
        return bool(self.aggressor_fields)

    @property
    def aggressor_fields(self) -> list[str]:
        """Which of the aggressor's details this report holds: what a read of it shows."""
        return [f for f in ("name", "address", "client_ref") if getattr(self, f"aggressor_{f}")]


@event.listens_for(Incident, "before_insert")
@event.listens_for(Incident, "before_update")
def _key_the_aggressor(mapper, connection, incident: Incident) -> None:
    incident.aggressor_key = aggressor_key(incident.aggressor_client_ref, incident.aggressor_name)


class IncidentChange(Base):
    """One save: who, when, and each field's old and new value."""

    __tablename__ = "incident_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))  # gemeld | gewijzigd
    changes: Mapped[list] = mapped_column(JSON, default=list)
    user: Mapped[User] = relationship()
