"""Races on one alarm, one login, one report, one device: on PostgreSQL two processes at once
must end as one after the other does on SQLite, where writers queue (tests/unit/races.py).
Each overlap is forced by a rendezvous inside the unit of work, so without the row or key
lock the race is certain, not lucky."""

import threading

import pytest
from sqlalchemy import func, select

from services.accounts import signin
from services.accounts.service import pin_matches
from services.alarms import service
from services.alarms.models import Alarm, AlarmAcknowledgement, AlarmLog, Response
from services.checklists.models import Checklist
from services.checklists.service import publish_version
from services.errors import Invalid, TooManyAttempts
from services.events.log import EventLog
from services.incidents import service as incidents
from services.incidents.access import viewer_of
from services.push.models import PushSubscription
from services.push.subscriptions import save_subscription
from services.reactions import message_bus
from tests.conftest import ON_POSTGRES
from tests.fakes import ListBroker
from tests.unit.races import (
    MeetingClock,
    Rendezvous,
    at_once_in_two_processes,
    logging,
    meeting_at,
    two_sweepers,
)
from tests.unit.test_alarms import cancel, log_kinds, raise_as, recipients
from tests.unit.test_incidents import report
from tests.unit.test_push_dispatcher import AUTH, P256DH

PIN = "4826"  # the demo's


def quiet(clock) -> EventLog:
    return EventLog(clock, ListBroker())


def withdraw(database, clock, alarm_id, worker_id, pin, pin_matches):
    """The worker's cancel with a PIN, in a unit of work of its own; returns the refusal."""
    with database.uow() as uow:
        _, refusal = service.cancel_with_pin(
            uow,
            quiet(clock),
            clock,
            alarm_id=alarm_id,
            worker_id=worker_id,
            pin=pin,
            pin_matches=pin_matches,
        )
    return refusal


def count(db, model, *where) -> int:
    with db.reader() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


# ---- the alarm's escalation ------------------------------------------------------------------


def test_two_sweepers_fire_an_alarm_step_once_and_neither_waits(db, clock, ids):
    alarm_id, _ = raise_as(db, quiet(clock), clock, ids["sanne"])
    clock.advance(seconds=60)
    brokers = []

    def sweep(database):
        broker = ListBroker()
        brokers.append(broker)
        return service.escalate_due_alarms(database, clock, EventLog(clock, broker))

    results, held = two_sweepers(db.url, sweep)
    assert results == [0, 1]
    assert log_kinds(db, alarm_id, "escalated") == 1
    assert sum(len(b.of_type("alarm.raised")) for b in brokers) == 1
    # on PostgreSQL the other sweeper was done while the step was still being fired
    assert held == [ON_POSTGRES]


def test_a_sweep_during_a_cancel_leaves_the_alarm_and_its_step_never_fires(db, clock, ids):
    """The worker withdraws the alarm just as its second step falls due: the sweep skips the
    alarm the cancel holds (it does not wait for it), and once the cancel is in nothing is due."""
    alarm_id, _ = raise_as(db, quiet(clock), clock, ids["sanne"])
    clock.advance(seconds=60)
    loaded, swept, held = threading.Event(), threading.Event(), []

    def pin_checked_slowly(worker, pin):  # the alarm is loaded; the sweep runs meanwhile
        loaded.set()
        held.append(swept.wait(5 if ON_POSTGRES else 0.5))
        return pin_matches(worker, pin)

    def cancelling(database):
        return withdraw(database, clock, alarm_id, ids["sanne"], PIN, pin_checked_slowly)

    def sweeping(database):
        loaded.wait(5)
        try:
            return service.escalate_due_alarms(database, clock, quiet(clock))
        finally:
            swept.set()

    assert at_once_in_two_processes(db.url, cancelling, sweeping) == [None, 0]
    assert held == [ON_POSTGRES]  # SQLite's sweep waits for the write lock instead
    assert service.escalate_due_alarms(db, clock, quiet(clock)) == 0
    assert log_kinds(db, alarm_id, "escalated") == 0
    assert set(recipients(db, alarm_id).values()) == {1}


# ---- responding and withdrawing --------------------------------------------------------------


def test_one_responder_acknowledging_twice_at_once_is_one_acknowledgement(
    db, clock, ids, monkeypatch
):
    """Two taps of "Ik kom eraan" (two devices): the second finds the first, as it would one
    after the other, instead of failing on the acknowledgement's key."""
    alarm_id, _ = raise_as(db, quiet(clock), clock, ids["sanne"])
    meeting_at(monkeypatch, service, "_log", Rendezvous(), when=logging("acknowledged"))

    def acknowledge(database):
        with database.uow() as uow:
            service.acknowledge(
                uow,
                quiet(clock),
                clock,
                alarm_id=alarm_id,
                user_id=ids["lisa"],
                response=Response.COMING,
            )

    at_once_in_two_processes(db.url, acknowledge)
    assert count(db, AlarmAcknowledgement, AlarmAcknowledgement.alarm_id == alarm_id) == 1
    assert log_kinds(db, alarm_id, "acknowledged") == 2


