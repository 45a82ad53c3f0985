"""Follow-up use cases on a registered incident: aftercare and its reminders, the Inspectie SZW,
absence, police and the analysis (the reaction to the aggressor is in reaction.py, letters in
correspondence.py). Only the victim's chain of managers and the coordinator act
(incidents/access.py); every action is written to the incident's history."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.accounts.models import Role, User
from services.accounts.responsibility import responsible_for
from services.clock import CLOCK_SKEW, Clock, local_date
from services.db import Database, UnitOfWork
from services.errors import Conflict, Invalid, NotFound
from services.events.audience import role_key, user_key
from services.events.log import EventLog
from services.followup import aftercare, inspectorate
from services.followup.history import add_history
from services.followup.models import AftercareRecord, PoliceRecord
from services.incidents.access import Viewer, managed_incident, require_version
from services.incidents.models import Incident


def _responsible_audience(session: Session, incident: Incident) -> set[str]:
    """Whoever handles the follow-up; the coordinator when nobody leads the victim."""
    boss = responsible_for(session, incident.victim)
    return {user_key(boss.id)} if boss else {role_key(Role.COORDINATOR)}


def _tell_once(db: Database, *, model, claim, now: datetime, where: list, tell) -> int:
    """A sweeper task, run by every process, that tells once per row: it looks with a
    reader first (a write transaction every few seconds for nothing would queue every
    request behind it), then locks the rows still due (SKIP LOCKED: one another process is
    telling about, or a manager is changing, is left to it or to the next sweep, never waited
    for), claims them, and records each event with `tell(uow, row)` in the same transaction.
    The claim is a plain UPDATE, so an incident's version (a manager's open form) stays."""
    with db.reader() as uow:
        due_ids = list(uow.session.scalars(select(model.id).where(claim.is_(None), *where)))
    if not due_ids:
        return 0
    with db.uow() as uow:
        rows = list(
            uow.session.scalars(
                select(model)
                .where(model.id.in_(due_ids), claim.is_(None), *where)
                .order_by(model.id)
                .with_for_update(key_share=True, skip_locked=True)
            )
        )
        if rows:
            uow.session.execute(
                update(model)
                .where(model.id.in_([row.id for row in rows]))
                .values({claim.key: now})
                .execution_options(synchronize_session=False)
            )
        for row in rows:
            tell(uow, row)
    return len(rows)


# ---- aftercare schedule and reminders ----------------------------------------------------------


def schedule_aftercare(session: Session, incident: Incident) -> None:
    """A report made days later is not reminded of steps already due: the report's own
    notification and the to-do list (overdue) say it, one push less per step."""
    for key, (from_on, due_at, remind_at) in aftercare.due_dates(incident.occurred_at).items():
        late = remind_at <= incident.reported_at
        session.add(
            AftercareRecord(
                incident_id=incident.id,
                step=key,
                from_on=from_on,
                due_at=due_at,
                remind_at=remind_at,
                signs=[],
                notes="",
                reminded_at=incident.reported_at if late else None,
            )
        )


def reschedule_aftercare(session: Session, incident: Incident) -> None:
    """The incident's time was corrected: steps not yet done move with it."""
    due = aftercare.due_dates(incident.occurred_at)
    for record in session.scalars(
        select(AftercareRecord).where(
            AftercareRecord.incident_id == incident.id, AftercareRecord.done_on.is_(None)
        )
    ):
        record.from_on, record.due_at, record.remind_at = due[record.step]
        if record.remind_at > incident.updated_at:
            record.reminded_at = None  # its reminder is still to come


def record_aftercare(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    incident_id: int,
    step: str,
    done_on: date,
    notes: str,
    signs: list[str],
    referral: str | None,
) -> AftercareRecord:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id, lock=True)
    record = session.scalar(
        select(AftercareRecord).where(
            AftercareRecord.incident_id == incident.id, AftercareRecord.step == step
        )
    )
    if record is None:
        raise NotFound("Onbekende nazorgstap.")
    if not local_date(incident.occurred_at) <= done_on <= local_date(now):
        raise Invalid(
            "De datum ligt voor het incident of in de toekomst.", {"done_on": "buiten het bereik"}
        )
    record.done_on, record.done_by_id = done_on, viewer.user.id
    record.notes, record.signs, record.referral = notes, signs, referral
    add_history(
        session,
        incident,
        viewer,
        now,
        action="nazorg",
        step=step,
        label=aftercare.BY_KEY[step].label,
        done_on=done_on,
        signs=signs,
        referral=referral,
    )
    return record


