"""The alarm's rules, driven with a fake clock on a real SQLite file."""

import pytest
from sqlalchemy import func, select

from services.accounts.service import pin_matches
from services.alarms import service
from services.alarms.models import Alarm, AlarmLog, Outcome, Response
from services.alarms.readiness import alarm_readiness
from services.alarms.views import worker_view
from services.db import Database
from services.errors import Conflict, Invalid, NotAllowed
from services.events.log import EventLog
from tests.fakes import ListBroker
from tests.unit.races import at_once_in_two_processes


def raise_as(db, events, clock, worker_id, client_id="alarm-0001", test=False, position=None):
    with db.uow() as uow:
        alarm, created = service.raise_alarm(
            uow,
            events,
            clock,
            worker_id=worker_id,
            client_id=client_id,
            test=test,
            position=position,
        )
        return alarm.id, created


def recipients(db, alarm_id):
    with db.reader() as uow:
        alarm = uow.session.get(Alarm, alarm_id)
        return {r.user_id: r.step for r in alarm.recipients}


def log_kinds(db, alarm_id, kind):
    with db.reader() as uow:
        return uow.session.scalar(
            select(func.count())
            .select_from(AlarmLog)
            .where(AlarmLog.alarm_id == alarm_id, AlarmLog.kind == kind)
        )


def audience_users(envelope):
    return {int(k.split(":")[1]) for k in envelope.audience}


def test_step_one_alerts_on_duty_team_and_manager_at_once(db, events, clock, broker, ids):
    alarm_id, created = raise_as(
        db, events, clock, ids["sanne"], position={"lat": 52.09, "lon": 5.12, "accuracy": 20.0}
    )
    assert created
    step_one = {ids["mohammed"], ids["anouk"], ids["lisa"]}
    assert recipients(db, alarm_id) == {u: 1 for u in step_one}
    (raised,) = broker.of_type("alarm.raised")
    assert audience_users(raised) == step_one and raised.urgent
    assert raised.message["data"]["alarm"]["position"]["lat"] == 52.09
    assert raised.message["title"] == "ALARM: Sanne Jansen"


def test_unacknowledged_alarm_escalates_at_60_and_120_seconds_exactly_once(
    db, events, clock, broker, ids
):
    alarm_id, _ = raise_as(db, events, clock, ids["sanne"])
    clock.advance(seconds=59)
    assert service.escalate_due_alarms(db, clock, events) == 0
    clock.advance(seconds=1)
    assert service.escalate_due_alarms(db, clock, events) == 1
    assert service.escalate_due_alarms(db, clock, events) == 0  # same moment again: nothing
    step_two = {u for u, step in recipients(db, alarm_id).items() if step == 2}
    assert step_two == {
        ids["coordinator"],
        ids["peter"],
        ids["henk"],
        ids["gemeentesecretaris"],
        ids["loco"],
    }
    clock.advance(seconds=59)
    assert service.escalate_due_alarms(db, clock, events) == 0
    clock.advance(seconds=1)
    assert service.escalate_due_alarms(db, clock, events) == 1
    step_three = {u for u, step in recipients(db, alarm_id).items() if step == 3}
    assert {ids["kim"], ids["daan"], ids["joost"]} <= step_three
    # everyone on duty not alerted yet: the other teams' workers (never sanne, the raiser)
    assert step_three == {ids["kim"], ids["daan"], ids["yara"], ids["joost"], ids["fatima"]}
    assert ids["sanne"] not in recipients(db, alarm_id)
    clock.advance(minutes=10)
    assert service.escalate_due_alarms(db, clock, events) == 0  # the policy is done
    assert log_kinds(db, alarm_id, "escalated") == 2
    # earlier responders hear of the escalation; the new ones get the full alert
    assert len(broker.of_type("alarm.raised")) == 3
    assert all(ids["sanne"] not in audience_users(e) for e in broker.of_type("alarm.raised"))


