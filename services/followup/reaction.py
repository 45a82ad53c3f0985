"""The reaction to the aggressor (§8), decided on an incident: a measure, or "geen maatregel"
with its reason. A ban, warning letter or suspended service goes into the Agressie Informatie
Register, so the next pre-visit check sees it; a second ban for a person with a running one is
refused in favour of extending that one; a breach restarts a ban that was in force that day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from services.clock import Clock, iso, local_date
from services.db import UnitOfWork, lock_key
from services.errors import Conflict, Invalid, NotFound
from services.followup.history import add_history
from services.followup.measures import BANS, IN_AIR, NO_MEASURE, PERIODS
from services.followup.models import IncidentMeasure
from services.incidents.access import Viewer, managed_incident
from services.incidents.models import Incident
from services.register import changes as air_changes
from services.register import service as register
from services.register.models import RegisterEntry, RegisterMeasure

WARNING_REMEMBERED = timedelta(days=365)  # a warning letter stays visible in the AIR a year


def air_entry_of(session: Session, incident: Incident) -> RegisterEntry | None:
    """The register's entry for this aggressor: where its bans are, and where new ones go."""
    found = register.matching_entries(
        session, incident.aggressor_address, incident.aggressor_client_ref or None
    )
    return found[0] if found else None


def _air_entry_for(
    session: Session, now: datetime, viewer: Viewer, incident: Incident
) -> RegisterEntry:
    """The register's entry for this aggressor, locked; made when the register does not know
    them. Who matches whom is by address or client reference, word by word, so no key of
    the aggressor's own would keep two decisions at once from making an entry each (and a ban
    each): making entries from the follow-up is one at a time, which is rare enough."""
    lock_key(session, "air-entry", "from follow-up")
    entry = air_entry_of(session, incident)
    if entry is not None:
        entry = register.locked_entry(session, entry.id)
    entry = air_changes.flag_from_incident(
        session,
        now,
        actor=viewer.user,
        entry=entry,
        identity={
            "name": incident.aggressor_name,
            "client_ref": incident.aggressor_client_ref,
            "address": incident.aggressor_address,
        },
        behaviour_type=incident.behaviour_type,
        reason=f"GIR-{incident.id}",
    )
    session.flush()
    return entry


def _check_decided_on(incident: Incident, today: date, decided_on: date) -> None:
    if not local_date(incident.occurred_at) <= decided_on <= today:
        raise Invalid(
            "Het besluit ligt voor het incident of in de toekomst.",
            {"decided_on": "buiten het bereik"},
        )


def _check_dates(kind: str, decided_on: date, starts_on: date | None, ends_on: date | None) -> None:
    """Only a ban or suspension has a period: starting no earlier than the decision and within
    a year of it, ending (tot en met) no earlier than it starts and within five years; a ban
    always ends, a suspension may run until it is ended."""
    if kind not in PERIODS:
        if starts_on is not None or ends_on is not None:
            raise Invalid(
                "Alleen een verbod of opgeschorte dienstverlening heeft een periode.",
                {"starts_on": "niet bij deze maatregel"},
            )
        return
    if starts_on is None or (ends_on is None and PERIODS[kind] == "required"):
        raise Invalid(
            "Een verbod heeft een begin- en einddatum.",
            {"ends_on": "verplicht", "starts_on": "verplicht"},
        )
    if not decided_on <= starts_on <= decided_on + timedelta(days=366):
        raise Invalid(
            "Een maatregel begint bij het besluit of binnen een jaar daarna.",
            {"starts_on": "buiten het bereik"},
        )
    if ends_on is not None and not starts_on <= ends_on <= starts_on + register.LONGEST:
        raise Invalid(
            "De einddatum ligt voor het begin of meer dan vijf jaar later.", {"ends_on": "ongeldig"}
        )


def _into_air(
    session: Session,
    now: datetime,
    *,
    viewer: Viewer,
    incident: Incident,
    kind: str,
    decided_on: date,
    starts_on: date | None,
    ends_on: date | None,
    note: str,
) -> RegisterMeasure:
    if not (incident.aggressor_address or incident.aggressor_client_ref):
        # The pre-visit check finds people by address or client reference, never by name.
        raise Invalid(
            "Vul eerst het adres of de klantreferentie van de agressor in: daarop "
            "vindt de controle voor een bezoek de maatregel.",
            {"aggressor": "onbekend"},
        )
    entry = _air_entry_for(session, now, viewer, incident)
    starts_on = starts_on or decided_on
    if kind == "waarschuwingsbrief":
        ends_on = decided_on + WARNING_REMEMBERED
    in_air = air_changes.record_measure(
        session,
        now,
        actor_id=viewer.user.id,
        entry=entry,
        kind=IN_AIR[kind],
        starts_on=starts_on,
        ends_on=ends_on,
        reason=f"GIR-{incident.id}: {note}",
        incident_id=incident.id,
        victim_id=incident.victim_id,
    )
    session.flush()
    return in_air


