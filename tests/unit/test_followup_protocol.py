"""The follow-up to the letter of the protocol, with a fake clock: persistent A/B behaviour,
bans that hold "tot en met" their end and are ended from a day on, one ban at a time and its
extension, a breach only while the ban holds, suspended service from an incident, the
Inspectie SZW's written report with its reminder, letters that name aangifte or melding, and
the to-do list: most urgent first, grouped, the coordinator seeing what is late anywhere."""

from datetime import date, datetime, timedelta

import pytest

from services.errors import Conflict, Invalid
from services.followup import correspondence, reaction, service
from services.followup.closing import closing_blockers
from services.followup.views import followup_json, todo_json, todo_list
from services.incidents import service as incidents
from services.incidents.access import viewer_of
from services.incidents.models import Incident
from services.register import changes
from services.register import service as register
from tests.unit.test_followup import ORG, _move_to
from tests.unit.test_incidents import CET, report

ADDRESS = "Beukenlaan 9, Demodorp"
TODAY = date(2026, 11, 24)  # the fake clock's day


def capture(db, events, clock, ids, n, who="sanne", **overrides) -> int:
    with db.uow() as uow:
        incident, _ = incidents.report_incident(
            uow,
            events,
            clock,
            viewer=viewer_of(uow.session, ids[who]),
            report=report(
                **{
                    "aggressor": {"name": "P. Verhoeven", "address": ADDRESS},
                    **overrides,
                    "client_id": f"protocol-test-{n:04}",
                }
            ),
        )
        return incident.id


def act(db, clock, ids, action, who="lisa", **fields):
    with db.uow() as uow:
        return action(uow, clock, viewer=viewer_of(uow.session, ids[who]), **fields)


def view(db, clock, ids, incident_id, who="lisa") -> dict:
    with db.reader() as uow:
        return followup_json(
            uow.session,
            clock.now(),
            viewer=viewer_of(uow.session, ids[who]),
            incident=uow.session.get(Incident, incident_id),
        )


def ban(db, clock, ids, incident_id, kind="pandverbod", starts=TODAY, ends=date(2027, 2, 23)):
    return act(
        db,
        clock,
        ids,
        reaction.issue_measure,
        incident_id=incident_id,
        kind=kind,
        decided_on=TODAY,
        starts_on=starts,
        ends_on=ends,
        note="",
    )


def finding(db, clock, ids):
    with db.uow() as uow:
        return register.look_up(
            uow.session,
            clock,
            user_id=ids["mohammed"],
            address=ADDRESS,
            client_ref=None,
            purpose="test",
        )[1]


# ---- persistent A/B behaviour ------------------------------------------------------------------


def test_persistent_emotion_is_warned_then_handled_as_d_behaviour(db, events, clock, ids):
    at = datetime(2026, 11, 1, 10, 0, tzinfo=CET)
    first = capture(
        db, events, clock, ids, 1, behaviour_type="A", kinds=["verbaal"], occurred_at=at
    )
    second = capture(
        db,
        events,
        clock,
        ids,
        2,
        behaviour_type="B",
        kinds=["verbaal"],
        occurred_at=at + timedelta(days=3),
    )
    third = capture(
        db,
        events,
        clock,
        ids,
        3,
        behaviour_type="A",
        kinds=["verbaal"],
        occurred_at=at + timedelta(days=9),
    )
    assert view(db, clock, ids, first)["advice"]["measure_label"] == "Ordegesprek"
    warned = view(db, clock, ids, second)["advice"]
    assert (warned["measure"], warned["police"]) == ("waarschuwingsbrief", None)
    assert warned["reason"].startswith(
        "Aanhoudend A/B-gedrag (§7): het tweede incident van "
        f"deze persoon sinds 01-11-2026 (GIR-{first})."
    )
    as_d = view(db, clock, ids, third)["advice"]
    assert (as_d["measure_label"], as_d["police"]) == ("Pandverbod 3 maanden", "aangifte")
    assert as_d["reason"].startswith("Aanhoudend A/B-gedrag: behandeld als D-gedrag (§7).")
    assert f"(GIR-{first}, GIR-{second})" in as_d["reason"]
    assert view(db, clock, ids, third)["police"]["open"]  # D's aangifte is an open step now


