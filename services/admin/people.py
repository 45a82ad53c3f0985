"""The administrator adds, changes, deactivates (a leaver) and reactivates a person. Each is
one change of the organisation's `Staff`, checked as a whole before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.accounts.models import User
from services.accounts.service import get_user
from services.accounts.signin import normalised
from services.admin.fields import email_problem, name_problem, phone_problem, username_problem
from services.admin.rules import Person, Staff
from services.admin.staff import load_staff, refuse, store
from services.clock import Clock
from services.db import UnitOfWork
from services.errors import Conflict, Invalid, NotAllowed, NotFound
from services.events.log import EventLog

# The rules' field names as the API's request names them.
API_FIELDS = {"manager": "manager_id", "leads": "leads_team_ids"}


@dataclass(frozen=True)
class PersonIn:
    """What the Beheer screen sends for a person."""

    username: str
    name: str
    role: str
    email: str | None = None
    phone: str | None = None
    team_id: int | None = None
    function_group: str | None = None
    manager_id: int | None = None
    leads_team_ids: tuple[int, ...] = ()
    on_duty: bool = False
    adopt_team_members: bool = False  # the members of the teams led get this person as manager


@dataclass(frozen=True)
class Saved:
    user: User
    one_time_password: str | None  # for someone added: shown once


def _checked_fields(given: PersonIn) -> PersonIn:
    """Text as typed, trimmed, empty as none; a username as it is signed in with."""
    tidy = replace(
        given,
        username=normalised(given.username),
        name=given.name.strip(),
        email=(given.email or "").strip() or None,
        phone=(given.phone or "").strip() or None,
    )
    problems = {
        "username": username_problem(tidy.username),
        "name": name_problem(tidy.name),
        "email": email_problem(tidy.email),
        "phone": phone_problem(tidy.phone),
    }
    wrong = {name: text for name, text in problems.items() if text is not None}
    if wrong:
        raise Invalid("Ongeldige invoer: controleer de gemarkeerde velden.", wrong)
    return tidy


def _manager_of(staff: Staff, manager_id: int | None) -> str | None:
    if manager_id is None:
        return None
    manager = staff.by_id(manager_id)
    if manager is None:
        raise Invalid("Onbekende leidinggevende.", {"manager_id": "Onbekende leidinggevende."})
    return manager.username


def save_person(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    actor_id: int,
    given: PersonIn,
    person_id: int | None = None,
) -> Saved:
    """Add a person (`person_id` None) or change one; active people only are changed here
    (a leaver is deactivated, and reactivated, by their own transitions)."""
    session = uow.session
    actor = get_user(session, actor_id)
    given = _checked_fields(given)
    staff = load_staff(session)
    old = None if person_id is None else staff.by_id(person_id)
    if person_id is not None and old is None:
        raise NotFound("Onbekende gebruiker.")
    if given.username in staff.people and (old is None or old.username != given.username):
        raise Conflict("Deze gebruikersnaam is al in gebruik.", {"username": "al in gebruik"})
    if old is not None:
        staff.rename(old.username, given.username)
    person = Person(
        id=person_id,
        username=given.username,
        name=given.name,
        role=given.role,
        email=given.email,
        phone=given.phone,
        team_id=given.team_id,
        function_group=given.function_group,
        manager=_manager_of(staff, given.manager_id),
        leads=frozenset(given.leads_team_ids),
        on_duty=given.on_duty,
        active=True if old is None else old.active,
    )
    staff.put(person)
    touched = {person.username}
    if given.adopt_team_members:
        touched |= staff.adopt_members(person.username)
    refuse(staff.problems(touched), API_FIELDS, person.username)
    stored = store(uow, events, clock, staff=staff, actor=actor, via="app", one_time_passwords=True)
    return Saved(
        user=stored.users.get(person.username) or get_user(session, person_id),
        one_time_password=stored.passwords.get(person.username),
    )


@dataclass(frozen=True)
class Leaving:
    """What a leaver's deactivation did."""

    user: User
    successor: User | None
    reports_moved: list[User]
    teams_moved: list[int]


def deactivate(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, actor_id: int, person_id: int
) -> Leaving:
    """Someone leaves: their history stays; their access goes at once; their people, their
    teams and their open follow-up go to their manager."""
    session = uow.session
    actor = get_user(session, actor_id)
    if person_id == actor_id:
        raise NotAllowed("Je kunt je eigen account niet deactiveren.")
    staff = load_staff(session)
    person = staff.by_id(person_id)
    if person is None:
        raise NotFound("Onbekende gebruiker.")
    if not person.active:
        raise Conflict("{name} is al gedeactiveerd.", name=person.name)
    moved = staff.leave(person.username)
    refuse(staff.problems(moved | {person.username}), API_FIELDS, person.username)
    stored = store(
        uow, events, clock, staff=staff, actor=actor, via="app", by_leaving=frozenset(moved)
    )
    successor = staff.successor(person.username)
    return Leaving(
        user=stored.users[person.username],
        successor=None if successor is None else session.get(User, successor.id),
        reports_moved=[
            stored.users[u] for u in sorted(moved - {getattr(successor, "username", "")})
        ],
        teams_moved=sorted(person.leads),
    )


def reactivate(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, actor_id: int, person_id: int
) -> User:
    """Someone comes back (or was deactivated by mistake): they sign in anew on each device;
    the people and teams that went to their manager stay there."""
    session = uow.session
    actor = get_user(session, actor_id)
    staff = load_staff(session)
    person = staff.by_id(person_id)
    if person is None:
        raise NotFound("Onbekende gebruiker.")
    if person.active:
        raise Conflict("{name} is al actief.", name=person.name)
    staff.put(replace(person, active=True))
    refuse(staff.problems({person.username}), API_FIELDS, person.username)
    return store(uow, events, clock, staff=staff, actor=actor, via="app").users[person.username]
