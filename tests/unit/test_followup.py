"""Follow-up driven by the protocol's data and a fake clock: the reaction matrix for every row
and repeat, recidive from the register's history, the Inspectie SZW countdown, aftercare dates
and reminders, bans in the AIR and their breach, who may act, and the to-do list."""

import io
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from services.errors import Conflict, Invalid, NotAllowed, NotFound
from services.followup import correspondence, reaction, service
from services.followup.closing import closing_blockers
from services.followup.letters import OWN_WORDS, Organisation
from services.followup.matrix import advise
from services.followup.views import followup_json, todo_list
from services.incidents import service as incidents
from services.incidents.access import viewer_of
from services.incidents.models import Incident
from services.incidents.views import detail_json
from services.register.service import look_up
from tests.unit.test_incidents import CET, report

# The seed's reaction matrix (§8), written out from the protocol's table, independent of
# services/followup/matrix.py: (kinds, behaviour) -> per repeat level (measure, police). The
# row follows behaviour and kind, never below what the behaviour alone requires (D and E: at
# least "persoonlijke bedreiging"; C: at least "(non)verbale agressie").
SEED_TABLE = {
    (("verbaal",), "C"): [
        "Schriftelijke waarschuwing / -",
        "Pandverbod 1 maand / melding",
        "Contactverbod een half jaar / melding",
    ],
    (("discriminatie",), "C"): [
        "Schriftelijke waarschuwing / -",
        "Pandverbod 1 maand / melding",
        "Contactverbod een half jaar / melding",
    ],
    (("intimidatie",), "D"): [
        "Pandverbod 3 maanden / aangifte",
        "Pandverbod 6–12 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    # the property row stops at 2; E behaviour alone (the threat row) then asks a contact ban
    (("fysiek_zaak",), "E"): [
        "Pandverbod 6–12 maanden / aangifte",
        "Pandverbod 12–18 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    (("fysiek_zaak",), "A"): [
        "Pandverbod 6–12 maanden / aangifte",  # physical is physical
        "Pandverbod 12–18 maanden / aangifte",
        "Pandverbod 12–18 maanden / aangifte",
    ],
    (("fysiek_persoon",), "E"): [
        "Pandverbod 12 maanden / aangifte",
        "Pandverbod 24 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    # combination: the highest sanction, then doubled, then a contact ban; always aangifte
    (("verbaal", "fysiek_zaak"), "E"): [
        "Pandverbod 6–12 maanden / aangifte",
        "Pandverbod 12–24 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    (("intimidatie", "fysiek_persoon"), "E"): [
        "Pandverbod 12 maanden / aangifte",
        "Pandverbod 24 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    # behaviour x kind: a spoken threat is the threat row, not (non)verbal aggression
    (("verbaal",), "D"): [
        "Pandverbod 3 maanden / aangifte",
        "Pandverbod 6–12 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    # threatening suicide ("…dan maak ik er vandaag nog een einde aan") is E, spoken
    (("verbaal",), "E"): [
        "Pandverbod 3 maanden / aangifte",
        "Pandverbod 6–12 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    # raised to the floor, both kinds are the threat row: one row, no combination
    (("verbaal", "intimidatie"), "D"): [
        "Pandverbod 3 maanden / aangifte",
        "Pandverbod 6–12 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    # the heaviest by its sanction: persons' 12 months beats property's 6–12, doubled: 24
    (("fysiek_persoon", "fysiek_zaak"), "E"): [
        "Pandverbod 12 maanden / aangifte",
        "Pandverbod 24 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    (("fysiek_zaak", "fysiek_persoon"), "E"): [
        "Pandverbod 12 maanden / aangifte",
        "Pandverbod 24 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    # C with a threat: a combination; its repeat never below the threat row's own 6–12
    (("verbaal", "intimidatie"), "C"): [
        "Pandverbod 3 maanden / aangifte",
        "Pandverbod 6–12 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    # persistent A/B (§7, §8): a warning at the second incident, then the D row from level 1
    (("verbaal",), "A"): [
        "- / -",
        "Schriftelijke waarschuwing / -",
        "Pandverbod 3 maanden / aangifte",
        "Pandverbod 6–12 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
    (("verbaal",), "B"): [
        "- / -",
        "Schriftelijke waarschuwing / -",
        "Pandverbod 3 maanden / aangifte",
        "Pandverbod 6–12 maanden / aangifte",
        "Contactverbod een half jaar / aangifte",
    ],
}


@pytest.mark.parametrize("kinds,behaviour", list(SEED_TABLE))
def test_reaction_matrix_matches_the_protocols_table(kinds, behaviour):
    for earlier, expected in enumerate(SEED_TABLE[(kinds, behaviour)]):
        step = advise(behaviour, list(kinds), earlier).step
        shown = f"{step.sanction.label} / {step.police or '-'}" if step else "- / -"
        assert shown == expected, (kinds, behaviour, earlier)
    assert advise(behaviour, list(kinds), 7).level == 3  # "nogmaals herhaling" and beyond


def test_emotion_is_not_in_the_matrix_the_first_time():
    for behaviour in "AB":
        advice = advise(behaviour, ["verbaal"], 0)
        assert advice.step is None and "ordegesprek" in advice.note


ORG = Organisation(
    name="Gemeente Demodorp",
    visiting_address="Raadhuisplein 1, Demodorp",
    postal_address="Antwoordnummer 1, Demodorp",
    place="Demodorp",
    signatory_name="M. Hendriks",
    signatory_role="Gemeentesecretaris",
)
AGGRESSOR = {"name": "P. Verhoeven", "address": "Beukenlaan 9, Demodorp"}


def capture(db, events, clock, ids, who="sanne", n=1, **overrides) -> int:
    with db.uow() as uow:
        incident, _ = incidents.report_incident(
            uow,
            events,
            clock,
            viewer=viewer_of(uow.session, ids[who]),
            report=report(
                **{"aggressor": AGGRESSOR, **overrides, "client_id": f"followup-test-{n:04}"}
            ),
        )
        return incident.id


def act(db, clock, ids, who, action, **fields):
    with db.uow() as uow:
        return action(uow, clock, viewer=viewer_of(uow.session, ids[who]), **fields)


def view(db, clock, ids, incident_id, who="lisa") -> dict:
    with db.reader() as uow:
        viewer = viewer_of(uow.session, ids[who])
        return followup_json(
            uow.session, clock.now(), viewer=viewer, incident=uow.session.get(Incident, incident_id)
        )


def test_recidive_counts_the_same_persons_earlier_incidents_in_the_same_row(db, events, clock, ids):
    at = datetime(2026, 11, 1, 10, 0, tzinfo=CET)
    first = capture(
        db, events, clock, ids, n=1, behaviour_type="C", kinds=["verbaal"], occurred_at=at
    )
    capture(
        db,
        events,
        clock,
        ids,
        n=2,
        behaviour_type="D",
        kinds=["intimidatie"],
        occurred_at=at + timedelta(days=1),
    )  # another row: not a repeat of C
    capture(
        db,
        events,
        clock,
        ids,
        n=3,
        behaviour_type="C",
        kinds=["verbaal"],
        occurred_at=at + timedelta(days=2),
        aggressor={"name": "Iemand Anders"},
    )
    second = capture(
        db,
        events,
        clock,
        ids,
        n=4,
        behaviour_type="C",
        kinds=["discriminatie"],
        occurred_at=at + timedelta(days=3),
    )
    advice = view(db, clock, ids, second)["advice"]
    assert advice["level"] == 2 and advice["measure_label"] == "Pandverbod 1 maand"
    assert advice["police"] == "melding"
    assert advice["reason"] == (
        f"Tweede keer (non)verbale agressie (C) van deze persoon sinds 01-11-2026 (GIR-{first})."
    )
    assert view(db, clock, ids, first)["advice"]["level"] == 1


def test_inspectorate_countdown_overdue_warning_and_report(db, events, clock, ids, broker):
    incident_id = capture(db, events, clock, ids, occurred_at=clock.now())
    with db.uow() as uow:
        incidents.update_incident(
            uow,
            events,
            clock,
            viewer=viewer_of(uow.session, ids["sanne"]),
            incident_id=incident_id,
            version=1,
            changes={"serious_criteria": ["ziekenhuisopname"]},
            closing_blockers=closing_blockers,
        )
    [alert] = broker.of_type("followup.serious")
    assert alert.urgent and alert.audience == frozenset({f"user:{ids['lisa']}"})
    clock.advance(hours=20)
    szw = view(db, clock, ids, incident_id)["inspectorate"]
    assert (szw["state"], szw["seconds_left"]) == ("open", 4 * 3600)
    clock.advance(hours=5)
    assert view(db, clock, ids, incident_id)["inspectorate"]["state"] == "overdue"
    assert service.warn_inspectorate_overdue(db, events, clock) == 1
    assert service.warn_inspectorate_overdue(db, events, clock) == 0  # once
    [late] = broker.of_type("followup.szw_overdue")
    assert f"user:{ids['lisa']}" in late.audience and "role:coordinator" in late.audience
    with db.reader() as uow:
        coordinator = todo_list(
            uow.session, clock.now(), viewer_of(uow.session, ids["coordinator"])
        )
    assert [t["incident"]["id"] for t in coordinator] == [incident_id]
    act(
        db,
        clock,
        ids,
        "lisa",
        service.record_inspectorate,
        incident_id=incident_id,
        reported_at=clock.now() - timedelta(minutes=5),
        reference="SZW-123",
    )
    assert view(db, clock, ids, incident_id)["inspectorate"]["state"] == "reported_late"


def test_aftercare_dates_follow_the_incident_and_remind_once(db, events, clock, ids, broker):
    incident_id = capture(
        db, events, clock, ids, occurred_at=datetime(2026, 11, 24, 9, 40, tzinfo=CET)
    )
    steps = {s["step"]: s for s in view(db, clock, ids, incident_id)["aftercare"]}
    assert steps["first_talk"]["due_at"] == "2026-11-24T22:59:00Z"  # 23:59 in Demodorp
    assert steps["second_talk"]["from_on"] == "2026-11-25"
    assert steps["second_talk"]["due_at"] == "2026-11-27T22:59:00Z"
    assert steps["evaluation"]["due_at"] == "2026-12-22T22:59:00Z"  # four weeks
    assert steps["close"]["due_at"] == "2027-02-23T22:59:00Z"  # three months
    assert service.remind_aftercare_due(db, events, clock) == 0  # the report told Lisa
    clock.advance(hours=2)
    assert service.remind_aftercare_due(db, events, clock) == 1  # first talk not yet done
    act(
        db,
        clock,
        ids,
        "lisa",
        service.record_aftercare,
        incident_id=incident_id,
        step="second_talk",
        done_on=date(2026, 11, 24),
        notes="Vroeg gesproken",
        signs=["vermijden_taken"],
        referral=None,
    )
    clock.advance(days=40)
    assert service.remind_aftercare_due(db, events, clock) == 1  # evaluation; second is done
    assert service.remind_aftercare_due(db, events, clock) == 0
    titles = [e.message["title"] for e in broker.of_type("followup.reminder")]
    assert titles == ["Nazorg: Eerste opvanggesprek", "Nazorg: Evaluatiegesprek"]


def test_a_late_report_is_not_reminded_of_steps_already_due(db, events, clock, ids):
    capture(db, events, clock, ids, occurred_at=clock.now() - timedelta(days=10))
    assert service.remind_aftercare_due(db, events, clock) == 0
    clock.advance(days=18)  # the evaluation (four weeks after) is reminded a day before
    assert service.remind_aftercare_due(db, events, clock) == 1


def _move_to(clock, moment: datetime) -> None:
    """Move the fake clock forward to `moment` (never back)."""
    assert moment >= clock.now()
    clock.advance(seconds=(moment - clock.now()).total_seconds())


def _air_active(db, clock, ids, address: str) -> bool:
    with db.uow() as uow:
        entries, _ = look_up(
            uow.session,
            clock,
            user_id=ids["mohammed"],
            address=address,
            client_ref=None,
            purpose="test",
        )
        today = clock.now().date()
        return any(
            m.active_on(today) and m.kind == "pandverbod" for e in entries for m in e.measures
        )


def test_a_ban_goes_into_the_air_ends_by_itself_and_restarts_on_a_breach(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids)
    assert not _air_active(db, clock, ids, "Beukenlaan 9, Demodorp")
    start = date(2026, 11, 24)
    measure = act(
        db,
        clock,
        ids,
        "lisa",
        reaction.issue_measure,
        incident_id=incident_id,
        kind="pandverbod",
        decided_on=start,
        starts_on=start,
        ends_on=date(2027, 2, 24),
        note="D-gedrag",
    )
    assert _air_active(db, clock, ids, "Beukenlaan 9")
    clock.advance(days=60)
    act(
        db,
        clock,
        ids,
        "lisa",
        reaction.record_breach,
        incident_id=incident_id,
        measure_id=measure.id,
        on=date(2027, 1, 20),
        extend_days=30,
        note="Kwam toch naar het loket",
    )
    followup = view(db, clock, ids, incident_id)
    [ban] = followup["measures"]
    assert (ban["starts_on"], ban["ends_on"]) == ("2027-01-20", "2027-05-22")  # 92 + 30 days
    assert followup["police"]["open"] and "lokaalvredebreuk" in followup["police"]["reason"]
    act(
        db,
        clock,
        ids,
        "lisa",
        service.record_police,
        incident_id=incident_id,
        kind="aangifte",
        on=date(2027, 1, 23),
        reference="PL-77",
        domicile=True,
        reason="",
    )
    assert not view(db, clock, ids, incident_id)["police"]["open"]
    clock.advance(minutes=30)
    act(
        db,
        clock,
        ids,
        "lisa",
        reaction.record_breach,
        incident_id=incident_id,
        measure_id=measure.id,
        on=date(2027, 1, 23),
        extend_days=0,
        note="Weer, dezelfde dag",
    )  # a second breach reopens it
    followup = view(db, clock, ids, incident_id)
    assert followup["police"]["open"]
    [ban] = followup["measures"]
    assert (ban["starts_on"], ban["ends_on"]) == ("2027-01-23", "2027-05-25")  # restarted
    _move_to(clock, datetime(2027, 5, 25, 12, 0, tzinfo=CET))  # the last day: still in force
    assert _air_active(db, clock, ids, "Beukenlaan 9")
    _move_to(clock, datetime(2027, 5, 26, 12, 0, tzinfo=CET))  # the day after: over
    assert not _air_active(db, clock, ids, "Beukenlaan 9")
    _move_to(clock, datetime(2027, 6, 2, 12, 0, tzinfo=CET))  # past the restarted end
    assert not _air_active(db, clock, ids, "Beukenlaan 9")


def test_only_the_victims_chain_and_the_coordinator_act_and_everything_is_history(
    db, events, clock, ids
):
    incident_id = capture(db, events, clock, ids)
    with pytest.raises(NotFound):
        act(db, clock, ids, "peter", service.record_absence, incident_id=incident_id, days=4)
    with pytest.raises(NotAllowed):
        act(db, clock, ids, "sanne", service.record_absence, incident_id=incident_id, days=4)
    for who in ("lisa", "gemeentesecretaris", "coordinator"):
        act(db, clock, ids, who, service.record_absence, incident_id=incident_id, days=4)
    act(
        db,
        clock,
        ids,
        "lisa",
        service.record_police,
        incident_id=incident_id,
        kind="aangifte",
        on=date(2026, 11, 24),
        reference="PL-0901",
        domicile=True,
        reason="",
    )
    [filed] = view(db, clock, ids, incident_id)["police"]["records"]
    assert (filed["filed_by"], filed["supported_by"], filed["domicile"]) == (
        "Sanne Jansen",
        "Lisa de Vries",
        True,
    )
    assert view(db, clock, ids, incident_id)["accident_register"] is True  # 4 days absent
    with pytest.raises(Invalid):
        act(
            db,
            clock,
            ids,
            "lisa",
            service.record_police,
            incident_id=incident_id,
            kind="afgezien",
            on=date(2026, 11, 24),
            reference="",
            domicile=False,
            reason=" ",
        )
    with db.uow() as uow:
        _, history = incidents.read_incident(
            uow, clock, viewer_of(uow.session, ids["lisa"]), incident_id
        )
        actions = [(h.action, h.user.username) for h in history]
    with db.uow() as uow:
        viewer = viewer_of(uow.session, ids["sanne"])
        incident, history = incidents.read_incident(uow, clock, viewer, incident_id)
        seen_by_victim = [h["action"] for h in detail_json(incident, viewer, history)["history"]]
    assert seen_by_victim == ["gemeld"]  # the follow-up is for those who act on it
    assert actions == [
        ("gemeld", "sanne"),
        ("verzuim", "lisa"),
        ("verzuim", "gemeentesecretaris"),
        ("verzuim", "coordinator"),
        ("politie", "lisa"),
    ]


def test_responsibility_goes_up_the_chain_to_the_loco_gemeentesecretaris(db, events, clock, ids):
    from services.accounts.models import User
    from services.accounts.responsibility import responsible_for

    expected = {
        "sanne": "lisa",
        "lisa": "gemeentesecretaris",
        "gemeentesecretaris": "loco",
        "coordinator": "gemeentesecretaris",
    }
    with db.uow() as uow:
        for victim, boss in expected.items():
            user = uow.session.get(User, ids[victim])
            assert responsible_for(uow.session, user).username == boss, victim
        uow.session.get(User, ids["lisa"]).active = False  # lisa left: her manager takes over
        assert (
            responsible_for(uow.session, uow.session.get(User, ids["sanne"])).username
            == "gemeentesecretaris"
        )


def test_the_responsible_managers_todo_empties_as_the_work_is_done(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids)

    def todo(who="lisa"):
        with db.reader() as uow:
            found = todo_list(uow.session, clock.now(), viewer_of(uow.session, ids[who]))
        return {t["incident"]["id"]: [i["kind"] for i in t["items"]] for t in found}

    # most urgent first: the first talk is due tonight, the reaction and police tomorrow
    assert todo() == {incident_id: ["aftercare", "reaction", "police", "analysis"]}
    assert todo("gemeentesecretaris") == {} and todo("peter") == {}  # Lisa's to handle
    act(
        db,
        clock,
        ids,
        "lisa",
        reaction.issue_measure,
        incident_id=incident_id,
        kind="pandverbod",
        decided_on=date(2026, 11, 24),
        starts_on=date(2026, 11, 24),
        ends_on=date(2027, 2, 24),
        note="",
    )
    act(
        db,
        clock,
        ids,
        "lisa",
        service.record_police,
        incident_id=incident_id,
        kind="melding",
        on=date(2026, 11, 24),
        reference="",
        domicile=False,
        reason="",
    )
    version = view(db, clock, ids, incident_id)["incident_version"]
    assert isinstance(version, int)
    act(
        db,
        clock,
        ids,
        "lisa",
        service.save_analysis,
        incident_id=incident_id,
        version=version,
        analysis={
            "answers": {},
            "causes": [
                {
                    "kind": "direct",
                    "category": "organisatorisch",
                    "description": "Alleen op huisbezoek",
                    "action": "Risicobezoeken met z'n tweeën",
                    "action_owner_id": ids["lisa"],
                    "action_due_on": "2026-12-15",
                }
            ],
        },
    )
    assert todo() == {incident_id: ["aftercare", "action"]}
    clock.advance(days=21)  # 2026-12-15 09:00: the action is due today, not late
    with db.reader() as uow:
        [entry] = todo_list(uow.session, clock.now(), viewer_of(uow.session, ids["lisa"]))
    assert [(i["kind"], i["overdue"]) for i in entry["items"]] == [
        ("aftercare", True),
        ("action", False),
    ]


def test_a_letter_is_drafted_edited_finalised_and_then_fixed(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids)
    measure = act(
        db,
        clock,
        ids,
        "lisa",
        reaction.issue_measure,
        incident_id=incident_id,
        kind="pandverbod",
        decided_on=date(2026, 11, 24),
        starts_on=date(2026, 11, 24),
        ends_on=date(2027, 2, 24),
        note="",
    )
    with db.uow() as uow:
        viewer = viewer_of(uow.session, ids["lisa"])
        letter = correspondence.draft_incident_letter(
            uow,
            clock,
            viewer=viewer,
            org=ORG,
            incident_id=incident_id,
            kind="pandverbod",
            variant=1,
            measure_id=measure.id,
        )
        letter_id, text = letter.id, letter.text
    assert "P. Verhoeven" in text and "24 februari 2027" in text

    def finalise():
        with db.uow() as uow:
            return correspondence.finalise_letter(
                uow,
                clock,
                viewer=viewer_of(uow.session, ids["lisa"]),
                org=ORG,
                incident_id=incident_id,
                letter_id=letter_id,
            ).pdf

    with pytest.raises(Invalid) as refused:  # the behaviour, cause and course are still open
        finalise()
    assert "3 open plekken" in refused.value.fields["text"]
    assert "Toedracht: …" in refused.value.message
    own = (
        text.replace(OWN_WORDS, "U dreigde onze medewerker buiten op te wachten.")
        .replace("Aanleiding: …", "Aanleiding: een afgewezen aanvraag.")
        .replace("Toedracht: …", "Toedracht: u kwam dreigend dichtbij.")
    )
    act(
        db,
        clock,
        ids,
        "lisa",
        correspondence.edit_letter,
        incident_id=incident_id,
        letter_id=letter_id,
        text=own + "\n\nMet nadruk: dit geldt ook voor de werf.",
    )
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(finalise())).pages)
    assert "P. Verhoeven" in words and "ook voor de werf" in words
    assert "…" not in words and "Toedracht: u kwam" in words
    with pytest.raises(Conflict):
        act(
            db,
            clock,
            ids,
            "lisa",
            correspondence.edit_letter,
            incident_id=incident_id,
            letter_id=letter_id,
            text="anders",
        )


@pytest.mark.parametrize(
    "entry,asked,match",
    [
        ("Beukenlaan 9, Demodorp", "beukenlaan 9", True),  # the town left out
        ("Beukenlaan 9", "Beukenlaan 9, 1234 AB Demodorp", True),
        ("Beukenlaan 9, Demodorp", "Beukenlaan 91", False),
        ("Beukenlaan 9, Demodorp", "Beukenlaan", False),  # a street alone is not an address
    ],
)
def test_register_addresses_match_word_by_word_either_way(entry, asked, match):
    from services.register.service import _address_matches

    assert _address_matches(entry, asked) is match
