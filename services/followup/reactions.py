"""Follow-up's reactions to the incident register's messages. The bus runs each after the
incident's commit, in a unit of work of its own (events/bus.py)."""

from __future__ import annotations

from services.clock import Clock
from services.db import UnitOfWork
from services.events.log import EventLog
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


HANDLERS = (
    (IncidentReported, schedule_aftercare_of),
    (IncidentTimeCorrected, reschedule_aftercare_of),
    (IncidentMarkedSerious, alert_serious_of),
)
