"""Visits: risk from the checklists' own data, the register read at planning and again at
check-in, permission for "niet gaan", going alone, the reminder, overdue escalation with its
answers and the PIN on "Alles goed" — driven with a fake clock on a real SQLite file."""

from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import select

from services.alarms import at_visits
from services.alarms.models import Alarm
from services.alarms.service import open_alarms_for, timeline_of
from services.alarms.views import timeline_view
from services.audit.models import AuditEntry
from services.checklists.defaults import DEFAULT_CHECKLISTS
from services.checklists.models import Checklist
from services.checklists.scoring import LEVEL_ADVICE, LEVELS, assess
from services.checklists.service import publish_version
from services.clock import FakeClock
from services.errors import Busy, Conflict, Invalid, NotAllowed, NotFound
from services.escalation.overdue_policy import (
    DEFAULT_OVERDUE_POLICY,
    grace_minutes,
    validate_overdue_policy,
)
from services.events.log import EventLog
from services.register.changes import add_entry, add_measure
from services.visits import overdue, permission, service
from services.visits.models import Visit, VisitLog
from services.visits.recheck import NEW_DANGER, NEW_MATCH, NEW_NO_CONTACT
from services.visits.views import visit_json
from tests.fakes import ListBroker
from tests.unit.races import at_once_in_two_processes

MINUTE = timedelta(minutes=1)
PIN, DURESS_PIN = "4826", "7391"  # the demo's


def checklist(db, key="huisbezoek_sociaal_domein") -> Checklist:
    with db.reader() as uow:
        return uow.session.scalar(
            select(Checklist).where(Checklist.key == key, Checklist.current.is_(True))
        )


def safe_answers(questions) -> dict:
    return {q["id"]: "nee" if q["risk_answer"] == "ja" else "ja" for q in questions}


def plan(
    db,
    clock,
    worker,
    address="Kerkstraat 7, Demodorp",
    answers=None,
    buddy=None,
    client_ref=None,
    kind="visit",
    minutes=45,
):
    sheet = checklist(db)
    with db.uow() as uow:
        visit = service.plan_visit(
            uow,
            clock,
            worker_id=worker,
            details={
                "kind": kind,
                "visit_type": "dienstverlenend",
                "address": address,
                "floor_room": None,
                "client_ref": client_ref,
                "expected_minutes": minutes,
                "buddy_id": buddy,
            },
            checklist_id=sheet.id,
            answers=safe_answers(sheet.questions) if answers is None else answers,
        )
        return visit.id


def try_check_in(db, events, clock, visit_id, worker, alone_confirmed=False):
    """(visit as json, refusal or None), after the commit."""
    with db.uow() as uow:
        visit, refusal = service.check_in(
            uow,
            events,
            clock,
            MINUTE,
            visit_id=visit_id,
            worker_id=worker,
            position=None,
            alone_confirmed=alone_confirmed,
        )
        return visit_json(visit, clock.now()), refusal


def check_in(db, events, clock, visit_id, worker, alone_confirmed=False):
    visit, refusal = try_check_in(db, events, clock, visit_id, worker, alone_confirmed)
    assert refusal is None, refusal.message
    return datetime.fromisoformat(visit["due_at"])


def alles_goed(db, events, clock, visit_id, worker, pin=None):
    with db.uow() as uow:
        visit, refusal = service.confirm_ok(
            uow, events, clock, MINUTE, visit_id=visit_id, worker_id=worker, pin=pin
        )
        return visit_json(visit, clock.now()), refusal


def sweep(db, clock, events):
    return overdue.escalate_overdue_visits(db, clock, events, MINUTE)


def told(broker, kind):
    return [
        {int(k.split(":")[1]) for k in e.audience if k.startswith("user:")}
        for e in broker.of_type(kind)
    ]


def stored(db, visit_id) -> Visit:
    with db.reader() as uow:
        visit = uow.session.get(Visit, visit_id)
        uow.session.expunge(visit)
        return visit


def register_measure(db, clock, ids, address, kind, reason="Sloeg een medewerker (GIR-9)", **entry):
    """The manager records a measure for `address` (a new register entry) from today."""
    with db.uow() as uow:
        found = add_entry(
            uow.session,
            clock,
            user_id=ids["lisa"],
            fields={"address": address, "name": "A. Agressor", **entry},
        )
        if kind:
            add_measure(
                uow.session,
                clock,
                user_id=ids["lisa"],
                entry_id=found.id,
                kind=kind,
                starts_on=date(2026, 11, 24),
                ends_on=None,
                reason=reason,
            )


