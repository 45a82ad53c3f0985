"""Alarms raised from a visit. "Nee" to "Alles goed?" is the worker raising an alarm and is
answered with it, so it is an alarm use case; the duress PIN given as "Alles goed" is the
visit's fact, and the silent alarm is this package's reaction to it after the visit's commit
(events/bus.py), so that the phone's answer is exactly that of a real "Alles goed". Alarms
know visits; visits never know alarms."""

from __future__ import annotations

from services.alarms.models import Alarm
from services.alarms.service import raise_alarm, raise_duress_alarm
from services.clock import Clock
from services.db import UnitOfWork
from services.events.log import EventLog
from services.visits.common import log_step, own_visit
from services.visits.messages import OkUnderDuress
from services.visits.models import Visit


def _check_in_fix(visit: Visit) -> dict | None:
    """The position of the check-in, with its age: all an alarm from a visit knows."""
    return (
        None
        if visit.lat is None
        else {
            "lat": visit.lat,
            "lon": visit.lon,
            "accuracy": visit.accuracy,
            "at": visit.checked_in_at,
        }
    )


def not_ok(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, visit_id: int, worker_id: int
) -> tuple[Visit, Alarm]:
    """ "Nee" to "Alles goed?" is an alarm. Its id is tied to this visit's cycle, so a retry
    of the same answer raises nothing twice."""
    session = uow.session
    visit = own_visit(session, visit_id, worker_id, states=("active",))
    alarm, _ = raise_alarm(
        uow,
        events,
        clock,
        worker_id=worker_id,
        client_id=f"visit-{visit.id}-c{visit.cycle}-hulp",
        position=_check_in_fix(visit),
        visit=visit,
    )
    log_step(session, visit, clock.now(), "not_ok", actor_id=worker_id, alarm_id=alarm.id)
    return visit, alarm


def raise_duress_alarm_of(
    uow: UnitOfWork, events: EventLog, clock: Clock, message: OkUnderDuress
) -> None:
    visit = uow.session.get(Visit, message.visit_id)
    raise_duress_alarm(
        uow,
        events,
        clock,
        worker_id=message.worker_id,
        client_id=message.alarm_client_id,
        position=_check_in_fix(visit),
        visit=visit,
    )


HANDLERS = ((OkUnderDuress, raise_duress_alarm_of),)