# ---- bans in the AIR: "tot en met", ending, one at a time, extension, breach ------------------


def test_a_ban_ended_today_no_longer_holds_today(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, 1)
    measure = ban(db, clock, ids, incident_id, kind="contactverbod")
    assert finding(db, clock, ids).no_contact
    with db.uow() as uow:
        changes.end_measure(
            uow.session,
            clock,
            user_id=ids["lisa"],
            measure_id=measure.air_measure_id,
            reason="Verhuisd",
        )
    assert not finding(db, clock, ids).no_contact  # today's lookup (and check-in) may go
    [shown] = view(db, clock, ids, incident_id)["measures"]
    assert shown["ends_on"] == "2026-11-23"  # "tot en met" the day before


def test_a_ban_ended_from_a_later_day_holds_until_the_day_before(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, 1)
    measure = ban(db, clock, ids, incident_id, kind="contactverbod")
    with db.uow() as uow:
        changes.end_measure(
            uow.session,
            clock,
            user_id=ids["lisa"],
            measure_id=measure.air_measure_id,
            on=date(2026, 12, 1),
            reason="Verhuisd",
        )
        with pytest.raises(Invalid):  # not in the past
            changes.end_measure(
                uow.session,
                clock,
                user_id=ids["lisa"],
                measure_id=measure.air_measure_id,
                on=date(2026, 11, 23),
            )
    _move_to(clock, datetime(2026, 11, 30, 23, 0, tzinfo=CET))
    assert finding(db, clock, ids).no_contact
    _move_to(clock, datetime(2026, 12, 1, 0, 30, tzinfo=CET))
    assert not finding(db, clock, ids).no_contact


def test_a_second_ban_is_refused_and_the_running_one_extended(db, events, clock, ids):
    first = capture(db, events, clock, ids, 1)
    running = ban(db, clock, ids, first)
    second = capture(
        db, events, clock, ids, 2, occurred_at=datetime(2026, 11, 24, 9, 50, tzinfo=CET)
    )
    with pytest.raises(Conflict) as refused:
        ban(db, clock, ids, second, ends=date(2027, 5, 23))
    assert refused.value.message == (
        "Er loopt al een pandverbod voor deze persoon of dit adres (van 24-11-2026 tot en met "
        "23-02-2027). Verleng dat in plaats van een tweede op te leggen."
    )
    assert view(db, clock, ids, second)["measures"] == []
    [offered] = view(db, clock, ids, second)["running"]
    assert (offered["id"], offered["kind"]) == (running.air_measure_id, "pandverbod")
    with pytest.raises(Invalid):  # an extension ends later than now
        act(
            db,
            clock,
            ids,
            reaction.extend_ban,
            incident_id=second,
            air_measure_id=offered["id"],
            decided_on=TODAY,
            ends_on=date(2027, 2, 23),
            note="",
        )
    with pytest.raises(Invalid):  # and at most five years after the start
        act(
            db,
            clock,
            ids,
            reaction.extend_ban,
            incident_id=second,
            air_measure_id=offered["id"],
            decided_on=TODAY,
            ends_on=date(2031, 12, 1),
            note="",
        )
    act(
        db,
        clock,
        ids,
        reaction.extend_ban,
        incident_id=second,
        air_measure_id=offered["id"],
        decided_on=TODAY,
        ends_on=date(2027, 8, 23),
        note="Opnieuw gedreigd",
    )
    [extension] = view(db, clock, ids, second)["measures"]
    assert (extension["kind"], extension["extended_from"], extension["ends_on"]) == (
        "pandverbod",
        "2027-02-23",
        "2027-08-23",
    )
    assert view(db, clock, ids, first)["measures"][0]["ends_on"] == "2027-08-23"  # one ban
    with db.uow() as uow:
        _, history = incidents.read_incident(
            uow, clock, viewer_of(uow.session, ids["lisa"]), second
        )
        [extended] = [h.changes[0] for h in history if h.action == "verlenging"]
        [entry] = register.matching_entries(uow.session, ADDRESS, None)
        assert f"GIR-{second}: verlengd tot en met 23-08-2027" in entry.measures[0].reason
    assert extended["previous_ends_on"] == "2027-02-23" and extended["ends_on"] == "2027-08-23"


