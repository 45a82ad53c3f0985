"""The instruments as the database keeps them: each leerdoelwijzer and the development matrix,
installed from the seed's transcription (instruments_data.py) and versioned like the checklists,
and what makes a round of answers to one of them complete."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.accounts.models import FUNCTION_GROUP_LABELS, FunctionGroup
from services.clock import Clock
from services.db import lock_key
from services.errors import Invalid, NotFound
from services.learning.instruments_data import (
    ANSWERS,
    GOAL_PROMPT,
    MATRIX,
    MATRIX_LEVELS,
    QUESTIONNAIRES,
)
from services.learning.models import Instrument
from services.limits import Limit

MATRIX_KEY = "matrix"
KINDS = ("questionnaire", "matrix")
# The options of each kind, from the best to the weakest: a score counts down this list.
OPTIONS = {
    "questionnaire": ANSWERS,
    "matrix": dict(reversed(MATRIX_LEVELS.items())),
}
TITLE = Limit(200, min=1)
GROUP_TITLE = Limit(200, min=1)
STATEMENT_TEXT = Limit(500, min=1)
STATEMENTS = Limit(80, min=1)  # per group
GROUPS = Limit(12, min=1)


def _defaults() -> list[dict]:
    questionnaires = [
        {
            "key": group.value,
            "kind": "questionnaire",
            "function_group": group.value,
            "title": about["title"],
            "contact": about["contact"],
            "groups": about["groups"],
        }
        for group, about in QUESTIONNAIRES.items()
    ]
    matrix = {
        "key": MATRIX_KEY,
        "kind": "matrix",
        "function_group": None,
        "title": MATRIX["title"],
        "contact": None,
        "groups": [{"key": MATRIX_KEY, "title": MATRIX["title"], "statements": MATRIX["rows"]}],
    }
    return [*questionnaires, matrix]


def install_default_instruments(session: Session, now: datetime) -> None:
    """The seed's instruments, as version 1 of each that is not there yet (a new install, or an
    install from before the learning loop)."""
    present = set(session.scalars(select(Instrument.key).distinct()))
    for about in _defaults():
        if about["key"] not in present:
            session.add(Instrument(version=1, current=True, created_at=now, **about))
    session.flush()


def current(session: Session, key: str) -> Instrument | None:
    return session.scalar(
        select(Instrument).where(Instrument.key == key, Instrument.current.is_(True))
    )


def current_instruments(session: Session) -> list[Instrument]:
    rows = session.scalars(select(Instrument).where(Instrument.current.is_(True))).all()
    order = [a["key"] for a in _defaults()]
    return sorted(rows, key=lambda i: order.index(i.key) if i.key in order else len(order))


def statements(instrument: Instrument) -> list[dict]:
    return [s for g in instrument.groups for s in g["statements"]]


def instrument_json(instrument: Instrument) -> dict:
    group = instrument.function_group
    return {
        "id": instrument.id,
        "key": instrument.key,
        "version": instrument.version,
        "kind": instrument.kind,
        "function_group": group,
        "function_group_label": FUNCTION_GROUP_LABELS[FunctionGroup(group)] if group else None,
        "title": instrument.title,
        "contact": instrument.contact,
        "prompt": GOAL_PROMPT if instrument.kind == "questionnaire" else None,
        "options": options_json(instrument.kind),
        "groups": instrument.groups,
        "current": instrument.current,
    }


def options_json(kind: str) -> list[dict]:
    listed = OPTIONS[kind] if kind == "questionnaire" else MATRIX_LEVELS
    return [{"key": k, "label": label} for k, label in listed.items()]


def check_answers(instrument: Instrument, answers: dict[str, str]) -> None:
    """A round is every statement answered with one of the instrument's options, nothing else."""
    ids = {s["id"] for s in statements(instrument)}
    unknown = set(answers) - ids
    if unknown:
        raise Invalid("Onbekende stelling in de antwoorden.", {"answers": "onbekende stelling"})
    if any(value not in OPTIONS[instrument.kind] for value in answers.values()):
        raise Invalid("Onbekend antwoord.", {"answers": "onbekend antwoord"})
    missing = len(ids - set(answers))
    if missing:
        raise Invalid(
            "Beantwoord elke stelling: er {missing} nog open.",
            {"answers": "{missing} open"},
            missing=missing,
        )


def publish_version(
    session: Session, clock: Clock, *, user_id: int, key: str, title: str, groups: list[dict]
) -> Instrument:
    """A new current version of `key`; the old one stays, with the answers given to it. A
    statement sent with its id keeps it, so comparisons over time stay per statement."""
    lock_key(session, "learning_instrument", key)
    old = current(session, key)
    if old is None:
        raise NotFound("Onbekende vragenlijst.")
    session.execute(update(Instrument).where(Instrument.key == key).values(current=False))
    new = Instrument(
        key=key,
        version=old.version + 1,
        kind=old.kind,
        function_group=old.function_group,
        title=title,
        contact=old.contact,
        groups=_with_ids(groups, taken={s["id"] for s in statements(old)}),
        current=True,
        created_at=clock.now(),
        created_by_id=user_id,
    )
    session.add(new)
    session.flush()
    return new


def _with_ids(groups: list[dict], *, taken: set[str]) -> list[dict]:
    """Statements keep the id they were sent with; a new statement gets the next free id of
    its group. Two statements with one id are refused."""
    seen: set[str] = set()
    result = []
    for group in groups:
        statements_ = []
        for n, statement in enumerate(group["statements"], start=1):
            sid = statement.get("id") or _free_id(group["key"], n, taken | seen)
            if sid in seen:
                raise Invalid("Elke stelling heeft een eigen id.", {"groups": "dubbele id"})
            seen.add(sid)
            statements_.append({"id": sid, "text": statement["text"]})
        result.append({"key": group["key"], "title": group["title"], "statements": statements_})
    return result


def _free_id(group_key: str, n: int, taken: set[str]) -> str:
    while f"{group_key}-{n}" in taken:
        n += 1
    return f"{group_key}-{n}"
