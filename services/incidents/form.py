"""Annex 8's registration form ("Meldingsformulier agressie en geweld") as data: the questions,
what answering each one takes, and the seven W's of §9.

Yes/no questions hold True, False or None (not answered yet); a "yes" often asks a follow-up
("Zo ja, welk letsel?"), which is open until filled in.

The PWA draws the form from this definition (services/vocabulary.py publishes it): a question
added here is asked there, with its label, kind, length, part and follow-up rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.incidents.vocabulary import REMOTE_CHANNELS

# The form's parts, in order: how it happened, then what followed.
PARTS = {"toedracht": "Toedracht", "gevolgen": "Gevolgen en afhandeling"}

# A yes/no question's answers as a form offers them: code, label, and the value stored.
YES_NO_ANSWERS: tuple[tuple[str, str, bool | None], ...] = (
    ("ja", "Ja", True),
    ("nee", "Nee", False),
    ("onbekend", "Onbekend", None),
)

# §9's seven W's, in the protocol's order (the keys of seven_ws()).
SEVEN_WS = {
    "wie": "Wie",
    "wat": "Wat",
    "waar": "Waar",
    "wanneer": "Wanneer",
    "op_welke_wijze": "Op welke wijze",
    "waarom": "Waarom",
    "waarmee": "Waarmee",
}


@dataclass(frozen=True)
class Question:
    field: str
    label: str
    kind: str  # yes_no | text | amount | date
    max_length: int = 1000
    follow_up_of: str | None = None  # asked when that yes/no question is answered "yes"
    required: bool = True  # part of the open-questions count
    part: str = "gevolgen"  # one of PARTS


QUESTIONS: tuple[Question, ...] = (
    Question(
        "involved",
        "Wie waren er nog meer betrokken?",
        "text",
        500,
        required=False,
        part="toedracht",
    ),
    Question(
        "cause",
        "Wat was de aanleiding of reden voor het gedrag?",
        "text",
        2000,
        part="toedracht",
    ),
    Question("course", "Op welke wijze is het gebeurd?", "text", 2000, part="toedracht"),
    Question("injury", "Is er sprake van letsel?", "yes_no"),
    Question("injury_description", "Welk letsel?", "text", follow_up_of="injury"),
    Question("damage_personal", "Schade aan persoonlijke eigendommen van de medewerker?", "yes_no"),
    Question(
        "damage_personal_description",
        "Welke persoonlijke eigendommen zijn beschadigd?",
        "text",
        follow_up_of="damage_personal",
    ),
    Question("damage_employer", "Schade aan eigendommen van de werkgever?", "yes_no"),
    Question(
        "damage_employer_description",
        "Welke eigendommen van de werkgever zijn beschadigd?",
        "text",
        follow_up_of="damage_employer",
    ),
    Question(
        "damage_amount_cents",
        "Wat is het schadebedrag in euro?",
        "amount",
        follow_up_of="damage_employer",
    ),
    Question(
        "damage_recovered",
        "Zal de schade worden verhaald?",
        "yes_no",
        follow_up_of="damage_employer",
    ),
    Question("weapons", "Zijn er geweldsmiddelen gebruikt?", "yes_no"),
    Question("weapons_description", "Welke geweldsmiddelen?", "text", follow_up_of="weapons"),
    Question("police_report", "Is er aangifte gedaan?", "yes_no"),
    Question("police_report_date", "Datum van de aangifte", "date", follow_up_of="police_report"),
    Question("recidive", "Betreft het recidive?", "yes_no"),
    Question("contact_ban", "Contactverbod?", "yes_no"),
    Question("building_ban", "Lokaal verbod (pandverbod)?", "yes_no"),
    Question(
        "doctor_report", "Letselrapport door arts opgenomen?", "yes_no", follow_up_of="injury"
    ),
    Question("further_action", "Wordt er verder actie ondernomen?", "yes_no"),
    Question("further_action_text", "Welke actie, of waarom niet?", "text"),
)


def _filled(value) -> bool:
    return value is not None and value != ""


def open_questions(form: dict) -> list[str]:
    """The annex-8 questions that still need an answer, in the form's order."""

    def asked(q: Question) -> bool:
        return q.required and (q.follow_up_of is None or form.get(q.follow_up_of) is True)

    return [q.field for q in QUESTIONS if asked(q) and not _filled(form.get(q.field))]


def seven_ws(
    *,
    aggressor_named: bool,
    form: dict,
    description: str,
    kinds: list[str],
    location: str,
    channel: str,
    occurred_at,
) -> dict[str, bool]:
    """§9: wie, wat, waar, wanneer, op welke wijze, waarom, waarmee."""
    weapons = form.get("weapons")
    found = {
        "wie": aggressor_named or _filled(form.get("involved")),
        "wat": bool(description.strip()) and bool(kinds),
        "waar": bool(location.strip()) or channel in REMOTE_CHANNELS,
        "wanneer": occurred_at is not None,
        "op_welke_wijze": _filled(form.get("course")),
        "waarom": _filled(form.get("cause")),
        "waarmee": weapons is False
        or (weapons is True and _filled(form.get("weapons_description"))),
    }
    return {w: found[w] for w in SEVEN_WS}
