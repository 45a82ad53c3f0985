"""Visit use cases: plan, check in, extend, "alles goed", out. Time is injected as a clock and
the length of a "minute" (shortened in tests and demos); events are published after commit.
Permission for "niet gaan" is in permission.py, the overdue timers in overdue.py; "nee" and
the silent alarm after a duress PIN are alarms' (alarms/at_visits.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.accounts.capabilities import roles_for
from services.accounts.models import User
from services.accounts.service import get_user, pin_matches, reach_of
from services.checklists.models import Checklist
from services.checklists.scoring import assess, invalid_answers
from services.checklists.service import current_checklists
from services.clock import Clock, iso, local_date
from services.db import UnitOfWork
from services.errors import Conflict, DomainError, Invalid, NotAllowed, Text
from services.escalation.overdue_policy import next_step_at, overdue_steps
from services.escalation.team_policy import stored_policy
from services.events.audience import user_key
from services.events.log import EventLog
from services.register.service import look_up
from services.visits.common import OPEN_STATES, alerted_in_cycle, log_step, own_visit, publish_visit
from services.visits.messages import OkUnderDuress
from services.visits.models import Visit
from services.visits.policy import (
    DEFAULT_VISIT_MINUTES,
    OK_EXTENSION_MINUTES,
    SHIFT_INTERVAL_MINUTES,
    alone_needs_confirmation,
    needs_permission,
    ok_needs_pin,
    reminder_at,
)
from services.visits.recheck import register_change
from services.visits.views import approval_holds, permission_state, visit_json

# ---- checklists ----------------------------------------------------------------------------


def checklists_for(session: Session, user_id: int) -> list[Checklist]:
    """Current checklists for the user's function group first, then the general ones."""
    group = get_user(session, user_id).function_group
    current = current_checklists(session)
    own = [c for c in current if group and group in c.function_groups]
    return own + [c for c in current if not c.function_groups]


# ---- planning ------------------------------------------------------------------------------


def plan_visit(
    uow: UnitOfWork,
    clock: Clock,
    *,
    worker_id: int,
    details: dict,
    checklist_id: int,
    answers: dict[str, str],
) -> Visit:
    session, now = uow.session, clock.now()
    worker = get_user(session, worker_id)
    checklist = session.get(Checklist, checklist_id)
    if checklist is None:
        raise Invalid("Onbekende checklist.", {"checklist_id": "onbekend"})
    if not checklist.current:
        raise Invalid(
            "Deze checklist is intussen vervangen: vul de nieuwe versie in.",
            {"checklist_id": "oude versie"},
        )
    wrong = invalid_answers(checklist.questions, answers)
    if wrong:
        raise Invalid("De antwoorden passen niet bij deze checklist.", wrong)
    buddy_id = details.get("buddy_id")
    if buddy_id is not None:
        _check_buddy(session, worker, buddy_id)
    _, register = look_up(
        session,
        clock,
        user_id=worker.id,
        address=details["address"],
        client_ref=details.get("client_ref"),
        purpose="bezoek plannen",
    )
    result = assess(checklist.questions, checklist.thresholds, answers, register)
    visit = Visit(
        worker_id=worker.id,
        team_id=worker.team_id,
        checklist_id=checklist.id,
        answers=answers,
        risk_level=result.level,
        advice=result.advice,
        register_match=register.match,
        no_contact=register.no_contact,
        state="planned",
        planned_at=now,
        cycle=0,
        fired_steps=0,
        **details,
    )
    if visit.kind == "shift":
        visit.expected_minutes, visit.visit_type = None, None
        visit.interval_minutes = SHIFT_INTERVAL_MINUTES[result.level]
    elif visit.expected_minutes is None:
        visit.expected_minutes = DEFAULT_VISIT_MINUTES
    session.add(visit)
    session.flush()
    log_step(
        session,
        visit,
        now,
        "planned",
        actor_id=worker.id,
        risk=result.level,
        checklist={"key": checklist.key, "version": checklist.version},
    )
    return visit


def _check_buddy(session: Session, worker: User, buddy_id: int) -> None:
    buddy = session.get(User, buddy_id)
    if buddy is None or not buddy.active or buddy.id == worker.id:
        raise Invalid("Onbekende collega als buddy.", {"buddy_id": "onbekend"})
    if not reach_of(session, worker).covers_team(buddy.team_id):
        raise Invalid("Je buddy moet een collega uit je team zijn.", {"buddy_id": "ander team"})


# ---- check-in ------------------------------------------------------------------------------


