"""Turn a step's target kinds into people."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import Role, User
from services.accounts.service import managers_of_team


def _active(session: Session, *conditions) -> set[int]:
    return set(session.scalars(select(User.id).where(User.active.is_(True), *conditions)))


def resolve_targets(
    session: Session, worker: User, targets: list[str], buddy_id: int | None = None
) -> set[int]:
    """The people a step alerts. Never the worker concerned; `buddy_id` is the colleague on
    the worker's current visit, if any."""
    own_managers = managers_of_team(session, worker.team_id) | (
        {worker.manager_id} if worker.manager_id else set()
    )
    resolvers = {
        "team_on_duty": lambda: (
            _active(session, User.team_id == worker.team_id, User.on_duty.is_(True))
            if worker.team_id
            else set()
        ),
        "manager": lambda: own_managers,
        "buddy": lambda: {buddy_id} if buddy_id else set(),
        "coordinator": lambda: _active(session, User.role == Role.COORDINATOR),
        "other_managers": lambda: _active(session, User.role == Role.LEIDINGGEVENDE) - own_managers,
        "all_on_duty": lambda: _active(session, User.on_duty.is_(True)),
    }
    people: set[int] = set()
    for target in targets:
        if target in resolvers:  # "worker" is the visit's own prompt, not an alert
            people |= resolvers[target]()
    return people - {worker.id}
