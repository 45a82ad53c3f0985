"""When an incident may be closed (afgehandeld): the reaction to the aggressor decided (a
measure, or "geen maatregel" with a reason), the police step decided (recorded, or declined
with a reason), and for a serious incident both reports to the Inspectie SZW. Aftercare goes
on after the register is closed; its three months keep nothing open. Read from the stored
records, never from what a screen is shown."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.errors import Text
from services.followup.inspectorate import PENDING, inspectorate_state, written_state
from services.followup.matrix import advise
from services.followup.models import IncidentMeasure, PoliceRecord
from services.followup.police import advised_police, breaches_of, police_open
from services.followup.recidive import earlier_incidents, with_aggressor
from services.incidents.models import Incident


def closing_blockers(session: Session, now: datetime, incident: Incident) -> list[Text]:
    """What must be done before the incident is closed, in the words of the refusal."""
    measures = _of(session, IncidentMeasure, incident)
    phoned = inspectorate_state(
        incident.serious, incident.occurred_at, incident.szw_reported_at, now
    )
    written, _ = written_state(
        incident.serious, incident.szw_reported_at, incident.szw_written_at, now
    )
    blockers = []
    if phoned.state in PENDING:
        blockers.append(Text("de telefonische melding bij de Inspectie SZW"))
    if written == "waiting" or written in PENDING:
        blockers.append(Text("de schriftelijke melding bij de Inspectie SZW"))
    if not measures:
        blockers.append(
            Text(
                "een besluit over de reactie naar de agressor (een maatregel, of "
                "'geen maatregel' met de reden)"
            )
        )
    if _police_open(session, incident, measures):
        blockers.append(Text("een besluit over aangifte of melding bij de politie"))
    return blockers


def _of(session: Session, model, incident: Incident) -> list:
    return list(
        session.scalars(select(model).where(model.incident_id == incident.id).order_by(model.id))
    )


def _police_open(session: Session, incident: Incident, measures: list[IncidentMeasure]) -> bool:
    earlier = earlier_incidents(with_aggressor(session), incident)
    advised = advised_police(
        incident, advise(incident.behaviour_type, incident.kinds, len(earlier))
    )
    return police_open(advised, _of(session, PoliceRecord, incident), breaches_of(measures))
