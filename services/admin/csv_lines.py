"""Reading the staff CSV (docs/admin.md): its columns, its records with their line numbers
(";" or "," as the header uses, a cell written against formulas read back), and each line's
cells as a person's values, every problem kept with its line and column."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from services.accounts.models import FUNCTION_GROUP_LABELS, ROLE_LABELS
from services.accounts.signin import normalised
from services.admin.fields import LIST_SEPARATOR, email_problem, name_problem, phone_problem
from services.errors import Text

# CSV column -> the person's field, in the order an export writes them.
COLUMNS = {
    "gebruikersnaam": "username",
    "naam": "name",
    "e-mail": "email",
    "telefoon": "phone",
    "rol": "role",
    "team": "team",
    "functiegroep": "function_group",
    "leidinggevende": "manager",
    "leidt teams": "leads",
    "in dienst": "on_duty",
    "actief": "active",
}
REQUIRED = ("gebruikersnaam", "naam", "rol")
COLUMN_OF = {f: c for c, f in COLUMNS.items()} | {"team_id": "team"}
YES, NO = "ja", "nee"


@dataclass(frozen=True)
class LineProblem:
    line: int | None  # None: someone not in the file, changed by a leaver's line
    column: str
    text: Text
    username: str | None = None


def read_records(text: str, problems: list[LineProblem]) -> tuple[list[str], list]:
    """The header, and (line number, cells) of each record; ";" or "," as the header uses. A
    line that is no CSV ends the reading with its problem; the lines before it count."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if ";" in first else ",", strict=True)
    records, line = [], 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error:
        problems.append(
            LineProblem(
                line, "", Text("Deze regel is geen geldige CSV: let op de aanhalingstekens.")
            )
        )
    if not records:
        problems.append(LineProblem(1, "", Text("Het bestand is leeg.")))
        return [], []
    header = [h.strip().lower() for h in records[0][1]]
    return header, records[1:]


def header_problems(header: list[str]) -> list[LineProblem]:
    found = [
        LineProblem(1, name, Text("Onbekende kolom: {name}.", name=name))
        for name in header
        if name not in COLUMNS
    ]
    found += [
        LineProblem(1, name, Text("De kolom {name} staat er twee keer in.", name=name))
        for name in sorted({h for h in header if header.count(h) > 1})
    ]
    found += [
        LineProblem(1, name, Text("De kolom {name} ontbreekt.", name=name))
        for name in REQUIRED
        if name not in header
    ]
    return found


def _choice(value: str, labels: dict) -> str | None:
    """A code, or its label as a person would type it."""
    wanted = value.strip().lower()
    return next(
        (str(code) for code, label in labels.items() if wanted in (str(code), label.lower())),
        None,
    )


class Line:
    """One line's cells turned into a person's values, each problem kept with its column."""

    def __init__(self, number: int, cells: dict[str, str], teams: dict[str, int]):
        self.number, self.cells, self.teams = number, cells, teams
        self.problems: list[LineProblem] = []
        self.values: dict = {}

    def problem(self, column: str, text: Text) -> None:
        self.problems.append(LineProblem(self.number, column, text))

    def read(self) -> dict:
        readers = {
            "naam": self._name,
            "e-mail": lambda v: self._checked(v, email_problem, "e-mail"),
            "telefoon": lambda v: self._checked(v, phone_problem, "telefoon"),
            "rol": self._role,
            "team": self._team,
            "functiegroep": self._function_group,
            "leidinggevende": lambda v: normalised(v) or None,
            "leidt teams": self._leads,
            "in dienst": lambda v: self._yes_no(v, "in dienst"),
            "actief": lambda v: self._yes_no(v, "actief"),
        }
        for column, value in self.cells.items():
            if column in readers:
                result = readers[column](value.strip())
                if result is not WRONG:
                    self.values[COLUMNS[column]] = result
        if "team" in self.values:
            self.values["team_id"] = self.values.pop("team")
        return self.values

    def _checked(self, value: str, check, column: str):
        text = check(value)
        if text is not None:
            self.problem(column, text)
            return WRONG
        return value or None

    def _name(self, value: str):
        return self._checked(value, name_problem, "naam")

    def _role(self, value: str):
        role = _choice(value, ROLE_LABELS)
        if role is None:
            self.problem("rol", Text("Onbekende rol: {value}.", value=value))
            return WRONG
        return role

    def _function_group(self, value: str):
        if not value:
            return None
        group = _choice(value, FUNCTION_GROUP_LABELS)
        if group is None:
            self.problem("functiegroep", Text("Onbekende functiegroep: {value}.", value=value))
            return WRONG
        return group

    def _team_id(self, name: str, column: str):
        team_id = self.teams.get(name.strip().lower())
        if team_id is None:
            self.problem(column, Text("Onbekend team: {name}.", name=name.strip()))
            return WRONG
        return team_id

    def _team(self, value: str):
        return None if not value else self._team_id(value, "team")

    def _leads(self, value: str):
        ids = [self._team_id(n, "leidt teams") for n in value.split(LIST_SEPARATOR) if n.strip()]
        return WRONG if WRONG in ids else frozenset(ids)

    def _yes_no(self, value: str, column: str):
        if value.lower() in (YES, NO):
            return value.lower() == YES
        self.problem(column, Text("Vul ja of nee in."))
        return WRONG


WRONG = object()  # a cell that could not be read: its problem is kept, its value not used
