"""Device sessions and reach."""

from datetime import timedelta

import pytest

from services.accounts.service import (
    load_device_session,
    open_device_session,
    reach_of,
    revoke_sessions_of,
)
from services.accounts.signin import IdleLimits
from services.clock import FakeClock
from services.errors import NotFound
from services.events.log import EventLog
from tests.conftest import user_by_name
from tests.fakes import ListBroker

IDLE = IdleLimits(overseers=timedelta(hours=12), field=timedelta(days=30))


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
        assert load_device_session(uow.session, clock, phone, IDLE) is None
        assert load_device_session(uow.session, clock, laptop, IDLE) is None


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


def test_a_session_unused_too_long_is_over_sooner_at_a_desk_than_on_a_field_phone(db):
    """A manager's session reads aggressors' details: 12 hours unused ends it. A field
    worker's phone must meet an alarm, not a login screen: 30 days."""
    clock = FakeClock()
    with db.uow() as uow:
        desk = open_device_session(uow.session, clock, user_by_name(uow.session, "lisa"), "pc")
        phone = open_device_session(uow.session, clock, user_by_name(uow.session, "sanne"), "ph")
    clock.advance(hours=11, minutes=59)
    with db.reader() as uow:
        assert load_device_session(uow.session, clock, desk, IDLE) is not None
    clock.advance(minutes=2)
    with db.reader() as uow:
        assert load_device_session(uow.session, clock, desk, IDLE) is None
        assert load_device_session(uow.session, clock, phone, IDLE) is not None
    clock.advance(days=30)
    with db.reader() as uow:
        assert load_device_session(uow.session, clock, phone, IDLE) is None
