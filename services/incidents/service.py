"""Capture, the register's list and detail, completion with history, the read log and export.
Each function runs inside a unit of work; events are published after commit, and follow-up
reacts to the register's messages (incidents/messages.py) after commit too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, func, or_, select, type_coerce
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from services import audit
from services.accounts.models import MANAGING_ROLES, Role, Team, User
from services.accounts.responsibility import responsible_for
from services.accounts.service import managers_of_team
from services.alarms.models import Alarm
from services.audit.models import AuditEntry
from services.clock import CLOCK_SKEW, Clock, json_value, local_midnight
from services.db import UnitOfWork, lock_key
from services.errors import Conflict, Invalid, Joined, NotAllowed
from services.events.audience import user_key
from services.events.log import EventLog
from services.incidents.access import Viewer, require_version, visible_incident
from services.incidents.messages import (
    IncidentMarkedSerious,
    IncidentReported,
    IncidentTimeCorrected,
)
from services.incidents.models import Incident, IncidentChange
from services.incidents.views import summary_json
from services.incidents.vocabulary import BEHAVIOUR_TYPES, CHANNELS, CLOSED, COMBINATION
from services.visits.models import Visit

OLDEST = timedelta(days=5 * 366)  # older reports go through the coordinator, not the app
AGGRESSOR_FIELDS = ("name", "address", "client_ref")
QUICK_FIELDS = ("behaviour_type", "kinds", "channel", "occurred_at", "location", "description")

# What still stands in the way of closing an incident (the follow-up's rule, passed in so that
# the register does not depend on the follow-up): (session, now, incident) -> what is missing.
ClosingRule = Callable[[Session, datetime, Incident], list[str]]


# ---- capture ---------------------------------------------------------------------------------


def report_incident(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, viewer: Viewer, report: dict
) -> tuple[Incident, bool]:
    """Returns (incident, created). The phone's client id makes a retry, a double tap or the
    service worker racing the page harmless: the second arrival gets the first's incident,
    also when both arrive at once (the id is locked before it is looked for)."""
    session, now = uow.session, clock.now()
    lock_key(session, "incident", report["client_id"])
    existing = _by_client_id(session, report["client_id"])
    if existing is not None:
        return _same_reporter(existing, viewer), False
    victim = _victim(session, viewer, report.get("victim_id"))
    _check_occurred_at(report["occurred_at"], now)
    _check_links(session, victim.id, report.get("alarm_id"), report.get("visit_id"))
    _refuse_second_report(session, report.get("alarm_id"), viewer.user.id)
    incident = Incident(
        client_id=report["client_id"],
        reporter_id=viewer.user.id,
        victim_id=victim.id,
        team_id=victim.team_id,
        reported_at=now,
        updated_at=now,
        status="gemeld",
        alarm_id=report.get("alarm_id"),
        visit_id=report.get("visit_id"),
        serious=False,
        serious_criteria=[],
        form={},
        **{f: report[f] for f in QUICK_FIELDS},
        **_aggressor_columns(report.get("aggressor")),
    )
    session.add(incident)
    session.flush()
    session.add(
        IncidentChange(
            incident_id=incident.id, at=now, user_id=viewer.user.id, action="gemeld", changes=[]
        )
    )
    _announce(uow, events, incident, type_="incident.reported", title="Nieuwe incidentmelding")
    events.emit(uow, IncidentReported(incident_id=incident.id))
    return incident, True


def _by_client_id(session: Session, client_id: str) -> Incident | None:
    return session.scalar(select(Incident).where(Incident.client_id == client_id))


def _same_reporter(incident: Incident, viewer: Viewer) -> Incident:
    if incident.reporter_id != viewer.user.id:
        raise Conflict(
            "Deze melding-id is al gebruikt voor een andere melding.",
            {"client_id": "al in gebruik"},
        )
    return incident


def _victim(session: Session, viewer: Viewer, victim_id: int | None):
    """Workers report for themselves; a manager or the coordinator may report for someone
    in their reach (the victim may not be able to)."""
    if victim_id is None or victim_id == viewer.user.id:
        return viewer.user
    victim = session.get(type(viewer.user), victim_id)
    role = viewer.user.role
    if (
        victim is None
        or not victim.active
        or not (
            role == Role.COORDINATOR
            or (role == Role.LEIDINGGEVENDE and viewer.reach.covers_team(victim.team_id))
        )
    ):
        raise Invalid(
            "Je kunt alleen melden voor jezelf of voor iemand uit je teams.",
            {"victim_id": "niet toegestaan"},
        )
    return victim


def _check_occurred_at(moment: datetime, now: datetime) -> None:
    if moment > now + CLOCK_SKEW:
        raise Invalid("Het tijdstip ligt in de toekomst.", {"occurred_at": "ligt in de toekomst"})
    if moment < now - OLDEST:
        raise Invalid(
            "Het tijdstip ligt meer dan vijf jaar terug; meld dit bij de coördinator.",
            {"occurred_at": "te lang geleden"},
        )


def _check_links(
    session: Session, person_id: int, alarm_id: int | None, visit_id: int | None
) -> None:
    """A report may point at the person's own alarm or a visit they took part in."""
    if alarm_id is not None:
        alarm = session.get(Alarm, alarm_id)
        if alarm is None or alarm.worker_id != person_id:
            raise Invalid("Onbekend alarm.", {"alarm_id": "niet jouw alarm"})
    if visit_id is not None:
        visit = session.get(Visit, visit_id)
        if visit is None or person_id not in (visit.worker_id, visit.buddy_id):
            raise Invalid("Onbekend bezoek.", {"visit_id": "niet jouw bezoek"})