def test_an_alarm_that_cannot_escalate_holds_up_no_other(db, events, clock, ids, monkeypatch):
    broken, _ = raise_as(db, events, clock, ids["sanne"], client_id="alarm-kapot")
    fine, _ = raise_as(db, events, clock, ids["kim"], client_id="alarm-goed")
    real = service._alert_step

    def alert_step(uow, events, alarm, **kwargs):
        if alarm.id == broken:
            raise RuntimeError("kapot")
        real(uow, events, alarm, **kwargs)

    monkeypatch.setattr(service, "_alert_step", alert_step)
    clock.advance(seconds=60)
    assert service.escalate_due_alarms(db, clock, events) == 1
    assert 2 in recipients(db, fine).values() and 2 not in recipients(db, broken).values()
    monkeypatch.undo()
    assert service.escalate_due_alarms(db, clock, events) == 1  # its step on the next sweep
    assert 2 in recipients(db, broken).values()


def test_acknowledgement_stops_escalation(db, events, clock, broker, ids):
    alarm_id, _ = raise_as(db, events, clock, ids["sanne"])
    clock.advance(seconds=30)
    with db.uow() as uow:
        service.acknowledge(
            uow, events, clock, alarm_id=alarm_id, user_id=ids["lisa"], response=Response.COMING
        )
    clock.advance(minutes=5)
    assert service.escalate_due_alarms(db, clock, events) == 0
    assert set(recipients(db, alarm_id).values()) == {1}
    to_worker = [e for e in broker.of_type("alarm.updated") if audience_users(e) == {ids["sanne"]}]
    acks = to_worker[-1].message["data"]["alarm"]["acknowledgements"]
    assert [(a["user"]["name"], a["response_label"]) for a in acks] == [
        ("Lisa de Vries", "komt eraan")
    ]


def test_restart_mid_alarm_continues_without_repeating_a_step(db, clock, ids):
    first_broker = ListBroker()
    alarm_id, _ = raise_as(db, EventLog(clock, first_broker), clock, ids["sanne"])
    clock.advance(seconds=60)
    assert service.escalate_due_alarms(db, clock, EventLog(clock, first_broker)) == 1
    db.dispose()  # the process stops

    restarted = Database(db.url)
    second_broker = ListBroker()
    try:
        assert service.escalate_due_alarms(restarted, clock, EventLog(clock, second_broker)) == 0
        clock.advance(seconds=60)
        assert service.escalate_due_alarms(restarted, clock, EventLog(clock, second_broker)) == 1
    finally:
        restarted.dispose()
    assert log_kinds(db, alarm_id, "escalated") == 2
    assert {
        m.message["data"]["alarm"]["escalation_step"] for m in second_broker.of_type("alarm.raised")
    } == {3}


def test_two_sweepers_at_the_same_moment_fire_a_step_once(db, clock, ids):
    alarm_id, _ = raise_as(db, EventLog(clock, ListBroker()), clock, ids["sanne"])
    clock.advance(seconds=60)
    brokers = []

    def sweep(database):
        brokers.append(ListBroker())
        return service.escalate_due_alarms(database, clock, EventLog(clock, brokers[-1]))

    assert sorted(at_once_in_two_processes(db.url, sweep)) == [0, 1]
    assert log_kinds(db, alarm_id, "escalated") == 1
    assert sum(len(b.of_type("alarm.raised")) for b in brokers) == 1


def test_duplicate_raise_with_the_same_client_id_creates_one_alarm(db, events, clock, ids):
    first, created = raise_as(db, events, clock, ids["sanne"], client_id="retry-abc-123")
    again, created_again = raise_as(db, events, clock, ids["sanne"], client_id="retry-abc-123")
    assert (first, created, created_again) == (again, True, False)
    with pytest.raises(Conflict):  # someone else's id is not theirs to reuse
        raise_as(db, events, clock, ids["kim"], client_id="retry-abc-123")


