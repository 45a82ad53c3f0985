"""A checklist version. Editing makes a new version; a visit keeps the version it answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UTCDateTime


class Checklist(Base):
    __tablename__ = "checklists"
    __table_args__ = (UniqueConstraint("key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    function_groups: Mapped[list] = mapped_column(JSON)  # empty: for everyone
    questions: Mapped[list] = mapped_column(JSON)
    thresholds: Mapped[dict] = mapped_column(JSON)  # points from which a level starts
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
