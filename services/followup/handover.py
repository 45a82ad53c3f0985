"""A leaver's open follow-up goes to their manager. Who is responsible for an incident is
computed from the chain of managers, which skips inactive people (accounts/responsibility.py),
so the incidents of a leaver's people move by themselves; what is stored per person is the
owner of each action of an incident analysis (§9): an open one moves to the successor, in the
incident's history, and a form opened before it is saved as a stale version (409)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.incidents.models import Incident, IncidentChange


def hand_over_actions(
    session: Session, now: datetime, *, user_id: int, successor_id: int, actor_id: int
) -> int:
    """Move `user_id`'s open analysis actions to `successor_id`; returns how many moved."""
    moved = 0
    for incident in session.scalars(select(Incident).order_by(Incident.id)):
        causes = (incident.analysis or {}).get("causes") or []
        open_ones = [
            i
            for i, cause in enumerate(causes)
            if cause.get("action_owner_id") == user_id and not cause.get("action_done_on")
        ]
        if not open_ones:
            continue
        incident.analysis = {  # a new dict: the change is seen, and the version moves on
            **incident.analysis,
            "causes": [
                {**cause, "action_owner_id": successor_id} if i in open_ones else cause
                for i, cause in enumerate(causes)
            ],
        }
        session.add(
            IncidentChange(
                incident_id=incident.id,
                at=now,
                user_id=actor_id,
                action="overgedragen",
                changes=[{"from": user_id, "to": successor_id, "actions": len(open_ones)}],
            )
        )
        moved += len(open_ones)
    return moved