def in_two_processes(db, clock, sweep_task, brokers) -> list[int]:
    """What `sweep_task(db, clock, events)` returns in two processes at once, each with new
    engines (as after a restart); the events of each land in `brokers`."""

    def run(database):
        brokers.append(ListBroker())
        return sweep_task(database, clock, EventLog(clock, brokers[-1]))

    return sorted(at_once_in_two_processes(db.url, run))


def lookups(db, user_id, purpose):
    with db.reader() as uow:
        return uow.session.scalars(
            select(AuditEntry).where(AuditEntry.actor_id == user_id, AuditEntry.purpose == purpose)
        ).all()


@pytest.mark.parametrize("spec", DEFAULT_CHECKLISTS, ids=lambda s: s["key"])
def test_each_checklist_scores_from_its_own_data(spec):
    questions, thresholds = spec["questions"], {"verhoogd": 3, "hoog": 6}
    safe = safe_answers(questions)
    calm = assess(questions, thresholds, safe)
    assert (calm.level, calm.advice) == ("laag", [LEVEL_ADVICE["laag"]])
    for question in questions:  # every risky answer adds its points and its advice
        risky = {**safe, question["id"]: question["risk_answer"]}
        result = assess(questions, thresholds, risky)
        expected = max(
            (
                "hoog"
                if question["points"] >= 6
                else "verhoogd"
                if question["points"] >= 3
                else "laag"
            ),
            question.get("floor") or "laag",
            key=LEVELS.index,
        )
        assert result.level == expected, question["id"]
        assert question["advice"] in result.advice
    unknown = assess(questions, thresholds, {q: "weet_niet" for q in safe})
    assert unknown.level != "laag"  # not knowing is itself a risk signal


def test_contact_ban_in_the_register_means_niet_gaan_and_no_check_in_without_permission(
    db, events, clock, ids
):
    visit_id = plan(db, clock, ids["sanne"], address="Lindelaan 21, Demodorp")
    visit = stored(db, visit_id)
    assert (visit.risk_level, visit.no_contact) == ("niet_gaan", True)
    logged = lookups(db, ids["sanne"], "bezoek plannen")
    assert logged[-1].shown["query"]["address"] == "Lindelaan 21, Demodorp"
    assert len(logged[-1].shown["matched_ids"]) == 1
    shown, refusal = try_check_in(db, events, clock, visit_id, ids["sanne"])
    assert isinstance(refusal, Conflict) and "Vraag toestemming" in refusal.message
    assert shown["state"] == "planned" and shown["can"] == {
        "check_in": False,
        "request_permission": True,
    }
    assert len(lookups(db, ids["sanne"], "inchecken")) == 1  # kept, though refused


def test_register_match_by_client_reference_and_word_wise_address(db, clock, ids):
    by_ref = plan(db, clock, ids["sanne"], address="Ergens anders 1", client_ref="k-1042")
    near_miss = plan(db, clock, ids["sanne"], address="Molenweg 31, Demodorp")
    hit = plan(db, clock, ids["sanne"], address="molenweg 3 Demodorp")
    with db.reader() as uow:
        levels = {
            v: (uow.session.get(Visit, v).risk_level, uow.session.get(Visit, v).register_match)
            for v in (by_ref, near_miss, hit)
        }
    assert levels[by_ref] == ("niet_gaan", True)
    assert levels[near_miss] == ("laag", False)
    assert levels[hit] == ("hoog", True)  # D-behaviour and a pandverbod


def test_overdue_visit_prompts_then_alerts_buddy_and_team_then_manager_once_each(
    db, events, clock, broker, ids
):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    clock.advance(minutes=44)
    assert sweep(db, clock, events) == 0
    clock.advance(minutes=1)
    assert sweep(db, clock, events) == 1 and sweep(db, clock, events) == 0
    assert told(broker, "visit.prompt") == [{ids["sanne"], ids["mohammed"]}]  # the pair
    clock.advance(minutes=9)  # the grace of a laag visit: 10 minutes
    assert sweep(db, clock, events) == 0
    clock.advance(minutes=1)
    assert sweep(db, clock, events) == 1
    assert told(broker, "visit.overdue")[0] == {ids["mohammed"], ids["anouk"]}
    clock.advance(minutes=5)
    assert sweep(db, clock, events) == 1
    assert told(broker, "visit.overdue")[1] == {ids["lisa"], ids["coordinator"]}
    clock.advance(hours=2)
    assert sweep(db, clock, events) == 0
    alert = broker.of_type("visit.overdue")[1]
    assert "Kerkstraat 7" in alert.message["body"] and alert.urgent


