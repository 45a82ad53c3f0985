"""The organisation's people as a state that is checked before anything is stored: a change
in the Beheer screen, a leaver and a staff import all change a `Staff`, which then says what
is wrong with it, person by person and field by field. Pure: no database, no clock.

The chain of §5 is each person's `manager`. Only a line manager (the role leidinggevende)
can be someone's manager or lead a team, a chain never comes back to where it started, and an
active person's manager is active. The gemeentesecretaris and the loco-gemeentesecretaris
are leidinggevenden without a team: the secretary's manager is the loco, the loco has none
(docs/admin.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from services.accounts.capabilities import ADMINISTRATORS, LINE_MANAGERS
from services.errors import Joined, Text

# The fields of a person the administrator keeps, in the order the staff CSV has them.
FIELDS = (
    "username",
    "name",
    "email",
    "phone",
    "role",
    "team_id",
    "function_group",
    "manager",
    "leads",
    "on_duty",
    "active",
)


@dataclass(frozen=True)
class Person:
    """A person as the administrator sees them; `manager` is a username, `leads` the ids of
    the teams they lead; `id` None for someone not stored yet."""

    username: str
    name: str
    role: str
    id: int | None = None
    email: str | None = None
    phone: str | None = None
    team_id: int | None = None
    function_group: str | None = None
    manager: str | None = None
    leads: frozenset[int] = frozenset()
    on_duty: bool = False
    active: bool = True

    def values(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one person's `field`; `conflict`: it clashes with someone else's
    data (a username or e-mail address in use), rather than being wrong in itself."""

    username: str
    field: str
    text: Text
    conflict: bool = False