def _pandverbod(uow, clock, ids, entry, *, starts_on, ends_on):
    """A pandverbod in the register itself, by Lisa, without a reason."""
    return changes.add_measure(
        uow.session,
        clock,
        user_id=ids["lisa"],
        entry_id=entry.id,
        kind="pandverbod",
        starts_on=starts_on,
        ends_on=ends_on,
        reason="",
    )


def test_the_register_itself_refuses_a_second_ban_too(db, events, clock, ids):
    with db.uow() as uow:
        entry = changes.add_entry(
            uow.session, clock, user_id=ids["lisa"], fields={"address": ADDRESS}
        )
        _pandverbod(uow, clock, ids, entry, starts_on=TODAY, ends_on=date(2027, 1, 31))
        with pytest.raises(Conflict):
            _pandverbod(uow, clock, ids, entry, starts_on=date(2027, 1, 1), ends_on=None)
        later = _pandverbod(
            uow, clock, ids, entry, starts_on=date(2027, 2, 1), ends_on=date(2027, 3, 1)
        )  # after it: fine
        with pytest.raises(Conflict):  # extending the first into the next is a second too
            changes.extend_measure(
                uow.session,
                clock,
                user_id=ids["lisa"],
                measure_id=entry.measures[0].id,
                ends_on=date(2027, 2, 15),
                reason="",
            )
        changes.extend_measure(
            uow.session,
            clock,
            user_id=ids["lisa"],
            measure_id=later.id,
            ends_on=date(2027, 6, 1),
            reason="Weer gezien",
        )
        assert later.ends_on == date(2027, 6, 1)
        assert later.reason == "Verlengd van 01-03-2027 tot en met 01-06-2027: Weer gezien"


def test_the_register_itself_keeps_a_measure_within_five_years(db, events, clock, ids):
    with db.uow() as uow:
        entry = changes.add_entry(
            uow.session, clock, user_id=ids["lisa"], fields={"address": ADDRESS}
        )
        with pytest.raises(Invalid) as refused:
            _pandverbod(
                uow,
                clock,
                ids,
                entry,
                starts_on=TODAY,
                ends_on=TODAY + register.LONGEST + timedelta(days=1),
            )
        assert refused.value.fields == {"ends_on": "meer dan vijf jaar"}
        longest = _pandverbod(
            uow, clock, ids, entry, starts_on=TODAY, ends_on=TODAY + register.LONGEST
        )
        assert longest.ends_on == TODAY + register.LONGEST


def test_a_breach_only_while_the_ban_holds(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, 1)
    measure = ban(db, clock, ids, incident_id, ends=date(2027, 1, 31))
    clock.advance(days=300)
    for day in (date(2027, 2, 1), date(2026, 11, 23)):  # the day after its end, before start
        with pytest.raises(Invalid) as refused:
            act(
                db,
                clock,
                ids,
                reaction.record_breach,
                incident_id=incident_id,
                measure_id=measure.id,
                on=day,
                extend_days=0,
                note="",
            )
        assert refused.value.message == (
            "Het verbod was op die datum niet van kracht: meld een nieuw incident."
        )
    [unchanged] = view(db, clock, ids, incident_id)["measures"]
    assert (unchanged["ends_on"], unchanged["breaches"]) == ("2027-01-31", [])
    act(
        db,
        clock,
        ids,
        reaction.record_breach,
        incident_id=incident_id,
        measure_id=measure.id,
        on=date(2027, 1, 31),
        extend_days=0,
        note="Op de laatste dag",
    )  # its last day still counts
    assert view(db, clock, ids, incident_id)["measures"][0]["starts_on"] == "2027-01-31"