def test_alles_goed_stands_down_and_tells_those_already_alerted(db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    clock.advance(minutes=55)
    sweep(db, clock, events)
    sweep(db, clock, events)  # prompted, then buddy and team alerted
    visit, _ = alles_goed(db, events, clock, visit_id, ids["sanne"])
    assert datetime.fromisoformat(visit["due_at"]) == clock.now() + 15 * MINUTE
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
        extended = service.extend(
            uow, events, clock, MINUTE, visit_id=visit_id, worker_id=ids["sanne"], minutes=30
        )
        assert extended.due_at == due + 30 * MINUTE
    with db.uow() as uow:
        service.check_out(uow, events, clock, visit_id=visit_id, worker_id=ids["sanne"])
    clock.advance(hours=3)
    assert sweep(db, clock, events) == 0


@pytest.mark.parametrize(
    "address,buddy,grace",
    [
        ("Kerkstraat 7, Demodorp", None, 10),  # laag
        ("Molenweg 3, Demodorp", "mohammed", 2),  # hoog by the register: its grace
    ],
)
def test_the_grace_follows_the_risk_level(db, events, clock, broker, ids, address, buddy, grace):
    visit_id = plan(db, clock, ids["sanne"], address=address, buddy=ids[buddy] if buddy else None)
    check_in(db, events, clock, visit_id, ids["sanne"])
    clock.advance(minutes=45)
    sweep(db, clock, events)
    clock.advance(minutes=grace - 1)
    assert sweep(db, clock, events) == 0
    clock.advance(minutes=1)
    assert sweep(db, clock, events) == 1 and told(broker, "visit.overdue")


def test_the_overdue_policy_is_a_grace_per_level_never_longer_for_a_higher_level():
    assert validate_overdue_policy(DEFAULT_OVERDUE_POLICY) == DEFAULT_OVERDUE_POLICY
    grace = DEFAULT_OVERDUE_POLICY["grace_minutes"]
    assert grace["hoog"] < grace["verhoogd"] < grace["laag"]
    assert grace_minutes(DEFAULT_OVERDUE_POLICY, "laag", register_match=True) == grace["hoog"]
    for wrong in (
        {**DEFAULT_OVERDUE_POLICY, "grace_minutes": {**grace, "hoog": 30}},
        {**DEFAULT_OVERDUE_POLICY, "grace_minutes": {"laag": 5}},
        {**DEFAULT_OVERDUE_POLICY, "grace_minutes": {**grace, "laag": True}},
        {**DEFAULT_OVERDUE_POLICY, "manager_after_minutes": 0},
        {"grace_minutes": 5, "register_grace_minutes": 2, "manager_after_minutes": 10},
    ):
        with pytest.raises(Invalid):
            validate_overdue_policy(wrong)


def test_two_sweepers_and_a_restart_fire_each_step_once(db, clock, ids):
    visit_id = plan(db, clock, ids["sanne"])
    check_in(db, EventLog(clock, ListBroker()), clock, visit_id, ids["sanne"])
    clock.advance(minutes=45)
    brokers, escalate = [], partial(overdue.escalate_overdue_visits, minute=MINUTE)
    assert in_two_processes(db, clock, escalate, brokers) == [0, 1]
    clock.advance(minutes=10)
    assert in_two_processes(db, clock, escalate, brokers) == [0, 1]  # a restart
    assert sum(len(b.of_type("visit.prompt")) for b in brokers) == 1
    assert sum(len(b.of_type("visit.overdue")) for b in brokers) == 1


def test_not_ok_raises_an_alarm_that_reaches_the_buddy(db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    answers = []
    for _ in range(2):  # a retried answer raises one alarm
        with db.uow() as uow:
            answers.append(
                at_visits.not_ok(uow, events, clock, visit_id=visit_id, worker_id=ids["sanne"])[
                    1
                ].id
            )
    assert answers[0] == answers[1]
    with db.reader() as uow:
        assert [a.visit_id for a in uow.session.scalars(select(Alarm))] == [visit_id]
    assert len(broker.of_type("alarm.raised")) == 1
    assert ids["mohammed"] in told(broker, "alarm.raised")[0]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"answers": {"nope": "ja"}}, "answers.nope"),
        ({"answers": {}}, "answers.history"),
        ({"buddy": "kim"}, "buddy_id"),
        ({"buddy": "sanne"}, "buddy_id"),
    ],
)
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
        publish_version(
            uow.session,
            clock,
            user_id=ids["coordinator"],
            key=old.key,
            title=old.title,
            questions=old.questions[:3],
        )
    with db.uow() as uow, pytest.raises(Invalid) as refused:
        service.plan_visit(
            uow,
            clock,
            worker_id=ids["sanne"],
            details={
                "kind": "visit",
                "visit_type": None,
                "address": "Kerkstraat 7",
                "floor_room": None,
                "client_ref": None,
                "expected_minutes": 30,
                "buddy_id": None,
            },
            checklist_id=old.id,
            answers=safe_answers(old.questions),
        )
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
    with pytest.raises(NotAllowed):
        try_check_in(db, events, clock, visit_id, ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    with db.reader() as uow:
        assert [v.id for v in service.visible_visits(uow.session, ids["mohammed"])] == [visit_id]
    clock.advance(minutes=45)
    sweep(db, clock, events)
    assert told(broker, "visit.prompt") == [{ids["sanne"], ids["mohammed"]}]
    visit, _ = alles_goed(db, events, clock, visit_id, ids["mohammed"])  # for the pair
    assert visit["status"] == "on_time"
    with db.uow() as uow:  # and the buddy's "nee" alarms the partner too
        _, alarm = at_visits.not_ok(
            uow, events, clock, visit_id=visit_id, worker_id=ids["mohammed"]
        )
        assert alarm.worker_id == ids["mohammed"]
    assert ids["sanne"] in told(broker, "alarm.raised")[-1]


def test_measures_run_by_the_dutch_calendar_day(db, clock, ids):
    """A contactverbod starting "today" is in force at 00:30 Dutch time (23:30 UTC)."""
    late = FakeClock(datetime(2026, 11, 24, 23, 30, tzinfo=UTC))  # 00:30 on the 25th
    with db.uow() as uow:
        entry = add_entry(
            uow.session, late, user_id=ids["lisa"], fields={"address": "Populierlaan 9"}
        )
        add_measure(
            uow.session,
            late,
            user_id=ids["lisa"],
            entry_id=entry.id,
            kind="contactverbod",
            starts_on=date(2026, 11, 25),
            ends_on=None,
            reason="E-gedrag",
        )
    visit_id = plan(db, late, ids["sanne"], address="Populierlaan 9")
    with db.reader() as uow:
        assert uow.session.get(Visit, visit_id).risk_level == "niet_gaan"


# ---- the register at check-in --------------------------------------------------------------


def test_a_contact_ban_recorded_between_planning_and_check_in_refuses_the_check_in(
    db, events, clock, ids
):
    visit_id = plan(db, clock, ids["sanne"], address="Beukenlaan 5, Demodorp")
    assert stored(db, visit_id).risk_level == "laag"
    register_measure(db, clock, ids, "Beukenlaan 5", "contactverbod")
    clock.advance(hours=2)
    shown, refusal = try_check_in(db, events, clock, visit_id, ids["sanne"])
    assert isinstance(refusal, Conflict)
    assert "contactverbod" in refusal.message and "Vraag toestemming" in refusal.message
    assert (shown["state"], shown["risk_level"], shown["air"]["no_contact"]) == (
        "planned",
        "niet_gaan",
        True,
    )
    change = shown["register_change"]
    assert (change["from"], change["to"], change["reason"]) == ("laag", "niet_gaan", NEW_NO_CONTACT)
    assert change["message"].startswith(
        "Sinds je planning is er iets veranderd in het register: er geldt nu een contactverbod"
    )
    assert "Agressor" not in str(shown) and "Sloeg" not in str(shown)  # need-to-know
    (lookup,) = lookups(db, ids["sanne"], "inchecken")
    assert (
        lookup.shown["matched_ids"] and lookup.shown["query"]["address"] == "Beukenlaan 5, Demodorp"
    )
    _, again = try_check_in(db, events, clock, visit_id, ids["sanne"])
    assert isinstance(again, Conflict)  # still refused; the change is recorded once
    with db.reader() as uow:
        kinds = uow.session.scalars(
            select(VisitLog.kind).where(VisitLog.visit_id == visit_id)
        ).all()
    assert kinds.count("register_changed") == 1 and kinds.count("check_in_refused") == 2


def test_a_ban_recorded_after_planning_raises_the_level_and_shortens_the_grace(
    db, events, clock, broker, ids
):
    visit_id = plan(
        db, clock, ids["sanne"], address="Beukenlaan 5, Demodorp", buddy=ids["mohammed"]
    )
    register_measure(db, clock, ids, "Beukenlaan 5", "pandverbod")
    check_in(db, events, clock, visit_id, ids["sanne"])
    visit = stored(db, visit_id)
    assert (visit.risk_level, visit.register_match) == ("hoog", True)
    assert visit.register_change["reason"] == NEW_DANGER
    assert visit.advice[0] == LEVEL_ADVICE["hoog"]
    clock.advance(minutes=45)
    sweep(db, clock, events)  # "Alles goed?"
    clock.advance(minutes=2)  # the hoog grace, not the laag one of the planning
    assert sweep(db, clock, events) == 1 and told(broker, "visit.overdue")


def test_a_new_register_match_never_lowers_the_level(db, events, clock, ids):
    sheet = checklist(db)
    risky = {**safe_answers(sheet.questions), "weapons": "ja"}  # floor hoog
    visit_id = plan(
        db,
        clock,
        ids["sanne"],
        address="Beukenlaan 5, Demodorp",
        answers=risky,
        buddy=ids["mohammed"],
    )
    register_measure(
        db, clock, ids, "Beukenlaan 5", None, known_aggressive=True, behaviour_type="C"
    )  # on its own: verhoogd
    check_in(db, events, clock, visit_id, ids["sanne"])
    visit = stored(db, visit_id)
    assert (visit.risk_level, visit.register_match) == ("hoog", True)
    assert visit.register_change == {
        "from": "hoog",
        "to": "hoog",
        "reason": NEW_MATCH,
        "at": "2026-11-24T09:00:00Z",
    }
    assert visit.policy[1]["after_minutes"] == 2


# ---- permission for "niet gaan" ------------------------------------------------------------

REASON = "Zorgmelding: kinderen in huis, samen met de wijkagent"


def ask(db, events, clock, visit_id, user, reason=REASON):
    with db.uow() as uow:
        return visit_json(
            permission.request_permission(
                uow, events, clock, visit_id=visit_id, user_id=user, reason=reason
            ),
            clock.now(),
        )


def decide(db, events, clock, manager, visit_id, approve, reason="Afgestemd met de politie"):
    with db.uow() as uow:
        return visit_json(
            permission.decide_permission(
                uow,
                events,
                clock,
                manager_id=manager,
                visit_id=visit_id,
                approve=approve,
                reason=reason,
            ),
            clock.now(),
        )


def requests_for(db, clock, user):
    with db.uow() as uow:
        return permission.permission_requests(uow.session, clock, user)


def test_a_permission_request_reaches_the_manager_with_the_registers_reason(
    db, events, clock, broker, ids
):
    visit_id = plan(db, clock, ids["sanne"], address="Lindelaan 21, Demodorp")
    shown = ask(db, events, clock, visit_id, ids["sanne"])
    assert shown["permission"]["state"] == "requested"
    assert shown["permission"]["label"] == "Toestemming gevraagd"
    assert shown["can"] == {"check_in": False, "request_permission": False}
    (alert,) = broker.of_type("visit.override_requested")
    assert alert.audience == {f"user:{ids['lisa']}"} and alert.urgent and alert.push
    assert alert.message["data"]["visit"]["id"] == visit_id
    with pytest.raises(Conflict):  # asked once; the manager decides
        ask(db, events, clock, visit_id, ids["sanne"])

    (request,) = requests_for(db, clock, ids["lisa"])
    assert (request["visit"]["id"], request["reason"]) == (visit_id, REASON)
    assert request["requested_by"] == {"id": ids["sanne"], "name": "Sanne Jansen"}
    assert request["register_reason"].startswith("Contactverbod van ")
    assert len(lookups(db, ids["lisa"], "toestemming beoordelen")) == 1
    assert requests_for(db, clock, ids["peter"]) == []  # another team's manager
    assert [r["visit"]["id"] for r in requests_for(db, clock, ids["coordinator"])] == [visit_id]
    with pytest.raises(NotAllowed):
        requests_for(db, clock, ids["mohammed"])


def test_an_approval_allows_the_check_in_today_and_not_tomorrow(db, events, clock, broker, ids):
    today = plan(db, clock, ids["sanne"], address="Lindelaan 21, Demodorp", buddy=ids["mohammed"])
    later = plan(db, clock, ids["anouk"], address="Lindelaan 21, Demodorp", buddy=ids["mohammed"])
    for visit_id, worker in ((today, "sanne"), (later, "anouk")):
        ask(db, events, clock, visit_id, ids[worker])
        shown = decide(db, events, clock, ids["lisa"], visit_id, approve=True)
    assert shown["permission"]["state"] == "approved" and shown["can"]["check_in"]
    decided = broker.of_type("visit.override_decided")
    to_pair = [e for e in decided if f"user:{ids['anouk']}" in e.audience]
    assert len(to_pair) == 1 and to_pair[0].urgent and to_pair[0].push
    assert to_pair[0].message["body"] == "Afgestemd met de politie"
    assert any(f"user:{ids['lisa']}" in e.audience and not e.push for e in decided)
    assert requests_for(db, clock, ids["lisa"]) == []  # off the managers' list

    clock.advance(hours=3)
    check_in(db, events, clock, today, ids["sanne"])
    clock.advance(days=1)
    shown, refusal = try_check_in(db, events, clock, later, ids["anouk"])
    assert isinstance(refusal, Conflict) and "gold alleen op 24-11-2026" in refusal.message
    assert shown["permission"]["state"] == "expired" and shown["can"]["request_permission"]


def test_a_refusal_is_told_and_the_worker_cannot_check_in(db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], address="Lindelaan 21, Demodorp")
    ask(db, events, clock, visit_id, ids["sanne"])
    with pytest.raises(NotFound):  # another team's manager
        decide(db, events, clock, ids["peter"], visit_id, approve=True)
    shown = decide(
        db,
        events,
        clock,
        ids["lisa"],
        visit_id,
        approve=False,
        reason="Te gevaarlijk: nodig de klant uit op kantoor",
    )
    assert shown["permission"]["state"] == "refused"
    assert shown["permission"]["decided_by"]["name"] == "Lisa de Vries"
    told_worker = [
        e for e in broker.of_type("visit.override_decided") if f"user:{ids['sanne']}" in e.audience
    ]
    assert told_worker[0].message["title"].startswith("Geen toestemming")
    _, refusal = try_check_in(db, events, clock, visit_id, ids["sanne"])
    assert isinstance(refusal, Conflict) and "nodig de klant uit op kantoor" in refusal.message


