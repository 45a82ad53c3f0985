"""Permission for a "niet gaan" visit, as a request and a decision. The worker (or the buddy)
asks with a reason; the responsible managers are alerted; a manager of the team or the
coordinator sees the request with the register's reason (need-to-know, the read is logged)
and approves or refuses, with a reason. An approval holds for this visit on that day only: a
visit checked in tomorrow needs a new request."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.capabilities import roles_for
from services.accounts.models import Role, User
from services.accounts.service import get_user, managers_of_team, reach_of
from services.clock import Clock, local_date
from services.db import UnitOfWork
from services.errors import Conflict, NotAllowed, NotFound
from services.events.audience import role_key, user_key
from services.events.log import EventLog
from services.register.models import MEASURE_LABELS
from services.register.service import NO_CONTACT, look_up, period_text
from services.visits.common import (
    find_visit,
    log_step,
    overseer_keys,
    pair_of,
    place_of,
    publish_visit,
)
from services.visits.models import Visit
from services.visits.policy import needs_permission
from services.visits.views import approval_holds, permission_request_json, visit_json

DECIDERS = roles_for("team_visits")  # who decides on permission requests
NO_MEASURE = (
    "Het register meldt nu geen contactverbod of opgeschorte dienstverlening; "
    "‘Niet gaan’ volgt uit de checklist of uit het register bij de planning."
)


def request_permission(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, visit_id: int, user_id: int, reason: str
) -> Visit:
    session, now = uow.session, clock.now()
    visit = find_visit(session, visit_id)
    if user_id not in pair_of(visit):
        raise NotFound("Onbekend bezoek.")
    if visit.state != "planned" or not needs_permission(visit.risk_level):
        raise Conflict("Voor dit bezoek is geen toestemming nodig.")
    if approval_holds(visit, now):
        raise Conflict("Je hebt al toestemming voor vandaag: je kunt inchecken.")
    if visit.override_state == "requested":
        raise Conflict("Je hebt al toestemming gevraagd; je leidinggevende beslist.")
    visit.override_state, visit.override_requested_at = "requested", now
    visit.override_requested_by_id, visit.override_request_reason = user_id, reason
    visit.override_by_id = visit.override_at = visit.override_reason = None
    log_step(session, visit, now, "permission_requested", actor_id=user_id, reason=reason)
    session.flush()
    asker = get_user(session, user_id)
    events.record(
        uow,
        type="visit.override_requested",
        urgent=True,
        actor_id=user_id,
        audience=_responsible(session, visit),
        title=f"{asker.name} vraagt toestemming",
        body=f"{place_of(visit)} — Niet gaan. Reden: {reason}",
        data={"visit": visit_json(visit, now)},
    )
    publish_visit(uow, events, visit)
    return visit


def _responsible(session: Session, visit: Visit) -> set[str]:
    """The worker's team managers; the coordinator when the team has none."""
    managers = managers_of_team(session, visit.team_id) - {visit.worker_id}
    return {user_key(m) for m in managers} or {role_key(Role.COORDINATOR)}


def _decider(session: Session, user_id: int, visit: Visit) -> User:
    user = get_user(session, user_id)
    if not (user.role in DECIDERS and reach_of(session, user).covers_team(visit.team_id)):
        raise NotFound("Onbekend bezoek.")
    if visit.worker_id == user.id:
        raise NotAllowed("Over je eigen bezoek beslist je eigen leidinggevende.")
    return user


def decide_permission(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    manager_id: int,
    visit_id: int,
    approve: bool,
    reason: str,
) -> Visit:
    """The manager's recorded decision; the pair hears it at once, the other overseers see the
    request leave their list."""
    session, now = uow.session, clock.now()
    visit = find_visit(session, visit_id)
    manager = _decider(session, manager_id, visit)
    if visit.state != "planned" or not needs_permission(visit.risk_level):
        raise Conflict("Voor dit bezoek is geen toestemming nodig.")
    visit.override_state = "approved" if approve else "refused"
    visit.override_by_id, visit.override_at, visit.override_reason = manager.id, now, reason
    log_step(
        session,
        visit,
        now,
        f"permission_{visit.override_state}",
        actor_id=manager.id,
        reason=reason,
    )
    session.flush()
    view = visit_json(visit, now)
    title = (
        f"Toestemming van {manager.name}: je mag vandaag inchecken"
        if approve
        else f"Geen toestemming van {manager.name}"
    )
    events.record(
        uow,
        type="visit.override_decided",
        urgent=True,
        actor_id=manager.id,
        audience={user_key(u) for u in pair_of(visit)},
        title=title,
        body=reason,
        data={"visit": view, "approved": approve},
    )
    events.record(
        uow,
        type="visit.override_decided",
        push=False,
        actor_id=manager.id,
        audience=(overseer_keys(session, visit) | {user_key(manager.id)})
        - {user_key(u) for u in pair_of(visit)},
        title=f"{manager.name} besliste over {visit.worker.name}",
        body=reason,
        data={"visit": view, "approved": approve},
    )
    return visit


def permission_requests(session: Session, clock: Clock, user_id: int) -> list[dict]:
    """Open requests in the user's reach, the oldest first, each with the register's reason.
    Reading that reason is a lookup of the register, logged as such."""
    user = get_user(session, user_id)
    if user.role not in DECIDERS:
        raise NotAllowed("Alleen leidinggevenden en de coördinator beslissen over toestemming.")
    reach, now = reach_of(session, user), clock.now()
    pending = session.scalars(
        select(Visit)
        .where(Visit.state == "planned", Visit.override_state == "requested")
        .order_by(Visit.override_requested_at)
    )
    return [
        permission_request_json(visit, now, _register_reason(session, clock, user, visit))
        for visit in pending
        if reach.covers_team(visit.team_id) and visit.worker_id != user.id
    ]


def _register_reason(session: Session, clock: Clock, user: User, visit: Visit) -> str:
    entries, _ = look_up(
        session,
        clock,
        user_id=user.id,
        address=visit.address,
        client_ref=visit.client_ref,
        purpose="toestemming beoordelen",
    )
    today = local_date(clock.now())
    measures = [
        f"{MEASURE_LABELS[m.kind]} {period_text(m)}: {m.reason or 'geen reden vastgelegd'}"
        for entry in entries
        for m in entry.measures
        if m.kind in NO_CONTACT and m.active_on(today)
    ]
    return "; ".join(measures) or NO_MEASURE
