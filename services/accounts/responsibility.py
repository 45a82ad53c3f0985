"""Who handles an incident's follow-up (§5, annex 2): the victim's own manager; for an incident
against a manager, their manager; and so on up the chain (concern manager, gemeentesecretaris,
loco-gemeentesecretaris). The chain is the users' `manager` links; inactive people are skipped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import Role, User


def chain_above(user: User) -> list[User]:
    """The active managers above `user`, nearest first (a loop in the data ends the walk)."""
    found, seen, current = [], {user.id}, user.manager
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if current.active:
            found.append(current)
        current = current.manager
    return found


def responsible_for(session: Session, victim: User) -> User | None:
    """The nearest active manager; with no chain at all, the coordinator."""
    chain = chain_above(victim)
    if chain:
        return chain[0]
    return session.scalar(
        select(User).where(User.role == Role.COORDINATOR, User.active.is_(True)).order_by(User.id)
    )


def subordinate_ids(session: Session, manager_id: int) -> set[int]:
    """Everyone whose chain passes through this manager."""
    children: dict[int, list[int]] = {}
    for user_id, boss in session.execute(select(User.id, User.manager_id)):
        if boss is not None:
            children.setdefault(boss, []).append(user_id)
    found, todo = set(), [manager_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child != manager_id:
                found.add(child)
                todo.append(child)
    return found
