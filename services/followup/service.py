"""Follow-up use cases on a registered incident. Only the victim's chain of managers and the
coordinator act (incidents/access.py); every action is written to the incident's history."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.accounts.models import Role, User
from services.clock import Clock, iso, json_value, local_date
from services.db import Database, UnitOfWork
from services.errors import Conflict, Invalid, NotFound
from services.events.audience import role_key, user_key
from services.events.log import EventLog
from services.followup import aftercare, inspectorate
from services.followup.letters import LetterFacts, Organisation, draft_letter
from services.followup.measures import BANS
from services.followup.models import AftercareRecord, IncidentLetter, IncidentMeasure, PoliceRecord
from services.followup.responsibility import responsible_for
from services.incidents.access import Viewer, managed_incident, require_version
from services.incidents.models import Incident, IncidentChange
from services.incidents.vocabulary import CHANNELS
from services.register.models import MeasureKind, RegisterEntry, RegisterMeasure
from services.register.service import matching_entries

WARNING_REMEMBERED = timedelta(days=365)  # a warning letter stays visible in the AIR a year
LONGEST_BAN = timedelta(days=5 * 366)


def _history(session: Session, incident: Incident, viewer: Viewer, now: datetime,
             action: str, **change) -> None:
    session.add(IncidentChange(incident_id=incident.id, at=now, user_id=viewer.user.id,
                               action=action, changes=[{k: json_value(v) for k, v in change.items()}]))


def _responsible_audience(session: Session, incident: Incident) -> set[str]:
    """Whoever handles the follow-up; the coordinator when nobody leads the victim."""
    boss = responsible_for(session, incident.victim)
    return {user_key(boss.id)} if boss else {role_key(Role.COORDINATOR)}


def _due(db: Database, query) -> list[int]:
    """The sweeper looks with a reader first: a write transaction every second for nothing
    would queue every request behind it."""
    with db.reader() as uow:
        return list(uow.session.scalars(query))


# ---- aftercare schedule and reminders ----------------------------------------------------------

def schedule_aftercare(session: Session, incident: Incident) -> None:
    """A report made days later is not reminded of steps already due: the report's own
    notification and the to-do list (overdue) say it, one push less per step."""
    for key, (from_on, due_at, remind_at) in aftercare.due_dates(incident.occurred_at).items():
        late = remind_at <= incident.reported_at
        session.add(AftercareRecord(incident_id=incident.id, step=key, from_on=from_on,
                                    due_at=due_at, remind_at=remind_at, signs=[], notes="",
                                    reminded_at=incident.reported_at if late else None))


def reschedule_aftercare(session: Session, incident: Incident) -> None:
    """The incident's time was corrected: steps not yet done move with it."""
    due = aftercare.due_dates(incident.occurred_at)
    for record in session.scalars(select(AftercareRecord).where(
            AftercareRecord.incident_id == incident.id, AftercareRecord.done_on.is_(None))):
        record.from_on, record.due_at, record.remind_at = due[record.step]
        if record.remind_at > incident.updated_at:
            record.reminded_at = None  # its reminder is still to come


def record_aftercare(uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int,
                     step: str, done_on: date, notes: str, signs: list[str],
                     referral: str | None) -> AftercareRecord:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id)
    record = session.scalar(select(AftercareRecord).where(
        AftercareRecord.incident_id == incident.id, AftercareRecord.step == step))
    if record is None:
        raise NotFound("Onbekende nazorgstap.")
    if not local_date(incident.occurred_at) <= done_on <= local_date(now):
        raise Invalid("De datum ligt voor het incident of in de toekomst.",
                      {"done_on": "buiten het bereik"})
    record.done_on, record.done_by_id = done_on, viewer.user.id
    record.notes, record.signs, record.referral = notes, signs, referral
    _history(session, incident, viewer, now, "nazorg", step=step,
             label=aftercare.BY_KEY[step].label, done_on=done_on, signs=signs,
             referral=referral)
    return record


def remind_aftercare_due(db: Database, events: EventLog, clock: Clock) -> int:
    """Sweeper task: one push and to-do reminder per step, the day before it is due. The
    conditional UPDATE claims a step, so two processes never remind twice."""
    now, sent = clock.now(), 0
    due_ids = _due(db, select(AftercareRecord.id).where(
        AftercareRecord.remind_at <= now, AftercareRecord.reminded_at.is_(None),
        AftercareRecord.done_on.is_(None)))
    if not due_ids:
        return 0
    with db.uow() as uow:
        session = uow.session
        for record in session.scalars(select(AftercareRecord)
                                      .where(AftercareRecord.id.in_(due_ids))):
            claimed = session.execute(update(AftercareRecord).where(
                AftercareRecord.id == record.id, AftercareRecord.reminded_at.is_(None))
                .values(reminded_at=now)).rowcount
            if not claimed:
                continue
            # also after closing: aftercare runs its course
            incident = session.get(Incident, record.incident_id)
            step = aftercare.BY_KEY[record.step]
            due = record.due_at.astimezone(aftercare.MUNICIPAL_TIME)
            events.record(uow, type="followup.reminder",
                          audience=_responsible_audience(session, incident),
                          title=f"Nazorg: {step.label}",
                          body=f"GIR-{incident.id}, {incident.victim.name}: uiterlijk "
                               f"{due:%d-%m %H:%M}",
                          data={"incident_id": incident.id, "step": record.step})
            sent += 1
    return sent


