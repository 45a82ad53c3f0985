"""The administrative change log: who changed which department, team or person when, and
each changed field's value before and after."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.accounts.models import User
from services.audit.models import Chained
from services.db import Base, UTCDateTime


class AdminChange(Chained, Base):
    """One administrative change of one entity. `before` and `after` hold only the fields
    that changed (`before` is None for a creation), as the staff CSV writes them: a team by
    its name, a manager by username. `label` is the entity's name at the time, so the log
    reads without the entity and survives a rename. Hash-chained, as the audit trail is."""

    __tablename__ = "admin_changes"
    __table_args__ = (Index("ix_admin_changes_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entity: Mapped[str] = mapped_column(String(20))  # person | team | department
    entity_id: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # created | changed | left | returned
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    via: Mapped[str] = mapped_column(String(10))  # app | import | leaving (of another person)
    actor: Mapped[User] = relationship()
