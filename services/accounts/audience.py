"""Which audience keys (events/audience.py) a user listens to, and whom a set of keys
reaches: both follow the organisation's teams, managers and roles."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.accounts.models import ManagedTeam, User
from services.events.audience import role_key, team_key, user_key


def listening_keys(session: Session, user: User) -> frozenset[str]:
    """A user hears events addressed to them, to their role, to their own team and to every
    team they manage. Reading rights (Reach) are wider for the coordinator than listening:
    the coordinator can look at any team but is not paged for every team message."""
    keys = {user_key(user.id), role_key(user.role)}
    if user.team_id is not None:
        keys.add(team_key(user.team_id))
    for team_id in session.scalars(
        select(ManagedTeam.team_id).where(ManagedTeam.manager_id == user.id)
    ):
        keys.add(team_key(team_id))
    return frozenset(keys)


def addressed_user_ids(session: Session, keys: frozenset[str] | set[str]) -> set[int]:
    """The active users an audience reaches, for channels that go to people (Web Push).
    User keys name their user already; only teams and roles need the database."""
    user_ids, team_ids, roles = set(), set(), set()
    for key in keys:
        kind, _, ref = key.partition(":")
        if kind == "user":
            user_ids.add(int(ref))
        elif kind == "team":
            team_ids.add(int(ref))
        elif kind == "role":
            roles.add(ref)
    if team_ids or roles:
        user_ids |= set(
            session.scalars(
                select(User.id).where(
                    User.active.is_(True),
                    or_(
                        User.team_id.in_(team_ids),
                        User.role.in_(roles),
                        User.id.in_(
                            select(ManagedTeam.manager_id).where(ManagedTeam.team_id.in_(team_ids))
                        ),
                    ),
                )
            )
        )
    return user_ids