# ---- Inspectie SZW -------------------------------------------------------------------------------

def alert_serious(uow: UnitOfWork, events: EventLog, incident: Incident) -> None:
    """Marked serious: the responsible manager must report at once (urgent, pushed)."""
    events.record(uow, type="followup.serious",
                  audience=_responsible_audience(uow.session, incident), urgent=True,
                  title="Ernstig incident: meld bij de Inspectie SZW",
                  body=f"GIR-{incident.id}: bel {inspectorate.PHONE} uiterlijk 24 uur na het "
                       f"incident, daarna schriftelijk.",
                  data={"incident_id": incident.id})


def record_inspectorate(uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int,
                        reported_at: datetime, how: str, reference: str) -> Incident:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id)
    if not incident.serious:
        raise Conflict("Alleen een ernstig incident wordt bij de Inspectie SZW gemeld.")
    if not incident.occurred_at <= reported_at <= now + timedelta(minutes=5):
        raise Invalid("Het tijdstip van melden ligt voor het incident of in de toekomst.",
                      {"reported_at": "buiten het bereik"})
    incident.szw_reported_at, incident.szw_how, incident.szw_reference = reported_at, how, reference
    _history(session, incident, viewer, now, "inspectie_szw", reported_at=reported_at, how=how,
             reference=reference)
    return incident


def warn_inspectorate_overdue(db: Database, events: EventLog, clock: Clock) -> int:
    """Sweeper task: a serious incident not reported within 24 hours is shown to the
    coordinator (and the responsible manager) once, urgently."""
    now, sent = clock.now(), 0
    late_ids = _due(db, select(Incident.id).where(
        Incident.serious.is_(True), Incident.szw_reported_at.is_(None),
        Incident.szw_overdue_claimed_at.is_(None),
        Incident.occurred_at <= now - inspectorate.LIMIT))
    if not late_ids:
        return 0
    with db.uow() as uow:
        session = uow.session
        for incident in session.scalars(select(Incident).where(Incident.id.in_(late_ids))):
            claimed = session.execute(update(Incident).where(
                Incident.id == incident.id, Incident.szw_overdue_claimed_at.is_(None))
                .values(szw_overdue_claimed_at=now)).rowcount
            if not claimed:
                continue
            audience = {role_key(Role.COORDINATOR)} | _responsible_audience(session, incident)
            events.record(uow, type="followup.szw_overdue", audience=audience, urgent=True,
                          title="Melding Inspectie SZW te laat",
                          body=f"GIR-{incident.id} is ernstig en na 24 uur nog niet gemeld.",
                          data={"incident_id": incident.id})
            sent += 1
    return sent


def record_absence(uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int,
                   days: int) -> Incident:
    incident = managed_incident(uow.session, viewer, incident_id)
    incident.absence_days = days
    _history(uow.session, incident, viewer, clock.now(), "verzuim", days=days)
    return incident


# ---- measures and the Agressie Informatie Register ------------------------------------------------

def _air_entry_for(session: Session, now: datetime, viewer: Viewer,
                   incident: Incident) -> RegisterEntry:
    """The register's entry for this aggressor; made when the register does not know them."""
    found = matching_entries(session, incident.aggressor_address,
                             incident.aggressor_client_ref or None)
    entry = found[0] if found else None
    if entry is None:
        entry = RegisterEntry(name=incident.aggressor_name or None,
                              client_ref=incident.aggressor_client_ref or None,
                              address=incident.aggressor_address or None, remarks="",
                              created_at=now, created_by_id=viewer.user.id)
        session.add(entry)
    entry.known_aggressive = True
    entry.behaviour_type = max(entry.behaviour_type or "A", incident.behaviour_type)
    entry.updated_at = now
    session.flush()
    return entry


