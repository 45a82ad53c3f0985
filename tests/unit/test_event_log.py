"""Persist, then publish; replay by audience; what each role hears."""

import pytest

from services.accounts.audience import addressed_user_ids, listening_keys
from services.accounts.models import Role
from services.clock import FakeClock
from services.errors import NotAllowed
from services.events.audience import role_key, team_key, user_key
from services.events.log import EventLog, events_since
from services.messages.service import send_message
from tests.conftest import user_by_name
from tests.fakes import ListBroker


@pytest.fixture
def log():
    return EventLog(FakeClock(), ListBroker())


def test_event_is_published_only_after_commit(db, log):
    with db.uow() as uow:
        event = log.record(uow, type="t", audience={"user:1"}, title="x")
        assert log.broker.published == []  # nothing told while the transaction is open
    assert [e.id for e in log.broker.published] == [event.id]


def test_rolled_back_event_is_never_published(db, log):
    with pytest.raises(RuntimeError), db.uow() as uow:
        log.record(uow, type="t", audience={"user:1"}, title="x")
        raise RuntimeError("domain rule failed after recording")
    assert log.broker.published == []
    with db.reader() as uow:
        assert events_since(uow.session, frozenset({"user:1"}), 0) == []


def test_ids_grow_and_replay_returns_exactly_the_missed_events_in_order(db, log):
    with db.uow() as uow:
        recorded = [log.record(uow, type="t", audience={"team:1"}, title=str(n)) for n in range(5)]
        log.record(uow, type="t", audience={"team:2"}, title="other team")
    ids = [event.id for event in recorded]  # given at the commit
    assert ids == sorted(ids) and len(set(ids)) == 5
    with db.reader() as uow:
        missed = events_since(uow.session, frozenset({"team:1", "user:99"}), ids[1])
    assert [e.id for e in missed] == ids[2:]


def test_an_event_addressed_twice_to_one_listener_is_replayed_once(db, log):
    with db.uow() as uow:
        event = log.record(uow, type="t", audience={"team:1", "user:3"}, title="x")
    with db.reader() as uow:
        assert [e.id for e in events_since(uow.session, frozenset({"team:1", "user:3"}), 0)] == [
            event.id
        ]


def test_listening_keys_per_role(db):
    with db.reader() as uow:
        sanne, lisa = user_by_name(uow.session, "sanne"), user_by_name(uow.session, "lisa")
        coordinator = user_by_name(uow.session, "coordinator")
        assert listening_keys(uow.session, sanne) == {
            user_key(sanne.id),
            role_key(Role.MEDEWERKER),
            team_key(sanne.team_id),
        }
        assert team_key(sanne.team_id) in listening_keys(uow.session, lisa)
        assert not any(k.startswith("team:") for k in listening_keys(uow.session, coordinator))


def test_team_audience_reaches_members_and_their_manager_only(db, ids):
    with db.reader() as uow:
        sanne = user_by_name(uow.session, "sanne")
        reached = addressed_user_ids(uow.session, {team_key(sanne.team_id)})
        names = {
            user_by_name(uow.session, n).id: n
            for n in ("sanne", "mohammed", "anouk", "lisa", "kim", "peter", "coordinator")
        }
    assert {names[i] for i in reached if i in names} == {"sanne", "mohammed", "anouk", "lisa"}
    # exactly the team's members (sanne, mohammed, anouk) and its manager (lisa), nobody else
    assert set(reached) == {ids["sanne"], ids["mohammed"], ids["anouk"], ids["lisa"]}


def test_worker_cannot_message_another_team(db, log):
    with db.uow() as uow:
        sanne, kim = user_by_name(uow.session, "sanne"), user_by_name(uow.session, "kim")
        with pytest.raises(NotAllowed):
            send_message(uow, log, sender_id=sanne.id, text="hoi", team_id=kim.team_id)
        with pytest.raises(NotAllowed):
            send_message(uow, log, sender_id=sanne.id, text="hoi", user_id=kim.id)
        send_message(
            uow,
            log,
            sender_id=sanne.id,
            text="Ik ben bij de Dorpsstraat 12",
            user_id=sanne.manager_id,
        )
    (sent,) = log.broker.published
    assert sent.audience == {user_key(sanne.manager_id), user_key(sanne.id)}
