"""The people and teams between the database and a `Staff` (rules.py): read everyone, let a
change, a leaver or an import work on the state, check it, then store what changed, each
change audited. A leaver's access goes in the same transaction: every device session is
revoked (their open websocket closes at once) and every push subscription deleted; follow-up
hears it after the commit (PersonLeft) and moves their open actions to their manager."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.accounts.models import ManagedTeam, Team, User
from services.accounts.service import (
    ONE_TIME_PASSWORD_VALID,
    hash_password,
    new_one_time_password,
    revoke_sessions_of,
)
from services.admin import audit
from services.admin.messages import PersonLeft
from services.admin.rules import FIELDS, Person, Problem, Staff
from services.clock import Clock
from services.db import UnitOfWork, lock_key
from services.errors import Conflict, Invalid
from services.events.log import EventLog
from services.push.subscriptions import forget_devices_of

SNAPSHOT = tuple("team" if f == "team_id" else f for f in FIELDS)  # the staff CSV's order


def load_staff(session: Session, *, lock: bool = True) -> Staff:
    """Everyone and every team; to change them, under the organisation's lock: two
    administrators' changes are checked one after the other, so that together they cannot
    make a loop that neither made alone."""
    if lock:
        lock_key(session, "organisation", "staff")
    leads: dict[int, set[int]] = {}
    for manager_id, team_id in session.execute(select(ManagedTeam.manager_id, ManagedTeam.team_id)):
        leads.setdefault(manager_id, set()).add(team_id)
    users = list(session.scalars(select(User).order_by(User.id)))
    usernames = {u.id: u.username for u in users}
    people = {
        u.username: Person(
            id=u.id,
            username=u.username,
            name=u.name,
            role=str(u.role),
            email=u.email,
            phone=u.phone,
            team_id=u.team_id,
            function_group=u.function_group and str(u.function_group),
            manager=usernames.get(u.manager_id),
            leads=frozenset(leads.get(u.id, ())),
            on_duty=u.on_duty,
            active=u.active,
        )
        for u in users
    }
    return Staff(people=people, teams=dict(session.execute(select(Team.id, Team.name)).all()))


def snapshot(staff: Staff, person: Person) -> dict:
    """A person as the staff CSV and the change log write them: a team by name, a manager by
    username."""
    values = person.values()
    values["team"] = staff.teams.get(values.pop("team_id"))
    values["leads"] = sorted(staff.teams.get(t, str(t)) for t in person.leads)
    return {k: values[k] for k in SNAPSHOT}


def refuse(problems: list[Problem], fields_of: dict[str, str], username: str) -> None:
    """Raise the first problems as one error: this person's as field messages (named as the
    request names them), someone else's in the message."""
    if not problems:
        return
    mine = {fields_of.get(p.field, p.field): p.text for p in problems if p.username == username}
    others = [p for p in problems if p.username != username]
    error = Conflict if any(p.conflict for p in problems) else Invalid
    if others:
        raise error(others[0].text, mine)
    if len(mine) == 1:
        raise error(next(iter(mine.values())), mine)
    raise error("Ongeldige invoer: controleer de gemarkeerde velden.", mine)


@dataclass
class Stored:
    users: dict[str, User]  # username -> row, of everyone changed or added
    passwords: dict[str, str]  # username -> one-time password, for those added from a form
    left: list[str]  # usernames of the leavers


def store(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    staff: Staff,
    actor: User,
    via: str,
    by_leaving: frozenset[str] = frozenset(),
    one_time_passwords: bool = False,
) -> Stored:
    """Write what `staff` changed. People added get a one-time password that must be changed
    at first use: shown once (`one_time_passwords`, a form), or known to nobody (an import:
    they sign in through the identity provider or after a reset by the administrator).
    `by_leaving`: people changed only because someone above them left (the log says so)."""
    session, now = uow.session, clock.now()
    changed = staff.changed()
    rows = {
        u.id: u
        for u in session.scalars(
            select(User).where(User.id.in_([p.id for _, p in changed if p.id is not None]))
        )
    }
    users = {p.username: rows[p.id] for _, p in changed if p.id is not None}
    passwords: dict[str, str] = {}
    unknown = None  # one hash of a secret nobody keeps, for all of an import: hashing is slow
    for before, person in changed:
        if before is not None:
            continue
        if one_time_passwords:
            passwords[person.username] = new_one_time_password()
        else:
            unknown = unknown or hash_password(secrets.token_urlsafe(32))
        users[person.username] = User(
            username=person.username,
            name=person.name,
            role=person.role,
            password_hash=unknown or hash_password(passwords[person.username]),
            must_change_password=True,
            password_expires_at=now + ONE_TIME_PASSWORD_VALID if one_time_passwords else None,
        )
        session.add(users[person.username])
    session.flush()
    ids = {name: p.id for name, p in staff.people.items() if p.id is not None}
    ids |= {name: u.id for name, u in users.items()}
    left = []
    for before, person in changed:
        user = users[person.username]
        led = before.leads if before is not None else frozenset()
        _write(session, user, person, manager_id=ids.get(person.manager), led=led)
        action = _action(before, person)
        if action == "left":
            left.append(person.username)
        audit.record(
            session,
            now,
            actor_id=actor.id,
            entry=audit.Entry(
                entity="person",
                entity_id=user.id,
                label=person.name,
                action=action,
                before=None if before is None else snapshot(staff, before),
                after=snapshot(staff, person),
            ),
            via="leaving" if person.username in by_leaving else via,
        )
    for username in left:
        _take_access(uow, events, clock, actor=actor, user=users[username], staff=staff, ids=ids)
    return Stored(users=users, passwords=passwords, left=left)


def _action(before: Person | None, after: Person) -> str:
    if before is None:
        return "created"
    if before.active != after.active:
        return "returned" if after.active else "left"
    return "changed"


def _write(
    session: Session, user: User, person: Person, *, manager_id: int | None, led: frozenset[int]
) -> None:
    """The row as the state has it; `led`: the teams the row led as read."""
    user.username, user.name, user.role = person.username, person.name, person.role
    user.email, user.phone = person.email, person.phone
    user.team_id, user.function_group = person.team_id, person.function_group
    user.manager_id, user.on_duty, user.active = manager_id, person.on_duty, person.active
    if led - person.leads:
        session.execute(
            delete(ManagedTeam).where(
                ManagedTeam.manager_id == user.id, ManagedTeam.team_id.in_(led - person.leads)
            )
        )
    session.add_all(ManagedTeam(manager_id=user.id, team_id=t) for t in person.leads - led)


def _take_access(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    actor: User,
    user: User,
    staff: Staff,
    ids: dict[str, int],
) -> None:
    """A leaver's devices lose their session at once and get no more pushes; what was still
    theirs to do goes to their manager (follow-up reacts to PersonLeft)."""
    uow.session.flush()
    revoke_sessions_of(uow, events, clock, actor=actor, user_id=user.id)
    forget_devices_of(uow.session, user.id)
    successor = staff.successor(user.username)
    events.emit(
        uow,
        PersonLeft(
            user_id=user.id,
            successor_id=None if successor is None else ids[successor.username],
            actor_id=actor.id,
        ),
    )