def test_suspended_service_is_decided_on_an_incident_and_stops_contact(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, 1)
    assert not finding(db, clock, ids).no_contact
    act(
        db,
        clock,
        ids,
        reaction.issue_measure,
        incident_id=incident_id,
        kind="opgeschorte_dienstverlening",
        decided_on=TODAY,
        starts_on=TODAY,
        ends_on=None,
        note="Geen dienstverlening tot nader order",
    )  # no end: until ended
    assert finding(db, clock, ids).no_contact
    [shown] = view(db, clock, ids, incident_id)["measures"]
    assert (shown["kind"], shown["in_air"], shown["ends_on"]) == (
        "opgeschorte_dienstverlening",
        True,
        None,
    )


# ---- letters: aangifte or melding, and the measure just recorded -------------------------------


@pytest.mark.parametrize(
    "police,sentence",
    [
        ("aangifte", "Wij hebben aangifte gedaan"),
        ("melding", "Wij hebben uw gedrag gemeld bij de politie"),
    ],
)
def test_the_ban_letter_names_the_police_step_taken(db, events, clock, ids, police, sentence):
    incident_id = capture(db, events, clock, ids, 1)
    measure = ban(db, clock, ids, incident_id)
    act(
        db,
        clock,
        ids,
        service.record_police,
        incident_id=incident_id,
        kind=police,
        on=TODAY,
        reference="PL-1",
        domicile=False,
        reason="",
    )
    defaults = view(db, clock, ids, incident_id)["letter_defaults"]
    assert defaults == {"kind": "pandverbod", "measure_id": measure.id}
    with db.uow() as uow:
        letter = correspondence.draft_incident_letter(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            org=ORG,
            incident_id=incident_id,
            kind="pandverbod",
            variant=1,
            measure_id=defaults["measure_id"],
        )
        text = letter.text
    other = "Wij hebben uw gedrag gemeld" if police == "aangifte" else "aangifte gedaan"
    assert sentence in text and other not in text
    assert "met ingang van 24 november 2026 tot en met 23 februari 2027" in text


def test_a_letter_without_a_name_address_or_period_is_not_final(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, 1, aggressor={"name": "", "address": ADDRESS})
    with db.uow() as uow:
        letter = correspondence.draft_incident_letter(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            org=ORG,
            incident_id=incident_id,
            kind="pandverbod",
            variant=1,
            measure_id=None,
        )
        letter_id = letter.id
    act(
        db,
        clock,
        ids,
        correspondence.edit_letter,
        incident_id=incident_id,
        letter_id=letter_id,
        text="Ontzegging\n\nU mag niet meer komen.",
    )  # every gap typed away, the facts still missing
    with pytest.raises(Invalid) as refused, db.uow() as uow:
        correspondence.finalise_letter(
            uow,
            clock,
            viewer=viewer_of(uow.session, ids["lisa"]),
            org=ORG,
            incident_id=incident_id,
            letter_id=letter_id,
        )
    assert set(refused.value.fields) == {"aggressor", "measure_id"}
    assert "de naam van de agressor" in refused.value.message
    assert "de periode van het verbod" in refused.value.message
    assert view(db, clock, ids, incident_id)["letters"][0]["final"] is False


# ---- Inspectie SZW: phone, then in writing -----------------------------------------------------


def _serious(db, events, clock, ids, n=1) -> int:
    incident_id = capture(db, events, clock, ids, n, occurred_at=clock.now())
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
    return incident_id


