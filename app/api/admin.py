"""Organisation administration: departments, teams, people and the chain of managers; a
leaver's deactivation; the staff CSV (export, and an import checked line by line before it is
applied); the change log. The administrator changes, the coordinator reads."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Literal

from flask_login import current_user
from pydantic import BaseModel, Field

from app.api import bp
from app.api.downloads import csv_file
from app.api.endpoint import CSV, Id, Length, Query, Strict, Within, endpoint
from app.api.views import Named
from app.i18n import translate
from app.runtime import runtime
from services.accounts.models import FunctionGroup, Role
from services.admin import audit, fields, organisation, people, staff_csv
from services.admin.views import organisation_json, person_view


class DepartmentIn(Strict):
    name: str = Length(fields.DEPARTMENT_NAME)


class TeamIn(Strict):
    name: str = Length(fields.TEAM_NAME)
    department_id: Id


class PersonIn(Strict):
    username: str = Length(fields.USERNAME)
    name: str = Length(fields.NAME)
    email: str | None = Length(fields.EMAIL, default=None)
    phone: str | None = Length(fields.PHONE, default=None)
    role: Role
    team_id: Id | None = None
    function_group: FunctionGroup | None = None
    manager_id: Id | None = None
    leads_team_ids: list[Id] = Field(default_factory=list, max_length=100)
    on_duty: bool = False
    # the members of the teams this person leads get them as their manager
    adopt_team_members: bool = False


class ImportIn(Strict):
    csv: str = Field(max_length=staff_csv.IMPORT_BYTES)
    apply: bool = False  # False: a dry run, the report of what would change


class ChangesQuery(Query):
    entity: Literal["person", "team", "department"] | None = None
    entity_id: Id | None = None
    before: Id | None = None  # page back: changes older than this one
    limit: int = Within(audit.PAGE, default=50)


class DepartmentOut(BaseModel):
    id: int
    name: str


class TeamOut(BaseModel):
    id: int
    name: str
    department_id: int


class OrganisationTeam(TeamOut):
    leader_ids: list[int]
    members: int


class Above(BaseModel):
    id: int
    name: str
    active: bool  # an inactive one is skipped by the chain


class AdminPerson(BaseModel):
    """A person as the organisation's list shows them (services/admin/views.py)."""

    id: int
    username: str
    name: str
    email: str | None
    phone: str | None
    role: Role
    team_id: int | None
    function_group: FunctionGroup | None
    manager_id: int | None
    leads_team_ids: list[int]
    on_duty: bool
    active: bool
    line_manager: bool
    chain: list[Above]  # the managers above, nearest first
    last_login_at: datetime | None
    must_change_password: bool


class OrganisationOut(BaseModel):
    departments: list[DepartmentOut]
    teams: list[OrganisationTeam]
    people: list[AdminPerson]


class DepartmentAnswer(BaseModel):
    department: DepartmentOut


class TeamAnswer(BaseModel):
    team: TeamOut


class PersonAnswer(BaseModel):
    person: AdminPerson


class AddedPerson(PersonAnswer):
    one_time_password: str  # shown this once


class LeaverOut(PersonAnswer):
    successor: Named | None
    reports_moved: list[Named]
    teams_moved: list[int]


class ImportProblem(BaseModel):
    line: int | None  # None: someone not in the file, changed by a leaver's line
    column: str
    username: str | None
    message: str


class ImportReport(BaseModel):
    applied: bool
    summary: dict[str, int]  # lines per action
    lines: list[dict]  # per line: its number, username, name and action
    problems: list[ImportProblem]


class Change(BaseModel):
    id: int
    at: datetime
    actor: Named
    entity: str
    entity_id: int
    label: str
    action: str
    before: dict | None
    after: dict
    via: str


class ChangesOut(BaseModel):
    changes: list[Change]
    more: bool


def _given(body: PersonIn) -> people.PersonIn:
    values = body.model_dump()
    values["leads_team_ids"] = tuple(values["leads_team_ids"])
    return people.PersonIn(**values)


@endpoint(
    bp,
    "/admin/organisation",
    "GET",
    "Departments, teams and everyone (the inactive too) with their chain of managers",
    can="administration_read",
    returns=OrganisationOut,
)
def admin_organisation():
    with runtime().db.reader() as uow:
        return organisation_json(uow.session)


def _saved(save, to_json, key: str, status: int = 200, **fields):
    """A department or a team saved by the administrator, answered as it is now."""
    rt = runtime()
    with rt.db.uow() as uow:
        found = save(uow.session, rt.clock, actor_id=current_user.id, **fields)
        return {key: to_json(found)}, status


def _department(status: int = 200, **fields):
    return _saved(
        organisation.save_department, organisation.department_json, "department", status, **fields
    )


def _team(status: int = 200, **fields):
    return _saved(organisation.save_team, organisation.team_json, "team", status, **fields)


@endpoint(
    bp,
    "/admin/departments",
    "POST",
    "Add a department",
    body=DepartmentIn,
    can="administration",
    status=201,
    returns=DepartmentAnswer,
    errors=(409,),
)
def add_department(body: DepartmentIn):
    return _department(201, name=body.name)


