"""Passwords, lockout, device sessions and reach."""

import pytest

from services.accounts.service import (
    authenticate,
    load_device_session,
    open_device_session,
    reach_of,
    revoke_sessions_of,
)
from services.clock import FakeClock
from services.demo import DEMO_PASSWORD
from services.errors import NotFound, TooManyAttempts
from services.events.log import EventLog
from tests.conftest import user_by_name
from tests.fakes import ListBroker


def test_five_wrong_passwords_lock_the_account_for_a_quarter(db):
    clock = FakeClock()
    for _ in range(5):
        with db.uow() as uow:
            assert authenticate(uow.session, clock, "sanne", "fout") is None
    with db.uow() as uow, pytest.raises(TooManyAttempts):
        authenticate(uow.session, clock, "sanne", DEMO_PASSWORD)
    clock.advance(minutes=14, seconds=59)  # a second short of the quarter: still locked
    with db.uow() as uow, pytest.raises(TooManyAttempts):
        authenticate(uow.session, clock, "sanne", DEMO_PASSWORD)
    clock.advance(seconds=1)  # 15 minutes after the fifth failure: open again
    with db.uow() as uow:
        assert authenticate(uow.session, clock, " Sanne ", DEMO_PASSWORD).username == "sanne"


def test_revoked_device_session_no_longer_loads(db):
    clock = FakeClock()
    with db.uow() as uow:
        sanne = user_by_name(uow.session, "sanne")
        phone = open_device_session(uow.session, clock, sanne, "phone")
        laptop = open_device_session(uow.session, clock, sanne, "laptop")
    with db.uow() as uow:
        beheer = user_by_name(uow.session, "beheer")
        assert (
            revoke_sessions_of(
                uow, EventLog(clock, ListBroker()), clock, actor=beheer, user_id=sanne.id
            )
            == 2
        )
    with db.reader() as uow:
        assert load_device_session(uow.session, phone) is None
        assert load_device_session(uow.session, laptop) is None


def test_a_worker_cannot_revoke_a_colleagues_sessions(db):
    with db.uow() as uow:
        sanne, kim = user_by_name(uow.session, "sanne"), user_by_name(uow.session, "kim")
        with pytest.raises(NotFound):
            revoke_sessions_of(
                uow, EventLog(FakeClock(), ListBroker()), FakeClock(), actor=sanne, user_id=kim.id
            )


def test_reach_of_each_role(db):
    with db.reader() as uow:
        sanne, lisa = user_by_name(uow.session, "sanne"), user_by_name(uow.session, "lisa")
        kim = user_by_name(uow.session, "kim")
        assert reach_of(uow.session, sanne).covers_team(sanne.team_id)
        assert not reach_of(uow.session, sanne).covers_team(kim.team_id)
        assert reach_of(uow.session, lisa).team_ids == {sanne.team_id}
        assert reach_of(uow.session, user_by_name(uow.session, "coordinator")).covers_team(
            kim.team_id
        )