def test_no_request_where_no_permission_is_needed(db, events, clock, ids):
    visit_id = plan(db, clock, ids["sanne"])
    with pytest.raises(Conflict):
        ask(db, events, clock, visit_id, ids["sanne"])
    with pytest.raises(NotFound):
        ask(db, events, clock, visit_id, ids["anouk"])  # not one of the pair


# ---- going alone ---------------------------------------------------------------------------


def test_checking_in_alone_on_hoog_needs_a_confirmation_that_the_manager_sees(
    db, events, clock, ids
):
    alone = plan(db, clock, ids["sanne"], address="Molenweg 3, Demodorp")
    shown, refusal = try_check_in(db, events, clock, alone, ids["sanne"])
    assert shown["alone_needs_confirmation"] and isinstance(refusal, Conflict)
    assert "ga niet alleen" in refusal.message and "alone_confirmed" in refusal.fields
    check_in(db, events, clock, alone, ids["sanne"], alone_confirmed=True)
    with db.reader() as uow:
        (seen,) = [v for v in service.visible_visits(uow.session, ids["lisa"]) if v.id == alone]
        assert visit_json(seen, clock.now())["alone_label"] == "Alleen ingecheckt, bevestigd"
        assert (
            "alone_confirmed"
            in uow.session.scalars(select(VisitLog.kind).where(VisitLog.visit_id == alone)).all()
        )
    paired = plan(db, clock, ids["anouk"], address="Molenweg 3, Demodorp", buddy=ids["mohammed"])
    shown, refusal = try_check_in(db, events, clock, paired, ids["anouk"])
    assert refusal is None and shown["alone_label"] is None