def _check_dates(incident: Incident, today: date, kind: str, decided_on: date,
                 starts_on: date | None, ends_on: date | None) -> None:
    """Decided between the incident and today; only a ban has a period, of at most five years,
    starting no earlier than the decision and within a year of it."""
    if not local_date(incident.occurred_at) <= decided_on <= today:
        raise Invalid("Het besluit ligt voor het incident of in de toekomst.",
                      {"decided_on": "buiten het bereik"})
    if kind not in BANS:
        if starts_on is not None or ends_on is not None:
            raise Invalid("Alleen een verbod heeft een periode.",
                          {"starts_on": "niet bij deze maatregel"})
        return
    if starts_on is None or ends_on is None:
        raise Invalid("Een verbod heeft een begin- en einddatum.",
                      {"ends_on": "verplicht", "starts_on": "verplicht"})
    if not decided_on <= starts_on <= decided_on + timedelta(days=366):
        raise Invalid("Een verbod begint bij het besluit of binnen een jaar daarna.",
                      {"starts_on": "buiten het bereik"})
    if not starts_on < ends_on <= starts_on + LONGEST_BAN:
        raise Invalid("De einddatum ligt voor het begin of meer dan vijf jaar later.",
                      {"ends_on": "ongeldig"})


def issue_measure(uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int, kind: str,
                  decided_on: date, starts_on: date | None, ends_on: date | None,
                  note: str) -> IncidentMeasure:
    """A ban or warning letter also goes into the AIR, so the next pre-visit check sees it;
    its end takes effect on its date by itself (RegisterMeasure.active_on)."""
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id)
    _check_dates(incident, local_date(now), kind, decided_on, starts_on, ends_on)
    if kind != "ordegesprek" and not (incident.aggressor_address
                                      or incident.aggressor_client_ref):
        # The pre-visit check finds people by address or client reference, never by name.
        raise Invalid("Vul eerst het adres of de klantreferentie van de agressor in: daarop "
                      "vindt de controle voor een bezoek het verbod.", {"aggressor": "onbekend"})
    measure = IncidentMeasure(incident_id=incident.id, kind=kind, decided_on=decided_on,
                              note=note, breaches=[], decided_by_id=viewer.user.id,
                              created_at=now)
    if kind in BANS or kind == "waarschuwingsbrief":
        entry = _air_entry_for(session, now, viewer, incident)
        in_air = RegisterMeasure(
            entry_id=entry.id, kind=BANS.get(kind, MeasureKind.WAARSCHUWING),
            starts_on=starts_on or decided_on,
            ends_on=ends_on or decided_on + WARNING_REMEMBERED,
            reason=f"GIR-{incident.id}: {note}"[:500], created_at=now,
            created_by_id=viewer.user.id)
        session.add(in_air)
        session.flush()
        measure.air_measure = in_air
    session.add(measure)
    session.flush()
    _history(session, incident, viewer, now, "maatregel", kind=kind, starts_on=starts_on,
             ends_on=ends_on, note=note)
    return measure


def record_breach(uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int,
                  measure_id: int, on: date, extend_days: int, note: str) -> IncidentMeasure:
    """§8 "niet nakomen": the ban starts again from the breach, as long as it was (plus any
    extension); aangifte (lokaalvredebreuk) is advised until the police step is recorded."""
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id)
    measure = session.get(IncidentMeasure, measure_id)
    if measure is None or measure.incident_id != incident.id or measure.kind not in BANS:
        raise NotFound("Onbekend verbod.")
    if not measure.starts_on <= on <= local_date(now):
        raise Invalid("Een overtreding valt tussen het begin van het verbod en vandaag.",
                      {"on": "buiten het bereik"})
    in_air = measure.air_measure
    length = in_air.ends_on - in_air.starts_on
    in_air.starts_on, in_air.ends_on = on, on + length + timedelta(days=extend_days)
    measure.breaches = [*measure.breaches, {"on": on.isoformat(), "extend_days": extend_days,
                                            "note": note, "recorded_at": iso(now)}]
    _history(session, incident, viewer, now, "overtreding", measure=measure.kind, on=on,
             ends_on=measure.ends_on, note=note)
    return measure


# ---- police ----------------------------------------------------------------------------------

def record_police(uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int, kind: str,
                  on: date, reference: str, domicile: bool, reason: str) -> PoliceRecord:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id)
    if kind == "afgezien" and not reason.strip():
        raise Invalid("Leg vast waarom er geen aangifte of melding komt.",
                      {"reason": "verplicht"})
    if not local_date(incident.occurred_at) <= on <= local_date(now):
        raise Invalid("De datum ligt voor het incident of in de toekomst.", {"on": "ongeldig"})
    record = PoliceRecord(incident_id=incident.id, kind=kind, on=on, reference=reference,
                          domicile=domicile, reason=reason, recorded_by_id=viewer.user.id,
                          recorded_at=now,
                          supported_by_id=viewer.user.id if kind == "aangifte" else None)
    session.add(record)
    session.flush()
    _history(session, incident, viewer, now, "politie", kind=kind, on=on, reference=reference,
             domicile=domicile, reason=reason)
    return record


# ---- analysis --------------------------------------------------------------------------------