def test_wrong_pins_typed_at_once_are_each_counted_and_lock_the_pin(db, clock, ids):
    alarm_id, _ = raise_as(db, quiet(clock), clock, ids["sanne"])
    with pytest.raises(Invalid):
        cancel(db, quiet(clock), clock, alarm_id, ids["sanne"], "0000")
    meet = Rendezvous()

    def pin_checked_together(worker, pin):
        meet()
        return pin_matches(worker, pin)

    def wrong_pin(database):
        refusal = withdraw(database, clock, alarm_id, ids["sanne"], "1111", pin_checked_together)
        return type(refusal).__name__

    assert sorted(at_once_in_two_processes(db.url, wrong_pin)) == ["Invalid", "TooManyAttempts"]
    with db.reader() as uow:
        assert uow.session.get(Alarm, alarm_id).pin_failures == 3
        attempts = uow.session.scalars(
            select(AlarmLog.detail).where(
                AlarmLog.alarm_id == alarm_id, AlarmLog.kind == "pin_wrong"
            )
        )
        assert sorted(d["attempt"] for d in attempts) == [1, 2, 3]
    with pytest.raises(TooManyAttempts):  # a fourth guess, even the right PIN, withdraws nothing
        cancel(db, quiet(clock), clock, alarm_id, ids["sanne"], PIN)


def test_wrong_passwords_sent_at_once_are_each_counted(db, clock, ids, monkeypatch):
    """Guesses sent together each count towards the account's growing wait."""

    def log_in(database, password="fout"):
        with database.uow() as uow:
            user, _ = signin.authenticate(
                uow.session, clock, username="sanne", password=password, client="192.0.2.1"
            )
            return user

    for _ in range(signin.ACCOUNT_FREE - 1):
        assert log_in(db) is None
    meeting_at(monkeypatch, signin, "check_password_hash", Rendezvous())
    assert at_once_in_two_processes(db.url, log_in) == [None, None]
    with db.reader() as uow:
        wait = signin.throttle(uow.session, clock, username="sanne", client="198.51.100.1")
    assert wait.delay == signin.delay_after(signin.ACCOUNT_FREE + 1, signin.ACCOUNT_FREE)


# ---- exactly once on a client's key ------------------------------------------------------------


def test_one_report_synced_twice_at_once_is_one_incident(db, clock, ids, monkeypatch):
    """The page and the service worker send the same report about an alarm at once: one
    incident, and the second is answered with it (not refused as a second report)."""
    alarm_id, _ = raise_as(db, quiet(clock), clock, ids["sanne"])
    meeting_at(monkeypatch, incidents, "_check_links", Rendezvous())

    def sync(database):
        with database.uow() as uow:
            incident, created = incidents.report_incident(
                uow,
                EventLog(clock, ListBroker(), message_bus(database, clock)),
                clock,
                viewer=viewer_of(uow.session, ids["sanne"]),
                report=report(alarm_id=alarm_id),
            )
            return incident.id, created

    results = at_once_in_two_processes(db.url, sync)
    assert len({incident_id for incident_id, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, True]


def test_one_device_subscribing_twice_at_once_is_one_subscription(db, ids):
    clock = MeetingClock(Rendezvous())  # both have looked for the endpoint and found none

    def subscribe(database):
        with database.uow() as uow:
            return save_subscription(
                uow.session,
                clock,
                user_id=ids["sanne"],
                endpoint="https://push.test/twice",
                p256dh=P256DH,
                auth=AUTH,
                user_agent="test",
            ).id

    assert len(set(at_once_in_two_processes(db.url, subscribe))) == 1
    assert count(db, PushSubscription, PushSubscription.endpoint == "https://push.test/twice") == 1


def test_a_checklist_edited_twice_at_once_gets_two_versions(db, ids):
    key = "huisbezoek_sociaal_domein"
    with db.reader() as uow:
        questions = uow.session.scalar(
            select(Checklist.questions).where(Checklist.key == key, Checklist.current.is_(True))
        )
    clock = MeetingClock(Rendezvous())  # both have read version 1 as the current one

    def edit(database):
        with database.uow() as uow:
            return publish_version(
                uow.session,
                clock,
                user_id=ids["coordinator"],
                key=key,
                title="Huisbezoek",
                questions=questions,
            ).version

    assert sorted(at_once_in_two_processes(db.url, edit)) == [2, 3]
    assert count(db, Checklist, Checklist.key == key, Checklist.current.is_(True)) == 1
