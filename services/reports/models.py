"""The quarterly and half-year reports of annex 2 as documents: a draft whose recommendations
the coordinator writes, then a final version whose figures and PDF never change. A period can
have several versions (a correction is a new version, not an edit of the old one)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base
from services.followup.models import Finalisable


class ReportDocument(Finalisable, Base):
    __tablename__ = "report_documents"
    __table_args__ = (UniqueConstraint("kind", "period_first", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # documents.KINDS
    period_first: Mapped[date] = mapped_column(Date)
    period_last: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column()  # 1, 2, … per kind and period
    recommendations: Mapped[str] = mapped_column(Text, default="")
    # The report as it was when this version was finalised (set with the PDF).
    report: Mapped[dict | None] = mapped_column(JSON)

    @property
    def final(self) -> bool:
        return self.finalised_at is not None