def remind_aftercare_due(db: Database, events: EventLog, clock: Clock) -> int:
    """Sweeper task: one push and to-do reminder per step, the day before it is due."""

    def tell(uow: UnitOfWork, record: AftercareRecord) -> None:
        # also after closing: aftercare runs its course
        incident = uow.session.get(Incident, record.incident_id)
        due = record.due_at.astimezone(aftercare.MUNICIPAL_TIME)
        events.record(
            uow,
            type="followup.reminder",
            audience=_responsible_audience(uow.session, incident),
            title=f"Nazorg: {aftercare.BY_KEY[record.step].label}",
            body=f"GIR-{incident.id}, {incident.victim.name}: uiterlijk {due:%d-%m %H:%M}",
            data={"incident_id": incident.id, "step": record.step},
        )

    now = clock.now()
    return _tell_once(
        db,
        model=AftercareRecord,
        claim=AftercareRecord.reminded_at,
        now=now,
        where=[AftercareRecord.remind_at <= now, AftercareRecord.done_on.is_(None)],
        tell=tell,
    )


# ---- Inspectie SZW -------------------------------------------------------------------------------


def alert_serious(uow: UnitOfWork, events: EventLog, incident: Incident) -> None:
    """Marked serious: the responsible manager must report at once (urgent, pushed)."""
    events.record(
        uow,
        type="followup.serious",
        audience=_responsible_audience(uow.session, incident),
        urgent=True,
        title="Ernstig incident: meld bij de Inspectie SZW",
        body=f"GIR-{incident.id}: bel {inspectorate.PHONE} uiterlijk 24 uur na het "
        f"incident, daarna schriftelijk.",
        data={"incident_id": incident.id},
    )


def _serious(session: Session, viewer: Viewer, incident_id: int) -> Incident:
    incident = managed_incident(session, viewer, incident_id, lock=True)
    if not incident.serious:
        raise Conflict("Alleen een ernstig incident wordt bij de Inspectie SZW gemeld.")
    return incident


def _check_reported_at(reported_at: datetime, earliest: datetime, now: datetime) -> None:
    if not earliest <= reported_at <= now + CLOCK_SKEW:
        raise Invalid(
            "Het tijdstip van melden ligt voor het incident (of de telefonische "
            "melding) of in de toekomst.",
            {"reported_at": "buiten het bereik"},
        )


def record_inspectorate(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    incident_id: int,
    reported_at: datetime,
    reference: str,
) -> Incident:
    """The phone report (0800-5151), due within 24 hours of the incident."""
    session, now = uow.session, clock.now()
    incident = _serious(session, viewer, incident_id)
    _check_reported_at(reported_at, incident.occurred_at, now)
    incident.szw_reported_at, incident.szw_reference = reported_at, reference
    add_history(
        session,
        incident,
        viewer,
        now,
        action="inspectie_szw",
        how="telefonisch",
        reported_at=reported_at,
        reference=reference,
    )
    return incident


def record_written_inspectorate(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    incident_id: int,
    reported_at: datetime,
    reference: str,
) -> Incident:
    """The written report that follows the call ("daarna ook schriftelijk", §9)."""
    session, now = uow.session, clock.now()
    incident = _serious(session, viewer, incident_id)
    if incident.szw_reported_at is None:
        raise Conflict(
            "Meld eerst telefonisch ({phone}); de schriftelijke melding volgt daarna (§9).",
            phone=inspectorate.PHONE,
        )
    _check_reported_at(reported_at, incident.szw_reported_at, now)
    incident.szw_written_at, incident.szw_written_reference = reported_at, reference
    add_history(
        session,
        incident,
        viewer,
        now,
        action="inspectie_szw",
        how="schriftelijk",
        reported_at=reported_at,
        reference=reference,
    )
    return incident


def warn_inspectorate_overdue(db: Database, events: EventLog, clock: Clock) -> int:
    """Sweeper task: a serious incident not reported within 24 hours is shown to the
    coordinator (and the responsible manager) once, urgently."""

    def tell(uow: UnitOfWork, incident: Incident) -> None:
        audience = {role_key(Role.COORDINATOR)} | _responsible_audience(uow.session, incident)
        events.record(
            uow,
            type="followup.szw_overdue",
            audience=audience,
            urgent=True,
            title="Melding Inspectie SZW te laat",
            body=f"GIR-{incident.id} is ernstig en na 24 uur nog niet gemeld.",
            data={"incident_id": incident.id},
        )

    now = clock.now()
    return _tell_once(
        db,
        model=Incident,
        claim=Incident.szw_overdue_claimed_at,
        now=now,
        where=[
            Incident.serious.is_(True),
            Incident.szw_reported_at.is_(None),
            Incident.occurred_at <= now - inspectorate.LIMIT,
        ],
        tell=tell,
    )