def report_of_alarm(session: Session, alarm_id: int, reporter_id: int) -> dict | None:
    """The report this person made about this alarm, if any (its summary's id and number)."""
    found = session.scalar(
        select(Incident)
        .where(Incident.alarm_id == alarm_id, Incident.reporter_id == reporter_id)
        .order_by(Incident.id)
        .limit(1)
    )
    return None if found is None else {"id": found.id, "number": summary_json(found)["number"]}


def _refuse_second_report(session: Session, alarm_id: int | None, reporter_id: int) -> None:
    """One report per alarm and reporter: a second one (another phone, a form opened twice)
    is refused and names the first. The alarm's row is locked first, so two at once cannot
    both pass (SQLite serialises writers anyway); FOR NO KEY UPDATE, which the report's own
    reference to the alarm, and the alarm's log lines, do not wait for."""
    if alarm_id is None:
        return
    session.scalar(select(Alarm.id).where(Alarm.id == alarm_id).with_for_update(key_share=True))
    existing = report_of_alarm(session, alarm_id, reporter_id)
    if existing is not None:
        raise Conflict(
            "Voor dit alarm heb je al een melding gemaakt: {number}.",
            {"alarm_id": "al gemeld: {number}"},
            number=existing["number"],
        )


def _aggressor_columns(aggressor: dict | None) -> dict:
    return {f"aggressor_{f}": (aggressor or {}).get(f) or "" for f in AGGRESSOR_FIELDS}


def _announce(
    uow: UnitOfWork, events: EventLog, incident: Incident, *, type_: str, title: str
) -> None:
    """To the managers of the victim's team and the one responsible for the follow-up (never a
    whole team: need-to-know); updates also to the reporter and the victim, whose own lists
    show the report."""
    managers = managers_of_team(uow.session, incident.team_id)
    boss = responsible_for(uow.session, incident.victim)
    if boss is not None:  # an incident against a team's manager goes to *their* manager
        managers.add(boss.id)
    managers.discard(incident.victim_id)
    audience = {user_key(m) for m in managers}
    if type_ != "incident.reported":
        audience |= {user_key(incident.reporter_id), user_key(incident.victim_id)}
    if not audience:
        return
    summary = summary_json(incident)
    body = (
        f"{incident.victim.name}: {BEHAVIOUR_TYPES[incident.behaviour_type]}, "
        f"{CHANNELS[incident.channel].lower()}"
    )
    events.record(
        uow,
        type=type_,
        audience=audience,
        title=title,
        body=body,
        data={"incident": summary},
        push=type_ == "incident.reported",
    )


# ---- the register ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilter:
    date_from: date | None = None
    date_to: date | None = None
    team_id: int | None = None
    behaviour_type: str | None = None
    kind: str | None = None
    channel: str | None = None
    status: str | None = None
    serious: bool | None = None
    mine: bool = False
    department_id: int | None = None
    function_group: str | None = None  # the victim's


def kind_clause(kind: str):
    """An annex-8 kind among the incident's, or more than one (combinatie): KindList's text."""
    return type_coerce(Incident.kinds, String).contains("," if kind == COMBINATION else kind)


