"""Races on one visit: its timers swept by two processes at once, and the pair acting on it
at the same moment. On PostgreSQL the end must be what one after the other gives on SQLite
(tests/unit/races.py)."""

from datetime import timedelta
from functools import partial

from sqlalchemy import func, select

from services.errors import Conflict
from services.events.log import EventLog
from services.visits import overdue, service
from services.visits.models import VisitLog, VisitResponse
from tests.conftest import ON_POSTGRES
from tests.fakes import ListBroker
from tests.unit.races import (
    Rendezvous,
    at_once_in_two_processes,
    logging,
    meeting_at,
    two_sweepers,
)
from tests.unit.test_visits import MINUTE, check_in, plan, stored, sweep


def quiet(clock) -> EventLog:
    return EventLog(clock, ListBroker())


def logged(db, visit_id, kind) -> int:
    with db.reader() as uow:
        return uow.session.scalar(
            select(func.count()).where(VisitLog.visit_id == visit_id, VisitLog.kind == kind)
        )


def sweeping(task, clock, brokers):
    """`task(database, clock, events)` as one process runs it, its events kept in `brokers`."""

    def sweep(database):
        broker = ListBroker()
        brokers.append(broker)
        return task(database, clock, EventLog(clock, broker))

    return sweep


def test_two_sweepers_fire_an_overdue_step_once_and_neither_waits(db, clock, ids):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, quiet(clock), clock, visit_id, ids["sanne"])
    clock.advance(minutes=45)
    brokers = []
    escalate = partial(overdue.escalate_overdue_visits, minute=MINUTE)
    results, held = two_sweepers(db.url, sweeping(escalate, clock, brokers))
    assert results == [0, 1]
    assert held == [ON_POSTGRES]  # the other sweeper was done while this one fired the step
    assert sum(len(b.of_type("visit.prompt")) for b in brokers) == 1
    assert logged(db, visit_id, "prompted") == 1
    assert stored(db, visit_id).fired_steps == 1


def test_two_sweepers_remind_once_and_neither_waits(db, clock, ids):
    visit_id = plan(db, clock, ids["sanne"], minutes=30)
    check_in(db, quiet(clock), clock, visit_id, ids["sanne"])
    clock.advance(minutes=25)
    brokers = []
    results, held = two_sweepers(db.url, sweeping(overdue.remind_visits_ending, clock, brokers))
    assert results == [0, 1] and held == [ON_POSTGRES]
    assert sum(len(b.of_type("visit.reminder")) for b in brokers) == 1
    assert logged(db, visit_id, "reminded") == 1


def test_the_worker_and_the_buddy_extending_at_once_both_count(db, clock, ids, monkeypatch):
    """Each adds a quarter of an hour to the end as it stands: neither extension is lost."""
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    due = check_in(db, quiet(clock), clock, visit_id, ids["sanne"])
    meeting_at(monkeypatch, service, "_stand_down", Rendezvous())

    def extend(database, who):
        with database.uow() as uow:
            service.extend(
                uow, quiet(clock), clock, MINUTE, visit_id=visit_id, worker_id=who, minutes=15
            )

    at_once_in_two_processes(
        db.url, partial(extend, who=ids["sanne"]), partial(extend, who=ids["mohammed"])
    )
    visit = stored(db, visit_id)
    assert visit.due_at == due + timedelta(minutes=30)
    assert visit.cycle == 2 and logged(db, visit_id, "extended") == 2


def test_two_check_outs_at_once_close_the_visit_once(db, clock, ids, monkeypatch):
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, quiet(clock), clock, visit_id, ids["sanne"])
    meeting_at(monkeypatch, service, "_stand_down", Rendezvous())

    def check_out(database, who):
        try:
            with database.uow() as uow:
                service.check_out(uow, quiet(clock), clock, visit_id=visit_id, worker_id=who)
        except Conflict as refused:
            return refused.message
        return "closed"

    results = at_once_in_two_processes(
        db.url, partial(check_out, who=ids["sanne"]), partial(check_out, who=ids["mohammed"])
    )
    assert sorted(results) == ["Dit bezoek is al afgesloten.", "closed"]
    assert logged(db, visit_id, "checked_out") == 1
    assert stored(db, visit_id).state == "closed"


def test_a_colleague_answering_twice_at_once_is_one_answer(db, clock, ids, monkeypatch):
    """ "Ik ga kijken" tapped on two devices: the second finds the first's answer, as it would
    one after the other, instead of failing on the one-answer-per-cycle key."""
    visit_id = plan(db, clock, ids["sanne"], buddy=ids["mohammed"])
    check_in(db, quiet(clock), clock, visit_id, ids["sanne"])
    clock.advance(minutes=55)
    sweep(db, clock, quiet(clock))
    sweep(db, clock, quiet(clock))  # Mohammed and Anouk are alerted
    meeting_at(monkeypatch, overdue, "log_step", Rendezvous(), when=logging("responded"))

    def answer(database):
        with database.uow() as uow:
            overdue.respond_to_overdue(
                uow,
                quiet(clock),
                clock,
                visit_id=visit_id,
                user_id=ids["anouk"],
                response="checking",
            )

    at_once_in_two_processes(db.url, answer)
    with db.reader() as uow:
        answers = uow.session.scalar(select(func.count()).where(VisitResponse.visit_id == visit_id))
    assert answers == 1 and logged(db, visit_id, "responded") == 2
