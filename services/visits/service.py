"""Visit use cases. Time is injected as a clock and the length of a "minute" (shortened in
tests and demos); events are published after commit."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from services.accounts.models import Role, User
from services.accounts.service import get_user, managers_of_team, reach_of
from services.alarms import service as alarms
from services.alarms.audience import resolve_targets
from services.alarms.models import Alarm
from services.alarms.team_policy import stored_policy
from services.checklists.models import Checklist
from services.checklists.scoring import assess, invalid_answers
from services.checklists.service import current_checklists
from services.clock import Clock
from services.db import Database, UnitOfWork
from services.errors import Conflict, Invalid, NotAllowed, NotFound
from services.events.audience import role_key, user_key
from services.events.log import EventLog
from services.register.service import look_up
from services.visits.models import Visit, VisitLog
from services.visits.policy import (DEFAULT_VISIT_MINUTES, OK_EXTENSION_MINUTES,
                                    SHIFT_INTERVAL_MINUTES, next_step_at,
                                    overdue_steps)
from services.visits.views import visit_json

OPEN = ("planned", "active")


def _log(session: Session, visit: Visit, now, kind: str, actor_id=None, subject_id=None,
         **detail) -> None:
    session.add(VisitLog(visit_id=visit.id, at=now, kind=kind, actor_id=actor_id,
                         subject_id=subject_id, cycle=visit.cycle, detail=detail))


# ---- checklists ----------------------------------------------------------------------------

def checklists_for(session: Session, user_id: int) -> list[Checklist]:
    """Current checklists for the user's function group first, then the general ones."""
    group = get_user(session, user_id).function_group
    current = current_checklists(session)
    own = [c for c in current if group and group in c.function_groups]
    return own + [c for c in current if not c.function_groups]


# ---- planning ------------------------------------------------------------------------------

def plan_visit(uow: UnitOfWork, clock: Clock, worker_id: int, details: dict,
               checklist_id: int, answers: dict[str, str]) -> Visit:
    session, now = uow.session, clock.now()
    worker = get_user(session, worker_id)
    checklist = session.get(Checklist, checklist_id)
    if checklist is None:
        raise Invalid("Onbekende checklist.", {"checklist_id": "onbekend"})
    if not checklist.current:
        raise Invalid("Deze checklist is intussen vervangen: vul de nieuwe versie in.",
                      {"checklist_id": "oude versie"})
    wrong = invalid_answers(checklist.questions, answers)
    if wrong:
        raise Invalid("De antwoorden passen niet bij deze checklist.", wrong)
    buddy_id = details.get("buddy_id")
    if buddy_id is not None:
        _check_buddy(session, worker, buddy_id)
    _, register = look_up(session, clock, worker.id, details["address"],
                          details.get("client_ref"), purpose="bezoek plannen")
    result = assess(checklist.questions, checklist.thresholds, answers, register)
    visit = Visit(worker_id=worker.id, team_id=worker.team_id, checklist_id=checklist.id,
                  answers=answers, risk_level=result.level, advice=result.advice,
                  register_match=register.match, no_contact=register.no_contact,
                  state="planned", planned_at=now, cycle=0, fired_steps=0, **details)
    if visit.kind == "shift":
        visit.expected_minutes, visit.visit_type = None, None
        visit.interval_minutes = SHIFT_INTERVAL_MINUTES[result.level]
    elif visit.expected_minutes is None:
        visit.expected_minutes = DEFAULT_VISIT_MINUTES
    session.add(visit)
    session.flush()
    _log(session, visit, now, "planned", actor_id=worker.id, risk=result.level,
         checklist={"key": checklist.key, "version": checklist.version})
    return visit


def _check_buddy(session: Session, worker: User, buddy_id: int) -> None:
    buddy = session.get(User, buddy_id)
    if buddy is None or not buddy.active or buddy.id == worker.id:
        raise Invalid("Onbekende collega als buddy.", {"buddy_id": "onbekend"})
    if not reach_of(session, worker).covers_team(buddy.team_id):
        raise Invalid("Je buddy moet een collega uit je team zijn.", {"buddy_id": "ander team"})


def override_no_contact(uow: UnitOfWork, clock: Clock, manager_id: int, visit_id: int,
                        reason: str) -> Visit:
    """The manager's recorded decision that contact may go ahead despite the register."""
    session = uow.session
    visit = _visit(session, visit_id)
    manager = get_user(session, manager_id)
    if not (manager.role in (Role.LEIDINGGEVENDE, Role.COORDINATOR)
            and reach_of(session, manager).covers_team(visit.team_id)):
        raise NotAllowed("Alleen de leidinggevende van dit team kan dit toestaan.")
    if visit.state != "planned" or not visit.no_contact:
        raise Conflict("Voor dit bezoek is geen toestemming nodig.")
    visit.override_by_id, visit.override_at, visit.override_reason = manager.id, clock.now(), reason
    _log(session, visit, clock.now(), "override", actor_id=manager.id, reason=reason)
    return visit