# ---- the reminder before the end -----------------------------------------------------------


def remind(db, clock, events):
    return overdue.remind_visits_ending(db, clock, events)


def test_the_worker_is_reminded_five_minutes_before_the_end_once(db, events, clock, broker, ids):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"], minutes=30)
    short = plan(db, clock, ids["anouk"], minutes=9)
    check_in(db, events, clock, visit_id, ids["sanne"])
    check_in(db, events, clock, short, ids["anouk"])
    clock.advance(minutes=4)
    assert remind(db, clock, events) == 0  # no reminder for a visit under 10 minutes
    clock.advance(minutes=20)
    assert remind(db, clock, events) == 0
    clock.advance(minutes=1)
    brokers = []
    assert in_two_processes(db, clock, overdue.remind_visits_ending, brokers) == [0, 1]
    (reminder,) = [e for b in brokers for e in b.of_type("visit.reminder")]
    assert reminder.audience == {f"user:{ids['sanne']}", f"user:{ids['mohammed']}"}
    assert reminder.message["body"] == (
        "Je bezoek aan Kerkstraat 7, Demodorp loopt over 5 minuten af. Verlengen?"
    )
    clock.advance(minutes=10)
    assert remind(db, clock, events) == 0  # once; the 9-minute visit gets none
    with db.uow() as uow:  # an extension sets a new end, and a new reminder before it
        service.extend(
            uow, events, clock, MINUTE, visit_id=visit_id, worker_id=ids["sanne"], minutes=30
        )
    clock.advance(minutes=24)  # the new end: 65 minutes after the check-in
    assert remind(db, clock, events) == 0
    clock.advance(minutes=1)
    assert remind(db, clock, events) == 1