def issue_measure(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    incident_id: int,
    kind: str,
    decided_on: date,
    starts_on: date | None,
    ends_on: date | None,
    note: str,
) -> IncidentMeasure:
    """Decide the reaction. A period's end takes effect by itself (RegisterMeasure.active_on)."""
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id, lock=True)
    _check_decided_on(incident, local_date(now), decided_on)
    _check_dates(kind, decided_on, starts_on, ends_on)
    if kind == NO_MEASURE and not note.strip():
        raise Invalid("Leg vast waarom er geen maatregel komt.", {"note": "verplicht"})
    measure = IncidentMeasure(
        incident_id=incident.id,
        kind=kind,
        decided_on=decided_on,
        note=note,
        breaches=[],
        decided_by_id=viewer.user.id,
        created_at=now,
    )
    if kind in IN_AIR:
        measure.air_measure = _into_air(
            session,
            now,
            viewer=viewer,
            incident=incident,
            kind=kind,
            decided_on=decided_on,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
        )
    session.add(measure)
    session.flush()
    add_history(
        session,
        incident,
        viewer,
        now,
        action="maatregel",
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
    )
    return measure


def extend_ban(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    incident_id: int,
    air_measure_id: int,
    decided_on: date,
    ends_on: date,
    note: str,
) -> IncidentMeasure:
    """This incident's reaction is a later end for the person's running ban (or suspension):
    recorded here, in the AIR, and in this incident's history."""
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id, lock=True)
    today = local_date(now)
    _check_decided_on(incident, today, decided_on)
    in_air = register.locked_measure(session, air_measure_id)
    entry = air_entry_of(session, incident)
    if in_air is None or entry is None or in_air.entry_id != entry.id:
        raise NotFound("Onbekend verbod voor deze persoon.")
    previous = air_changes.extend_noted(
        session,
        now,
        actor_id=viewer.user.id,
        measure=in_air,
        ends_on=ends_on,
        note=lambda _: f"GIR-{incident.id}: verlengd tot en met {ends_on:%d-%m-%Y}",
        reason=note,
    )
    measure = IncidentMeasure(
        incident_id=incident.id,
        kind=in_air.kind,
        decided_on=decided_on,
        note=note,
        breaches=[],
        decided_by_id=viewer.user.id,
        created_at=now,
        air_measure=in_air,
        extended_from=previous,
    )
    session.add(measure)
    session.flush()
    add_history(
        session,
        incident,
        viewer,
        now,
        action="verlenging",
        measure=in_air.kind,
        previous_ends_on=previous,
        ends_on=ends_on,
        note=note,
    )
    return measure


def record_breach(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    incident_id: int,
    measure_id: int,
    on: date,
    extend_days: int,
    note: str,
) -> IncidentMeasure:
    """§8 "Niet nakomen van toegangsverbod": "Het toegangsverbod wordt vanaf de datum van het
    incident opnieuw verstrekt, met een eventuele verlenging van de duur" — as long as it was,
    plus the extension. Only a ban in force that day can be breached; after its end, coming
    back is a new incident. Aangifte (lokaalvredebreuk) is advised until recorded."""
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id, lock=True)
    measure = session.get(IncidentMeasure, measure_id)  # the incident's lock holds it
    if measure is None or measure.incident_id != incident.id or measure.kind not in BANS:
        raise NotFound("Onbekend verbod.")
    if measure.air_measure_id is None:  # its retention period in the AIR has passed
        raise Conflict("Dit verbod staat niet meer in het register: meld een nieuw incident.")
    in_air = register.locked_measure(session, measure.air_measure_id)
    if on > local_date(now):
        raise Invalid("Een overtreding ligt niet in de toekomst.", {"on": "in de toekomst"})
    if not in_air.active_on(on):
        raise Invalid(
            "Het verbod was op die datum niet van kracht: meld een nieuw incident.",
            {"on": "verbod niet van kracht"},
        )
    length = in_air.ends_on - in_air.starts_on
    air_changes.restart_measure(
        session,
        now,
        actor_id=viewer.user.id,
        measure=in_air,
        starts_on=on,
        ends_on=on + length + timedelta(days=extend_days),
        reason=f"GIR-{incident.id}: {note}".rstrip(": "),
    )
    measure.breaches = [
        *measure.breaches,
        {"on": on.isoformat(), "extend_days": extend_days, "note": note, "recorded_at": iso(now)},
    ]
    add_history(
        session,
        incident,
        viewer,
        now,
        action="overtreding",
        measure=measure.kind,
        on=on,
        ends_on=measure.ends_on,
        note=note,
    )
    return measure
