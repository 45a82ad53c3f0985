"""The register's figures: each is a set of named conditions on an incident, counted in SQL for
the report (services/reports/profile.py) and applied as is to the register list when a figure
is opened (drill-down), so the two agree. A figure about records an incident may have several
of (police steps, measures, aftercare steps, causes, breaches) counts the incidents with one."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    and_,
    case,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)

from services.accounts.models import Team, User
from services.errors import Invalid
from services.followup.analysis import CAUSE_CATEGORIES
from services.followup.measures import BANS, REACTIONS
from services.followup.models import AftercareRecord, IncidentMeasure, PoliceRecord
from services.followup.police import POLICE_KINDS
from services.incidents.models import Incident
from services.incidents.service import kind_clause
from services.incidents.vocabulary import (
    BEHAVIOUR_TYPES,
    CHANNELS,
    COMBINATION,
    KINDS,
    REMOTE_CHANNELS,
    STATUSES,
)
from services.register.models import RegisterMeasure
from services.reports.frame import Frame
from services.reports.sql import flag

DAY_SECONDS = 24 * 3600
PLACES = {"ter_plaatse": "Ter plaatse", "op_afstand": "Op afstand (telefoon, brief, online)"}
ACTION_STATES = {
    "done": "Actie uitgevoerd",
    "overdue": "Actie over de datum",
    "open": "Actie loopt",
    "none": "Geen actie vastgelegd",
}
AFTERCARE_STATES = {
    "on_time": "Op tijd gedaan",
    "late": "Te laat gedaan",
    "overdue": "Niet gedaan, over de datum",
    "not_due": "Nog niet aan de beurt",
}


def behaviour(frame: Frame) -> dict:
    return {k: Incident.behaviour_type == k for k in BEHAVIOUR_TYPES}


def kinds(frame: Frame) -> dict:
    return {k: kind_clause(k) for k in (*KINDS, COMBINATION)}


def channel(frame: Frame) -> dict:
    return {k: Incident.channel == k for k in CHANNELS}


def place(frame: Frame) -> dict:
    remote = Incident.channel.in_(sorted(REMOTE_CHANNELS))
    return {"ter_plaatse": not_(remote), "op_afstand": remote}


def status(frame: Frame) -> dict:
    return {k: Incident.status == k for k in STATUSES}


def consequences(frame: Frame) -> dict:
    form = Incident.form
    return {
        "injury": flag(form, "injury"),
        "absence": func.coalesce(Incident.absence_days, 0) > 0,
        "damage": or_(flag(form, "damage_personal"), flag(form, "damage_employer")),
        "weapons": flag(form, "weapons"),
        "serious": Incident.serious.is_(True),
    }


def reporting(frame: Frame) -> dict:
    """§9: reported the same day ("binnen 24 uur"), and the Inspectie SZW's phone report."""
    delay = frame.dialect.seconds(Incident.reported_at, Incident.occurred_at)
    szw_delay = frame.dialect.seconds(Incident.szw_reported_at, Incident.occurred_at)
    serious = Incident.serious.is_(True)
    return {
        "within_24h": delay <= DAY_SECONDS,
        "after_24h": delay > DAY_SECONDS,
        "szw_on_time": and_(serious, szw_delay <= DAY_SECONDS),
        "szw_late": and_(serious, szw_delay > DAY_SECONDS),
        "szw_missing": and_(serious, Incident.szw_reported_at.is_(None)),
    }


def police(frame: Frame) -> dict:
    return {
        k: exists().where(PoliceRecord.incident_id == Incident.id, PoliceRecord.kind == k)
        for k in POLICE_KINDS
    }


def measures(frame: Frame) -> dict:
    return {
        k: exists().where(IncidentMeasure.incident_id == Incident.id, IncidentMeasure.kind == k)
        for k in REACTIONS
    }


def repeaters(frame: Frame):
    """The period's aggressors with more than one report in the whole register up to the
    period's end: per aggressor in how many teams, and how many of the reports are the
    period's in the viewer's scope. Who counts as a repeat aggressor does not depend on the
    scope (a manager learns that their team's aggressor is known elsewhere, never who it is)."""
    key = Incident.aggressor_key
    in_period = select(key).where(*frame.where, key.is_not(None))
    return (
        select(
            key.label("key"),
            func.count(func.distinct(Incident.team_id)).label("teams"),
            func.sum(case((and_(*frame.where), 1), else_=0)).label("in_period"),
        )
        .where(key.in_(in_period), Incident.occurred_at < frame.end)
        .group_by(key)
        .having(func.count() > 1)
        .subquery()
    )


def repeat(frame: Frame) -> dict:
    known = select(repeaters(frame).c.key)
    return {
        "incidents": Incident.aggressor_key.in_(known),
        "recidive": flag(Incident.form, "recidive"),
    }


def _cause_exists(frame: Frame, condition: Callable) -> object:
    cause = frame.dialect.elements(Incident.analysis, "causes")
    return exists(select(literal(1)).select_from(cause).where(condition(cause.c.value)))