def test_a_visit_that_cannot_be_reminded_or_escalated_holds_up_no_other(
    db, events, clock, broker, ids, monkeypatch
):
    broken = plan(db, clock, ids["sanne"], minutes=30)
    fine = plan(db, clock, ids["anouk"], minutes=30)
    check_in(db, events, clock, broken, ids["sanne"])
    check_in(db, events, clock, fine, ids["anouk"])
    real = overdue.log_step

    def log_step(session, visit, *args, **kwargs):
        if visit.id == broken:
            raise RuntimeError("kapot")
        real(session, visit, *args, **kwargs)

    monkeypatch.setattr(overdue, "log_step", log_step)
    clock.advance(minutes=25)
    assert remind(db, clock, events) == 1
    assert told(broker, "visit.reminder") == [{ids["anouk"]}]
    clock.advance(minutes=5)
    assert sweep(db, clock, events) == 1
    assert told(broker, "visit.prompt") == [{ids["anouk"]}]
    monkeypatch.undo()
    assert sweep(db, clock, events) == 1  # its step on the next sweep
    assert told(broker, "visit.prompt")[-1] == {ids["sanne"]}
    assert stored(db, fine).fired_steps == 1


# ---- answers to an overdue alert -----------------------------------------------------------


def respond(db, events, clock, visit_id, user, response="checking"):
    with db.uow() as uow:
        return visit_json(
            overdue.respond_to_overdue(
                uow, events, clock, visit_id=visit_id, user_id=user, response=response
            ),
            clock.now(),
        )


