"""The timers of a visit under way and the answers to its alerts. Each timer is a row: every
process sweeps, and claims a due one under the visit's row lock (SKIP LOCKED), so it fires
once with several sweepers and after a restart, and no sweeper waits for another."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.capabilities import roles_for
from services.accounts.models import User
from services.accounts.service import get_user, reach_of
from services.clock import Clock
from services.db import Database, UnitOfWork
from services.errors import Busy, Conflict, NotAllowed, NotFound
from services.escalation.audience import resolve_targets
from services.escalation.overdue_policy import next_step_at
from services.events.audience import user_key
from services.events.log import EventLog
from services.visits.common import (
    alerted_in_cycle,
    find_visit,
    log_step,
    overseer_keys,
    pair_of,
    place_of,
    publish_visit,
)
from services.visits.models import Visit, VisitLog, VisitResponse
from services.visits.policy import REMINDER_BEFORE_MINUTES
from services.visits.views import RESPONSE_LABELS, visit_json

log = logging.getLogger(__name__)

# ---- escalation ----------------------------------------------------------------------------


def _still_due(session: Session, visit_id: int, due) -> Visit | None:
    """The active visit, locked, when `due` still holds under the lock; None when it no longer
    does (a stand-down or another sweeper came first) or another process holds the visit
    (SKIP LOCKED: a check-out or another sweeper is never waited for; the next sweep looks
    again)."""
    return session.scalar(
        select(Visit)
        .where(Visit.id == visit_id, Visit.state == "active", due)
        .with_for_update(key_share=True, skip_locked=True)
    )


def escalate_overdue_visits(db: Database, clock: Clock, events: EventLog, minute: timedelta) -> int:
    """Fire every due overdue step exactly once, also with several sweepers: a step is
    claimed under the visit's lock, so a stand-down in between wins."""
    now = clock.now()
    with db.reader() as uow:
        due = list(
            uow.session.scalars(
                select(Visit.id).where(Visit.state == "active", Visit.next_step_at <= now)
            )
        )
    fired = 0
    for visit_id in due:
        try:
            fired += _claim_overdue_step(db, events, visit_id, now=now, minute=minute)
        except Busy:  # the database's lock holds up every visit alike: the next sweep, all
            raise
        except Exception:  # one visit that cannot escalate must not hold up the others
            log.exception("escalating visit %s failed; the next sweep tries again", visit_id)
    return fired


def _claim_overdue_step(
    db: Database, events: EventLog, visit_id: int, *, now, minute: timedelta
) -> bool:
    with db.uow() as uow:
        visit = _still_due(uow.session, visit_id, Visit.next_step_at <= now)
        if visit is None:
            return False
        steps = visit.fired_steps
        visit.fired_steps = steps + 1
        visit.next_step_at = next_step_at(visit.policy, steps + 1, visit.due_at, minute)
        _fire_overdue_step(uow, events, visit, index=steps, now=now)
    return True


def _tell_pair(
    uow: UnitOfWork, events: EventLog, visit: Visit, now, *, type: str, title: str, body: str
) -> None:
    """An urgent word to the worker and the buddy, with the visit as it stands."""
    events.record(
        uow,
        type=type,
        audience={user_key(u) for u in pair_of(visit)},
        urgent=True,
        title=title,
        body=body,
        data={"visit": visit_json(visit, now)},
    )


def _fire_overdue_step(uow: UnitOfWork, events: EventLog, visit: Visit, *, index: int, now) -> None:
    session, worker = uow.session, visit.worker
    targets = visit.policy[index]["targets"]
    if targets == ["worker"]:
        log_step(session, visit, now, "prompted")
        _tell_pair(
            uow,
            events,
            visit,
            now,
            type="visit.prompt",
            title="Alles goed?",
            body=f"Je bezoek aan {visit.address} is voorbij de "
            "verwachte tijd. Tik op Alles goed, verleng, of check uit.",
        )
    else:
        people = resolve_targets(session, worker, targets, buddy_id=visit.buddy_id)
        for person in sorted(people):
            log_step(session, visit, now, "alerted", subject_id=person, step=index + 1)
        log_step(session, visit, now, "escalated", step=index + 1)
        if people:
            view = visit_json(visit, now)
            events.record(
                uow,
                type="visit.overdue",
                audience={user_key(u) for u in people},
                urgent=True,
                title=f"{worker.name} is te laat terug",
                body=f"{place_of(visit)} — {view['risk_label']}. "
                f"Bel {worker.phone or 'de medewerker'}.",
                data={"visit": view, "step": index + 1},
            )
    publish_visit(uow, events, visit)


