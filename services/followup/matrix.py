"""The reaction matrix of §8 as data: behaviour and kind of aggression x first time / repeat /
further repeat -> the advised measure(s) and police step.

An incident's *rows* follow from its behaviour and its annex-8 kinds together, and never fall
below what the behaviour alone requires (§7: "D-gedrag: Dit is agressie"; E is physical):
C is at least (non)verbal aggression, D and E at least a personal threat; a physical kind is
its physical row. A kind lighter than the behaviour's floor is raised to it (a spoken threat,
D + verbaal, is the threat row, not a combination). Two or more rows are a combination:
"Toepassen van hoogste sanctie", then "Verdubbeling van de sanctie", then a contact ban.

A and B are emotion, not aggression, until they persist (§7: "Blijft iemand doorgaan met A-,
B- en C-gedrag dan behandelen we het emotionele gedrag als agressie … wordt wél op dezelfde
manier als agressie D-gedrag behandeld"; §8: "Bij aanhoudend A-, B-, of C-gedrag kan een
waarschuwingsbrief worden verstuurd"). C keeps its own row and its own repetition.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

VERBAL, THREAT, PROPERTY, PERSONS, COMBINATION, PERSISTENT = (
    "verbaal",
    "bedreiging",
    "fysiek_zaak",
    "fysiek_persoon",
    "combinatie",
    "aanhoudend",
)

CATEGORY_LABELS = {
    VERBAL: "(non)verbale agressie (C)",
    THREAT: "persoonlijke bedreiging (D)",
    PROPERTY: "fysiek geweld zaakgericht (E)",
    PERSONS: "fysiek geweld persoonsgericht (E)",
    COMBINATION: "combinatie van agressievormen",
    PERSISTENT: "aanhoudend A/B-gedrag (behandeld als D-gedrag)",
}
KIND_CATEGORY = {
    "verbaal": VERBAL,
    "discriminatie": VERBAL,
    "intimidatie": THREAT,
    "fysiek_zaak": PROPERTY,
    "fysiek_persoon": PERSONS,
}
PHYSICAL_ROWS = frozenset({PROPERTY, PERSONS})
# What the behaviour alone requires; A and B have no row of their own (emotion, §7).
BEHAVIOUR_FLOOR = {"C": VERBAL, "D": THREAT, "E": THREAT}
POLICE_ORDER = (None, "melding", "aangifte")


@dataclass(frozen=True)
class Sanction:
    measure: str  # waarschuwingsbrief | pandverbod | contactverbod
    min_months: int = 0
    max_months: int = 0

    @property
    def rank(self) -> tuple:
        """Which is heavier: a contact ban over any building ban, then the longer minimum,
        then the longer maximum (persons' 12 months beats property's 6-12)."""
        order = {"waarschuwingsbrief": 0, "pandverbod": 1, "contactverbod": 2}
        return order[self.measure], self.min_months, self.max_months

    @property
    def label(self) -> str:
        if self.measure == "waarschuwingsbrief":
            return "Schriftelijke waarschuwing"
        name = "Pandverbod" if self.measure == "pandverbod" else "Contactverbod"
        if (self.min_months, self.max_months) == (6, 6):
            return f"{name} een half jaar"
        span = (
            f"{self.min_months}"
            if self.min_months == self.max_months
            else f"{self.min_months}–{self.max_months}"
        )
        return f"{name} {span} {'maand' if self.max_months == 1 else 'maanden'}"


@dataclass(frozen=True)
class Step:
    sanction: Sanction
    police: str | None  # None | melding | aangifte


WARNING = Sanction("waarschuwingsbrief")
CONTACT_HALF_YEAR = Sanction("contactverbod", 6, 6)


def ban(low: int, high: int | None = None) -> Sanction:
    return Sanction("pandverbod", low, high or low)


# The seed's table, row by row, lightest row first; None where the protocol gives no step.
MATRIX: dict[str, tuple[Step, Step, Step | None]] = {
    VERBAL: (Step(WARNING, None), Step(ban(1), "melding"), Step(CONTACT_HALF_YEAR, "melding")),
    THREAT: (
        Step(ban(3), "aangifte"),
        Step(ban(6, 12), "aangifte"),
        Step(CONTACT_HALF_YEAR, "aangifte"),
    ),
    PROPERTY: (Step(ban(6, 12), "aangifte"), Step(ban(12, 18), "aangifte"), None),
    PERSONS: (
        Step(ban(12), "aangifte"),
        Step(ban(24), "aangifte"),
        Step(CONTACT_HALF_YEAR, "aangifte"),
    ),
}
ROW_ORDER = list(MATRIX)


def _heavier_row(a: str, b: str) -> str:
    return max(a, b, key=ROW_ORDER.index)


def categories_of(behaviour_type: str, kinds: list[str]) -> list[str]:
    """The matrix rows an incident falls under, lightest first: each kind's row raised to the
    behaviour's floor; for A and B behaviour only physical kinds have a row."""
    floor = BEHAVIOUR_FLOOR.get(behaviour_type)
    rows = set()
    for kind in kinds:
        row = KIND_CATEGORY[kind]
        if floor is not None:
            rows.add(_heavier_row(row, floor))
        elif row in PHYSICAL_ROWS:
            rows.add(row)
    if floor is not None and not rows:
        rows.add(floor)
    return sorted(rows, key=ROW_ORDER.index)