def remind_written_inspectorate(db: Database, events: EventLog, clock: Clock) -> int:
    """Sweeper task: the responsible manager is reminded once, a day before the written report
    to the Inspectie SZW is due."""

    def tell(uow: UnitOfWork, incident: Incident) -> None:
        due = (incident.szw_reported_at + inspectorate.WRITTEN_WITHIN).astimezone(
            aftercare.MUNICIPAL_TIME
        )
        events.record(
            uow,
            type="followup.szw_written",
            audience=_responsible_audience(uow.session, incident),
            title="Inspectie SZW: schriftelijke melding",
            body=f"GIR-{incident.id}: meld uiterlijk {due:%d-%m %H:%M} ook "
            "schriftelijk via de website van de Arbeidsinspectie.",
            data={"incident_id": incident.id},
        )

    now = clock.now()
    remind_from = now - (inspectorate.WRITTEN_WITHIN - inspectorate.WRITTEN_REMIND_BEFORE)
    return _tell_once(
        db,
        model=Incident,
        claim=Incident.szw_written_reminded_at,
        now=now,
        where=[
            Incident.serious.is_(True),
            Incident.szw_reported_at <= remind_from,
            Incident.szw_written_at.is_(None),
        ],
        tell=tell,
    )


def record_absence(
    uow: UnitOfWork, clock: Clock, *, viewer: Viewer, incident_id: int, days: int
) -> Incident:
    incident = managed_incident(uow.session, viewer, incident_id, lock=True)
    incident.absence_days = days
    add_history(uow.session, incident, viewer, clock.now(), action="verzuim", days=days)
    return incident


# ---- police ----------------------------------------------------------------------------------


def record_police(
    uow: UnitOfWork,
    clock: Clock,
    *,
    viewer: Viewer,
    incident_id: int,
    kind: str,
    on: date,
    reference: str,
    domicile: bool,
    reason: str,
) -> PoliceRecord:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id, lock=True)
    if kind == "afgezien" and not reason.strip():
        raise Invalid("Leg vast waarom er geen aangifte of melding komt.", {"reason": "verplicht"})
    if not local_date(incident.occurred_at) <= on <= local_date(now):
        raise Invalid("De datum ligt voor het incident of in de toekomst.", {"on": "ongeldig"})
    record = PoliceRecord(
        incident_id=incident.id,
        kind=kind,
        on=on,
        reference=reference,
        domicile=domicile,
        reason=reason,
        recorded_by_id=viewer.user.id,
        recorded_at=now,
        supported_by_id=viewer.user.id if kind == "aangifte" else None,
    )
    session.add(record)
    session.flush()
    add_history(
        session,
        incident,
        viewer,
        now,
        action="politie",
        kind=kind,
        on=on,
        reference=reference,
        domicile=domicile,
        reason=reason,
    )
    return record


# ---- analysis --------------------------------------------------------------------------------


def _with_ids(causes: list[dict]) -> list[dict]:
    """A cause keeps the id it was saved with (a team action may point at it); a new one gets
    one."""
    return [{**c, "id": c.get("id") or uuid.uuid4().hex[:12]} for c in causes]


def save_analysis(
    uow: UnitOfWork, clock: Clock, *, viewer: Viewer, incident_id: int, version: int, analysis: dict
) -> Incident:
    session, now = uow.session, clock.now()
    incident = managed_incident(session, viewer, incident_id, lock=True)
    require_version(incident, version)
    owners = {
        c["action_owner_id"] for c in analysis["causes"] if c.get("action_owner_id") is not None
    }
    known = set(session.scalars(select(User.id).where(User.id.in_(owners), User.active.is_(True))))
    if owners - known:
        raise Invalid("Onbekende eigenaar van een actie.", {"causes": "onbekende eigenaar"})
    incident.analysis = {**analysis, "causes": _with_ids(analysis["causes"])}
    add_history(session, incident, viewer, now, action="analyse", causes=len(analysis["causes"]))
    return incident