def test_concurrent_duplicate_raises_create_one_alarm(db, clock, ids):
    results = at_once_in_two_processes(
        db.url,
        lambda database: raise_as(
            database, EventLog(clock, ListBroker()), clock, ids["sanne"], client_id="double-tap-1"
        ),
    )
    assert len({alarm_id for alarm_id, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, True]


def cancel(db, events, clock, alarm_id, worker_id, pin):
    """The worker view the phone is answered with; a refusal is raised after the commit."""
    with db.uow() as uow:
        alarm, refusal = service.cancel_with_pin(
            uow,
            events,
            clock,
            alarm_id=alarm_id,
            worker_id=worker_id,
            pin=pin,
            pin_matches=pin_matches,
        )
        view = worker_view(alarm)
    if refusal is not None:
        raise refusal
    return view


def test_duress_pin_looks_like_a_cancel_to_the_worker_but_keeps_the_alarm_open(db, clock, ids):
    real_broker, duress_broker = ListBroker(), ListBroker()
    real_events, duress_events = EventLog(clock, real_broker), EventLog(clock, duress_broker)
    real_id, _ = raise_as(db, real_events, clock, ids["sanne"], client_id="real-cancel-1")
    duress_id, _ = raise_as(db, duress_events, clock, ids["mohammed"], client_id="duress-1")
    clock.advance(seconds=10)
    real = cancel(db, real_events, clock, real_id, ids["sanne"], "4826")
    duress = cancel(db, duress_events, clock, duress_id, ids["mohammed"], "7391")

    different = {"id", "client_id", "worker", "raised_at", "closed_at"}
    assert {k: v for k, v in real.items() if k not in different} == {
        k: v for k, v in duress.items() if k not in different
    }
    assert duress["state"] == "cancelled" and "duress" not in duress

    def told_worker(broker, worker):
        return [
            (e.message["type"], e.message["title"], e.message["body"], e.urgent)
            for e in broker.published
            if audience_users(e) == {worker}
        ]

    assert told_worker(real_broker, ids["sanne"]) == told_worker(duress_broker, ids["mohammed"])

    with db.reader() as uow:
        alarm = uow.session.get(Alarm, duress_id)
        assert alarm.state == "open" and alarm.duress
        assert service.open_alarms_for(uow.session, ids["mohammed"]) == []
        assert [a.id for a in service.open_alarms_for(uow.session, ids["lisa"])] == [duress_id]
    (warning,) = [
        e
        for e in duress_broker.of_type("alarm.updated")
        if ids["mohammed"] not in audience_users(e)
    ]
    assert warning.urgent and warning.message["data"]["alarm"]["duress"] is True

    clock.advance(seconds=60)  # nobody acknowledged: escalation continues, silently for him
    before = len(duress_broker.published)
    assert service.escalate_due_alarms(db, clock, duress_events) == 1
    escalated = duress_broker.published[before:]
    assert escalated  # the escalation did publish something
    step_two = {
        ids["coordinator"],
        ids["peter"],
        ids["henk"],
        ids["gemeentesecretaris"],
        ids["loco"],
    }
    raised_to = set().union(
        *(audience_users(e) for e in escalated if e.message["type"] == "alarm.raised")
    )
    assert raised_to == step_two
    assert all(ids["mohammed"] not in audience_users(e) for e in duress_broker.published[before:])
    assert log_kinds(db, duress_id, "escalated") == 1


def test_wrong_pin_changes_nothing(db, events, clock, ids):
    alarm_id, _ = raise_as(db, events, clock, ids["sanne"])
    with pytest.raises(Invalid):
        cancel(db, events, clock, alarm_id, ids["sanne"], "0000")
    with db.reader() as uow:
        assert uow.session.get(Alarm, alarm_id).state == "open"


def test_only_responders_resolve_and_only_the_worker_cancels(db, events, clock, ids):
    alarm_id, _ = raise_as(db, events, clock, ids["sanne"])
    with db.uow() as uow, pytest.raises(NotAllowed):
        service.resolve(
            uow, events, clock, alarm_id=alarm_id, user_id=ids["sanne"], outcome=Outcome.FALSE_ALARM
        )
    with db.uow() as uow, pytest.raises(NotAllowed):
        service.cancel_with_pin(
            uow,
            events,
            clock,
            alarm_id=alarm_id,
            worker_id=ids["lisa"],
            pin="4826",
            pin_matches=pin_matches,
        )
    with db.uow() as uow:
        service.resolve(
            uow,
            events,
            clock,
            alarm_id=alarm_id,
            user_id=ids["lisa"],
            outcome=Outcome.POLICE_CALLED,
        )
    with db.reader() as uow:
        alarm = uow.session.get(Alarm, alarm_id)
        assert (alarm.state, alarm.outcome, alarm.next_step_at) == (
            "resolved",
            "police_called",
            None,
        )


def test_receipts_are_recorded_once_and_only_for_alerted_people(db, events, clock, ids):
    alarm_id, _ = raise_as(db, events, clock, ids["sanne"])
    for _ in range(2):
        with db.uow() as uow:
            service.record_receipt(
                uow,
                events,
                clock,
                alarm_id=alarm_id,
                user_id=ids["lisa"],
                state="delivered",
                channel="push",
            )
    assert log_kinds(db, alarm_id, "delivered") == 1
    with (
        db.uow() as uow,
        pytest.raises(NotAllowed),
    ):  # the coordinator oversees but was not alerted yet
        service.record_receipt(
            uow,
            events,
            clock,
            alarm_id=alarm_id,
            user_id=ids["coordinator"],
            state="seen",
            channel="websocket",
        )


def test_positions_stream_to_responders_live_only(db, events, clock, broker, ids):
    alarm_id, _ = raise_as(db, events, clock, ids["sanne"])
    with db.uow() as uow:
        service.update_position(
            uow,
            events,
            clock,
            alarm_id=alarm_id,
            worker_id=ids["sanne"],
            position={"lat": 52.1, "lon": 5.1, "accuracy": 8.0},
        )
    (moved,) = broker.of_type("alarm.position")
    assert not moved.push and ids["sanne"] not in audience_users(moved)
    # the responders, and who oversee the team (the coordinator and the beheerder see every team)
    assert audience_users(moved) == {
        ids["mohammed"],
        ids["anouk"],
        ids["lisa"],
        ids["coordinator"],
        ids["beheer"],
    }
    assert moved.message["data"]["position"]["accuracy"] == 8.0
    assert moved.message["data"]["navigation"][0]["kind"] == "position"  # fresh links too
    assert moved.message["data"]["place"] == "Locatie 52.10000, 5.10000 (±8 m)"


def readiness_of(db, clock, viewer, name):
    with db.reader() as uow:
        return {p["user"]["name"]: p for p in alarm_readiness(uow.session, clock, viewer)}[name]


def test_a_phone_that_never_receives_its_test_alarm_cannot_receive_alarms(db, events, clock, ids):
    assert readiness_of(db, clock, ids["lisa"], "Anouk Visser")["status"] == "untested"
    alarm_id, _ = raise_as(db, events, clock, ids["sanne"], client_id="test-alarm-1", test=True)
    with db.uow() as uow:
        service.record_receipt(
            uow,
            events,
            clock,
            alarm_id=alarm_id,
            user_id=ids["mohammed"],
            state="delivered",
            channel="push",
        )
    assert readiness_of(db, clock, ids["lisa"], "Anouk Visser")["status"] == "pending"
    clock.advance(seconds=61)
    anouk = readiness_of(db, clock, ids["lisa"], "Anouk Visser")
    assert anouk["status"] == "unreachable" and "beginscherm" in anouk["reason"]
    assert readiness_of(db, clock, ids["lisa"], "Mohammed El Amrani")["status"] == "ok"
    # the owner sees their own status; a worker sees nobody else's
    with db.reader() as uow:
        mine = alarm_readiness(uow.session, clock, ids["anouk"])
    assert [p["user"]["name"] for p in mine] == ["Anouk Visser"]
    assert mine[0]["status"] == "unreachable"


def test_a_rehearsed_raise_stores_nothing_and_alerts_nobody(db, events, clock, broker):
    from sqlalchemy import func, select

    from services.alarms.models import Alarm, AlarmRecipient
    from services.alarms.service import rehearse_raise
    from services.events.models import Event, PendingReaction

    assert rehearse_raise(db, events, clock)
    with db.reader() as uow:
        for table in (Alarm, AlarmRecipient, Event, PendingReaction):
            assert uow.session.scalar(select(func.count()).select_from(table)) == 0, table
    assert broker.published == []
