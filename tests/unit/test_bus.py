"""The message bus keeps "persist, then react" and at-least-once: a reaction runs after the
commit in its own unit of work, never for a rolled-back fact, and a failed or crashed one
stays stored until a sweep runs it."""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from services.events.bus import RETRY_FIRST, MessageBus
from services.events.log import EventLog
from services.events.models import Event, PendingReaction
from services.followup.models import AftercareRecord
from services.incidents.messages import IncidentReported
from tests.unit.test_incidents import submit


@dataclass(frozen=True)
class Noted:
    text: str


class Flaky:
    """Fails as often as told, then records a "noted" event for user 1."""

    def __init__(self, failures: int = 0):
        self.failures = failures

    def __call__(self, uow, events, clock, message: Noted) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("not now")
        events.record(uow, type="noted", audience={"user:1"}, title=message.text)


@pytest.fixture
def flaky():
    return Flaky()


@pytest.fixture
def bus_events(db, clock, broker, flaky):
    bus = MessageBus(db, clock)
    bus.subscribe(Noted, flaky)
    return EventLog(clock, broker, bus)


def emit(db, events, text="hallo", fail=False):
    with db.uow() as uow:
        events.record(uow, type="fact", audience={"user:1"}, title="the fact")
        events.emit(uow, Noted(text))
        if fail:
            raise RuntimeError("the fact is rolled back")


def pending(db) -> list[PendingReaction]:
    with db.reader() as uow:
        return list(uow.session.scalars(select(PendingReaction)))


def test_a_reaction_runs_after_the_commit_and_after_its_events(db, bus_events, broker):
    emit(db, bus_events)
    assert [e.message["type"] for e in broker.published] == ["fact", "noted"]
    assert pending(db) == []


def test_a_rolled_back_fact_has_no_reaction(db, bus_events, broker):
    with pytest.raises(RuntimeError):
        emit(db, bus_events, fail=True)
    assert broker.published == [] and pending(db) == []


def test_a_failed_reaction_is_logged_kept_and_retried_later(
    db, bus_events, broker, clock, flaky, caplog
):
    flaky.failures = 2
    emit(db, bus_events)  # the fact stands; its reaction failed
    assert [e.message["type"] for e in broker.published] == ["fact"]
    assert "not now" in caplog.text
    [row] = pending(db)
    assert (row.attempts, row.last_error) == (1, "RuntimeError('not now')")
    assert row.due_at == clock.now() + 2 * RETRY_FIRST
    assert bus_events.bus.handle_due(bus_events) == 0  # not due yet
    clock.advance(seconds=10)
    assert bus_events.bus.handle_due(bus_events) == 0  # fails again: waits longer
    assert pending(db)[0].due_at == clock.now() + 4 * RETRY_FIRST
    clock.advance(seconds=20)
    assert bus_events.bus.handle_due(bus_events) == 1
    assert [e.message["type"] for e in broker.published] == ["fact", "noted"]
    assert pending(db) == []


def test_a_reaction_left_by_a_crash_is_run_by_the_sweep_once(
    db, bus_events, broker, clock, monkeypatch
):
    monkeypatch.setattr(bus_events.bus, "_run_all", lambda ids, events: 0)  # died at commit
    emit(db, bus_events)
    monkeypatch.undo()
    assert len(pending(db)) == 1 and [e.message["type"] for e in broker.published] == ["fact"]
    clock.advance(seconds=RETRY_FIRST.seconds)
    [row] = pending(db)
    assert bus_events.bus._run(row.id, bus_events) is True
    assert bus_events.bus._run(row.id, bus_events) is False  # a second sweeper finds it gone
    assert bus_events.bus.handle_due(bus_events) == 0
    with db.reader() as uow:
        assert uow.session.scalar(select(func.count()).where(Event.type == "noted")) == 1


def test_without_a_bus_a_message_is_refused_rather_than_lost(db, clock, broker):
    with pytest.raises(RuntimeError, match="no message bus"), db.uow() as uow:
        EventLog(clock, broker).emit(uow, Noted("weg"))


def test_names_must_say_one_thing(db, clock, flaky):
    bus = MessageBus(db, clock)
    bus.subscribe(Noted, flaky)
    with pytest.raises(ValueError, match="two handlers"):
        bus.subscribe(Noted, Flaky())

    @dataclass(frozen=True)
    class Noted2:
        text: str

    Noted2.__name__ = "Noted"
    with pytest.raises(ValueError, match="two message types"):
        bus.subscribe(Noted2, lambda uow, events, clock, message: None)


def test_a_report_stands_when_its_follow_up_fails_and_gets_its_aftercare_on_retry(
    db, events, clock, ids, monkeypatch
):
    def broken(session, incident):
        raise RuntimeError("aftercare down")

    monkeypatch.setattr("services.followup.reactions.schedule_aftercare", broken)
    incident_id, created = submit(db, events, clock, ids, "sanne")
    assert created
    [row] = pending(db)
    assert row.message_type == IncidentReported.__name__ and row.attempts == 1
    monkeypatch.undo()
    clock.advance(seconds=2 * RETRY_FIRST.seconds + 1)
    assert events.bus.handle_due(events) == 1
    with db.reader() as uow:
        assert (
            uow.session.scalar(
                select(func.count()).where(AftercareRecord.incident_id == incident_id)
            )
            == 5
        )