def _row_step(row: str, level: int) -> Step:
    """A row's step at `level`; where the table stops, its last step."""
    steps = [s for s in MATRIX[row][:level] if s is not None]
    return steps[-1]


def _heaviest(steps: list[Step]) -> Step:
    """The heaviest sanction, with the strongest police step of any of them."""
    sanction = max((s.sanction for s in steps), key=lambda s: s.rank)
    police = max((s.police for s in steps), key=POLICE_ORDER.index)
    return Step(sanction, police)


def combination_step(categories: list[str], level: int) -> Step:
    """Highest sanction of the parts at first; doubled at a repeat; then a contact ban."""
    highest = max((MATRIX[c][0].sanction for c in categories), key=lambda s: s.rank)
    if level == 1:
        return Step(highest, "aangifte")
    if level == 2:
        return Step(
            replace(highest, min_months=highest.min_months * 2, max_months=highest.max_months * 2),
            "aangifte",
        )
    return Step(CONTACT_HALF_YEAR, "aangifte")


@dataclass(frozen=True)
class Advice:
    category: str | None
    level: int  # 1 first time, 2 repeat, 3 further repeat
    step: Step | None
    note: str = ""
    occurrence: int = 1  # this aggressor's how-manieth incident that counts


def _persistent(earlier: int) -> Advice:
    """A/B by someone already in the register: the second time a warning letter (§8: "Voordat
    een toegangsverbod wordt opgelegd, wordt de agressor eerst gewaarschuwd"), from the third
    time on the D row, its repetition counted from there."""
    occurrence = earlier + 1
    if occurrence == 1:
        return Advice(
            None,
            1,
            None,
            "A- en B-gedrag: ordegesprek en registratie; bij "
            "aanhoudend gedrag een waarschuwingsbrief (§8).",
        )
    if occurrence == 2:
        return Advice(PERSISTENT, 1, Step(WARNING, None), occurrence=occurrence)
    level = min(occurrence - 2, 3)
    return Advice(PERSISTENT, level, MATRIX[THREAT][level - 1], occurrence=occurrence)


def advise(behaviour_type: str, kinds: list[str], earlier: int) -> Advice:
    """`earlier`: this aggressor's earlier incidents that count (recidive.py): in the same
    row(s) of the matrix, or any at all for A/B behaviour."""
    categories = categories_of(behaviour_type, kinds)
    if not categories:
        return _persistent(earlier)
    level = min(earlier + 1, 3)
    floor = BEHAVIOUR_FLOOR.get(behaviour_type)
    # Never below any of its rows, nor below what the behaviour alone requires.
    bounds = [_row_step(row, level) for row in categories + ([floor] if floor else [])]
    if len(categories) > 1:
        step = _heaviest([combination_step(categories, level), *bounds])
        return Advice(COMBINATION, level, step, occurrence=earlier + 1)
    row = categories[0]
    step = _heaviest(bounds)
    note = (
        "De reactiematrix geeft geen verdere stap; overweeg een contactverbod."
        if MATRIX[row][level - 1] is None and step == _row_step(row, level)
        else ""
    )
    return Advice(row, level, step, note, occurrence=earlier + 1)