def register_clauses(viewer: Viewer, f: RegisterFilter) -> list:
    """The register's WHERE for this viewer and these filters: the reports count over the same
    rows the list shows."""
    clauses = [viewer.visible_clause()]
    if f.mine:
        clauses.append(
            or_(Incident.reporter_id == viewer.user.id, Incident.victim_id == viewer.user.id)
        )
    if f.date_from:
        clauses.append(Incident.occurred_at >= local_midnight(f.date_from))
    if f.date_to:
        clauses.append(Incident.occurred_at < local_midnight(f.date_to + timedelta(days=1)))
    if f.kind:
        clauses.append(kind_clause(f.kind))
    if f.department_id is not None:
        clauses.append(
            Incident.team_id.in_(select(Team.id).where(Team.department_id == f.department_id))
        )
    if f.function_group is not None:
        clauses.append(
            Incident.victim_id.in_(select(User.id).where(User.function_group == f.function_group))
        )
    for column, value in (
        (Incident.team_id, f.team_id),
        (Incident.behaviour_type, f.behaviour_type),
        (Incident.channel, f.channel),
        (Incident.status, f.status),
        (Incident.serious, f.serious),
    ):
        if value is not None:
            clauses.append(column == value)
    return clauses


def list_incidents(
    session: Session,
    *,
    viewer: Viewer,
    filters: RegisterFilter,
    limit: int,
    before: int | None,
    also: tuple = (),
) -> tuple[list[Incident], int, int | None]:
    """Newest first, paged by id: (page, total matching, id to continue before). `also`: more
    conditions (a report's figure the list drills down into)."""
    where = [*register_clauses(viewer, filters), *also]
    total = session.scalar(select(func.count()).select_from(Incident).where(*where))
    page_where = where + ([Incident.id < before] if before else [])
    rows = list(
        session.scalars(
            select(Incident).where(*page_where).order_by(Incident.id.desc()).limit(limit + 1)
        )
    )
    more = len(rows) > limit
    return rows[:limit], total, rows[limit - 1].id if more else None


def log_reads(
    session: Session,
    clock: Clock,
    *,
    viewer: Viewer,
    incidents: list[Incident],
    purpose: str,
    act: str = "read",
) -> None:
    """One row in the audit trail per incident whose aggressor details this viewer was shown
    (an export: one per incident in it)."""
    if not viewer.sees_aggressor:
        return
    for incident in incidents:
        if incident.has_aggressor_details:
            audit.record(
                session,
                clock.now(),
                actor_id=viewer.user.id,
                act=act,
                subject="incident",
                subject_id=incident.id,
                purpose=purpose,
                shown={"fields": incident.aggressor_fields},
            )


def read_incident(
    uow: UnitOfWork, clock: Clock, viewer: Viewer, incident_id: int
) -> tuple[Incident, list[IncidentChange]]:
    """The detail with its history; a read of aggressor details is logged."""
    incident = visible_incident(uow.session, viewer, incident_id)
    log_reads(uow.session, clock, viewer=viewer, incidents=[incident], purpose="detail")
    return incident, history_of(uow.session, incident.id)


def history_of(session: Session, incident_id: int) -> list[IncidentChange]:
    return list(
        session.scalars(
            select(IncidentChange)
            .where(IncidentChange.incident_id == incident_id)
            .order_by(IncidentChange.id)
        )
    )


def reads_of(session: Session, viewer: Viewer, incident_id: int) -> list[AuditEntry]:
    if viewer.user.role != Role.COORDINATOR:
        raise NotAllowed("Alleen de coördinator ziet wie de agressorgegevens las.")
    visible_incident(session, viewer, incident_id)
    return list(
        session.scalars(
            select(AuditEntry)
            .options(joinedload(AuditEntry.actor))
            .where(AuditEntry.subject == "incident", AuditEntry.subject_id == incident_id)
            .order_by(AuditEntry.id)
        )
    )


def incidents_for_export(
    uow: UnitOfWork, clock: Clock, viewer: Viewer, f: RegisterFilter, *, also: tuple = ()
) -> list[Incident]:
    if viewer.user.role not in MANAGING_ROLES:
        raise NotAllowed("Exporteren is voor leidinggevenden en de coördinator.")
    rows = list(
        uow.session.scalars(
            select(Incident)
            .where(*register_clauses(viewer, f), *also)
            .order_by(Incident.occurred_at)
        )
    )
    log_reads(uow.session, clock, viewer=viewer, incidents=rows, purpose="export", act="export")
    return rows


