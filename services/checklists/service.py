"""Read and version checklists."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.accounts.models import Role
from services.accounts.service import get_user
from services.checklists.defaults import DEFAULT_CHECKLISTS, THRESHOLDS
from services.checklists.models import Checklist
from services.clock import Clock
from services.db import lock_key
from services.errors import Invalid, NotAllowed, NotFound


def install_default_checklists(session: Session, now) -> None:
    for spec in DEFAULT_CHECKLISTS:
        session.add(
            Checklist(
                key=spec["key"],
                version=1,
                title=spec["title"],
                function_groups=[str(g) for g in spec["function_groups"]],
                questions=spec["questions"],
                thresholds=THRESHOLDS,
                current=True,
                created_at=now,
            )
        )


def current_checklists(session: Session) -> list[Checklist]:
    return list(
        session.scalars(
            select(Checklist).where(Checklist.current.is_(True)).order_by(Checklist.key)
        )
    )


def publish_version(
    session: Session, clock: Clock, *, user_id: int, key: str, title: str, questions: list[dict]
) -> Checklist:
    """The coordinator edits a checklist: the old version stays (visits refer to it), the
    new one becomes current. The key is locked before its current version is read: two
    edits at once make two versions one after the other, never two of the same number."""
    if get_user(session, user_id).role != Role.COORDINATOR:
        raise NotAllowed("Alleen de coördinator past checklists aan.")
    lock_key(session, "checklist", key)
    old = session.scalar(select(Checklist).where(Checklist.key == key, Checklist.current.is_(True)))
    if old is None:
        raise NotFound("Onbekende checklist.")
    ids = [q["id"] for q in questions]
    if len(set(ids)) != len(ids):
        raise Invalid("Elke vraag heeft een eigen id.", {"questions": "dubbele id"})
    session.execute(update(Checklist).where(Checklist.key == key).values(current=False))
    new = Checklist(
        key=key,
        version=old.version + 1,
        title=title,
        function_groups=old.function_groups,
        questions=questions,
        thresholds=old.thresholds,
        current=True,
        created_at=clock.now(),
        created_by_id=user_id,
    )
    session.add(new)
    session.flush()
    return new
