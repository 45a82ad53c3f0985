"""Letters to the aggressor and the police sheet: drafted from the facts, printed as a PDF whose
text can be read back."""

import dataclasses
import io
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest

from services.followup import letters
from services.followup.letters import (
    GAP,
    LETTER_KINDS,
    OWN_WORDS,
    LetterFacts,
    Organisation,
    draft_letter,
    dutch_date,
    missing_for_final,
    open_places,
)
from services.followup.pdf import letter_pdf, printable

ORG = Organisation(
    name="Gemeente Demodorp",
    visiting_address="Raadhuisplein 1, 1234 AB Demodorp",
    postal_address="Antwoordnummer 1234, 1230 VB Demodorp",
    place="Demodorp",
    signatory_name="M. Hendriks",
    signatory_role="Gemeentesecretaris",
)

FACTS = LetterFacts(
    aggressor_name="Piet de Vries",
    aggressor_address="Dorpsstraat 5, 1234 CD Demodorp",
    incident_at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC),  # 21 November in Demodorp
    location="Dorpsstraat 5",
    channel="tijdens een huisbezoek",
    description="Dreigde de medewerker buiten op te wachten.",
    cause="Afwijzing van een aanvraag",
    course="Werd luider en kwam dreigend dichtbij.",
    damage="",
    measure_starts_on=date(2026, 11, 25),
    measure_ends_on=date(2027, 5, 25),
    conversation_on=date(2026, 11, 23),
    police="aangifte",
    writer_name="A. de Boer",
    writer_role="Teamleider",
    today=date(2026, 11, 24),
    reference="GIR-17",
)

