"""A team's escalation policy as stored: alarm steps and the overdue policy for visits."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base


class EscalationPolicy(Base):
    """A team's escalation steps for alarms (alarm_policy.py) and overdue visits
    (overdue_policy.py); teams without one use the defaults."""

    __tablename__ = "escalation_policies"
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    alarm_steps: Mapped[list] = mapped_column(JSON)
    overdue: Mapped[dict | None] = mapped_column(JSON)  # visits; None: the default