def test_responders_answers_reach_the_others_and_do_not_stop_the_manager_step(
    db, events, clock, broker, ids
):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    clock.advance(minutes=45)
    sweep(db, clock, events)
    with pytest.raises(Conflict):  # only asked "Alles goed?" so far: nobody is alerted
        respond(db, events, clock, visit_id, ids["lisa"])
    clock.advance(minutes=10)
    sweep(db, clock, events)  # Mohammed and Anouk are alerted
    with pytest.raises(NotFound):
        respond(db, events, clock, visit_id, ids["kim"])  # another team
    with pytest.raises(NotAllowed):
        respond(db, events, clock, visit_id, ids["sanne"])
    shown = respond(db, events, clock, visit_id, ids["anouk"], "checking")
    assert [(r["user"]["name"], r["response_label"]) for r in shown["responses"]] == [
        ("Anouk Visser", "gaat kijken")
    ]
    (answer,) = broker.of_type("visit.responded")
    assert {f"user:{ids[n]}" for n in ("anouk", "mohammed", "sanne", "lisa")} <= answer.audience
    assert answer.message["title"] == "Anouk Visser gaat kijken" and not answer.push
    respond(db, events, clock, visit_id, ids["anouk"], "calling")  # changed her mind
    assert [r["response"] for r in stored_responses(db, clock, visit_id)] == ["calling"]
    with db.reader() as uow:
        logged = uow.session.scalars(
            select(VisitLog.detail).where(
                VisitLog.visit_id == visit_id, VisitLog.kind == "responded"
            )
        ).all()
    assert [d["response"] for d in logged] == ["checking", "calling"]

    clock.advance(minutes=5)  # the manager step comes all the same
    assert sweep(db, clock, events) == 1
    assert told(broker, "visit.overdue")[-1] == {ids["lisa"], ids["coordinator"]}


def stored_responses(db, clock, visit_id):
    with db.reader() as uow:
        return visit_json(uow.session.get(Visit, visit_id), clock.now())["responses"]


# ---- "Alles goed" with the PIN -------------------------------------------------------------


def overdue_hoog_visit(db, events, clock, ids):
    """Sanne's hoog visit (register match) with Mohammed, past its grace: both alerted."""
    visit_id = plan(db, clock, ids["sanne"], address="Molenweg 3, Demodorp", buddy=ids["mohammed"])
    check_in(db, events, clock, visit_id, ids["sanne"])
    clock.advance(minutes=47)
    sweep(db, clock, events)
    sweep(db, clock, events)
    return visit_id


def test_alles_goed_on_a_hoog_visit_needs_the_pin(db, events, clock, broker, ids):
    visit_id = overdue_hoog_visit(db, events, clock, ids)
    assert stored(db, visit_id).fired_steps == 2
    with pytest.raises(Invalid) as missing:
        alles_goed(db, events, clock, visit_id, ids["sanne"])
    assert missing.value.fields == {"pin": "verplicht"}
    shown, refusal = alles_goed(db, events, clock, visit_id, ids["sanne"], pin="0000")
    assert isinstance(refusal, Invalid) and refusal.fields == {"pin": "onjuist"}
    assert stored(db, visit_id).fired_steps == 2 and not broker.of_type("visit.stood_down")
    shown, refusal = alles_goed(db, events, clock, visit_id, ids["sanne"], pin=PIN)
    assert refusal is None and shown["status"] == "on_time"
    assert broker.of_type("visit.stood_down")