def cause_category(frame: Frame, element):
    return frame.dialect.field(element, "category")


def action_state(frame: Frame, element):
    field = frame.dialect.field
    return case(
        (func.coalesce(field(element, "action"), "") == "", "none"),
        (field(element, "action_done_on").is_not(None), "done"),
        (field(element, "action_due_on") < frame.today.isoformat(), "overdue"),
        else_="open",
    )


def causes(frame: Frame) -> dict:
    return {
        k: _cause_exists(frame, lambda e, k=k: cause_category(frame, e) == k)
        for k in CAUSE_CATEGORIES
    }


def actions(frame: Frame) -> dict:
    return {
        k: _cause_exists(frame, lambda e, k=k: action_state(frame, e) == k) for k in ACTION_STATES
    }


def aftercare_state(frame: Frame):
    step = AftercareRecord
    return case(
        (and_(step.done_on.is_not(None), step.done_on <= func.date(step.due_at)), "on_time"),
        (step.done_on.is_not(None), "late"),
        (step.due_at < frame.now, "overdue"),
        else_="not_due",
    )


def aftercare(frame: Frame) -> dict:
    state = aftercare_state(frame)
    return {
        k: exists().where(AftercareRecord.incident_id == Incident.id, state == k)
        for k in AFTERCARE_STATES
    }


def ban_period():
    """A ban's first and last day: the AIR's, or the copy kept when retention removed it."""
    starts = func.coalesce(RegisterMeasure.starts_on, IncidentMeasure.period_starts_on)
    ends = func.coalesce(RegisterMeasure.ends_on, IncidentMeasure.period_ends_on)
    return starts, ends


def active_ban_clause(frame: Frame):
    """A ban in force on the period's last day."""
    starts, ends = ban_period()
    last = frame.period.last
    return and_(
        IncidentMeasure.kind.in_(sorted(BANS)),
        starts <= last,
        or_(ends.is_(None), ends >= last),
    )


def breach_clause(frame: Frame, element):
    on = frame.dialect.field(element, "on")
    return and_(on >= frame.period.first.isoformat(), on <= frame.period.last.isoformat())


def bans(frame: Frame) -> dict:
    """Over incidents of any time (the period's bans may stem from older incidents)."""
    breach = frame.dialect.elements(IncidentMeasure.breaches)
    has_breach = exists(
        select(literal(1))
        .select_from(IncidentMeasure)
        .join(breach, true())
        .where(IncidentMeasure.incident_id == Incident.id, breach_clause(frame, breach.c.value))
    )
    active = exists(
        select(literal(1))
        .select_from(IncidentMeasure)
        .outerjoin(RegisterMeasure, RegisterMeasure.id == IncidentMeasure.air_measure_id)
        .where(IncidentMeasure.incident_id == Incident.id, active_ban_clause(frame))
    )
    return {"active": active, "breached": has_breach}


def total(frame: Frame) -> dict:
    return {"all": Incident.id.is_not(None)}


# Figures whose rows are a fixed vocabulary: name -> the condition of each row.
FIXED: dict[str, Callable[[Frame], dict]] = {
    "total": total,
    "behaviour": behaviour,
    "kind": kinds,
    "channel": channel,
    "place": place,
    "status": status,
    "consequence": consequences,
    "reporting": reporting,
    "police": police,
    "measure": measures,
    "repeat": repeat,
    "cause": causes,
    "action": actions,
    "aftercare": aftercare,
}
ANY_TIME = {"ban": bans}  # over the viewer's incidents of any time, not only the period's


def drill_clauses(frame: Frame, figure: str, value: str) -> tuple[list, bool]:
    """(conditions, any_time) for the register list of a figure's incidents; an unknown
    figure or value is the caller's mistake (422)."""
    conditions = (FIXED.get(figure) or ANY_TIME.get(figure) or (lambda f: {}))(frame)
    if figure in DYNAMIC:
        return [DYNAMIC[figure](value)], False
    if value not in conditions:
        raise Invalid("Onbekend cijfer van een rapportage.", {"figure": "onbekend"})
    return [conditions[value]], figure in ANY_TIME


def _team(value: str):
    return Incident.team_id.is_(None) if value == "none" else Incident.team_id == _id(value)


def _id(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 12:  # "²" is a digit to isdigit
        raise Invalid("Onbekend cijfer van een rapportage.", {"value": "onbekend"})
    return int(value)


def _department(value: str):
    if value == "none":  # a victim in no team is in no department either
        return Incident.team_id.is_(None)
    return Incident.team_id.in_(select(Team.id).where(Team.department_id == _id(value)))


def _function_group(value: str):
    group = User.function_group.is_(None) if value == "none" else User.function_group == value
    return Incident.victim_id.in_(select(User.id).where(group))


DYNAMIC = {"team": _team, "department": _department, "function_group": _function_group}
DRILLABLE = (*FIXED, *ANY_TIME, *DYNAMIC)  # the figures the register list can open
