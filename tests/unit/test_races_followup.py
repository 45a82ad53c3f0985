"""Races in the follow-up, the message bus and Web Push: two managers acting on one incident or
one aggressor at once, and the sweeps of several processes over the same due row. On
PostgreSQL the end must be what one after the other gives on SQLite (tests/unit/races.py)."""

from datetime import datetime
from functools import partial

from sqlalchemy import func, select

from services.errors import Conflict
from services.events.audience import user_key
from services.events.bus import RETRY_FIRST, MessageBus
from services.events.log import EventLog
from services.events.models import Event, PendingReaction
from services.followup import service
from services.followup.models import IncidentMeasure
from services.incidents.access import viewer_of
from services.incidents.models import Incident, IncidentChange
from services.push import dispatcher as push
from services.register import service as register
from tests.conftest import ON_POSTGRES
from tests.fakes import ListBroker
from tests.unit.races import Rendezvous, at_once_in_two_processes, meeting_at, two_sweepers
from tests.unit.test_bus import Flaky, Noted, emit
from tests.unit.test_followup import capture
from tests.unit.test_followup_protocol import ADDRESS, ban
from tests.unit.test_incidents import CET
from tests.unit.test_push_dispatcher import deliver, make_dispatcher, message, subscribe, sweep


def count(db, *where) -> int:
    with db.reader() as uow:
        return uow.session.scalar(select(func.count()).where(*where))


# ---- managers acting at once ------------------------------------------------------------------


def test_two_follow_up_saves_on_one_incident_at_once_both_land(db, events, clock, ids, monkeypatch):
    """Each save makes a new version of the incident: the second waits for the first and
    builds on it, where it would otherwise fail on the first one's version (a 500)."""
    incident_id = capture(db, events, clock, ids)
    with db.reader() as uow:
        version = uow.session.get(Incident, incident_id).version
    meeting_at(monkeypatch, service, "add_history", Rendezvous())

    def absence(database, who, days):
        with database.uow() as uow:
            service.record_absence(
                uow,
                clock,
                viewer=viewer_of(uow.session, ids[who]),
                incident_id=incident_id,
                days=days,
            )

    at_once_in_two_processes(
        db.url,
        partial(absence, who="lisa", days=2),
        partial(absence, who="coordinator", days=5),
    )
    with db.reader() as uow:
        assert uow.session.get(Incident, incident_id).version == version + 2
    saved = count(db, IncidentChange.incident_id == incident_id, IncidentChange.action == "verzuim")
    assert saved == 2


def test_two_bans_for_one_aggressor_decided_at_once_are_one_ban(
    db, events, clock, ids, monkeypatch
):
    """Two incidents about the same person, a pandverbod decided on each at the same moment:
    the register gets one entry and one ban; the second decision is refused in favour of
    extending the first, as it is one after the other."""
    first = capture(db, events, clock, ids, n=1)
    second = capture(
        db, events, clock, ids, n=2, occurred_at=datetime(2026, 11, 24, 9, 50, tzinfo=CET)
    )
    meeting_at(monkeypatch, register, "refuse_a_second", Rendezvous())

    def pandverbod(database, incident_id):
        try:
            ban(database, clock, ids, incident_id)
        except Conflict:
            return "refused"
        return "decided"

    results = at_once_in_two_processes(
        db.url, partial(pandverbod, incident_id=first), partial(pandverbod, incident_id=second)
    )
    assert sorted(results) == ["decided", "refused"]
    with db.reader() as uow:
        [entry] = register.matching_entries(uow.session, ADDRESS, None)
        assert [m.kind for m in entry.measures] == ["pandverbod"]
    assert count(db, IncidentMeasure.id.is_not(None)) == 1


# ---- sweeps of several processes -----------------------------------------------------------------


def test_two_sweepers_remind_an_aftercare_step_once_and_neither_waits(db, events, clock, ids):
    capture(db, events, clock, ids)
    clock.advance(hours=2)  # the first talk's reminder is due
    brokers = []

    def remind(database):
        broker = ListBroker()
        brokers.append(broker)
        return service.remind_aftercare_due(database, EventLog(clock, broker), clock)

    results, held = two_sweepers(db.url, remind)
    assert results == [0, 1] and held == [ON_POSTGRES]
    assert sum(len(b.of_type("followup.reminder")) for b in brokers) == 1


def test_two_sweepers_run_a_left_reaction_once_and_neither_waits(db, clock, monkeypatch):
    def bus_of(database):
        bus = MessageBus(database, clock)
        bus.subscribe(Noted, Flaky())
        return bus

    emitter = bus_of(db)
    monkeypatch.setattr(emitter, "_run_all", lambda ids, events: 0)  # died at its commit
    emit(db, EventLog(clock, ListBroker(), emitter))
    clock.advance(seconds=RETRY_FIRST.seconds)

    def handle_due(database):
        bus = bus_of(database)
        return bus.handle_due(EventLog(clock, ListBroker(), bus))

    results, held = two_sweepers(db.url, handle_due)
    assert results == [0, 1] and held == [ON_POSTGRES]
    assert count(db, Event.type == "noted") == 1
    assert count(db, PendingReaction.id.is_not(None)) == 0


def test_two_sweepers_retry_a_push_once_and_neither_waits(db, ids):
    subscribe(db, ids["lisa"], "https://push.test/lisa-tablet")
    first, transport = make_dispatcher(db)
    transport.status["https://push.test/lisa-tablet"] = 503
    clock = first.clock
    deliver(first, message(db, user_key(ids["lisa"]), urgent=True, clock=clock))
    clock.advance(seconds=2)  # its second try is due
    transports = []

    def retry(database):
        dispatcher, transport = make_dispatcher(database, clock=clock)
        transports.append(transport)
        return sweep(dispatcher)

    results, held = two_sweepers(db.url, retry, hold_at=(push, "envelope_of"))
    assert results == [0, 1] and held == [ON_POSTGRES]
    assert sum(len(t.sent) for t in transports) == 1
