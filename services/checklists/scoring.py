"""From answers (and what the register says) to a risk level with concrete advice. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.errors import Text
from services.limits import Limit

# A checklist as the coordinator edits it (the editor and the API share these).
TITLE = Limit(200, min=3)
QUESTIONS = Limit(40, min=1)
QUESTION_ID = Limit(40, min=1)
QUESTION_TEXT = Limit(300, min=5)
QUESTION_HELP = Limit(300)
QUESTION_ADVICE = Limit(300, min=5)
QUESTION_POINTS = Limit(10)


LEVELS = ["laag", "verhoogd", "hoog", "niet_gaan"]
LEVEL_LABELS = {
    "laag": "Laag risico",
    "verhoogd": "Verhoogd risico",
    "hoog": "Hoog risico",
    "niet_gaan": "Niet gaan",
}
LEVEL_ADVICE = {
    "laag": "Ga zoals gepland en houd je telefoon bij de hand.",
    "verhoogd": "Ga met z'n tweeën of overleg vooraf met je leidinggevende; spreek de "
    "taakverdeling af.",
    "hoog": "Ga niet alleen. Nodig de burger liever uit op kantoor, overleg met je "
    "leidinggevende en overweeg politie-assistentie.",
    "niet_gaan": "Niet gaan. Overleg met je leidinggevende; contact alleen via kantoor, met "
    "twee collega's of met de politie.",
}
ANSWER_LABELS = {"ja": "Ja", "nee": "Nee", "weet_niet": "Weet niet"}
ANSWERS = tuple(ANSWER_LABELS)
# The answers a question can name as its risky one; "weet niet" never is (it scores half).
RISK_ANSWERS = ("ja", "nee")


@dataclass(frozen=True)
class RegisterFinding:
    """What the aggression register says about the person or address, as far as the rules
    need it (the details stay in the register, need-to-know)."""

    match: bool = False
    floor: str = "laag"
    no_contact: bool = False
    advice: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    level: str
    points: int
    advice: list[str] = field(default_factory=list)


def higher_level(a: str, b: str) -> str:
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


def invalid_answers(questions: list[dict], answers: dict[str, str]) -> dict[str, str]:
    """Field messages for answers that do not fit this checklist version."""
    known = {q["id"] for q in questions}
    wrong = {
        f"answers.{qid}": Text("onbekende vraag in deze versie")
        for qid in answers
        if qid not in known
    }
    wrong |= {
        f"answers.{q['id']}": Text("beantwoord met ja, nee of weet_niet")
        for q in questions
        if answers.get(q["id"]) not in ANSWERS
    }
    return wrong


def assess(
    questions: list[dict],
    thresholds: dict[str, int],
    answers: dict[str, str],
    register: RegisterFinding = RegisterFinding(),
) -> Assessment:
    points, floor, specific = 0, "laag", []
    for question in questions:
        answer = answers[question["id"]]
        if answer == question["risk_answer"]:
            points += question["points"]
            floor = higher_level(floor, question.get("floor") or "laag")
            specific.append(question["advice"])
        elif answer == "weet_niet":
            points += -(-question["points"] // 2)
            specific.append(f"Onbekend: {question['advice']}")
    by_points = (
        "hoog"
        if points >= thresholds["hoog"]
        else "verhoogd"
        if points >= thresholds["verhoogd"]
        else "laag"
    )
    level = higher_level(higher_level(by_points, floor), register.floor)
    if register.no_contact:
        level = "niet_gaan"
    return Assessment(
        level=level, points=points, advice=[LEVEL_ADVICE[level], *register.advice, *specific]
    )