def save_analysis(uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int,
                  version: int, analysis: dict) -> Incident:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id)
    require_version(incident, version)
    owners = {c["action_owner_id"] for c in analysis["causes"]
              if c.get("action_owner_id") is not None}
    known = set(session.scalars(select(User.id).where(User.id.in_(owners),
                                                      User.active.is_(True))))
    if owners - known:
        raise Invalid("Onbekende eigenaar van een actie.", {"causes": "onbekende eigenaar"})
    incident.analysis = analysis
    _history(session, incident, viewer, now, "analyse", causes=len(analysis["causes"]))
    return incident


# ---- letters ---------------------------------------------------------------------------------

def _facts(session: Session, incident: Incident, measure: IncidentMeasure | None,
           viewer: Viewer, today: date) -> LetterFacts:
    form = incident.form or {}
    talks = session.scalars(select(IncidentMeasure.decided_on).where(
        IncidentMeasure.incident_id == incident.id, IncidentMeasure.kind == "ordegesprek")
        .order_by(IncidentMeasure.decided_on)).all()
    police = session.scalar(select(PoliceRecord.id).where(
        PoliceRecord.incident_id == incident.id, PoliceRecord.kind != "afgezien"))
    damage = "; ".join(filter(None, (form.get("damage_employer_description"),
                                     form.get("damage_personal_description"))))
    return LetterFacts(
        aggressor_name=incident.aggressor_name, aggressor_address=incident.aggressor_address,
        incident_at=incident.occurred_at, location=incident.location,
        channel=CHANNELS[incident.channel].lower(), behaviour=incident.description,
        cause=form.get("cause") or "", course=form.get("course") or "", damage=damage,
        measure_starts_on=measure.starts_on if measure else None,
        measure_ends_on=measure.ends_on if measure else None,
        conversation_on=talks[-1] if talks else None, police_informed=police is not None,
        writer_name=viewer.user.name, writer_role="Leidinggevende"
        if viewer.user.role == Role.LEIDINGGEVENDE else "Coördinator agressie en geweld",
        today=today, reference=f"GIR-{incident.id}")


def draft_incident_letter(uow: UnitOfWork, clock: Clock, viewer: Viewer, org: Organisation,
                          incident_id: int, kind: str, variant: int,
                          measure_id: int | None) -> IncidentLetter:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id)
    measure = session.get(IncidentMeasure, measure_id) if measure_id is not None else None
    if measure_id is not None and (measure is None or measure.incident_id != incident.id):
        raise Invalid("Onbekende maatregel.", {"measure_id": "onbekend"})
    text = draft_letter(kind, _facts(session, incident, measure, viewer, local_date(now)), org,
                        variant)
    letter = IncidentLetter(incident_id=incident.id, kind=kind, variant=variant,
                            measure_id=measure_id, text=text, created_by_id=viewer.user.id,
                            created_at=now, updated_at=now)
    session.add(letter)
    session.flush()
    _history(session, incident, viewer, now, "brief", kind=kind, letter_id=letter.id,
             state="concept")
    return letter


def _draft(session: Session, viewer: Viewer, incident_id: int, letter_id: int):
    incident = managed_incident(session, viewer, incident_id)
    letter = session.get(IncidentLetter, letter_id)
    if letter is None or letter.incident_id != incident.id:
        raise NotFound("Onbekende brief.")
    if letter.finalised_at is not None:
        raise Conflict("Deze brief is definitief en verandert niet meer.")
    return incident, letter


def edit_letter(uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int,
                letter_id: int, text: str) -> IncidentLetter:
    incident, letter = _draft(uow.session, viewer, incident_id, letter_id)
    letter.text, letter.updated_at = text, clock.now()
    _history(uow.session, incident, viewer, letter.updated_at, "brief", kind=letter.kind,
             letter_id=letter.id, state="bewerkt")
    return letter


def finalise_letter(uow: UnitOfWork, clock: Clock, viewer: Viewer, org: Organisation,
                    incident_id: int, letter_id: int) -> IncidentLetter:
    from services.followup.pdf import letter_pdf  # fpdf2 loads only when a letter needs it
    incident, letter = _draft(uow.session, viewer, incident_id, letter_id)
    now = clock.now()
    letter.pdf = letter_pdf(letter.text, org, f"GIR-{incident.id}")
    letter.finalised_at, letter.finalised_by_id = now, viewer.user.id
    _history(uow.session, incident, viewer, now, "brief", kind=letter.kind,
             letter_id=letter.id, state="definitief")
    return letter


def final_letter(session: Session, viewer: Viewer, incident_id: int,
              letter_id: int) -> IncidentLetter:
    incident = managed_incident(session, viewer, incident_id)
    letter = session.get(IncidentLetter, letter_id)
    if letter is None or letter.incident_id != incident.id:
        raise NotFound("Onbekende brief.")
    if letter.pdf is None:
        raise Conflict("Deze brief is nog een concept.")
    return letter