def check_in(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    minute: timedelta,
    *,
    visit_id: int,
    worker_id: int,
    position: dict | None,
    alone_confirmed: bool = False,
) -> tuple[Visit, DomainError | None]:
    """Returns (visit, refusal). The register is read again first; a refused check-in keeps
    what it learnt (the logged lookup, a raised level), so the caller raises the refusal
    after the commit."""
    session, now = uow.session, clock.now()
    visit = own_visit(session, visit_id, worker_id, states=("planned",))
    if visit.worker_id != worker_id:
        raise NotAllowed("Alleen wie het bezoek plande, checkt in.")
    changed = _read_register_again(session, clock, visit)
    refusal = _check_in_refusal(visit, now, alone_confirmed)
    if refusal is not None:
        log_step(
            session, visit, now, "check_in_refused", actor_id=worker_id, reason=refusal.message
        )
        if changed:
            publish_visit(uow, events, visit)
        return visit, refusal
    if alone_needs_confirmation(visit.risk_level, visit.buddy_id):
        visit.alone_confirmed_at = now
        log_step(session, visit, now, "alone_confirmed", actor_id=worker_id)
    if position:  # recorded at check-in only, not tracked
        visit.lat, visit.lon, visit.accuracy = (
            position["lat"],
            position["lon"],
            position["accuracy"],
        )
    visit.state, visit.checked_in_at = "active", now
    visit.policy = overdue_steps(
        stored_policy(session, visit.team_id)["overdue"], visit.risk_level, visit.register_match
    )
    minutes = visit.expected_minutes if visit.kind == "visit" else visit.interval_minutes
    _restart_clock(visit, now, now + minutes * minute, minute)
    log_step(session, visit, now, "checked_in", actor_id=worker_id, due_at=visit.due_at.isoformat())
    publish_visit(uow, events, visit)
    return visit, None


def _read_register_again(session: Session, clock: Clock, visit: Visit) -> bool:
    """Look the place and client up again (logged) and keep what is new: a higher level, the
    match (which shortens the grace) and a no-contact measure. True when something changed."""
    _, finding = look_up(
        session,
        clock,
        user_id=visit.worker_id,
        address=visit.address,
        client_ref=visit.client_ref,
        purpose="inchecken",
    )
    checklist = session.get(Checklist, visit.checklist_id)
    assessed = assess(checklist.questions, checklist.thresholds, visit.answers, finding)
    change = register_change(
        level=visit.risk_level,
        match=visit.register_match,
        no_contact=visit.no_contact,
        assessed_level=assessed.level,
        finding=finding,
    )
    if change is None:
        return False
    if assessed.level == change["to"]:
        visit.advice = assessed.advice
    visit.risk_level, visit.register_match = change["to"], True
    visit.no_contact = visit.no_contact or finding.no_contact
    visit.register_change = {**change, "at": iso(clock.now())}
    log_step(session, visit, clock.now(), "register_changed", **change)
    return True


def _check_in_refusal(visit: Visit, now, alone_confirmed: bool) -> DomainError | None:
    if needs_permission(visit.risk_level) and not approval_holds(visit, now):
        return Conflict(_permission_refusal(visit, now), {"permission": "nodig"})
    if alone_needs_confirmation(visit.risk_level, visit.buddy_id) and not alone_confirmed:
        return Conflict(
            "Het advies is: ga niet alleen. Kies een collega als buddy, of bevestig "
            "dat je toch alleen gaat.",
            {"alone_confirmed": "bevestig dat je alleen gaat"},
        )
    return None


def _permission_refusal(visit: Visit, now) -> Text:
    why = Text(
        "het register meldt een contactverbod of opgeschorte dienstverlening"
        if visit.no_contact
        else "het risico is ‘Niet gaan’"
    )
    state = permission_state(visit, now)
    if state == "requested":
        then = Text("Je vraag om toestemming ligt bij je leidinggevende.")
    elif state == "refused":
        then = Text(
            "Je leidinggevende gaf geen toestemming: {reason}", reason=visit.override_reason
        )
    elif state == "expired":
        then = Text(
            "De toestemming gold alleen op {day}. Vraag toestemming opnieuw aan je leidinggevende.",
            day=f"{local_date(visit.override_at):%d-%m-%Y}",
        )
    else:
        then = Text("Tik op ‘Vraag toestemming’ of bel je leidinggevende.")
    return Text("Inchecken geweigerd: {why}. {then}", why=why, then=then)


def _restart_clock(visit: Visit, now, due_at, minute: timedelta) -> None:
    visit.due_at, visit.fired_steps = due_at, 0
    visit.next_step_at = next_step_at(visit.policy, 0, due_at, minute)
    visit.reminder_at = reminder_at(now, due_at, minute) if visit.kind == "visit" else None


# ---- the visit under way -------------------------------------------------------------------