def test_the_written_report_follows_the_call_and_is_reminded_once(db, events, clock, ids, broker):
    incident_id = _serious(db, events, clock, ids)
    with pytest.raises(Conflict):  # §9: "daarna ook schriftelijk"
        act(
            db,
            clock,
            ids,
            service.record_written_inspectorate,
            incident_id=incident_id,
            reported_at=clock.now(),
            reference="",
        )
    clock.advance(hours=2)
    act(
        db,
        clock,
        ids,
        service.record_inspectorate,
        incident_id=incident_id,
        reported_at=clock.now(),
        reference="SZW-9",
    )
    written = view(db, clock, ids, incident_id)["inspectorate"]["written"]
    assert (written["state"], written["due_at"]) == ("open", "2026-11-27T11:00:00Z")
    items = view(db, clock, ids, incident_id)["sections"]
    assert {"key": "szw", "state": "open", "open": 1} in items
    assert service.remind_written_inspectorate(db, events, clock) == 0  # not yet
    clock.advance(days=2)
    assert service.remind_written_inspectorate(db, events, clock) == 1  # a day before
    assert service.remind_written_inspectorate(db, events, clock) == 0  # once
    [reminder] = broker.of_type("followup.szw_written")
    assert reminder.audience == frozenset({f"user:{ids['lisa']}"})
    assert "27-11 12:00" in reminder.message["body"]
    clock.advance(days=1, minutes=1)
    with db.reader() as uow:  # late: also in the coordinator's to-do list
        [entry] = todo_list(uow.session, clock.now(), viewer_of(uow.session, ids["coordinator"]))
    assert ("inspectorate_written", True) in [(i["kind"], i["overdue"]) for i in entry["items"]]
    act(
        db,
        clock,
        ids,
        service.record_written_inspectorate,
        incident_id=incident_id,
        reported_at=clock.now(),
        reference="web-1",
    )
    assert view(db, clock, ids, incident_id)["inspectorate"]["written"]["state"] == "reported"


def test_the_written_reminder_is_claimed_once_across_processes(
    db, events, clock, ids, broker, monkeypatch
):
    incident_id = _serious(db, events, clock, ids)
    act(
        db,
        clock,
        ids,
        service.record_inspectorate,
        incident_id=incident_id,
        reported_at=clock.now(),
        reference="",
    )
    clock.advance(days=2, hours=1)
    real_uow = db.uow

    def another_process_first(*args, **kwargs):  # both read it as due; the other writes first
        monkeypatch.setattr(db, "uow", real_uow)
        assert service.remind_written_inspectorate(db, events, clock) == 1
        return real_uow(*args, **kwargs)

    monkeypatch.setattr(db, "uow", another_process_first)
    assert service.remind_written_inspectorate(db, events, clock) == 0  # its claim lost
    assert len(broker.of_type("followup.szw_written")) == 1


# ---- the to-do list ---------------------------------------------------------------------------


def test_todo_most_urgent_first_grouped_with_sections_and_a_count(db, events, clock, ids):
    calm = capture(db, events, clock, ids, 1, occurred_at=clock.now() - timedelta(hours=1))
    urgent = _serious(db, events, clock, ids, 2)
    with db.reader() as uow:
        todo = todo_json(uow.session, clock.now(), viewer_of(uow.session, ids["lisa"]))
    assert [e["incident"]["id"] for e in todo["todo"]] == [urgent, calm]
    [first, second] = todo["todo"]
    assert first["items"][0] == {
        "section": "szw",
        "kind": "inspectorate",
        "urgent": True,
        "label": "Telefonisch melden bij de Inspectie SZW (0800-5151)",
        "due_at": "2026-11-25T09:00:00Z",
        "overdue": False,
    }
    assert [i["section"] for i in second["items"]] == [
        "aftercare",
        "reaction",
        "police",
        "analysis",
    ]
    assert todo["count"] == first["count"] + second["count"] == 9 and todo["first"] == 3


def test_the_coordinator_sees_what_is_late_anywhere(db, events, clock, ids):
    incident_id = capture(db, events, clock, ids, 1, occurred_at=clock.now())

    def coordinator():
        with db.reader() as uow:
            return todo_list(uow.session, clock.now(), viewer_of(uow.session, ids["coordinator"]))

    assert coordinator() == []  # Lisa's, nothing late yet
    clock.advance(hours=25)  # the first talk, the reaction and the police step are late
    [entry] = coordinator()
    assert entry["responsible"]["name"] == "Lisa de Vries"
    assert [i["kind"] for i in entry["items"]] == ["aftercare", "reaction", "police"]
    assert all(i["overdue"] for i in entry["items"])
    act(
        db,
        clock,
        ids,
        reaction.issue_measure,
        incident_id=incident_id,
        kind="ordegesprek",
        decided_on=TODAY,
        starts_on=None,
        ends_on=None,
        note="",
    )
    assert [i["kind"] for i in coordinator()[0]["items"]] == ["aftercare", "police"]