@endpoint(
    bp,
    "/admin/departments/<int:department_id>",
    "PUT",
    "Rename a department",
    body=DepartmentIn,
    can="administration",
    returns=DepartmentAnswer,
    errors=(409,),
)
def edit_department(department_id: int, body: DepartmentIn):
    return _department(name=body.name, department_id=department_id)


@endpoint(
    bp,
    "/admin/teams",
    "POST",
    "Add a team (with the default escalation policy)",
    body=TeamIn,
    can="administration",
    status=201,
    returns=TeamAnswer,
    errors=(404, 409),
)
def add_team(body: TeamIn):
    return _team(201, name=body.name, department_id=body.department_id)


@endpoint(
    bp,
    "/admin/teams/<int:team_id>",
    "PUT",
    "Rename a team or move it to another department",
    body=TeamIn,
    can="administration",
    returns=TeamAnswer,
    errors=(409,),
)
def edit_team(team_id: int, body: TeamIn):
    return _team(name=body.name, department_id=body.department_id, team_id=team_id)


def _on_person(action, answer, **fields) -> dict:
    """One change of a person by the administrator; `answer(result, the person as the list
    shows them)` is the reply, made before the unit of work ends."""
    rt = runtime()
    with rt.db.uow() as uow:
        result = action(uow, rt.events, rt.clock, actor_id=current_user.id, **fields)
        user = getattr(result, "user", result)
        return answer(result, person_view(uow.session, user.id))


def _just_the_person(result, person: dict) -> dict:
    return {"person": person}


@endpoint(
    bp,
    "/admin/people",
    "POST",
    "Add a person; the answer has their one-time password, shown once",
    body=PersonIn,
    can="administration",
    status=201,
    returns=AddedPerson,
    errors=(404, 409),
)
def add_person(body: PersonIn):
    return _on_person(
        people.save_person,
        lambda saved, person: {"person": person, "one_time_password": saved.one_time_password},
        given=_given(body),
    ), 201


@endpoint(
    bp,
    "/admin/people/<int:person_id>",
    "PUT",
    "Change a person: name, username, e-mail, phone, role, team, function group, manager, "
    "the teams they lead, on duty",
    body=PersonIn,
    can="administration",
    returns=PersonAnswer,
    errors=(409,),
)
def edit_person(person_id: int, body: PersonIn):
    return _on_person(people.save_person, _just_the_person, given=_given(body), person_id=person_id)


@endpoint(
    bp,
    "/admin/people/<int:person_id>/deactivate",
    "POST",
    "A leaver: every device session and push subscription ends at once; their people, "
    "teams and open follow-up go to their manager; their history stays",
    can="administration",
    returns=LeaverOut,
    errors=(409,),
)
def deactivate_person(person_id: int):
    def answer(left: people.Leaving, person: dict) -> dict:
        successor = left.successor
        return {
            "person": person,
            "successor": successor and {"id": successor.id, "name": successor.name},
            "reports_moved": [{"id": u.id, "name": u.name} for u in left.reports_moved],
            "teams_moved": left.teams_moved,
        }

    return _on_person(people.deactivate, answer, person_id=person_id)


@endpoint(
    bp,
    "/admin/people/<int:person_id>/reactivate",
    "POST",
    "Someone back: active again, signing in anew on each device",
    can="administration",
    returns=PersonAnswer,
    errors=(409,),
)
def reactivate_person(person_id: int):
    return _on_person(people.reactivate, _just_the_person, person_id=person_id)


@endpoint(
    bp,
    "/admin/people.csv",
    "GET",
    "Everyone as the staff CSV (the import's format)",
    can="administration_read",
    returns=CSV,
)
def export_people():
    rt = runtime()
    with rt.db.reader() as uow:
        text = staff_csv.staff_csv(uow.session)
    return csv_file(text, "personeel")


def _report_json(report: staff_csv.Report) -> dict:
    return {
        "applied": report.applied,
        "summary": dict(Counter(line["action"] for line in report.lines)),
        "lines": report.lines,
        "problems": [
            {
                "line": p.line,
                "column": p.column,
                "username": p.username,
                "message": p.text.render(translate),
            }
            for p in report.problems
        ],
    }


@endpoint(
    bp,
    "/admin/people/import",
    "POST",
    "Import the staff CSV: a dry run's line-by-line report, or (apply) all of it or nothing",
    body=ImportIn,
    can="administration",
    max_body=staff_csv.IMPORT_BYTES + 4096,
    returns=ImportReport,
    errors=(409,),
)
def import_people(body: ImportIn):
    rt = runtime()
    with rt.db.uow() if body.apply else rt.db.reader() as uow:
        report = staff_csv.import_staff(
            uow, rt.events, rt.clock, actor_id=current_user.id, text=body.csv, apply=body.apply
        )
    return _report_json(report)


@endpoint(
    bp,
    "/admin/changes",
    "GET",
    "The administrative change log, newest first: who, when, what, before and after",
    can="administration_read",
    query=ChangesQuery,
    returns=ChangesOut,
)
def admin_changes(query: ChangesQuery):
    with runtime().db.reader() as uow:
        found = audit.changes(
            uow.session,
            entity=query.entity,
            entity_id=query.entity_id,
            before_id=query.before,
            limit=query.limit,
        )
        return {
            "changes": [audit.change_json(c) for c in found],
            "more": len(found) == query.limit,
        }
