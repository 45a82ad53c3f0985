"""Follow-up's reactions to the incident register's messages, and to a leaver (organisation
administration). The bus runs each after the emitter's commit, in a unit of work of its own
(events/bus.py)."""

from __future__ import annotations

from services.admin.messages import PersonLeft
from services.clock import Clock
from services.db import UnitOfWork
from services.events.log import EventLog
from services.followup.handover import hand_over_actions
from services.followup.service import alert_serious, reschedule_aftercare, schedule_aftercare
from services.incidents.access import locked_incident
from services.incidents.messages import (
    IncidentMarkedSerious,
    IncidentReported,
    IncidentTimeCorrected,
)
from services.incidents.models import Incident


def schedule_aftercare_of(
    uow: UnitOfWork, events: EventLog, clock: Clock, message: IncidentReported
) -> None:
    schedule_aftercare(uow.session, uow.session.get(Incident, message.incident_id))


def reschedule_aftercare_of(
    uow: UnitOfWork, events: EventLog, clock: Clock, message: IncidentTimeCorrected
) -> None:
    # locked like a manager's follow-up action, which may be recording one of these steps
    reschedule_aftercare(uow.session, locked_incident(uow.session, message.incident_id))


def alert_serious_of(
    uow: UnitOfWork, events: EventLog, clock: Clock, message: IncidentMarkedSerious
) -> None:
    incident = uow.session.get(Incident, message.incident_id)
    if incident.serious:  # a retry after the criteria were taken away again alerts nobody
        alert_serious(uow, events, incident)


def hand_over_actions_of(
    uow: UnitOfWork, events: EventLog, clock: Clock, message: PersonLeft
) -> None:
    if message.successor_id is not None:  # nobody above: the coordinator's overview keeps them
        hand_over_actions(
            uow.session,
            clock.now(),
            user_id=message.user_id,
            successor_id=message.successor_id,
            actor_id=message.actor_id,
        )


HANDLERS = (
    (IncidentReported, schedule_aftercare_of),
    (IncidentTimeCorrected, reschedule_aftercare_of),
    (IncidentMarkedSerious, alert_serious_of),
    (PersonLeft, hand_over_actions_of),
)
