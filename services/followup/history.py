"""Every follow-up action is appended to the incident's history (who, when, what was decided)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from services.clock import json_value
from services.incidents.access import Viewer
from services.incidents.models import Incident, IncidentChange


def add_history(
    session: Session, incident: Incident, viewer: Viewer, now: datetime, *, action: str, **change
) -> None:
    session.add(
        IncidentChange(
            incident_id=incident.id,
            at=now,
            user_id=viewer.user.id,
            action=action,
            changes=[{k: json_value(v) for k, v in change.items()}],
        )
    )
