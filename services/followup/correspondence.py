"""Letters of an incident: drafted from the incident, aggressor and measure (letters.py), edited
by the manager, then made final as a PDF stored with the incident — only once nothing is left
open in it and it names whom and (for a ban) how long it is about."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import Role
from services.clock import Clock, local_date
from services.db import UnitOfWork
from services.errors import Conflict, Invalid, Joined, NotFound
from services.followup.history import add_history
from services.followup.letters import LetterFacts, Organisation, draft_letter, missing_for_final
from services.followup.matrix import POLICE_ORDER
from services.followup.models import IncidentLetter, IncidentMeasure, PoliceRecord
from services.incidents.access import Viewer, managed_incident
from services.incidents.models import Incident
from services.incidents.service import log_reads
from services.incidents.vocabulary import CHANNELS


def _police_step(session: Session, incident: Incident) -> str | None:
    """The strongest step the police were told of: an aangifte outweighs a melding."""
    kinds = set(
        session.scalars(select(PoliceRecord.kind).where(PoliceRecord.incident_id == incident.id))
    )
    return max(kinds & set(POLICE_ORDER), key=POLICE_ORDER.index, default=None)


def _facts(
    session: Session,
    incident: Incident,
    *,
    measure: IncidentMeasure | None,
    viewer: Viewer,
    today: date,
) -> LetterFacts:
    form = incident.form or {}
    talks = session.scalars(
        select(IncidentMeasure.decided_on)
        .where(IncidentMeasure.incident_id == incident.id, IncidentMeasure.kind == "ordegesprek")
        .order_by(IncidentMeasure.decided_on)
    ).all()
    damage = "; ".join(
        filter(
            None, (form.get("damage_employer_description"), form.get("damage_personal_description"))
        )
    )
    return LetterFacts(
        aggressor_name=incident.aggressor_name,
        aggressor_address=incident.aggressor_address,
        incident_at=incident.occurred_at,
        location=incident.location,
        channel=CHANNELS[incident.channel].lower(),
        description=incident.description,
        cause=form.get("cause") or "",
        course=form.get("course") or "",
        damage=damage,
        measure_starts_on=measure.starts_on if measure else None,
        measure_ends_on=measure.ends_on if measure else None,
        conversation_on=talks[-1] if talks else None,
        police=_police_step(session, incident),
        writer_name=viewer.user.name,
        writer_role="Leidinggevende"
        if viewer.user.role == Role.LEIDINGGEVENDE
        else "Coördinator agressie en geweld",
        today=today,
        reference=f"GIR-{incident.id}",
    )


def _measure_of(
    session: Session, incident: Incident, measure_id: int | None
) -> IncidentMeasure | None:
    measure = session.get(IncidentMeasure, measure_id) if measure_id is not None else None
    if measure_id is not None and (measure is None or measure.incident_id != incident.id):
        raise Invalid("Onbekende maatregel.", {"measure_id": "onbekend"})
    return measure


def draft_incident_letter(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    org: Organisation,
    incident_id: int,
    kind: str,
    variant: int,
    measure_id: int | None,
) -> IncidentLetter:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id, lock=True)
    measure = _measure_of(session, incident, measure_id)
    text = draft_letter(
        kind,
        _facts(session, incident, measure=measure, viewer=viewer, today=local_date(now)),
        org,
        variant,
    )
    letter = IncidentLetter(
        incident_id=incident.id,
        kind=kind,
        variant=variant,
        measure_id=measure_id,
        text=text,
        created_by_id=viewer.user.id,
        created_at=now,
        updated_at=now,
    )
    session.add(letter)
    session.flush()
    add_history(
        session,
        incident,
        viewer,
        now,
        action="brief",
        kind=kind,
        letter_id=letter.id,
        state="concept",
    )
    return letter


def _letter(session: Session, incident: Incident, letter_id: int) -> IncidentLetter:
    letter = session.get(IncidentLetter, letter_id)
    if letter is None or letter.incident_id != incident.id:
        raise NotFound("Onbekende brief.")
    return letter


def _draft(
    session: Session, viewer: Viewer, incident_id: int, letter_id: int
) -> tuple[Incident, IncidentLetter]:
    incident = managed_incident(session, viewer, incident_id, lock=True)
    letter = _letter(session, incident, letter_id)
    if letter.finalised_at is not None:
        raise Conflict("Deze brief is definitief en verandert niet meer.")
    return incident, letter


def edit_letter(
    uow: UnitOfWork, clock: Clock, *, viewer: Viewer, incident_id: int, letter_id: int, text: str
) -> IncidentLetter:
    incident, letter = _draft(uow.session, viewer, incident_id, letter_id)
    letter.text, letter.updated_at = text, clock.now()
    add_history(
        uow.session,
        incident,
        viewer,
        letter.updated_at,
        action="brief",
        kind=letter.kind,
        letter_id=letter.id,
        state="bewerkt",
    )
    return letter


def _refuse_unfinished(session: Session, incident: Incident, letter: IncidentLetter) -> None:
    measure = _measure_of(session, incident, letter.measure_id)
    missing = missing_for_final(
        letter.kind,
        letter.text,
        name=incident.aggressor_name,
        address=incident.aggressor_address,
        period=(measure.starts_on, measure.ends_on) if measure else (None, None),
    )
    if missing:
        raise Invalid(
            "Nog niet definitief te maken. Nog nodig: {missing}.",
            missing,
            missing=Joined(missing.values(), "; "),
        )


def finalise_letter(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    org: Organisation,
    incident_id: int,
    letter_id: int,
) -> IncidentLetter:
    from services.followup.pdf import letter_pdf  # fpdf2 loads only when a letter needs it

    incident, letter = _draft(uow.session, viewer, incident_id, letter_id)
    _refuse_unfinished(uow.session, incident, letter)
    now = clock.now()
    letter.pdf = letter_pdf(letter.text, org, f"GIR-{incident.id}")
    letter.finalised_at, letter.finalised_by_id = now, viewer.user.id
    add_history(
        uow.session,
        incident,
        viewer,
        now,
        action="brief",
        kind=letter.kind,
        letter_id=letter.id,
        state="definitief",
    )
    return letter


def final_letter(
    session: Session, clock: Clock, *, viewer: Viewer, incident_id: int, letter_id: int
) -> IncidentLetter:
    """A finalised letter's PDF, to download: aggressor details leaving the app, logged."""
    incident = managed_incident(session, viewer, incident_id)
    letter = _letter(session, incident, letter_id)
    if letter.pdf is None:
        raise Conflict("Deze brief is nog een concept.")
    log_reads(
        session,
        clock,
        viewer=viewer,
        incidents=[incident],
        purpose=f"brief {letter.kind} (pdf)",
        act="export",
    )
    return letter
