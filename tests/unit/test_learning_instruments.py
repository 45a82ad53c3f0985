"""The instruments and work forms are the seed's, faithfully: per function group the five
competence aspects with as many statements as the seed has (counted by hand from the seed into
the table below, not from the data), every text as the seed writes it except the listed typos,
the matrix's 17 rows and six levels, and every work form in the seed's own words.

The seed sits beside the checkout (/work/shared/seeds); without it these tests fail rather
than skip, since a transcription nobody can check is not one."""

import functools
import re
from pathlib import Path

import pytest

from services.accounts.models import FunctionGroup as G
from services.learning import instruments_data, workforms
from services.learning.instruments_data import (
    ANSWERS,
    GROUP_KEYS,
    MATRIX,
    MATRIX_LEVELS,
    QUESTIONNAIRES,
)
from services.learning.picture import option_scores, picture
from services.learning.plan import KINDS as PLAN_KINDS
from services.learning.workforms import WORK_FORMS

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_1900a2674818aac0.txt"

# Statements per aspect — risico-inschatting, eigen spanning, vroegsignalering, grenzen,
# collegiale ondersteuning — counted in the seed's annex "Leren als individu: leerdoelwijzers"
# from the line numbers of the group headings (blank lines not counted).
SEED_COUNTS = {
    G.WERKPLEINEN: (6, 9, 7, 5, 2),
    G.SOCIAAL_DOMEIN: (8, 9, 7, 7, 2),
    G.KLANT_CONTACT_CENTRUM: (1, 9, 7, 5, 2),
    G.PUBLIEKSZAKEN: (5, 9, 7, 5, 2),
    G.INSPECTIE: (7, 9, 7, 8, 2),
    G.BOA: (12, 9, 7, 8, 2),
    G.BEHEER_ONDERHOUD: (3, 9, 7, 7, 2),
    G.BEHEER_SPORT_BEGRAAFPLAATS: (4, 9, 7, 5, 2),
}

# The work forms the guide describes, with the level and the plan kind each belongs to.
EXPECTED_FORMS = {
    "intervisie": ("team", "intervisie"),
    "dilemma": ("team", "dilemma"),
    "kennisquiz": ("team", "kennis"),
    "stellingen": ("team", "kennis"),
    "thematisch_werkoverleg": ("team", "thematisch"),
    "arena": ("organisatie", "dialoog"),
    "storytelling": ("organisatie", "dialoog"),
    "lagerhuis": ("organisatie", "dialoog"),
    "incidentevaluatie": ("organisatie", "incidentanalyse"),
}

INSTRUMENT_TYPOS = {fixed: written for _, written, fixed in instruments_data.TYPOS}
FORM_TYPOS = {fixed: written for _, written, fixed in workforms.TYPOS}


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Read inside each test, not in a fixture, so that a missing seed fails the tests instead of
# erroring their setup.
@functools.cache
def _seed() -> str:
    if not SEED.exists():
        pytest.fail(f"the seed is not at {SEED}; the transcription cannot be checked")
    return SEED.read_text(encoding="utf-8")


def _seed_lines() -> set[str]:
    """Each line's first cell: a statement or heading without the answer columns' tabs."""
    return {line.split("\t")[0].strip() for line in _seed().splitlines()}


def _seed_flat() -> str:
    return _normalised(_seed())


@pytest.mark.parametrize("group", list(G))
def test_each_questionnaire_has_the_seeds_aspects_and_number_of_statements(group):
    groups = QUESTIONNAIRES[group]["groups"]
    assert tuple(g["key"] for g in groups) == GROUP_KEYS
    assert tuple(len(g["statements"]) for g in groups) == SEED_COUNTS[group]


@pytest.mark.parametrize("group", list(G))
def test_statement_ids_are_unique_and_count_within_their_group(group):
    groups = QUESTIONNAIRES[group]["groups"]
    ids = [s["id"] for g in groups for s in g["statements"]]
    assert len(ids) == len(set(ids))
    for g in groups:
        assert [s["id"] for s in g["statements"]] == [
            f"{g['key']}-{n}" for n in range(1, len(g["statements"]) + 1)
        ]


def test_the_questionnaires_follow_the_seeds_order():
    assert list(QUESTIONNAIRES) == list(G)


@pytest.mark.parametrize("group", list(G))
def test_every_statement_and_title_is_written_as_in_the_seed(group):
    seed_lines = _seed_lines()
    about = QUESTIONNAIRES[group]
    assert f"{about['title']} (contactsoort {about['contact']})" in seed_lines or (
        f"{about['title']}(contactsoort {about['contact']})" in seed_lines
    )
    for aspect in about["groups"]:
        assert aspect["title"] in seed_lines, aspect["title"]
        for statement in aspect["statements"]:
            text = statement["text"]
            assert text == text.strip()
            assert INSTRUMENT_TYPOS.get(text, text) in seed_lines, text