# ---- the active visit ----------------------------------------------------------------------

def _visit(session: Session, visit_id: int) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound("Onbekend bezoek.")
    return visit


def _pair(visit: Visit) -> set[int]:
    """A pair shares one visit: either may answer, extend or check out."""
    return {visit.worker_id} | ({visit.buddy_id} if visit.buddy_id else set())


def _own(session: Session, visit_id: int, user_id: int, states=OPEN) -> Visit:
    visit = _visit(session, visit_id)
    if user_id not in _pair(visit):
        raise NotFound("Onbekend bezoek.")
    if visit.state not in states:
        raise Conflict("Dit bezoek is al afgesloten." if visit.state == "closed"
                       else "Dit bezoek is nog niet begonnen.")
    return visit


def check_in(uow: UnitOfWork, events: EventLog, clock: Clock, minute: timedelta,
             visit_id: int, worker_id: int, position: dict | None) -> Visit:
    session, now = uow.session, clock.now()
    visit = _own(session, visit_id, worker_id, states=("planned",))
    if visit.worker_id != worker_id:
        raise NotAllowed("Alleen wie het bezoek plande, checkt in.")
    if visit.no_contact and visit.override_at is None:
        raise Conflict("Inchecken geweigerd: het register meldt een contactverbod of "
                       "opgeschorte dienstverlening. Vraag je leidinggevende om toestemming.")
    if position:  # recorded at check-in only, not tracked
        visit.lat, visit.lon, visit.accuracy = position["lat"], position["lon"], position["accuracy"]
    visit.state, visit.checked_in_at = "active", now
    visit.policy = overdue_steps(stored_policy(session, visit.team_id)["overdue"], visit.register_match)
    minutes = visit.expected_minutes if visit.kind == "visit" else visit.interval_minutes
    _restart_clock(visit, now + minutes * minute, minute)
    _log(session, visit, now, "checked_in", actor_id=worker_id, due_at=visit.due_at.isoformat())
    _publish(uow, events, visit)
    return visit


def _restart_clock(visit: Visit, due_at, minute: timedelta) -> None:
    visit.due_at, visit.fired_steps = due_at, 0
    visit.next_step_at = next_step_at(visit.policy, 0, due_at, minute)


def extend(uow: UnitOfWork, events: EventLog, clock: Clock, minute: timedelta, visit_id: int,
           worker_id: int, minutes: int) -> Visit:
    session, now = uow.session, clock.now()
    visit = _own(session, visit_id, worker_id, states=("active",))
    _stand_down(uow, events, visit, now, "extended", worker_id, minutes=minutes)
    _restart_clock(visit, max(visit.due_at, now) + minutes * minute, minute)
    _publish(uow, events, visit)
    return visit


def confirm_ok(uow: UnitOfWork, events: EventLog, clock: Clock, minute: timedelta,
               visit_id: int, worker_id: int) -> Visit:
    """"Alles goed": stands everything down; a visit is due again in a quarter of an hour,
    a shift at its next check-in."""
    session, now = uow.session, clock.now()
    visit = _own(session, visit_id, worker_id, states=("active",))
    _stand_down(uow, events, visit, now, "ok", worker_id)
    minutes = OK_EXTENSION_MINUTES if visit.kind == "visit" else visit.interval_minutes
    _restart_clock(visit, now + minutes * minute, minute)
    _publish(uow, events, visit)
    return visit


def not_ok(uow: UnitOfWork, events: EventLog, clock: Clock, visit_id: int,
           worker_id: int) -> tuple[Visit, Alarm]:
    """"Nee" to "Alles goed?" is an alarm. Its id is tied to this visit's cycle, so a retry
    of the same answer raises nothing twice."""
    session = uow.session
    visit = _own(session, visit_id, worker_id, states=("active",))
    position = (None if visit.lat is None else  # the fix of the check-in, with its age
                {"lat": visit.lat, "lon": visit.lon, "accuracy": visit.accuracy,
                 "at": visit.checked_in_at})
    alarm, _ = alarms.raise_alarm(uow, events, clock, worker_id=worker_id,
                                  client_id=f"visit-{visit.id}-c{visit.cycle}-hulp",
                                  position=position)
    _log(session, visit, clock.now(), "not_ok", actor_id=worker_id, alarm_id=alarm.id)
    return visit, alarm


def check_out(uow: UnitOfWork, events: EventLog, clock: Clock, visit_id: int,
              worker_id: int) -> Visit:
    session, now = uow.session, clock.now()
    visit = _own(session, visit_id, worker_id)
    _stand_down(uow, events, visit, now, "checked_out", worker_id)
    visit.state, visit.closed_at, visit.next_step_at = "closed", now, None
    _publish(uow, events, visit)
    return visit