def extend(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    minute: timedelta,
    *,
    visit_id: int,
    worker_id: int,
    minutes: int,
) -> Visit:
    session, now = uow.session, clock.now()
    visit = own_visit(session, visit_id, worker_id, states=("active",))
    _stand_down(uow, events, visit, now, kind="extended", actor_id=worker_id, minutes=minutes)
    _restart_clock(visit, now, max(visit.due_at, now) + minutes * minute, minute)
    publish_visit(uow, events, visit)
    return visit


def confirm_ok(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    minute: timedelta,
    *,
    visit_id: int,
    worker_id: int,
    pin: str | None = None,
) -> tuple[Visit, DomainError | None]:
    """ "Alles goed": stands everything down; a visit is due again in a quarter of an hour,
    a shift at its next check-in. On a *hoog* or register-flagged visit it takes the alarm PIN:
    the duress PIN then answers exactly the same, and tells alarms (OkUnderDuress) to raise a
    silent alarm, after the commit, that responders see as DWANG and the phone never shows.
    Returns (visit, refusal); a wrong PIN is kept in
    the log, so the caller raises the refusal after the commit."""
    session, now = uow.session, clock.now()
    visit = own_visit(session, visit_id, worker_id, states=("active",))
    if pin is None and ok_needs_pin(visit.risk_level, visit.register_match):
        raise Invalid("Vul je pincode in om te bevestigen dat alles goed is.", {"pin": "verplicht"})
    right, duress = (True, False) if pin is None else pin_matches(get_user(session, worker_id), pin)
    if not (right or duress):
        log_step(session, visit, now, "pin_wrong", actor_id=worker_id)
        return visit, Invalid("Onjuiste pincode: er is niets doorgegeven.", {"pin": "onjuist"})
    if duress:
        alarm_client_id = f"visit-{visit.id}-c{visit.cycle}-dwang"  # a retry raises it once
        log_step(session, visit, now, "duress", actor_id=worker_id, alarm_client_id=alarm_client_id)
        events.emit(
            uow,
            OkUnderDuress(visit_id=visit.id, worker_id=worker_id, alarm_client_id=alarm_client_id),
        )
    _stand_down(uow, events, visit, now, kind="ok", actor_id=worker_id, tell=not duress)
    minutes = OK_EXTENSION_MINUTES if visit.kind == "visit" else visit.interval_minutes
    _restart_clock(visit, now, now + minutes * minute, minute)
    publish_visit(uow, events, visit)
    return visit, None


def check_out(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, visit_id: int, worker_id: int
) -> Visit:
    session, now = uow.session, clock.now()
    visit = own_visit(session, visit_id, worker_id)
    _stand_down(uow, events, visit, now, kind="checked_out", actor_id=worker_id)
    visit.state, visit.closed_at = "closed", now
    visit.next_step_at = visit.reminder_at = None
    publish_visit(uow, events, visit)
    return visit


def _stand_down(
    uow: UnitOfWork,
    events: EventLog,
    visit: Visit,
    now,
    *,
    kind: str,
    actor_id: int,
    tell: bool = True,
    **detail,
) -> None:
    """Log the worker's sign of life; tell whoever was already alerted that it is over —
    unless it was given under duress: they are about to hear of the alarm instead."""
    alerted = alerted_in_cycle(uow.session, visit)
    log_step(uow.session, visit, now, kind, actor_id=actor_id, **detail)
    if alerted and tell:
        events.record(
            uow,
            type="visit.stood_down",
            audience={user_key(u) for u in alerted},
            title=f"{visit.worker.name} is in orde",
            body=f"{visit.worker.name} heeft gereageerd: {visit.address}.",
            data={"visit": visit_json(visit, now)},
        )
    visit.cycle += 1


# ---- reading -------------------------------------------------------------------------------


def visible_visits(session: Session, user_id: int) -> list[Visit]:
    """Own open visits; for managers the active visits of their teams; coordinator: all."""
    user = get_user(session, user_id)
    own = list(
        session.scalars(
            select(Visit)
            .where(
                or_(Visit.worker_id == user.id, Visit.buddy_id == user.id),
                Visit.state.in_(OPEN_STATES),
            )
            .order_by(Visit.id)
        )
    )
    if user.role not in roles_for("team_visits"):
        return own
    reach = reach_of(session, user)
    others = [
        v
        for v in session.scalars(
            select(Visit).where(Visit.state == "active").order_by(Visit.due_at)
        )
        if reach.covers_team(v.team_id) and v not in own
    ]
    return own + others


def recent_addresses(session: Session, worker_id: int, limit: int = 10) -> list[str]:
    seen: list[str] = []
    for address in session.scalars(
        select(Visit.address)
        .where(Visit.worker_id == worker_id)
        .order_by(Visit.id.desc())
        .limit(100)
    ):
        if address not in seen:
            seen.append(address)
    return seen[:limit]