def test_the_answers_and_the_goal_prompt_are_the_seeds():
    seed_text = _seed()
    assert list(ANSWERS.values()) == ["Altijd", "Vaak", "Soms", "Nooit"]
    assert "\t".join(ANSWERS.values()) in seed_text
    assert instruments_data.GOAL_PROMPT in seed_text


def test_the_matrix_has_its_17_rows_and_six_levels_as_in_the_seed():
    seed_text, seed_lines = _seed(), _seed_lines()
    rows = MATRIX["rows"]
    assert len(rows) == 17
    assert len({row["id"] for row in rows}) == 17
    assert all(re.fullmatch(r"[a-z][a-z_]*", row["id"]) for row in rows)
    for row in rows:
        assert INSTRUMENT_TYPOS.get(row["text"], row["text"]) in seed_lines, row["text"]
    assert len(MATRIX_LEVELS) == 6
    assert "\t".join(MATRIX_LEVELS.values()) in seed_text.splitlines()
    assert MATRIX["title"] in seed_text


def test_every_listed_typo_is_in_the_seed_and_its_correction_in_the_data():
    flat = _seed_flat()
    used = {
        s["text"] for q in QUESTIONNAIRES.values() for g in q["groups"] for s in g["statements"]
    }
    used |= {row["text"] for row in MATRIX["rows"]}
    used |= {
        line for form in WORK_FORMS.values() for step in form["steps"] for line in _lines(step)
    }
    for where, written, fixed in (*instruments_data.TYPOS, *workforms.TYPOS):
        assert _normalised(written) in flat, where
        assert _normalised(fixed) not in flat, where
        assert fixed in used, where


def _lines(text: str) -> list[str]:
    """A step's or description's lines, without the "- " of a listed sub-point: each is a
    piece of the seed's text on its own."""
    return [line.removeprefix("- ") for line in text.splitlines() if line.strip()]


def _in_seed(text: str, seed_flat: str) -> bool:
    return _normalised(FORM_TYPOS.get(text, text)) in seed_flat


def test_every_work_form_is_there_with_its_level_and_plan_kind():
    assert set(WORK_FORMS) == set(EXPECTED_FORMS)
    for key, (level, plan_kind) in EXPECTED_FORMS.items():
        form = WORK_FORMS[key]
        assert (form["level"], form["plan_kind"]) == (level, plan_kind), key
        assert form["plan_kind"] in PLAN_KINDS
        assert form["goal"], key
        assert form["description"], key
        assert (form["methods"] != []) == (key == "intervisie"), key


@pytest.mark.parametrize("key", list(EXPECTED_FORMS))
def test_every_work_form_is_in_the_seeds_words(key):
    seed_flat = _seed_flat()
    form = WORK_FORMS[key]
    assert _normalised(form["title"]).lower() in seed_flat.lower(), form["title"]
    for field in ("goal", "audience", "methods"):
        for text in form[field]:
            assert _in_seed(text, seed_flat), (field, text)
    for field in ("guidance", "duration", "participants", "material"):
        if form[field] is not None:
            assert _in_seed(form[field], seed_flat), (field, form[field])
    for paragraph in form["description"].split("\n\n"):
        for line in _lines(paragraph):
            assert _in_seed(line, seed_flat), ("description", line)
    for step in form["steps"]:
        for line in _lines(step):
            assert _in_seed(line, seed_flat), ("steps", line)


def test_the_api_lists_every_form_with_its_key():
    assert [f["key"] for f in workforms.work_forms_json()] == list(WORK_FORMS)


def test_scores_count_down_from_the_best_option():
    assert option_scores({"altijd": "", "vaak": "", "soms": "", "nooit": ""}) == {
        "altijd": 100,
        "vaak": 67,
        "soms": 33,
        "nooit": 0,
    }


def test_below_the_threshold_a_picture_carries_no_counts_at_all():
    groups = QUESTIONNAIRES[G.BOA]["groups"]
    options = {"altijd": "", "vaak": "", "soms": "", "nooit": ""}
    rounds = [{s["id"]: "soms" for g in groups for s in g["statements"]}] * 4
    assert picture(groups, rounds, options, threshold=5) == {
        "respondents": 4,
        "shown": False,
        "groups": [],
        "weakest": [],
    }
    shown = picture(groups, [*rounds, rounds[0]], options, threshold=5)
    assert shown["groups"][0]["statements"][0]["counts"]["soms"] == 5