@dataclass
class Staff:
    """Everyone, by username, and the teams (id -> name). `loaded` keeps the state as it was
    read, so that `changed()` says what a change does."""

    people: dict[str, Person]
    teams: dict[int, str]
    loaded: dict[str, Person] = field(init=False)
    refused: dict[str, Text] = field(init=False, default_factory=dict)  # leavers, and why

    def __post_init__(self):
        self.loaded = dict(self.people)

    def put(self, person: Person) -> None:
        self.people[person.username] = person

    def rename(self, old: str, new: str) -> None:
        """A new username: the people they manage follow, as they do in the database (by id),
        so only the renamed person counts as changed."""
        if old == new:
            return
        self.people[new] = replace(self.people.pop(old), username=new)
        self.loaded[new] = self.loaded.pop(old)  # as it was: the log says the old name
        for state in (self.people, self.loaded):
            for name, person in list(state.items()):
                if person.manager == old:
                    state[name] = replace(person, manager=new)

    def by_id(self, person_id: int) -> Person | None:
        return next((p for p in self.people.values() if p.id == person_id), None)

    def reports_of(self, username: str) -> list[Person]:
        """The active people whose manager this is."""
        return [p for p in self.people.values() if p.active and p.manager == username]

    def successor(self, username: str) -> Person | None:
        """The nearest active manager above this person (a loop in the data ends the walk)."""
        seen, current = {username}, self.people[username].manager
        while current is not None and current not in seen and current in self.people:
            seen.add(current)
            if self.people[current].active:
                return self.people[current]
            current = self.people[current].manager
        return None

    def leave(self, username: str) -> set[str]:
        """This person leaves: their direct reports get their manager (the nearest active
        one above), who also leads their teams; they are no longer on duty. Returns who else
        changed; a leaver whose people nobody above can take is a problem of `active`."""
        person = self.people[username]
        reports, successor = self.reports_of(username), self.successor(username)
        self.put(replace(person, active=False, on_duty=False, leads=frozenset()))
        if not (reports or person.leads):
            return set()
        if successor is None:
            self.refused[username] = Text(
                "Niemand boven {name} kan de medewerkers en teams overnemen: geef eerst een "
                "leidinggevende op.",
                name=person.name,
            )
            return set()
        for report in reports:
            self.put(replace(report, manager=successor.username))
        if person.leads:
            self.put(replace(successor, leads=successor.leads | person.leads))
        return {successor.username, *(r.username for r in reports)}

    def adopt_members(self, username: str) -> set[str]:
        """The members of the teams this person leads (but line managers) get them as their
        manager; returns whose manager changed."""
        leader = self.people[username]
        moved = set()
        for person in list(self.people.values()):
            if (
                person.active
                and person.team_id in leader.leads
                and person.username != username
                and person.role not in LINE_MANAGERS
                and person.manager != username
            ):
                self.put(replace(person, manager=username))
                moved.add(person.username)
        return moved

    def changed(self) -> list[tuple[Person | None, Person]]:
        """(as it was, as it is) of every person this state changed or added."""
        return [
            (self.loaded.get(name), person)
            for name, person in self.people.items()
            if self.loaded.get(name) != person
        ]

    # ---- the rules --------------------------------------------------------------------------

    def problems(self, touched: set[str]) -> list[Problem]:
        """What is wrong with the people in `touched` (the ones a change made or changed;
        what was wrong before with others is not theirs to answer for)."""
        found = [Problem(name, "active", text) for name, text in self.refused.items()]
        reports = Counter(p.manager for p in self.people.values() if p.active and p.manager)
        for username in sorted(touched):
            person = self.people.get(username)
            if person is not None and person.active:
                found += self._person_problems(person, reports[username])
        found += self._email_problems(touched)
        found += self._administrator_problems(touched)
        return found

    def _person_problems(self, person: Person, reports: int) -> list[Problem]:
        found = []

        def problem(field_name: str, text: Text) -> None:
            found.append(Problem(person.username, field_name, text))

        if person.team_id is not None and person.team_id not in self.teams:
            problem("team_id", Text("Onbekend team."))
        if any(team_id not in self.teams for team_id in person.leads):
            problem("leads", Text("Onbekend team."))
        if person.leads and person.role not in LINE_MANAGERS:
            problem("leads", Text("Alleen een leidinggevende kan een team leiden."))
        if person.manager is not None:
            text = self._manager_problem(person)
            if text is not None:
                problem("manager", text)
        if reports and person.role not in LINE_MANAGERS:
            problem(
                "role",
                Text(
                    "{name} is leidinggevende van anderen ({count}): geef hen eerst een "
                    "andere leidinggevende.",
                    name=person.name,
                    count=reports,
                ),
            )
        return found

    def _manager_problem(self, person: Person) -> Text | None:
        manager = self.people.get(person.manager)
        if person.manager == person.username:
            return Text("Iemand kan niet zijn of haar eigen leidinggevende zijn.")
        if manager is None:
            return Text("Onbekende leidinggevende: {username}.", username=person.manager)
        if not manager.active:
            return Text("{name} is niet actief en kan geen leidinggevende zijn.", name=manager.name)
        if manager.role not in LINE_MANAGERS:
            return Text(
                "{name} is geen leidinggevende: alleen iemand met de rol leidinggevende kan "
                "dat zijn.",
                name=manager.name,
            )
        loop = self.loop_from(person.username)
        if loop:
            names = Joined([self.people[u].name for u in loop], " → ")
            return Text("Dat maakt een kring in de lijn van leidinggevenden: {chain}.", chain=names)
        return None

    def loop_from(self, username: str) -> list[str]:
        """The chain from this person back to them ([a, b, a]), or [] when it ends."""
        path, current = [username], self.people[username].manager
        while current is not None and current in self.people:
            if current == username:
                return [*path, current]
            if current in path:
                return []  # a loop above, not through this person
            path.append(current)
            current = self.people[current].manager
        return []

    def _email_problems(self, touched: set[str]) -> list[Problem]:
        owners: dict[str, list[Person]] = {}
        for person in self.people.values():
            if person.email:
                owners.setdefault(person.email.lower(), []).append(person)
        found = []
        for username in sorted(touched):
            person = self.people.get(username)
            if person is None or not person.email:
                continue
            others = [p for p in owners[person.email.lower()] if p.username != username]
            if others:
                text = Text("Dit e-mailadres is al van {name}.", name=others[0].name)
                found.append(Problem(username, "email", text, conflict=True))
        return found

    def _administrator_problems(self, touched: set[str]) -> list[Problem]:
        """Someone must be left to administer: the last active administrator stays one."""
        if any(p.active and p.role in ADMINISTRATORS for p in self.people.values()):
            return []
        was = [
            u
            for u in sorted(touched)
            if (old := self.loaded.get(u)) is not None and old.active and old.role in ADMINISTRATORS
        ]
        text = Text("Er moet een actieve beheerder blijven.")
        return [Problem(u, "active" if not self.people[u].active else "role", text) for u in was]
