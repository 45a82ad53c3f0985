"""Staff as CSV (docs/admin.md): exported in the format it is imported in. An import is read
line by line into the organisation's `Staff` and checked as a whole; the report says, per line,
what would change and what is wrong (line, column, message). Applied only when nothing is
wrong, in one transaction: all of it or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from services.accounts.models import User
from services.accounts.service import get_user
from services.accounts.signin import normalised
from services.admin.audit import difference
from services.admin.csv_lines import (
    COLUMN_OF,
    COLUMNS,
    NO,
    YES,
    Line,
    LineProblem,
    header_problems,
    read_records,
)
from services.admin.fields import LIST_SEPARATOR, username_problem
from services.admin.rules import Person, Staff
from services.admin.staff import load_staff, snapshot, store
from services.clock import Clock
from services.db import UnitOfWork
from services.errors import Invalid, Text
from services.events.log import EventLog
from services.limits import Limit
from services.spreadsheet import cell, uncell

LINES = Limit(5000)  # people in one file
IMPORT_BYTES = 1024 * 1024  # the request's body: a municipality's staff, not a backup


@dataclass
class Report:
    lines: list[dict] = field(default_factory=list)  # per person: line, action, changes
    problems: list[LineProblem] = field(default_factory=list)
    applied: bool = False


# ---- export --------------------------------------------------------------------------------


def _written(value) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return cell(value)


def staff_csv(session: Session) -> str:
    """Everyone (the inactive too), by username; ";" and a BOM as for Dutch spreadsheets."""
    staff = load_staff(session, lock=False)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for person in sorted(staff.people.values(), key=lambda p: p.username):
        row = snapshot(staff, person)
        writer.writerow([_written(row[f]) for f in COLUMNS.values()])
    return out.getvalue()


# ---- the plan ------------------------------------------------------------------------------


@dataclass
class _Plan:
    staff: Staff
    line_of: dict[str, int]  # username -> its line
    moved: set[str]  # changed because someone above them left
    problems: list[LineProblem]


def _plan(session: Session, text: str, *, lock: bool) -> _Plan:
    problems: list[LineProblem] = []  # a line that is no CSV: the lines before it still count
    header, rows = read_records(text, problems)
    staff = load_staff(session, lock=lock)
    wrong_header = header_problems(header) if header else []
    if wrong_header or not header:
        return _Plan(staff, {}, set(), problems + wrong_header)
    if len(rows) > LINES.max:
        msg = Text("Het bestand heeft meer dan {max} regels: verdeel het.", max=LINES.max)
        return _Plan(staff, {}, set(), [LineProblem(1, "", msg)])
    teams = {name.lower(): team_id for team_id, name in staff.teams.items()}
    line_of: dict[str, int] = {}
    leavers = []
    for number, cells in rows:
        if len(cells) != len(header):
            text = Text(
                "Deze regel heeft {count} cellen, de kopregel {expected}.",
                count=len(cells),
                expected=len(header),
            )
            problems.append(LineProblem(number, "", text))
            continue
        row = dict(zip(header, (uncell(c) for c in cells), strict=True))
        username = normalised(row["gebruikersnaam"])
        wrong = username_problem(username)
        if wrong is None and username in line_of:
            wrong = Text("Deze gebruikersnaam staat al op regel {line}.", line=line_of[username])
        if wrong is not None:
            problems.append(LineProblem(number, "gebruikersnaam", wrong))
            continue
        line_of[username] = number
        line = Line(number, row, teams)
        values = line.read()
        problems += line.problems
        old = staff.people.get(username)
        if old is None and not {"name", "role"} <= set(values):
            continue  # a new person whose name or role could not be read: a problem already
        person = replace(old, **values) if old else Person(username=username, **values)
        if old is not None and old.active and not person.active:
            leavers.append(username)
            person = replace(person, active=True)  # leaving moves their people too (below)
        staff.put(person)
    moved = set()
    for username in leavers:
        moved |= staff.leave(username)
    for p in staff.problems(set(line_of) | moved):
        problems.append(
            LineProblem(
                line_of.get(p.username), COLUMN_OF.get(p.field, p.field), p.text, p.username
            )
        )
    return _Plan(staff, line_of, moved - set(line_of), problems)


def _report(plan: _Plan) -> Report:
    lines = []
    changed = {after.username for _, after in plan.staff.changed()}
    for before, after in plan.staff.changed():
        old, new = difference(
            None if before is None else snapshot(plan.staff, before), snapshot(plan.staff, after)
        )
        action = (
            "created"
            if before is None
            else "left"
            if before.active and not after.active
            else "returned"
            if not before.active and after.active
            else "changed"
        )
        lines.append(
            {
                "line": plan.line_of.get(after.username),
                "username": after.username,
                "name": after.name,
                "action": action,
                "changes": {  # someone new: what is filled in
                    k: {"before": (old or {}).get(k), "after": v}
                    for k, v in new.items()
                    if before is not None or v not in (None, [])
                },
            }
        )
    for username, number in plan.line_of.items():
        if username not in changed and username in plan.staff.people:  # else: a problem
            person = plan.staff.people[username]
            lines.append(
                {"line": number, "username": username, "name": person.name, "action": "unchanged"}
            )
    lines.sort(key=lambda x: (x["line"] is None, x["line"] or 0, x["username"]))
    problems = sorted(plan.problems, key=lambda p: (p.line is None, p.line or 0, p.column))
    return Report(lines=lines, problems=problems)


def import_staff(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    actor_id: int,
    text: str,
    apply: bool,
) -> Report:
    """The report of what the file would change (a dry run), or, with `apply`, the change
    itself. A file with any problem changes nothing (Invalid, each problem a field
    "lines.<line>.<column>")."""
    actor: User = get_user(uow.session, actor_id)
    plan = _plan(uow.session, text, lock=apply)
    report = _report(plan)
    if not apply:
        return report
    if report.problems:
        raise Invalid(
            "Het bestand heeft fouten ({count}); er is niets veranderd.",
            {_field_name(p): p.text for p in report.problems},
            count=len(report.problems),
        )
    store(
        uow,
        events,
        clock,
        staff=plan.staff,
        actor=actor,
        via="import",
        by_leaving=frozenset(plan.moved),
    )
    report.applied = True
    return report


def _field_name(problem: LineProblem) -> str:
    where = f"lines.{problem.line}" if problem.line is not None else f"people.{problem.username}"
    return f"{where}.{problem.column}" if problem.column else where