def test_the_duress_pin_answers_like_alles_goed_and_raises_a_silent_alarm(
    db, events, clock, broker, ids
):
    visit_id = overdue_hoog_visit(db, events, clock, ids)
    before = len(broker.published)
    shown, refusal = alles_goed(db, events, clock, visit_id, ids["sanne"], pin=DURESS_PIN)
    assert refusal is None and shown["status"] == "on_time"  # what the phone shows
    assert datetime.fromisoformat(shown["due_at"]) == clock.now() + 15 * MINUTE
    sanne = f"user:{ids['sanne']}"
    to_phone = [e.message["type"] for e in broker.published[before:] if sanne in e.audience]
    assert to_phone == ["visit.updated"]  # as after the right PIN: no alarm event at all
    with db.reader() as uow:
        (alarm,) = uow.session.scalars(select(Alarm)).all()
        assert (alarm.worker_id, alarm.visit_id, alarm.duress) == (ids["sanne"], visit_id, True)
        assert open_alarms_for(uow.session, ids["sanne"]) == []
        assert [a.id for a in open_alarms_for(uow.session, ids["lisa"])] == [alarm.id]
    (dwang,) = [e for e in broker.of_type("alarm.updated") if e.urgent]
    assert dwang.message["title"].startswith("DWANG") and sanne not in dwang.audience
    assert ids["mohammed"] in told(broker, "alarm.raised")[0]


def test_the_duress_pin_again_on_the_same_visit_tells_the_open_alarms_responders_again(
    db, events, clock, broker, ids
):
    """The worker is still under duress a quarter of an hour later: the same emergency, so the
    open silent alarm's responders are told again, urgently — not a second alarm from step 1."""
    visit_id = overdue_hoog_visit(db, events, clock, ids)
    alles_goed(db, events, clock, visit_id, ids["sanne"], pin=DURESS_PIN)
    clock.advance(minutes=16)
    sweep(db, clock, events)  # the visit is due again
    urgent_before = len([e for e in broker.of_type("alarm.updated") if e.urgent])
    shown, refusal = alles_goed(db, events, clock, visit_id, ids["sanne"], pin=DURESS_PIN)
    assert refusal is None and shown["status"] == "on_time"
    with db.reader() as uow:
        (alarm,) = uow.session.scalars(select(Alarm)).all()
        timeline = timeline_view(timeline_of(uow.session, alarm))
    kinds = [e["kind"] for e in timeline]
    assert kinds.count("duress") == 1 and kinds.count("duress_again") == 1
    assert "Alles goed" in next(e["label"] for e in timeline if e["kind"] == "duress")
    again = [e for e in broker.of_type("alarm.updated") if e.urgent][urgent_before:]
    assert again and all(f"user:{ids['sanne']}" not in e.audience for e in again)


def test_a_duress_alarm_that_cannot_be_raised_at_once_is_raised_by_the_sweep(
    db, events, clock, broker, ids, monkeypatch
):
    """The silent alarm follows the answer's commit (the message bus): a failure there does
    not betray the duress on the phone, and the alarm is raised on the next try."""
    visit_id = overdue_hoog_visit(db, events, clock, ids)

    def busy(*args, **kwargs):
        raise Busy()

    monkeypatch.setattr(at_visits, "raise_duress_alarm", busy)
    shown, refusal = alles_goed(db, events, clock, visit_id, ids["sanne"], pin=DURESS_PIN)
    assert refusal is None and shown["status"] == "on_time"
    monkeypatch.undo()
    with db.reader() as uow:
        assert uow.session.scalars(select(Alarm)).all() == []
    clock.advance(seconds=10)
    assert events.bus.handle_due(events) == 1
    with db.reader() as uow:
        (alarm,) = uow.session.scalars(select(Alarm)).all()
        assert (alarm.visit_id, alarm.duress) == (visit_id, True)


def test_a_duress_alarm_raised_by_the_sweep_after_the_check_out_keeps_the_visit(
    db, events, clock, broker, ids, monkeypatch
):
    """Made to check out right after the duress PIN: the alarm raised on the retry still says
    where it was typed, and alerts the buddy of that visit."""
    visit_id = overdue_hoog_visit(db, events, clock, ids)

    def busy(*args, **kwargs):
        raise Busy()

    monkeypatch.setattr(at_visits, "raise_duress_alarm", busy)
    alles_goed(db, events, clock, visit_id, ids["sanne"], pin=DURESS_PIN)
    monkeypatch.undo()
    with db.uow() as uow:
        service.check_out(uow, events, clock, visit_id=visit_id, worker_id=ids["sanne"])
    clock.advance(seconds=10)
    assert events.bus.handle_due(events) == 1
    with db.reader() as uow:
        (alarm,) = uow.session.scalars(select(Alarm)).all()
        assert (alarm.visit_id, alarm.duress) == (visit_id, True)
    assert ids["mohammed"] in told(broker, "alarm.raised")[0]
