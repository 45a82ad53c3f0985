"""The organisation as the Beheer screen shows it: departments, teams with who leads them,
and everyone (the inactive too) with their chain of managers up to the top (§5)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.capabilities import LINE_MANAGERS
from services.accounts.models import Department, User
from services.admin.organisation import department_json, team_json
from services.admin.rules import Person, Staff
from services.admin.staff import load_staff
from services.clock import iso


def chain_of(staff: Staff, person: Person) -> list[dict]:
    """The people above, nearest first (inactive ones marked: the chain skips them)."""
    found, seen, current = [], {person.username}, person.manager
    while current is not None and current not in seen and current in staff.people:
        seen.add(current)
        above = staff.people[current]
        found.append({"id": above.id, "name": above.name, "active": above.active})
        current = above.manager
    return found


def person_json(staff: Staff, person: Person, user: User) -> dict:
    manager = staff.people.get(person.manager) if person.manager else None
    return {
        "id": person.id,
        "username": person.username,
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "role": person.role,
        "team_id": person.team_id,
        "function_group": person.function_group,
        "manager_id": manager.id if manager else None,
        "leads_team_ids": sorted(person.leads),
        "on_duty": person.on_duty,
        "active": person.active,
        # may be someone's manager and lead teams: the form offers them as such
        "line_manager": person.active and person.role in LINE_MANAGERS,
        "chain": chain_of(staff, person),
        "last_login_at": iso(user.last_login_at) if user.last_login_at else None,
        "must_change_password": user.must_change_password,
    }


def organisation_json(session: Session) -> dict:
    staff = load_staff(session, lock=False)
    users = {u.id: u for u in session.scalars(select(User))}
    departments = list(session.scalars(select(Department).order_by(Department.name)))
    teams = sorted((t for d in departments for t in d.teams), key=lambda t: t.name)
    people = sorted(staff.people.values(), key=lambda p: (not p.active, p.name.lower()))
    return {
        "departments": [department_json(d) for d in departments],
        "teams": [
            {
                **team_json(t),
                "leader_ids": sorted(p.id for p in people if p.active and t.id in p.leads),
                "members": sum(1 for p in people if p.active and p.team_id == t.id),
            }
            for t in teams
        ],
        "people": [person_json(staff, p, users[p.id]) for p in people],
    }


def person_view(session: Session, user_id: int) -> dict:
    """One person as the organisation's list shows them, after a change."""
    session.flush()
    staff = load_staff(session, lock=False)
    user = session.get(User, user_id)
    return person_json(staff, staff.people[user.username], user)