# ---- completion with history and a version check ----------------------------------------------


def update_incident(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    viewer: Viewer,
    incident_id: int,
    version: int,
    changes: dict,
    closing_blockers: ClosingRule,
) -> Incident:
    """Apply the fields given; a stale `version` (someone saved in between) changes nothing.
    Closing is refused while `closing_blockers` names something still to do. The caller
    answers with the detail, so a manager's save is logged as a read of aggressor details."""
    session, now = uow.session, clock.now()
    incident = visible_incident(session, viewer, incident_id, lock=True)
    if not viewer.may_edit(incident):
        raise NotAllowed("Je kunt deze melding niet meer wijzigen.")
    if "status" in changes and not viewer.manages(incident):
        raise NotAllowed("Alleen de leidinggevende of de coördinator wijzigt de status.")
    require_version(incident, version)
    if _drops_criteria(incident, changes) and not viewer.manages(incident):
        raise NotAllowed(
            "Alleen de leidinggevende of de coördinator neemt 'ernstig' weg: "
            "daar hangt de melding bij de Inspectie SZW aan."
        )
    if "occurred_at" in changes:
        _check_occurred_at(changes["occurred_at"], now)
    was_serious = incident.serious
    diff = _apply(incident, changes)
    if incident.status == CLOSED and any(c["field"] == "status" for c in diff):
        blockers = closing_blockers(session, now, incident)
        if blockers:
            raise Invalid(
                "Nog niet af te handelen: eerst {blockers}.",
                {"status": "open punten"},
                blockers=Joined(blockers, ", ", last=" en "),
            )
    if not diff:
        log_reads(session, clock, viewer=viewer, incidents=[incident], purpose="detail")
        return incident
    incident.updated_at = now
    if any(c["field"] == "status" for c in diff):  # retention counts from the closing
        incident.closed_at = now if incident.status == CLOSED else None
    session.add(
        IncidentChange(
            incident_id=incident.id,
            at=now,
            user_id=viewer.user.id,
            action="gewijzigd",
            changes=diff,
        )
    )
    try:
        session.flush()  # the version column: the last guard against a concurrent save
    except StaleDataError as failure:
        raise Conflict(
            "Iemand anders heeft deze melding intussen opgeslagen.", {"version": "verouderd"}
        ) from failure
    # The answer is the detail, aggressor included (after the flush: an insert would flush
    # the versioned update outside the check above).
    log_reads(session, clock, viewer=viewer, incidents=[incident], purpose="detail")
    _announce(uow, events, incident, type_="incident.updated", title="Incidentmelding bijgewerkt")
    if any(c["field"] == "occurred_at" for c in diff):
        events.emit(uow, IncidentTimeCorrected(incident_id=incident.id))
    if incident.serious and not was_serious:
        events.emit(uow, IncidentMarkedSerious(incident_id=incident.id))
    return incident


def _drops_criteria(incident: Incident, changes: dict) -> bool:
    return bool(
        set(incident.serious_criteria)
        - set(changes.get("serious_criteria", incident.serious_criteria))
    )


def _apply(incident: Incident, changes: dict) -> list[dict]:
    """Set what changed; return [{"field", "old", "new"}] for the history."""
    diff = []

    def put(path: str, old, new, setter) -> None:
        if json_value(old) != json_value(new):
            diff.append({"field": path, "old": json_value(old), "new": json_value(new)})
            setter(new)

    for name in (*QUICK_FIELDS, "status"):
        if name in changes:
            put(
                name,
                getattr(incident, name),
                changes[name],
                lambda v, n=name: setattr(incident, n, v),
            )
    if "serious_criteria" in changes:

        def set_serious(criteria):
            incident.serious_criteria, incident.serious = criteria, bool(criteria)

        put("serious_criteria", incident.serious_criteria, changes["serious_criteria"], set_serious)
    form = dict(incident.form or {})
    for name, value in (changes.get("form") or {}).items():
        put(
            f"form.{name}",
            form.get(name),
            value,
            lambda v, n=name: form.__setitem__(n, json_value(v)),
        )
    if form != incident.form:  # a new dict: the JSON column does not see changes in place
        incident.form = form
    for name, value in (changes.get("aggressor") or {}).items():
        column = f"aggressor_{name}"
        put(
            f"aggressor.{name}",
            getattr(incident, column),
            value or "",
            lambda v, c=column: setattr(incident, c, v),
        )
    return diff
