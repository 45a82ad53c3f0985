"""Alarm use cases. Each runs inside a unit of work; events are published after commit."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from services.accounts.capabilities import OVERSEERS
from services.accounts.models import Role, User
from services.accounts.service import get_user, managers_of_team, reach_of
from services.alarms.models import (
    PIN_ATTEMPTS,
    Alarm,
    AlarmAcknowledgement,
    AlarmLog,
    AlarmRecipient,
    AlarmState,
    Outcome,
    PositionStatus,
    Response,
)
from services.alarms.views import (
    place_text,
    position_status,
    responder_view,
    view_for,
    whereabouts,
    worker_view,
)
from services.clock import Clock
from services.db import Database, UnitOfWork, insert_rows, lock_key
from services.errors import (
    Busy,
    Conflict,
    DomainError,
    Invalid,
    NotAllowed,
    NotFound,
    Text,
    TooManyAttempts,
)
from services.escalation.alarm_policy import next_step_due
from services.escalation.audience import resolve_targets
from services.escalation.team_policy import stored_policy
from services.events.audience import role_key, user_key
from services.events.log import EventLog
from services.visits.models import Visit

log = logging.getLogger(__name__)

# A raise that cannot be stored this fast is answered "not sent" at once, so the phone shows
# 112 instead of a spinner; it retries with the same client id, so nothing is stored twice.
RAISE_WAIT = 2.0
RAISE_BUSY = Text(
    "Het alarm is nog niet opgeslagen. Bel 112 als het dringend is; de app blijft "
    "het alarm versturen."
)


def _log(
    session: Session,
    alarm: Alarm,
    now,
    kind: str,
    *,
    actor_id=None,
    subject_id=None,
    channel=None,
    **detail,
) -> None:
    session.add(
        AlarmLog(
            alarm_id=alarm.id,
            at=now,
            kind=kind,
            actor_id=actor_id,
            subject_id=subject_id,
            channel=channel,
            detail=detail,
        )
    )


# ---- raise and escalate --------------------------------------------------------------------


def raise_alarm(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    worker_id: int,
    client_id: str,
    test: bool = False,
    position: dict | None = None,
    position_missing: PositionStatus | None = None,
    visit: Visit | None = None,
) -> tuple[Alarm, bool]:
    """Returns (alarm, created). The client's id makes retries and double taps harmless.
    Without a position, `position_missing` says why (the phone knows: permission, no fix).
    `visit`: the visit the alarm is about, when known; else the one the worker is on now.
    Two arrivals of one raise at once (the phone's retry, two workers): the id is locked
    before it is looked for, so the second waits and then finds the first's alarm."""
    session = uow.session
    lock_key(session, "alarm", client_id)
    existing = session.scalar(select(Alarm).where(Alarm.client_id == client_id))
    if existing is not None:
        return _same_worker(existing, worker_id), False
    worker, now = get_user(session, worker_id), clock.now()
    visit = visit or _current_visit(session, worker.id)
    policy = stored_policy(session, worker.team_id)["alarm_steps"]
    alarm = Alarm(
        client_id=client_id,
        worker_id=worker.id,
        team_id=worker.team_id,
        visit_id=visit.id if visit else None,
        is_test=test,
        state=AlarmState.OPEN,
        raised_at=now,
        pin_failures=0,
        position_status=position_missing or PositionStatus.UNKNOWN,
        policy=policy,
        fired_steps=1,
        next_step_at=next_step_due(policy, 1, now),
        recipients=[],  # new: known empty, so nothing is loaded to find that out
        acknowledgements=[],
    )
    if position:
        _place_at(alarm, position, now)
    session.add(alarm)
    session.flush()
    _log(
        session,
        alarm,
        now,
        "raised",
        actor_id=worker.id,
        test=test,
        place=place_text(alarm) if visit else None,
        position_status=position_status(alarm),
    )
    _alert_step(uow, events, alarm, index=0, now=now)
    return alarm, True


class _Rehearsed(Exception):
    """Ends the rehearsal's unit of work, which rolls it back."""


def rehearse_raise(db: Database, events: EventLog, clock: Clock) -> bool:
    """Raise an alarm for an active worker and roll it back, so that a worker process meets
    its first real alarm with every statement compiled and every code path loaded (the first
    one after a start took twice a warm one). Nothing is stored and nobody is alerted: events
    are written at the commit and published after it, and there is none. False when there is
    nobody to rehearse with, or the database is busy (a start never waits for it)."""
    with db.reader() as uow:
        worker_id = uow.session.scalar(
            select(User.id).where(User.active.is_(True), User.team_id.is_not(None)).limit(1)
        )
    if worker_id is None:
        return False
    try:
        with db.uow(wait=RAISE_WAIT) as uow:
            alarm, _ = raise_alarm(
                uow, events, clock, worker_id=worker_id, client_id=f"rehearsal-{uuid.uuid4()}"
            )
            view_for(alarm, worker_id)
            raise _Rehearsed
    except _Rehearsed:
        return True
    except Busy:
        return False


def raise_duress_alarm(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    worker_id: int,
    client_id: str,
    position: dict | None = None,
    visit: Visit | None = None,
) -> Alarm:
    """The duress PIN typed where no alarm was open (a visit's "Alles goed"): an alarm that
    runs under duress from the start, as after a duress cancel — responders see DWANG, and
    the worker's phone never lists it. `visit`: where it was typed, which the alarm keeps
    even when it is raised only after the visit was closed (a retry by the sweep). Typed again
    on the same visit while that alarm is open, it is the same emergency: its responders are
    told again, urgently, rather than a second alarm starting from the first step (the
    visit's duress is locked first: two retries of the reaction at once raise one alarm)."""
    if visit is not None:
        lock_key(uow.session, "duress", visit.id)
    still_open = _open_duress_alarm(uow.session, worker_id=worker_id, visit=visit)
    if still_open is not None and still_open.client_id != client_id:
        _log(uow.session, still_open, clock.now(), "duress_again", actor_id=worker_id)
        _publish_update(uow, events, still_open, to_worker=False, urgent=True)
        return still_open
    alarm, created = raise_alarm(
        uow,
        events,
        clock,
        worker_id=worker_id,
        client_id=client_id,
        position=position,
        visit=visit,
    )
    if created:
        _under_duress(uow, events, alarm, clock.now(), at_visit=visit is not None)
    return alarm


def _open_duress_alarm(session: Session, *, worker_id: int, visit: Visit | None) -> Alarm | None:
    if visit is None:
        return None
    return session.scalar(
        select(Alarm)
        .where(
            Alarm.worker_id == worker_id,
            Alarm.visit_id == visit.id,
            Alarm.state == AlarmState.OPEN,
            Alarm.duress_at.is_not(None),
        )
        .with_for_update(key_share=True)
    )


def _current_visit(session: Session, user_id: int) -> Visit | None:
    """The active visit this person is on, as the one who planned it or as the buddy."""
    return session.scalar(
        select(Visit)
        .where(or_(Visit.worker_id == user_id, Visit.buddy_id == user_id), Visit.state == "active")
        .order_by(Visit.checked_in_at.desc())
        .limit(1)
    )


def _partner(session: Session, alarm: Alarm) -> int | None:
    """The other one of the pair on the alarm's visit."""
    if alarm.visit_id is None:
        return None
    visit = session.get(Visit, alarm.visit_id)
    return visit.buddy_id if visit.worker_id == alarm.worker_id else visit.worker_id


def _place_at(alarm: Alarm, position: dict, now) -> None:
    """`position["at"]`, when given, is when the fix was taken (e.g. at a visit's check-in)."""
    alarm.lat, alarm.lon, alarm.accuracy = position["lat"], position["lon"], position["accuracy"]
    alarm.position_at = position.get("at") or now
    alarm.position_status = PositionStatus.SHARED


def _same_worker(alarm: Alarm, worker_id: int) -> Alarm:
    if alarm.worker_id != worker_id:
        raise Conflict("Deze alarm-id is al in gebruik.")
    return alarm


def _alert_step(uow: UnitOfWork, events: EventLog, alarm: Alarm, *, index: int, now) -> None:
    """Alert the people of step `index` who were not alerted before."""
    session = uow.session
    already = {r.user_id for r in alarm.recipients}
    fresh = (
        resolve_targets(
            session, alarm.worker, alarm.policy[index]["targets"], buddy_id=_partner(session, alarm)
        )
        - already
    )
    if index > 0:
        _log(session, alarm, now, "escalated", step=index + 1)
    if fresh:  # one bulk insert: step 3 can alert hundreds of people at once
        insert_rows(
            session,
            AlarmRecipient.__table__,
            [
                {"alarm_id": alarm.id, "user_id": u, "step": index + 1, "notified_at": now}
                for u in sorted(fresh)
            ],
        )
    session.flush()
    session.expire(alarm, ["recipients"])
    if fresh:
        prefix = "TESTALARM" if alarm.is_test else "ALARM"
        events.record(
            uow,
            type="alarm.raised",
            audience={user_key(u) for u in fresh},
            urgent=True,
            actor_id=alarm.worker_id,
            title=f"{prefix}: {alarm.worker.name}",
            body=place_text(alarm),
            data={"alarm": responder_view(alarm)},
        )
    if already:  # the escalation, to everyone already following the alarm
        _publish_update(uow, events, alarm, to_worker=False, skip=fresh)


def _step_due(now) -> tuple:
    return (
        Alarm.state == AlarmState.OPEN,
        Alarm.acknowledged_at.is_(None),
        Alarm.next_step_at <= now,
    )


def escalate_due_alarms(db: Database, clock: Clock, events: EventLog) -> int:
    """Fire every escalation step that is due, each exactly once. Every process runs this at
    once: a reader finds what is due (no write transaction for nothing), then each alarm's
    step is claimed under its row lock, and only the claimant alerts anyone."""
    now = clock.now()
    with db.reader() as uow:
        due = list(uow.session.scalars(select(Alarm.id).where(*_step_due(now))))
    fired = 0
    for alarm_id in due:
        try:
            fired += _fire_step(db, events, alarm_id, now=now)
        except Busy:  # the database's lock holds up every alarm alike: the next sweep, all
            raise
        except Exception:  # one alarm that cannot escalate must not hold up the others
            log.exception("escalating alarm %s failed; the next sweep tries again", alarm_id)
    return fired


def _fire_step(db: Database, events: EventLog, alarm_id: int, *, now) -> bool:
    """Claim the alarm's due step and alert its people, in one unit of work. The alarm is
    locked with SKIP LOCKED and read again under the lock: a step another sweeper is firing,
    or an alarm someone is acknowledging or cancelling, is left alone (never waited for; the
    next sweep looks again), and one acknowledged or cancelled meanwhile is no longer due."""
    with db.uow() as uow:
        alarm = uow.session.scalar(
            select(Alarm)
            .where(Alarm.id == alarm_id, *_step_due(now))
            .with_for_update(key_share=True, skip_locked=True)
        )
        if alarm is None:
            return False
        steps = alarm.fired_steps
        alarm.fired_steps = steps + 1
        alarm.next_step_at = next_step_due(alarm.policy, steps + 1, alarm.raised_at)
        _alert_step(uow, events, alarm, index=steps, now=now)
    return True


# ---- reading -------------------------------------------------------------------------------


def _oversees(session: Session, user: User, alarm: Alarm) -> bool:
    return user.role in OVERSEERS and reach_of(session, user).covers_team(alarm.team_id)


def _is_responder(session: Session, user: User, alarm: Alarm) -> bool:
    """Never for one's own alarm: a manager under duress must see only what a worker sees."""
    if alarm.worker_id == user.id:
        return False
    return any(r.user_id == user.id for r in alarm.recipients) or _oversees(session, user, alarm)


def get_alarm_for(session: Session, user_id: int, alarm_id: int, *, lock: bool = False) -> Alarm:
    """The alarm if this user raised it, was alerted, or oversees its team; else not found.
    `lock`: for a change, locked until the commit (FOR NO KEY UPDATE, so the log lines and
    recipients that refer to it are still written alongside): responders, the worker and the
    sweep act on one alarm at the same moment, and each must see what the one before did."""
    alarm = (
        session.get(Alarm, alarm_id, with_for_update={"key_share": True}, populate_existing=True)
        if lock
        else session.get(Alarm, alarm_id)
    )
    user = get_user(session, user_id)
    if alarm is None or not (alarm.worker_id == user.id or _is_responder(session, user, alarm)):
        raise NotFound("Onbekend alarm.")
    return alarm


def may_see_timeline(session: Session, user_id: int, alarm: Alarm) -> bool:
    """Managers and the coordinator, but not on their own alarm (it would show a duress)."""
    return alarm.worker_id != user_id and get_user(session, user_id).role in OVERSEERS


def open_alarms_for(session: Session, user_id: int) -> list[Alarm]:
    user = get_user(session, user_id)
    candidates = session.scalars(
        select(Alarm).where(Alarm.state == AlarmState.OPEN).order_by(Alarm.raised_at)
    )
    return [
        a
        for a in candidates
        if (a.worker_id == user.id and not a.duress) or _is_responder(session, user, a)
    ]


def timeline_of(session: Session, alarm: Alarm) -> list[AlarmLog]:
    """The log, with who was alerted at which step derived from the recipients (stored once,
    not also as a log row each). Sorted by time; at equal times the order of writing holds,
    and the alerts of a step come right after the step that caused them."""
    logged = list(
        session.scalars(
            select(AlarmLog).where(AlarmLog.alarm_id == alarm.id).order_by(AlarmLog.at, AlarmLog.id)
        )
    )
    alerted = [
        AlarmLog(
            alarm_id=alarm.id,
            at=r.notified_at,
            kind="notified",
            subject_id=r.user_id,
            subject=r.user,
            detail={"step": r.step},
        )
        for r in alarm.recipients
    ]
    rank = {"raised": 0, "escalated": 0, "notified": 1}
    return sorted(logged + alerted, key=lambda e: (e.at, rank.get(e.kind, 2)))


# ---- responding and closing ----------------------------------------------------------------


def _open_alarm_as_responder(session: Session, user_id: int, alarm_id: int) -> Alarm:
    alarm = get_alarm_for(session, user_id, alarm_id, lock=True)
    if alarm.worker_id == user_id:
        raise NotAllowed("Dit is je eigen alarm; trek het in met je pincode.")
    if alarm.state != AlarmState.OPEN:
        raise Conflict("Dit alarm is al afgesloten.")
    return alarm


def acknowledge(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    alarm_id: int,
    user_id: int,
    response: Response,
) -> Alarm:
    session, now = uow.session, clock.now()
    alarm = _open_alarm_as_responder(session, user_id, alarm_id)
    ack = session.get(AlarmAcknowledgement, (alarm.id, user_id))
    if ack is None:
        session.add(
            AlarmAcknowledgement(alarm_id=alarm.id, user_id=user_id, response=response, at=now)
        )
    else:
        ack.response = response
    if alarm.acknowledged_at is None:  # a person has it: escalation stops here
        alarm.acknowledged_at, alarm.next_step_at = now, None
    _log(session, alarm, now, "acknowledged", actor_id=user_id, response=response)
    session.flush()
    session.expire(alarm, ["acknowledgements"])
    _publish_update(uow, events, alarm, to_worker=not alarm.duress)
    return alarm


def record_receipt(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    alarm_id: int,
    user_id: int,
    state: str,
    channel: str,
) -> None:
    """A responder's device says the alarm arrived ("delivered") or was on screen ("seen").
    The first receipt of a test alarm proves the phone can receive alarms: whoever watches
    that person's readiness sees it change at once. Receipts of many responders come at
    once, so only this responder's are one at a time, not the alarm's."""
    session = uow.session
    lock_key(session, "alarm-receipt", f"{alarm_id}:{user_id}")
    alarm = get_alarm_for(session, user_id, alarm_id)
    if not any(r.user_id == user_id for r in alarm.recipients):
        raise NotAllowed("Je bent voor dit alarm niet gewaarschuwd.")
    receipts = set(
        session.execute(
            select(AlarmLog.kind, AlarmLog.channel).where(
                AlarmLog.alarm_id == alarm.id,
                AlarmLog.subject_id == user_id,
                AlarmLog.kind.in_(("delivered", "seen")),
            )
        ).all()
    )
    if (state, channel) in receipts:
        return
    _log(session, alarm, clock.now(), state, subject_id=user_id, channel=channel)
    if alarm.is_test and not receipts:
        _announce_readiness(uow, events, get_user(session, user_id))


def _announce_readiness(uow: UnitOfWork, events: EventLog, person: User) -> None:
    """To the person and to those who see their readiness (alarms/readiness.py): live only."""
    audience = {user_key(person.id), role_key(Role.COORDINATOR), role_key(Role.BEHEERDER)} | {
        user_key(m) for m in managers_of_team(uow.session, person.team_id)
    }
    events.record(
        uow,
        type="readiness.changed",
        audience=audience,
        push=False,
        title="Alarmontvangst bijgewerkt",
        data={"user_id": person.id},
    )


def _own_alarm(session: Session, alarm_id: int, worker_id: int, action: Text) -> Alarm:
    alarm = get_alarm_for(session, worker_id, alarm_id, lock=True)
    if alarm.worker_id != worker_id:
        raise NotAllowed("Alleen wie het alarm maakte, {action}.", action=action)
    return alarm


def update_position(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    alarm_id: int,
    worker_id: int,
    position: dict,
) -> None:
    """The worker's phone sends its position while the alarm is open, and for a while after
    it withdrew the alarm (it cannot know whether that was a duress PIN). Positions for an
    alarm that is really closed are dropped with the same answer, so nothing tells the two
    apart; under duress they reach the responders."""
    session = uow.session
    alarm = _own_alarm(session, alarm_id, worker_id, Text("deelt de locatie"))
    if alarm.state != AlarmState.OPEN:
        return
    _place_at(alarm, position, clock.now())
    watchers = _watchers(session, alarm)
    if watchers:  # positions stream often: live only, no push
        events.record(
            uow,
            type="alarm.position",
            audience={user_key(u) for u in watchers},
            title="Locatie",
            actor_id=worker_id,
            push=False,
            data={"alarm_id": alarm.id, **whereabouts(alarm)},
        )


def report_position_missing(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    alarm_id: int,
    worker_id: int,
    reason: PositionStatus,
) -> None:
    """The phone could not get a position after all (permission refused, no fix): responders
    are told why, so they go by the visit address or call. Dropped like a position once the
    alarm is closed, and ignored once a position is known (the last one stays the best)."""
    session = uow.session
    alarm = _own_alarm(session, alarm_id, worker_id, Text("deelt de locatie"))
    if alarm.state != AlarmState.OPEN or alarm.lat is not None or alarm.position_status == reason:
        return
    alarm.position_status = reason
    _log(
        session, alarm, clock.now(), "position_missing", actor_id=worker_id, position_status=reason
    )
    _publish_update(uow, events, alarm, to_worker=False)


def resolve(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    alarm_id: int,
    user_id: int,
    outcome: Outcome,
) -> Alarm:
    session, now = uow.session, clock.now()
    alarm = _open_alarm_as_responder(session, user_id, alarm_id)
    _close(alarm, state=AlarmState.RESOLVED, outcome=outcome, user_id=user_id, now=now)
    _log(session, alarm, now, "resolved", actor_id=user_id, outcome=outcome)
    _publish_update(uow, events, alarm, to_worker=not alarm.duress)
    return alarm


def _close(alarm: Alarm, *, state: AlarmState, outcome: Outcome, user_id: int, now) -> None:
    alarm.state, alarm.outcome, alarm.closed_at, alarm.closed_by_id = state, outcome, now, user_id
    alarm.next_step_at = None


def cancel_with_pin(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    alarm_id: int,
    worker_id: int,
    pin: str,
    pin_matches,
) -> tuple[Alarm, DomainError | None]:
    """The worker withdraws their alarm. Returns (alarm, refusal): a refusal is raised by the
    caller after the commit, because a wrong PIN is itself a fact that must be kept.

    The duress PIN answers exactly like a cancel but keeps the alarm open and tells responders
    the worker is under duress. Wrong PINs are counted per alarm, on the timeline and told to
    responders; after `PIN_ATTEMPTS` of them the PIN no longer cancels (someone else may be
    trying). The phone's answers never depend on whether the alarm is really closed, so a duress
    PIN stays indistinguishable from a cancel whatever is typed afterwards."""
    session, now = uow.session, clock.now()
    alarm = _own_alarm(session, alarm_id, worker_id, Text("kan het intrekken"))
    cancel, duress = pin_matches(alarm.worker, pin)  # both hashes checked, always: no timing tell
    if alarm.pin_locked:
        if duress and alarm.state == AlarmState.OPEN:
            # The phone was told the alarm stays on, so it is not frozen as withdrawn; but
            # responders learn the worker is being forced.
            _log(session, alarm, now, "duress_after_lock", actor_id=worker_id)
            _publish_update(
                uow,
                events,
                alarm,
                to_worker=False,
                urgent=True,
                title=f"DWANG: {alarm.worker.name} voerde de dwang-pincode in",
            )
        return alarm, TooManyAttempts(PIN_LOCKED)
    if not (cancel or duress):
        return alarm, _wrong_pin(uow, events, alarm, now)
    if alarm.closed_for_worker:
        return alarm, None  # already withdrawn as far as this phone knows: same answer again
    if duress:
        _under_duress(uow, events, alarm, now)
        _publish_worker_view(uow, events, alarm)  # the cover: what a cancel would send
    else:
        _close(
            alarm,
            state=AlarmState.CANCELLED,
            outcome=Outcome.FALSE_ALARM,
            user_id=worker_id,
            now=now,
        )
        _log(session, alarm, now, "cancelled", actor_id=worker_id)
        _publish_update(uow, events, alarm, to_worker=True)
    return alarm, None


PIN_LOCKED = Text(
    "Te vaak een onjuiste pincode: intrekken met je pincode kan niet meer. Het alarm "
    "blijft aan; je leidinggevende kan het afsluiten."
)


def _wrong_pin(uow: UnitOfWork, events: EventLog, alarm: Alarm, now) -> DomainError:
    alarm.pin_failures += 1
    _log(uow.session, alarm, now, "pin_wrong", actor_id=alarm.worker_id, attempt=alarm.pin_failures)
    if alarm.pin_locked:
        _log(uow.session, alarm, now, "pin_locked")
    if alarm.state == AlarmState.OPEN:
        _publish_update(uow, events, alarm, to_worker=False, urgent=alarm.pin_locked)
    if alarm.pin_locked:
        return TooManyAttempts(PIN_LOCKED)
    left = PIN_ATTEMPTS - alarm.pin_failures
    return Invalid(
        "Onjuiste pincode. Nog 1 poging."
        if left == 1
        else "Onjuiste pincode. Nog {left} pogingen.",
        {"pin": "onjuist"},
        left=left,
    )


def _under_duress(
    uow: UnitOfWork, events: EventLog, alarm: Alarm, now, *, at_visit: bool = False
) -> None:
    """Once per alarm, and only while it is really open: the alarm goes on, responders know.
    `at_visit`: typed as a visit's "Alles goed", not to withdraw an alarm."""
    if alarm.duress or alarm.state != AlarmState.OPEN:
        return
    alarm.duress_at, alarm.duress_step = now, alarm.fired_steps
    _log(
        uow.session,
        alarm,
        now,
        "duress",
        actor_id=alarm.worker_id,
        **({"at_visit": True} if at_visit else {}),
    )
    _publish_update(uow, events, alarm, to_worker=False, urgent=True)


# ---- telling people ------------------------------------------------------------------------


def _watchers(session: Session, alarm: Alarm) -> set[int]:
    """Who follows an alarm live: everyone alerted, and whoever oversees the worker's team
    (they see it in their list of open alarms). Never the worker: their phone must not learn
    of a duress, even when they are a manager of their own team."""
    overseers = set(
        session.scalars(
            select(User.id).where(
                User.active.is_(True),
                or_(
                    User.role.in_((Role.COORDINATOR, Role.BEHEERDER)),
                    and_(User.role == Role.LEIDINGGEVENDE, User.team_id == alarm.team_id),
                ),
            )
        )
    )
    return (
        {r.user_id for r in alarm.recipients} | overseers | managers_of_team(session, alarm.team_id)
    ) - {alarm.worker_id}


def _publish_update(
    uow: UnitOfWork,
    events: EventLog,
    alarm: Alarm,
    *,
    to_worker: bool,
    skip: set[int] = frozenset(),
    urgent: bool = False,
    title: str | None = None,
) -> None:
    responders = _watchers(uow.session, alarm) - skip
    if responders:
        title = title or (_update_title(alarm) if urgent else f"Alarm {alarm.worker.name}")
        events.record(
            uow,
            type="alarm.updated",
            audience={user_key(u) for u in responders},
            urgent=urgent,
            title=title,
            body=_update_text(alarm),
            data={"alarm": responder_view(alarm)},
            push=urgent,
        )
    if to_worker:
        _publish_worker_view(uow, events, alarm)


def _publish_worker_view(uow: UnitOfWork, events: EventLog, alarm: Alarm) -> None:
    view = worker_view(alarm)
    events.record(
        uow,
        type="alarm.updated",
        audience={user_key(alarm.worker_id)},
        title="Je alarm",
        body=_update_text_for(view),
        data={"alarm": view},
    )


def _update_title(alarm: Alarm) -> str:
    """An urgent update: duress, or someone typing wrong PINs on the worker's phone."""
    if alarm.duress:
        return f"DWANG: alarm {alarm.worker.name} loopt door"
    return f"Let op: iemand probeert het alarm van {alarm.worker.name} in te trekken"


def _update_text(alarm: Alarm) -> str:
    return _update_text_for(responder_view(alarm))


def _update_text_for(view: dict) -> str:
    if view["state"] != AlarmState.OPEN:
        return view["outcome_label"] or "Afgesloten"
    acks = view["acknowledgements"]
    if acks:
        return ", ".join(f"{a['user']['name']} {a['response_label']}" for a in acks)
    return "Nog niemand heeft bevestigd."


def record_push_results(
    clock: Clock, session: Session, message: dict, results: list[tuple[int, int, bool]]
) -> None:
    """The push dispatcher's report on an alarm alert, for the timeline: per responder and
    attempt, sent or failed (and whether another try follows)."""
    if message["type"] != "alarm.raised":
        return
    alarm_id, now = message["data"]["alarm"]["id"], clock.now()
    alarm = session.get(Alarm, alarm_id)
    for user_id, status, retry in results:
        ok = 200 <= status < 300
        _log(
            session,
            alarm,
            now,
            "push_sent" if ok else "push_failed",
            subject_id=user_id,
            channel="push",
            status=status,
            **({"retry": True} if retry else {}),
        )
