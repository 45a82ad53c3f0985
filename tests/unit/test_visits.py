"""Visits: risk from the checklists' own data, the register, and overdue escalation driven
with a fake clock on a real SQLite file."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from services.alarms.models import Alarm
from services.checklists.defaults import DEFAULT_CHECKLISTS
from services.checklists.models import Checklist
from services.checklists.scoring import LEVEL_ADVICE, LEVELS, assess
from services.checklists.service import publish_version
from services.clock import FakeClock
from services.errors import Conflict, Invalid, NotAllowed
from services.events.log import EventLog
from services.register.models import RegisterLookup
from services.register.service import add_measure, save_entry
from services.visits import service
from services.visits.models import Visit
from tests.fakes import ListBroker
from tests.unit.test_alarms import at_once_in_two_processes

MINUTE = timedelta(minutes=1)


def checklist(db, key="huisbezoek_sociaal_domein") -> Checklist:
    with db.reader() as uow:
        return uow.session.scalar(select(Checklist).where(Checklist.key == key,
                                                          Checklist.current.is_(True)))


def safe_answers(questions) -> dict:
    return {q["id"]: "nee" if q["risk_answer"] == "ja" else "ja" for q in questions}


def plan(db, clock, worker, address="Kerkstraat 7, Demodorp", answers=None, buddy=None,
         client_ref=None, kind="visit", minutes=45):
    sheet = checklist(db)
    with db.uow() as uow:
        visit = service.plan_visit(
            uow, clock, worker, {"kind": kind, "visit_type": "dienstverlenend",
                                 "address": address, "floor_room": None,
                                 "client_ref": client_ref, "expected_minutes": minutes,
                                 "buddy_id": buddy},
            sheet.id, safe_answers(sheet.questions) if answers is None else answers)
        return visit.id


def check_in(db, events, clock, visit_id, worker):
    with db.uow() as uow:
        return service.check_in(uow, events, clock, MINUTE, visit_id, worker, None).due_at


def sweep(db, clock, events):
    return service.escalate_overdue_visits(db, clock, events, MINUTE)


def told(broker, kind):
    return [{int(k.split(":")[1]) for k in e.audience if k.startswith("user:")}
            for e in broker.of_type(kind)]


@pytest.mark.parametrize("spec", DEFAULT_CHECKLISTS, ids=lambda s: s["key"])
def test_each_checklist_scores_from_its_own_data(spec):
    questions, thresholds = spec["questions"], {"verhoogd": 3, "hoog": 6}
    safe = safe_answers(questions)
    calm = assess(questions, thresholds, safe)
    assert (calm.level, calm.advice) == ("laag", [LEVEL_ADVICE["laag"]])
    for question in questions:  # every risky answer adds its points and its advice
        risky = {**safe, question["id"]: question["risk_answer"]}
        result = assess(questions, thresholds, risky)
        expected = max(("hoog" if question["points"] >= 6 else
                        "verhoogd" if question["points"] >= 3 else "laag"),
                       question.get("floor") or "laag", key=LEVELS.index)
        assert result.level == expected, question["id"]
        assert question["advice"] in result.advice
    unknown = assess(questions, thresholds, {q: "weet_niet" for q in safe})
    assert unknown.level != "laag"  # not knowing is itself a risk signal


def test_contact_ban_in_the_register_means_niet_gaan_and_no_check_in_without_override(
        db, events, clock, ids):
    visit_id = plan(db, clock, ids["sanne"], address="Lindelaan 21, Demodorp")
    with db.reader() as uow:
        visit = uow.session.get(Visit, visit_id)
        assert (visit.risk_level, visit.no_contact) == ("niet_gaan", True)
        logged = uow.session.scalars(select(RegisterLookup)
                                     .where(RegisterLookup.user_id == ids["sanne"])).all()
        assert logged[-1].query["address"] == "Lindelaan 21, Demodorp"
        assert len(logged[-1].matched_ids) == 1
    with pytest.raises(Conflict):
        check_in(db, events, clock, visit_id, ids["sanne"])
    with db.uow() as uow, pytest.raises(NotAllowed):
        service.override_no_contact(uow, clock, ids["peter"], visit_id, "ander team")
    with db.uow() as uow:
        service.override_no_contact(uow, clock, ids["lisa"], visit_id,
                                    "Samen met wijkagent, afgestemd met politie")
    check_in(db, events, clock, visit_id, ids["sanne"])
    with db.reader() as uow:
        visit = uow.session.get(Visit, visit_id)
        assert (visit.state, visit.override_by_id) == ("active", ids["lisa"])
        assert visit.override_reason.startswith("Samen met wijkagent")


def test_register_match_by_client_reference_and_word_wise_address(db, clock, ids):
    by_ref = plan(db, clock, ids["sanne"], address="Ergens anders 1", client_ref="k-1042")
    near_miss = plan(db, clock, ids["sanne"], address="Molenweg 31, Demodorp")
    hit = plan(db, clock, ids["sanne"], address="molenweg 3 Demodorp")
    with db.reader() as uow:
        levels = {v: (uow.session.get(Visit, v).risk_level, uow.session.get(Visit, v).register_match)
                  for v in (by_ref, near_miss, hit)}
    assert levels[by_ref] == ("niet_gaan", True)
    assert levels[near_miss] == ("laag", False)
    assert levels[hit] == ("hoog", True)  # D-behaviour and a pandverbod


def test_overdue_visit_prompts_then_alerts_buddy_and_team_then_manager_once_each(
        db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    clock.advance(minutes=44)
    assert sweep(db, clock, events) == 0
    clock.advance(minutes=1)
    assert sweep(db, clock, events) == 1 and sweep(db, clock, events) == 0
    assert told(broker, "visit.prompt") == [{ids["sanne"], ids["mohammed"]}]  # the pair
    clock.advance(minutes=5)
    assert sweep(db, clock, events) == 1
    assert told(broker, "visit.overdue")[0] == {ids["mohammed"], ids["anouk"]}
    clock.advance(minutes=10)
    assert sweep(db, clock, events) == 1
    assert told(broker, "visit.overdue")[1] == {ids["lisa"], ids["coordinator"]}
    clock.advance(hours=2)
    assert sweep(db, clock, events) == 0
    alert = broker.of_type("visit.overdue")[1]
    assert "Kerkstraat 7" in alert.message["body"] and alert.urgent


def test_alles_goed_stands_down_and_tells_those_already_alerted(db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    clock.advance(minutes=50)
    sweep(db, clock, events)
    sweep(db, clock, events)  # prompted, then buddy and team alerted
    with db.uow() as uow:
        visit = service.confirm_ok(uow, events, clock, MINUTE, visit_id, ids["sanne"])
        assert visit.due_at == clock.now() + 15 * MINUTE
    assert told(broker, "visit.stood_down") == [{ids["mohammed"], ids["anouk"]}]
    clock.advance(minutes=14)
    assert sweep(db, clock, events) == 0
    clock.advance(minutes=1)
    assert sweep(db, clock, events) == 1  # a new cycle: the pair is asked again, nobody else
    assert told(broker, "visit.prompt")[-1] == {ids["sanne"], ids["mohammed"]}
    assert len(told(broker, "visit.overdue")) == 1


def test_extend_and_check_out_stop_the_clock(db, events, clock, ids):
    visit_id = plan(db, clock, ids["sanne"])
    due = check_in(db, events, clock, visit_id, ids["sanne"])
    with db.uow() as uow:
        extended = service.extend(uow, events, clock, MINUTE, visit_id, ids["sanne"], 30)
        assert extended.due_at == due + 30 * MINUTE
    with db.uow() as uow:
        service.check_out(uow, events, clock, visit_id, ids["sanne"])
    clock.advance(hours=3)
    assert sweep(db, clock, events) == 0


def test_register_match_shortens_the_grace(db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], address="Molenweg 3, Demodorp")
    check_in(db, events, clock, visit_id, ids["sanne"])
    clock.advance(minutes=45)
    sweep(db, clock, events)
    clock.advance(minutes=2)
    assert sweep(db, clock, events) == 1 and told(broker, "visit.overdue")


def test_two_sweepers_and_a_restart_fire_each_step_once(db, instance, clock, ids):
    visit_id = plan(db, clock, ids["sanne"])
    check_in(db, EventLog(clock, ListBroker()), clock, visit_id, ids["sanne"])
    clock.advance(minutes=45)
    brokers = []

    def run(database):
        brokers.append(ListBroker())
        return service.escalate_overdue_visits(database, clock, EventLog(clock, brokers[-1]),
                                               MINUTE)

    assert sorted(at_once_in_two_processes(instance, run)) == [0, 1]
    clock.advance(minutes=5)
    assert sorted(at_once_in_two_processes(instance, run)) == [0, 1]  # new engines: a restart
    assert sum(len(b.of_type("visit.prompt")) for b in brokers) == 1
    assert sum(len(b.of_type("visit.overdue")) for b in brokers) == 1


def test_not_ok_raises_an_alarm_that_reaches_the_buddy(db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    answers = []
    for _ in range(2):  # a retried answer raises one alarm
        with db.uow() as uow:
            answers.append(service.not_ok(uow, events, clock, visit_id, ids["sanne"])[1].id)
    assert answers[0] == answers[1]
    with db.reader() as uow:
        assert [a.visit_id for a in uow.session.scalars(select(Alarm))] == [visit_id]
    assert len(broker.of_type("alarm.raised")) == 1
    assert ids["mohammed"] in told(broker, "alarm.raised")[0]


@pytest.mark.parametrize("change,field", [
    ({"answers": {"nope": "ja"}}, "answers.nope"),
    ({"answers": {}}, "answers.history"),
    ({"buddy": "kim"}, "buddy_id"),
    ({"buddy": "sanne"}, "buddy_id"),
])
def test_bad_plans_are_refused_with_the_field(db, clock, ids, change, field):
    sheet = checklist(db)
    answers = change.get("answers", safe_answers(sheet.questions))
    buddy = ids[change["buddy"]] if "buddy" in change else None
    with pytest.raises(Invalid) as refused:
        plan(db, clock, ids["sanne"], answers=answers, buddy=buddy)
    assert field in refused.value.fields


def test_answers_for_a_replaced_checklist_version_are_refused(db, clock, ids):
    old = checklist(db)
    with db.uow() as uow:
        publish_version(uow.session, clock, ids["coordinator"], old.key, old.title,
                        old.questions[:3])
    with db.uow() as uow, pytest.raises(Invalid) as refused:
        service.plan_visit(uow, clock, ids["sanne"], {
            "kind": "visit", "visit_type": None, "address": "Kerkstraat 7", "floor_room": None,
            "client_ref": None, "expected_minutes": 30, "buddy_id": None},
            old.id, safe_answers(old.questions))
    assert refused.value.fields == {"checklist_id": "oude versie"}


def test_a_worker_sees_only_own_visits_and_a_manager_only_their_teams(db, events, clock, ids):
    sanne_visit = plan(db, clock, ids["sanne"])
    check_in(db, events, clock, sanne_visit, ids["sanne"])
    kim_visit = plan(db, clock, ids["kim"])
    check_in(db, events, clock, kim_visit, ids["kim"])
    with db.reader() as uow:
        def seen(name):
            return {v.id for v in service.visible_visits(uow.session, ids[name])}
        assert seen("mohammed") == set()
        assert seen("lisa") == {sanne_visit}
        assert seen("coordinator") == {sanne_visit, kim_visit}


def test_a_pair_shares_the_visit_either_may_answer(db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    with db.uow() as uow, pytest.raises(NotAllowed):
        service.check_in(uow, events, clock, MINUTE, visit_id, ids["mohammed"], None)
    check_in(db, events, clock, visit_id, ids["sanne"])
    with db.reader() as uow:
        assert [v.id for v in service.visible_visits(uow.session, ids["mohammed"])] == [visit_id]
    clock.advance(minutes=45)
    sweep(db, clock, events)
    assert told(broker, "visit.prompt") == [{ids["sanne"], ids["mohammed"]}]
    with db.uow() as uow:  # the buddy answers for the pair
        assert service.confirm_ok(uow, events, clock, MINUTE, visit_id,
                                  ids["mohammed"]).fired_steps == 0
    with db.uow() as uow:  # and the buddy's "nee" alarms the partner too
        _, alarm = service.not_ok(uow, events, clock, visit_id, ids["mohammed"])
        assert alarm.worker_id == ids["mohammed"]
    assert ids["sanne"] in told(broker, "alarm.raised")[-1]


def test_measures_run_by_the_dutch_calendar_day(db, clock, ids):
    """A contactverbod starting "today" is in force at 00:30 Dutch time (23:30 UTC)."""
    late = FakeClock(datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc))  # 00:30 on the 25th
    with db.uow() as uow:
        entry = save_entry(uow.session, late, ids["lisa"], {"address": "Populierlaan 9"})
        add_measure(uow.session, late, ids["lisa"], entry.id, "contactverbod",
                    date(2026, 11, 25), None, "E-gedrag")
    visit_id = plan(db, late, ids["sanne"], address="Populierlaan 9")
    with db.reader() as uow:
        assert uow.session.get(Visit, visit_id).risk_level == "niet_gaan"
