"""The instruments are the seed's, faithfully: per function group the five competence aspects
with as many statements as the seed has (counted by hand from the seed into the table below, not
from the data), every text as the seed writes it, and the matrix's 17 rows and six levels."""

from pathlib import Path

import pytest

from services.accounts.models import FunctionGroup as G
from services.learning.instruments_data import (
    GROUP_KEYS,
    MATRIX,
    MATRIX_LEVELS,
    QUESTIONNAIRES,
)
from services.learning.picture import option_scores, picture

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_1900a2674818aac0.txt"

# Statements per aspect — risico-inschatting, eigen spanning, vroegsignalering, grenzen,
# collegiale ondersteuning — counted in the seed's annex "Leren als individu: leerdoelwijzers".
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


@pytest.fixture(scope="module")
def seed_lines():
    if not SEED.exists():  # the seeds sit beside the checkout, not in it
        pytest.skip(f"the seed is not at {SEED}")
    return {line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()}


@pytest.mark.parametrize("group", list(G))
def test_each_questionnaire_has_the_seeds_aspects_and_number_of_statements(group):
    groups = QUESTIONNAIRES[group]["groups"]
    assert tuple(g["key"] for g in groups) == GROUP_KEYS
    assert tuple(len(g["statements"]) for g in groups) == SEED_COUNTS[group]
    ids = [s["id"] for g in groups for s in g["statements"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("group", list(G))
def test_every_statement_and_title_is_written_as_in_the_seed(group, seed_lines):
    about = QUESTIONNAIRES[group]
    assert any(line.startswith(about["title"]) for line in seed_lines)
    assert any(about["contact"] in line for line in seed_lines)
    for aspect in about["groups"]:
        assert any(line.startswith(aspect["title"]) for line in seed_lines), aspect["title"]
        for statement in aspect["statements"]:
            assert statement["text"] in seed_lines, statement["text"]


def test_the_matrix_has_its_17_rows_and_six_levels_as_in_the_seed(seed_lines):
    assert len(MATRIX["rows"]) == 17
    assert all(row["text"] in seed_lines for row in MATRIX["rows"])
    assert "\t".join(MATRIX_LEVELS.values()) in seed_lines


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
