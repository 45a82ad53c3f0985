"""A team's escalation policy (alarm steps and overdue visits): read and replace. Changes
apply to alarms raised and visits checked in afterwards; running ones keep their snapshot."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.accounts.capabilities import POLICY_EDITORS
from services.accounts.service import get_team, get_user, reach_of
from services.db import lock_key
from services.errors import NotAllowed, NotFound
from services.escalation.alarm_policy import DEFAULT_ALARM_POLICY, validate_policy
from services.escalation.models import EscalationPolicy
from services.escalation.overdue_policy import DEFAULT_OVERDUE_POLICY, validate_overdue_policy


def stored_policy(session: Session, team_id: int | None) -> dict:
    """A team's alarm steps and overdue policy, the defaults where it has none."""
    found = session.get(EscalationPolicy, team_id) if team_id else None
    return {
        "alarm_steps": found.alarm_steps if found else DEFAULT_ALARM_POLICY,
        "overdue": (found.overdue if found and found.overdue else DEFAULT_OVERDUE_POLICY),
    }


def team_policy(session: Session, team_id: int, *, viewer_id: int) -> dict:
    """Read by the team's own managers, the coordinator and the administrator: another
    team's manager learns nothing of it, not even that the team exists."""
    get_team(session, team_id)
    if not reach_of(session, get_user(session, viewer_id)).covers_team(team_id):
        raise NotFound("Onbekend team.")
    return stored_policy(session, team_id)


def set_team_policy(
    session: Session, *, user_id: int, team_id: int, alarm_steps: list[dict], overdue: dict
) -> dict:
    if get_user(session, user_id).role not in POLICY_EDITORS:
        raise NotAllowed("Alleen de coördinator en de beheerder stellen escalatie in.")
    get_team(session, team_id)
    steps, late = validate_policy(alarm_steps), validate_overdue_policy(overdue)
    lock_key(session, "escalation-policy", team_id)  # a team's first policy, saved twice at once
    found = session.get(EscalationPolicy, team_id)
    if found is None:
        found = EscalationPolicy(team_id=team_id)
        session.add(found)
    found.alarm_steps, found.overdue = steps, late
    return {"alarm_steps": steps, "overdue": late}
