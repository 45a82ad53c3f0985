"""What every visit use case needs: finding the visit, its log, who the pair is, who was
alerted, and telling the pair and the overseers after a change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import Role
from services.accounts.service import managers_of_team
from services.db import UnitOfWork
from services.errors import Conflict, NotFound
from services.events.audience import role_key, user_key
from services.events.log import EventLog
from services.visits.models import Visit, VisitLog
from services.visits.views import visit_json

OPEN_STATES = ("planned", "active")


def log_step(
    session: Session, visit: Visit, now, kind: str, *, actor_id=None, subject_id=None, **detail
) -> None:
    session.add(
        VisitLog(
            visit_id=visit.id,
            at=now,
            kind=kind,
            actor_id=actor_id,
            subject_id=subject_id,
            cycle=visit.cycle,
            detail=detail,
        )
    )


def find_visit(session: Session, visit_id: int) -> Visit:
    """The visit, locked until the commit: every use case that finds a visit this way
    changes it or answers on it, and the pair, a manager and the sweep may act on one visit
    at the same moment (two extensions that both count from the old end would lose one).
    FOR NO KEY UPDATE, so the log lines and alarms that refer to it are written alongside."""
    visit = session.get(
        Visit, visit_id, with_for_update={"key_share": True}, populate_existing=True
    )
    if visit is None:
        raise NotFound("Onbekend bezoek.")
    return visit


def own_visit(session: Session, visit_id: int, user_id: int, states=OPEN_STATES) -> Visit:
    """A visit of this person's (either of the pair), in one of `states`; locked."""
    visit = find_visit(session, visit_id)
    if user_id not in pair_of(visit):
        raise NotFound("Onbekend bezoek.")
    if visit.state not in states:
        raise Conflict(
            "Dit bezoek is al afgesloten."
            if visit.state == "closed"
            else "Dit bezoek is nog niet begonnen."
            if visit.state == "planned"
            else "Dit bezoek is al begonnen."
        )
    return visit


def pair_of(visit: Visit) -> set[int]:
    """A pair shares one visit: either may answer, extend or check out."""
    return {visit.worker_id} | ({visit.buddy_id} if visit.buddy_id else set())


def alerted_in_cycle(session: Session, visit: Visit) -> set[int]:
    """Who an overdue step of the current cycle alerted."""
    return set(
        session.scalars(
            select(VisitLog.subject_id).where(
                VisitLog.visit_id == visit.id,
                VisitLog.kind == "alerted",
                VisitLog.cycle == visit.cycle,
            )
        )
    )


def overseer_keys(session: Session, visit: Visit) -> set[str]:
    return {user_key(m) for m in managers_of_team(session, visit.team_id)} | {
        role_key(Role.COORDINATOR)
    }


def publish_visit(uow: UnitOfWork, events: EventLog, visit: Visit) -> None:
    """Live view for the worker's devices and for the team's managers and the coordinator."""
    events.record(
        uow,
        type="visit.updated",
        push=False,
        audience={user_key(u) for u in pair_of(visit)} | overseer_keys(uow.session, visit),
        title=f"Bezoek {visit.worker.name}",
        body=visit.address,
        data={"visit": visit_json(visit, events.clock.now())},
    )


def place_of(visit: Visit) -> str:
    return visit.address + (f" ({visit.floor_room})" if visit.floor_room else "")
