"""The period's incidents counted per team and the victim's function group in one GROUP BY,
with every figure on the incident's own columns as a conditional sum: the few hundred rows that
come back give the figures, the team, department and function-group tables, and the absence
and damage totals. Figures about records an incident has several of (police steps, measures,
aftercare steps, causes) are a GROUP BY over those records, each incident counted once per row."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import case, exists, func, literal, select, true, union_all

from services.accounts.models import Team, User
from services.followup.models import AftercareRecord, IncidentMeasure, PoliceRecord
from services.incidents.models import Incident
from services.register.models import RegisterMeasure
from services.reports.frame import Frame
from services.reports.incident_figures import (
    FIXED,
    action_state,
    active_ban_clause,
    aftercare_state,
    breach_clause,
    cause_category,
    repeaters,
)
from services.reports.sql import number

GROUPS = ("team", "function_group")
TOTALS = ("absence_days", "damage_cents")


def _related(frame: Frame) -> dict:
    """figure -> (row key, the records, their incident's id) for a GROUP BY over records."""
    return {
        "police": (PoliceRecord.kind, PoliceRecord, PoliceRecord.incident_id),
        "measure": (IncidentMeasure.kind, IncidentMeasure, IncidentMeasure.incident_id),
        "aftercare": (aftercare_state(frame), AftercareRecord, AftercareRecord.incident_id),
    }


CAUSE_FIGURES = {"cause": cause_category, "action": action_state}
OWN_COLUMNS = [
    name for name in FIXED if name not in ("police", "measure", "aftercare", *CAUSE_FIGURES)
]


# Counted per aggressor instead (repeat_counts): the row of the incidents by repeat aggressors.
BY_AGGRESSOR = ("repeat", "incidents")


def _profile(frame: Frame) -> list[dict]:
    if "profile" not in frame.memo:
        conditions = {
            (name, value): clause
            for name in OWN_COLUMNS
            for value, clause in FIXED[name](frame).items()
            if (name, value) != BY_AGGRESSOR
        }
        columns = [func.sum(case((c, 1), else_=0)) for c in conditions.values()]
        totals = [
            func.sum(func.coalesce(Incident.absence_days, 0)),
            func.sum(number(Incident.form, "damage_amount_cents")),
        ]
        statement = (
            select(Incident.team_id, User.function_group, *columns, *totals)
            .select_from(Incident)
            .outerjoin(User, User.id == Incident.victim_id)
            .where(*frame.where)
            .group_by(Incident.team_id, User.function_group)
        )
        keys = [*GROUPS, *conditions, *TOTALS]
        frame.memo["profile"] = [
            dict(zip(keys, row, strict=True)) for row in frame.session.execute(statement)
        ]
    return frame.memo["profile"]


def fixed_counts(frame: Frame, figure: str) -> dict[str, int]:
    """Incidents per row of a FIXED figure."""
    if figure in CAUSE_FIGURES:
        return _cause_counts(frame, figure)
    related = _related(frame)
    if figure in related:
        key, _, incident_id = related[figure]
        in_period = select(Incident.id).where(*frame.where)
        statement = (
            select(key, func.count(func.distinct(incident_id)))
            .where(incident_id.in_(in_period))
            .group_by(key)
        )
        return dict(frame.session.execute(statement).all())
    found = Counter(dict.fromkeys(FIXED[figure](frame), 0))
    if figure == BY_AGGRESSOR[0]:
        found[BY_AGGRESSOR[1]] = repeat_counts(frame)["incidents"]
    for row in _profile(frame):
        for key, n in row.items():
            if isinstance(key, tuple) and key[0] == figure:
                found[key[1]] += int(n or 0)
    return dict(found)


def _cause_counts(frame: Frame, figure: str) -> dict[str, int]:
    """Incidents per cause class and per action state, from one pass over the period's causes
    (a CTE read twice, which both databases materialise once)."""
    if "causes" not in frame.memo:
        cause = frame.dialect.elements(Incident.analysis, "causes")
        rows = (
            select(
                Incident.id.label("id"),
                *(key(frame, cause.c.value).label(name) for name, key in CAUSE_FIGURES.items()),
            )
            .select_from(Incident)
            .join(cause, true())
            .where(*frame.where)
            .cte("causes")
        )
        per = union_all(
            *(
                select(literal(name), rows.c[name], func.count(func.distinct(rows.c.id))).group_by(
                    rows.c[name]
                )
                for name in CAUSE_FIGURES
            )
        )
        found = {name: {} for name in CAUSE_FIGURES}
        for name, value, n in frame.session.execute(per):
            found[name][value] = n
        frame.memo["causes"] = found
    return frame.memo["causes"][figure]


def repeat_counts(frame: Frame) -> dict[str, int]:
    """Repeat aggressors of the period, counted, never named: how many people, of whom how many
    in more than one team, and their incidents in the period and scope."""
    if "repeat" not in frame.memo:
        known = repeaters(frame)
        people, across, incidents = frame.session.execute(
            select(
                func.count(),
                func.sum(case((known.c.teams > 1, 1), else_=0)),
                func.sum(known.c.in_period),
            ).select_from(known)
        ).one()
        frame.memo["repeat"] = {
            "people": int(people or 0),
            "across_teams": int(across or 0),
            "incidents": int(incidents or 0),
        }
    return frame.memo["repeat"]


def per_group(frame: Frame, group: str) -> dict:
    """Incidents per team (id) or per the victim's function group."""
    found = Counter()
    for row in _profile(frame):
        found[row[group]] += int(row[("total", "all")] or 0)
    return dict(found)


def per_department(frame: Frame) -> dict:
    teams = per_group(frame, "team")
    department_of = dict(
        frame.session.execute(
            select(Team.id, Team.department_id).where(Team.id.in_([t for t in teams if t]))
        ).all()
    )
    found = Counter()
    for team, n in teams.items():
        found[department_of.get(team)] += n
    return dict(found)


def ban_counts(frame: Frame) -> dict[str, int]:
    """Incidents of any time (in the viewer's scope, with the filters) with a ban in force at
    the period's end, and with a breach in the period: counted from the measures' side."""
    # Per measure, one look at its incident: far fewer measures than incidents.
    scoped = exists().where(Incident.id == IncidentMeasure.incident_id, *frame.where_any_time)
    breach = frame.dialect.elements(IncidentMeasure.breaches)
    active = (
        select(func.count(func.distinct(IncidentMeasure.incident_id)))
        .outerjoin(RegisterMeasure, RegisterMeasure.id == IncidentMeasure.air_measure_id)
        .where(active_ban_clause(frame), scoped)
    )
    breached = (
        select(func.count(func.distinct(IncidentMeasure.incident_id)))
        .select_from(IncidentMeasure)
        .join(breach, true())
        .where(breach_clause(frame, breach.c.value), scoped)
    )
    return {
        "active": frame.session.scalar(active) or 0,
        "breached": frame.session.scalar(breached) or 0,
    }


def absence_and_damage(frame: Frame) -> tuple[int, int]:
    """(absence days, damage in whole euros) over the period's incidents."""
    rows = _profile(frame)
    days = sum(int(r["absence_days"] or 0) for r in rows)
    cents = sum(float(r["damage_cents"] or 0) for r in rows)
    return days, round(cents / 100)