BAN_KINDS = ("pandverbod", "contactverbod")
TO_THE_AGGRESSOR = ("ordegesprek", "waarschuwingsbrief", "pandverbod", "contactverbod")


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Line breaks from wrapping become spaces, so a phrase can be found across lines."""
    return " ".join(text.split())


def test_dutch_long_dates():
    assert dutch_date(date(2026, 11, 25)) == "25 november 2026"
    assert dutch_date(date(2027, 3, 1)) == "1 maart 2027"


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_kind_is_drafted_from_the_facts(kind):
    text = draft_letter(kind, FACTS, ORG)

    assert "Piet de Vries" in text
    assert "Gemeente Demodorp" in text
    assert "Demodorp, 24 november 2026" in text
    assert "Dalfsen" not in text
    assert "None" not in text and GAP not in text
    # the only place left open is the behaviour, in the manager's own words
    places = open_places(text)
    assert len(places) == (kind in TO_THE_AGGRESSOR) and all(OWN_WORDS in p for p in places)
    assert text.split("\n", 1)[1].startswith("\n"), "the title is a line of its own"


@pytest.mark.parametrize("kind", TO_THE_AGGRESSOR)
def test_the_workers_own_words_never_go_to_the_aggressor(kind):
    text = draft_letter(kind, FACTS, ORG)
    assert FACTS.description not in text and OWN_WORDS in text
    assert FACTS.description in draft_letter("politiepakket", FACTS, ORG)  # the police's sheet


@pytest.mark.parametrize(
    "kind", ["ordegesprek", "waarschuwingsbrief", "contactverbod", "politiepakket"]
)
def test_the_incident_time_is_printed_in_municipal_time(kind):
    assert "21 november 2026 om 00:30 uur" in draft_letter(kind, FACTS, ORG)


@pytest.mark.parametrize("kind", BAN_KINDS)
def test_a_ban_letter_states_its_period_to_the_day_and_tells_aangifte_from_melding(kind):
    text = flat(draft_letter(kind, FACTS, ORG))

    assert "25 november 2026 tot en met 25 mei 2027" in text
    assert "Wij hebben aangifte gedaan" in text and "gemeld bij de politie" not in text
    assert "M. Hendriks Gemeentesecretaris" in text
    told = flat(draft_letter(kind, dataclasses.replace(FACTS, police="melding"), ORG))
    assert "Wij hebben uw gedrag gemeld bij de politie" in told and "aangifte gedaan" not in told
    quiet = flat(draft_letter(kind, dataclasses.replace(FACTS, police=None), ORG))
    assert "Politie is op de hoogte" not in quiet and "aangifte gedaan" not in quiet


def test_the_contact_ban_says_where_the_authorisation_form_goes():
    text = draft_letter("contactverbod", FACTS, ORG)
    assert "Gemeente Demodorp, Antwoordnummer 1234, 1230 VB Demodorp" in text
    assert "postzegel is niet nodig" in text
    stamped = dataclasses.replace(ORG, postal_address="Postbus 9, 1230 AA Demodorp")
    assert "postzegel" not in draft_letter("contactverbod", FACTS, stamped)


def test_warning_variants_are_the_two_options_of_annex_5():
    first = draft_letter("waarschuwingsbrief", FACTS, ORG, variant=1)
    second = draft_letter("waarschuwingsbrief", FACTS, ORG, variant=2)

    assert "Deze keer volstaan wij met een waarschuwing." in first
    assert "contactverbod opleggen" in second and "Gemeente Demodorp" in second
    assert "op 23 november 2026 heeft er een gesprek plaatsgevonden" in first.lower()
    with pytest.raises(ValueError):
        draft_letter("waarschuwingsbrief", FACTS, ORG, variant=3)


def test_no_conversation_means_no_sentence_about_it():
    text = draft_letter("waarschuwingsbrief", dataclasses.replace(FACTS, conversation_on=None), ORG)
    assert "gesprek plaatsgevonden" not in text and GAP not in text


def test_the_police_sheet_carries_the_protocols_notes():
    text = flat(draft_letter("politiepakket", FACTS, ORG))

    assert "Kenmerk: GIR-17" in text
    assert "Adres: Dorpsstraat 5, 1234 CD Demodorp" in text
    assert "Alleen de medewerker tegen wie de agressie zich richtte kan aangifte doen" in text
    assert "domicilie" in text and "Raadhuisplein 1, 1234 AB Demodorp" in text
    assert "0900-8844" in text
    assert "Schade: geen" in text


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_a_missing_fact_leaves_a_visible_gap(kind):
    unknown = dataclasses.replace(
        FACTS,
        aggressor_address="",
        location="",
        cause="",
        course="",
        measure_starts_on=None,
        measure_ends_on=None,
    )
    text = draft_letter(kind, unknown, ORG)

    assert GAP in text
    assert "None" not in text


def test_a_ban_without_dates_shows_gaps_for_them():
    undated = dataclasses.replace(FACTS, measure_starts_on=None, measure_ends_on=None)
    assert f"vanaf {GAP} tot en met {GAP}" in draft_letter("contactverbod", undated, ORG)


def _own_words_filled(text: str) -> str:
    return text.replace(OWN_WORDS, "U schreeuwde en dreigde de medewerker op te wachten.")


PERIOD = (date(2026, 11, 25), date(2027, 5, 25))


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_a_complete_letter_may_be_made_final(kind):
    text = _own_words_filled(draft_letter(kind, FACTS, ORG))
    assert (
        missing_for_final(
            kind, text, name=FACTS.aggressor_name, address=FACTS.aggressor_address, period=PERIOD
        )
        == {}
    )


def test_a_draft_with_gaps_lists_them_before_it_can_be_final():
    unknown = dataclasses.replace(
        FACTS, aggressor_name="", measure_starts_on=None, measure_ends_on=None
    )
    text = draft_letter("contactverbod", unknown, ORG)
    missing = missing_for_final(
        "contactverbod", text, name="", address=FACTS.aggressor_address, period=(None, None)
    )
    assert set(missing) == {"text", "aggressor", "measure_id"}
    assert missing["text"].startswith("4 open plekken in de tekst: “…”, “Geachte …,”")
    assert missing["aggressor"] == "de naam van de agressor (vul die aan bij de melding)"
    assert "periode van het verbod" in missing["measure_id"]
    # the annexes' own [placeholders] count too, typed or pasted
    pasted = _own_words_filled(draft_letter("waarschuwingsbrief", FACTS, ORG)) + "\n\n[Naam]"
    assert missing_for_final(
        "waarschuwingsbrief", pasted, name="P", address="A", period=(None, None)
    ) == {"text": "1 open plek in de tekst: “[Naam]”"}


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        draft_letter("excuusbrief", FACTS, ORG)


def test_the_seed_municipality_is_not_in_the_code():
    assert "Dalfsen" not in Path(letters.__file__).read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_the_pdf_of_every_kind_can_be_read_back(kind):
    pdf = letter_pdf(draft_letter(kind, FACTS, ORG), ORG, FACTS.reference)
    text = pdf_text(pdf)

    assert pdf.startswith(b"%PDF-")
    assert "Piet de Vries" in text
    assert "Gemeente Demodorp" in text and "Raadhuisplein 1, 1234 AB Demodorp" in text
    assert "Demodorp, 24 november 2026" in text
    assert "Ons kenmerk: GIR-17" in text and "pagina 1 van" in text


@pytest.mark.parametrize("kind", BAN_KINDS)
def test_the_ban_pdf_shows_start_and_end(kind):
    text = flat(pdf_text(letter_pdf(draft_letter(kind, FACTS, ORG), ORG, FACTS.reference)))
    assert "25 november 2026 tot en met 25 mei 2027" in text


def test_the_edited_draft_is_what_is_printed():
    draft = draft_letter("waarschuwingsbrief", FACTS, ORG)
    edited = draft.replace(
        "Deze keer volstaan wij met een waarschuwing.",
        "Wij hebben uw excuses aanvaard; deze keer blijft het bij een waarschuwing.",
    )

    text = flat(pdf_text(letter_pdf(edited, ORG, FACTS.reference)))

    assert "Wij hebben uw excuses aanvaard; deze keer blijft het bij een waarschuwing." in text
    assert "Deze keer volstaan wij" not in text


def test_typed_and_pasted_characters_stay_readable():
    pasted = (
        "Titel – met “aanhalingstekens”\n\nHij zei: ‘ik wacht je op’ — schade € 120… "
        "Zoë, José, Łukasz, Ahmet Yılmaz, Ştefan 😠\tnaar ﬁnance"
    )

    text = flat(
        pdf_text(letter_pdf(pasted, ORG, "GIR‑17"))
    )  # a non-breaking hyphen in the reference

    assert "Titel – met “aanhalingstekens”" in text
    assert "‘ik wacht je op’ — schade € 120…" in text
    assert "Zoë, José, Lukasz, Ahmet Yilmaz, Stefan ? naar finance" in text
    assert "GIR-17" in text


def test_printable_drops_what_shows_nothing():
    assert printable("a\x00b\u200bc\u0301d\r\ne") == "abcd\ne"
    assert printable("e\u0301") == "é"  # a combining accent joins its letter


def random_text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(0, 60)):
        roll = rng.random()
        if roll < 0.1:
            pieces.append(rng.choice(["\n", "\n\n", "\r\n", "\t", " "]))
        elif roll < 0.2:
            pieces.append("x" * rng.randint(50, 400))  # a word wider than the page
        else:
            pieces.append(chr(rng.randint(0, 0x10FFFF)))
    return "".join(pieces)


def test_any_text_makes_a_pdf():
    rng = random.Random(20261124)
    for _ in range(150):
        org = dataclasses.replace(ORG, name=random_text(rng), place=random_text(rng))
        pdf = letter_pdf(random_text(rng), org, random_text(rng))
        assert pypdf.PdfReader(io.BytesIO(pdf)).pages


def test_a_long_letter_numbers_its_pages():
    long = draft_letter("politiepakket", FACTS, ORG) + "\n\nNog een alinea met meer tekst." * 60
    pages = pypdf.PdfReader(io.BytesIO(letter_pdf(long, ORG, FACTS.reference))).pages

    assert len(pages) > 1
    assert all(
        f"GIR-17 - pagina {n} van {len(pages)}" in page.extract_text()
        for n, page in enumerate(pages, start=1)
    )
