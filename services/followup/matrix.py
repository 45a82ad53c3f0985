"""The reaction matrix of §8 as data: behaviour and kind of aggression x first time / repeat /
further repeat -> the advised measure(s) and police step.

An incident's *category* follows from its annex-8 kinds: (non)verbal aggression (verbaal,
discriminatie: C behaviour), personal threat (intimidatie: D), physical violence against
property or against persons (E). More than one category is a combination: the highest
sanction of its parts, then doubled, then a contact ban.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

VERBAL, THREAT, PROPERTY, PERSONS, COMBINATION = (
    "verbaal", "bedreiging", "fysiek_zaak", "fysiek_persoon", "combinatie")

CATEGORY_LABELS = {
    VERBAL: "(non)verbale agressie (C)",
    THREAT: "persoonlijke bedreiging (D)",
    PROPERTY: "fysiek geweld zaakgericht (E)",
    PERSONS: "fysiek geweld persoonsgericht (E)",
    COMBINATION: "combinatie van agressievormen",
}
KIND_CATEGORY = {"verbaal": VERBAL, "discriminatie": VERBAL, "intimidatie": THREAT,
                 "fysiek_zaak": PROPERTY, "fysiek_persoon": PERSONS}
BEHAVIOUR_CATEGORY = {"C": VERBAL, "D": THREAT}  # when no kind says more


@dataclass(frozen=True)
class Sanction:
    measure: str  # waarschuwingsbrief | pandverbod | contactverbod
    min_months: int = 0
    max_months: int = 0

    @property
    def rank(self) -> tuple:
        """Which is heavier: a contact ban over any building ban, a longer ban over a shorter."""
        order = {"waarschuwingsbrief": 0, "pandverbod": 1, "contactverbod": 2}
        return order[self.measure], self.max_months

    @property
    def label(self) -> str:
        if self.measure == "waarschuwingsbrief":
            return "Schriftelijke waarschuwing"
        name = "Pandverbod" if self.measure == "pandverbod" else "Contactverbod"
        if (self.min_months, self.max_months) == (6, 6):
            return f"{name} een half jaar"
        span = (f"{self.min_months}" if self.min_months == self.max_months
                else f"{self.min_months}–{self.max_months}")
        return f"{name} {span} maanden"


@dataclass(frozen=True)
class Step:
    sanction: Sanction
    police: str | None  # None | melding | aangifte


WARNING = Sanction("waarschuwingsbrief")
CONTACT_HALF_YEAR = Sanction("contactverbod", 6, 6)


def ban(low: int, high: int | None = None) -> Sanction:
    return Sanction("pandverbod", low, high or low)


# The seed's table, row by row; None where the protocol gives no further step.
MATRIX: dict[str, tuple[Step, Step, Step | None]] = {
    VERBAL: (Step(WARNING, None), Step(ban(1), "melding"), Step(CONTACT_HALF_YEAR, "melding")),
    THREAT: (Step(ban(3), "aangifte"), Step(ban(6, 12), "aangifte"),
             Step(CONTACT_HALF_YEAR, "aangifte")),
    PROPERTY: (Step(ban(6, 12), "aangifte"), Step(ban(12, 18), "aangifte"), None),
    PERSONS: (Step(ban(12), "aangifte"), Step(ban(24), "aangifte"),
              Step(CONTACT_HALF_YEAR, "aangifte")),
}


def categories_of(behaviour_type: str, kinds: list[str]) -> list[str]:
    """The matrix rows an incident falls under; none for A and B behaviour (emotion, §7)."""
    if behaviour_type in ("A", "B"):
        return []
    found = sorted({KIND_CATEGORY[k] for k in kinds}, key=list(MATRIX).index)
    return found or [BEHAVIOUR_CATEGORY.get(behaviour_type, PERSONS)]


def combination_step(categories: list[str], level: int) -> Step:
    """Highest sanction of the parts at first; doubled at a repeat; then a contact ban."""
    highest = max((MATRIX[c][0].sanction for c in categories), key=lambda s: s.rank)
    if level == 1:
        return Step(highest, "aangifte")
    if level == 2:
        return Step(replace(highest, min_months=highest.min_months * 2,
                            max_months=highest.max_months * 2), "aangifte")
    return Step(CONTACT_HALF_YEAR, "aangifte")


@dataclass(frozen=True)
class Advice:
    category: str | None
    level: int  # 1 first time, 2 repeat, 3 further repeat
    step: Step | None
    note: str = ""


def advise(behaviour_type: str, kinds: list[str], earlier: int) -> Advice:
    """`earlier`: this aggressor's earlier incidents in the same row(s) of the matrix."""
    categories = categories_of(behaviour_type, kinds)
    level = min(earlier + 1, 3)
    if not categories:
        return Advice(None, level, None, "A- en B-gedrag: ordegesprek en registratie; bij "
                                         "aanhoudend gedrag een waarschuwingsbrief (§8).")
    if len(categories) > 1:
        return Advice(COMBINATION, level, combination_step(categories, level))
    row = MATRIX[categories[0]]
    step = row[level - 1]
    if step is None:  # the protocol's table stops here: stay at the last step it gives
        return Advice(categories[0], level, row[level - 2],
                      "De reactiematrix geeft geen verdere stap; overweeg een contactverbod.")
    return Advice(categories[0], level, step)