# ---- the reminder before the end -----------------------------------------------------------


def remind_visits_ending(db: Database, clock: Clock, events: EventLog) -> int:
    """ "Loopt over 5 minuten af. Verlengen?", once per due time. A reminder found only after
    the end (the server was down) is dropped: the "Alles goed?" prompt has taken over."""
    now = clock.now()
    with db.reader() as uow:
        due = list(
            uow.session.scalars(
                select(Visit.id).where(Visit.state == "active", Visit.reminder_at <= now)
            )
        )
    sent = 0
    for visit_id in due:
        try:
            sent += _claim_reminder(db, events, visit_id, now=now)
        except Busy:
            raise
        except Exception:  # one visit's reminder must not hold up the others
            log.exception("reminding visit %s failed; the next sweep tries again", visit_id)
    return sent


def _claim_reminder(db: Database, events: EventLog, visit_id: int, *, now) -> bool:
    with db.uow() as uow:
        visit = _still_due(uow.session, visit_id, Visit.reminder_at <= now)
        if visit is None:
            return False
        visit.reminder_at = None
        if visit.due_at <= now:
            return False
        log_step(uow.session, visit, now, "reminded")
        _tell_pair(
            uow,
            events,
            visit,
            now,
            type="visit.reminder",
            title="Bezoek loopt bijna af",
            body=f"Je bezoek aan {place_of(visit)} loopt over "
            f"{REMINDER_BEFORE_MINUTES} minuten af. Verlengen?",
        )
    return True


# ---- answers to an overdue alert -----------------------------------------------------------


def respond_to_overdue(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, visit_id: int, user_id: int, response: str
) -> Visit:
    """An alerted colleague (or a manager of the team) says "Ik ga kijken" or "Ik bel", like
    an alarm acknowledgement: stored, logged, told at once to the others alerted, the pair
    and the overseers. Unlike an acknowledgement it does not stop the escalation: the manager
    is still told at the next step, because someone on the way has not reached the worker
    yet, and if they never do nobody else would hear. Only the worker's own sign of life
    ("Alles goed", extend, check-out) stands it down."""
    session, now = uow.session, clock.now()
    visit, user = find_visit(session, visit_id), get_user(session, user_id)
    if not _may_respond(session, visit, user):
        raise NotFound("Onbekend bezoek.")
    if user.id == visit.worker_id:
        raise NotAllowed("Dit is je eigen bezoek: tik op Alles goed, verleng, of check uit.")
    if visit.state != "active" or visit.fired_steps < 2:
        raise Conflict("Dit bezoek is nu niet te laat: er hoeft niemand te gaan kijken.")
    answer = session.scalar(
        select(VisitResponse).where(
            VisitResponse.visit_id == visit.id,
            VisitResponse.cycle == visit.cycle,
            VisitResponse.user_id == user.id,
        )
    )
    if answer is None:
        session.add(
            VisitResponse(
                visit_id=visit.id, cycle=visit.cycle, user_id=user.id, response=response, at=now
            )
        )
    else:
        answer.response, answer.at = response, now
    log_step(session, visit, now, "responded", actor_id=user.id, response=response)
    session.flush()
    session.expire(visit, ["responses"])
    audience = {
        user_key(u) for u in alerted_in_cycle(session, visit) | pair_of(visit)
    } | overseer_keys(session, visit)
    events.record(
        uow,
        type="visit.responded",
        audience=audience,
        push=False,
        actor_id=user.id,
        title=f"{user.name} {RESPONSE_LABELS[response]}",
        body=f"{visit.worker.name}, {place_of(visit)}",
        data={"visit": visit_json(visit, now)},
    )
    return visit


def _may_respond(session: Session, visit: Visit, user: User) -> bool:
    """Whoever an overdue step of this visit alerted, and the overseers of its team."""
    alerted = session.scalar(
        select(VisitLog.id)
        .where(
            VisitLog.visit_id == visit.id,
            VisitLog.kind == "alerted",
            VisitLog.subject_id == user.id,
        )
        .limit(1)
    )
    overseer = user.role in roles_for("team_visits") and reach_of(session, user).covers_team(
        visit.team_id
    )
    return alerted is not None or overseer or user.id in pair_of(visit)