def _stand_down(uow: UnitOfWork, events: EventLog, visit: Visit, now, kind: str,
                actor_id: int, **detail) -> None:
    """Log the worker's sign of life; tell whoever was already alerted that it is over."""
    session = uow.session
    alerted = set(session.scalars(select(VisitLog.subject_id).where(
        VisitLog.visit_id == visit.id, VisitLog.kind == "alerted",
        VisitLog.cycle == visit.cycle)))
    _log(session, visit, now, kind, actor_id=actor_id, **detail)
    if alerted:
        events.record(uow, type="visit.stood_down", audience={user_key(u) for u in alerted},
                      title=f"{visit.worker.name} is in orde",
                      body=f"{visit.worker.name} heeft gereageerd: {visit.address}.",
                      data={"visit": visit_json(visit)})
    visit.cycle += 1


# ---- overdue escalation --------------------------------------------------------------------

def escalate_overdue_visits(db: Database, clock: Clock, events: EventLog,
                            minute: timedelta) -> int:
    """Fire every due overdue step exactly once, also with several sweepers: a step is
    claimed with a conditional UPDATE on (step, cycle), so a stand-down in between wins."""
    now = clock.now()
    with db.reader() as uow:
        due = list(uow.session.execute(select(Visit.id, Visit.fired_steps, Visit.cycle).where(
            Visit.state == "active", Visit.next_step_at <= now)))
    fired = 0
    for visit_id, steps, cycle in due:
        with db.uow() as uow:
            claimed = uow.session.execute(
                update(Visit).where(Visit.id == visit_id, Visit.fired_steps == steps,
                                    Visit.cycle == cycle, Visit.state == "active")
                .values(fired_steps=steps + 1)).rowcount
            if not claimed:
                continue
            visit = uow.session.get(Visit, visit_id)
            uow.session.refresh(visit)
            visit.next_step_at = next_step_at(visit.policy, steps + 1, visit.due_at, minute)
            _fire_overdue_step(uow, events, visit, steps, now)
            fired += 1
    return fired


def _fire_overdue_step(uow: UnitOfWork, events: EventLog, visit: Visit, index: int,
                       now) -> None:
    session, worker = uow.session, visit.worker
    targets = visit.policy[index]["targets"]
    if targets == ["worker"]:
        _log(session, visit, now, "prompted")
        events.record(uow, type="visit.prompt", audience={user_key(u) for u in _pair(visit)},
                      urgent=True,
                      title="Alles goed?", body=f"Je bezoek aan {visit.address} is voorbij de "
                      "verwachte tijd. Tik op Alles goed, verleng, of check uit.",
                      data={"visit": visit_json(visit)})
    else:
        people = resolve_targets(session, worker, targets, buddy_id=visit.buddy_id)
        for person in sorted(people):
            _log(session, visit, now, "alerted", subject_id=person, step=index + 1)
        _log(session, visit, now, "escalated", step=index + 1)
        if people:
            place = visit.address + (f" ({visit.floor_room})" if visit.floor_room else "")
            events.record(uow, type="visit.overdue", audience={user_key(u) for u in people},
                          urgent=True, title=f"{worker.name} is te laat terug",
                          body=f"{place} — {visit_json(visit)['risk_label']}. "
                               f"Bel {worker.phone or 'de medewerker'}.",
                          data={"visit": visit_json(visit), "step": index + 1})
    _publish(uow, events, visit)


# ---- telling and reading -------------------------------------------------------------------

def _overseers(session: Session, visit: Visit) -> set[str]:
    return ({user_key(m) for m in managers_of_team(session, visit.team_id)}
            | {role_key(Role.COORDINATOR)})


def _publish(uow: UnitOfWork, events: EventLog, visit: Visit) -> None:
    """Live view for the worker's devices and for the team's managers and the coordinator."""
    events.record(uow, type="visit.updated", push=False,
                  audience={user_key(u) for u in _pair(visit)} | _overseers(uow.session, visit),
                  title=f"Bezoek {visit.worker.name}", body=visit.address,
                  data={"visit": visit_json(visit)})


def visible_visits(session: Session, user_id: int) -> list[Visit]:
    """Own open visits; for managers the active visits of their teams; coordinator: all."""
    user = get_user(session, user_id)
    own = list(session.scalars(select(Visit).where(
        or_(Visit.worker_id == user.id, Visit.buddy_id == user.id),
        Visit.state.in_(OPEN)).order_by(Visit.id)))
    if user.role not in (Role.LEIDINGGEVENDE, Role.COORDINATOR):
        return own
    reach = reach_of(session, user)
    others = [v for v in session.scalars(select(Visit).where(Visit.state == "active")
                                         .order_by(Visit.due_at))
              if reach.covers_team(v.team_id) and v not in own]
    return own + others


def recent_addresses(session: Session, worker_id: int, limit: int = 10) -> list[str]:
    seen: list[str] = []
    for address in session.scalars(select(Visit.address).where(Visit.worker_id == worker_id)
                                   .order_by(Visit.id.desc()).limit(100)):
        if address not in seen:
            seen.append(address)
    return seen[:limit]

