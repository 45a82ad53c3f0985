"""Departments and teams. A new team gets the default escalation policy (alarm steps and
overdue grace as data), as every team needs one before its first alarm. Names are unique:
the staff CSV names a team by its name."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.accounts.models import Department, Organisation, Team
from services.admin import audit
from services.admin.fields import DEPARTMENT_NAME, name_problem, team_name_problem
from services.clock import Clock
from services.db import lock_key
from services.errors import Conflict, Invalid, NotFound
from services.escalation.alarm_policy import DEFAULT_ALARM_POLICY
from services.escalation.models import EscalationPolicy


def _name(text: str, problem) -> str:
    name = text.strip()
    wrong = problem(name)
    if wrong is not None:
        raise Invalid(wrong, {"name": wrong})
    return name


def _unique(session: Session, model, name: str, own_id: int | None) -> None:
    taken = session.scalar(
        select(model.id).where(func.lower(model.name) == name.lower(), model.id != (own_id or 0))
    )
    if taken is not None:
        raise Conflict("Deze naam is al in gebruik.", {"name": "al in gebruik"})


def _department(session: Session, department_id: int) -> Department:
    department = session.get(Department, department_id)
    if department is None:
        raise Invalid("Onbekende afdeling.", {"department_id": "Onbekende afdeling."})
    return department


def _log(session: Session, clock: Clock, *, actor_id: int, entity: str, row, before, after) -> None:
    """A department's or team's creation or change, in the change log."""
    session.flush()
    audit.record(
        session,
        clock.now(),
        actor_id=actor_id,
        entry=audit.Entry(
            entity=entity,
            entity_id=row.id,
            label=row.name,
            action="created" if before is None else "changed",
            before=before,
            after=after,
        ),
        via="app",
    )


def department_json(department: Department) -> dict:
    return {"id": department.id, "name": department.name}


def save_department(
    session: Session, clock: Clock, *, actor_id: int, name: str, department_id: int | None = None
) -> Department:
    lock_key(session, "organisation", "departments")
    name = _name(name, lambda n: name_problem(n, DEPARTMENT_NAME))
    _unique(session, Department, name, department_id)
    if department_id is None:
        organisation = session.scalar(select(Organisation).order_by(Organisation.id))
        department, before = Department(organisation_id=organisation.id, name=name), None
        session.add(department)
    else:
        department = session.get(Department, department_id)
        if department is None:
            raise NotFound("Onbekende afdeling.")
        before = {"name": department.name}
        department.name = name
    _log(
        session,
        clock,
        actor_id=actor_id,
        entity="department",
        row=department,
        before=before,
        after={"name": name},
    )
    return department


def team_json(team: Team) -> dict:
    return {"id": team.id, "name": team.name, "department_id": team.department_id}


def save_team(
    session: Session,
    clock: Clock,
    *,
    actor_id: int,
    name: str,
    department_id: int,
    team_id: int | None = None,
) -> Team:
    lock_key(session, "organisation", "staff")  # people name teams: one change at a time
    name = _name(name, team_name_problem)
    department = _department(session, department_id)
    _unique(session, Team, name, team_id)
    if team_id is None:
        team, before = Team(department_id=department.id, name=name), None
        session.add(team)
        session.flush()
        session.add(EscalationPolicy(team_id=team.id, alarm_steps=DEFAULT_ALARM_POLICY))
    else:
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound("Onbekend team.")
        before = {"name": team.name, "department": team.department.name}
        team.name, team.department_id = name, department.id
    _log(
        session,
        clock,
        actor_id=actor_id,
        entity="team",
        row=team,
        before=before,
        after={"name": name, "department": department.name},
    )
    return team
