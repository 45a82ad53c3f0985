"""Signing in cannot be turned against a colleague: failures slow down, never lock; an unknown
name is a known one to whoever asks; the owner hears of the failures at their next login."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.accounts import signin
from services.accounts.models import LoginFailure, User
from services.accounts.service import set_one_time_password
from services.demo import DEMO_PASSWORD

OFFICE, ELSEWHERE = "192.0.2.10", "198.51.100.7"


def fail(db, clock, username="sanne", client=OFFICE, times=1):
    for _ in range(times):
        with db.uow() as uow:
            user, _ = signin.authenticate(
                uow.session, clock, username=username, password="fout", client=client
            )
            assert user is None


def recorded(db, clock, username="sanne", client=OFFICE, times=1):
    """Failures as `fail` records them, without checking a password each time (a real check
    costs 0.1 s: a flood of them would make the suite slow, not the test better)."""
    with db.uow() as uow:
        user_id = uow.session.scalar(select(User.id).where(User.username == username))
        uow.session.add_all(
            LoginFailure(username=username, user_id=user_id, client=client, at=clock.now())
            for _ in range(times)
        )


def throttle(db, clock, username="sanne", client=OFFICE):
    with db.reader() as uow:
        return signin.throttle(uow.session, clock, username=username, client=client)


def log_in(db, clock, username="sanne", client=ELSEWHERE):
    with db.uow() as uow:
        user, failed = signin.authenticate(
            uow.session, clock, username=username, password=DEMO_PASSWORD, client=client
        )
        return (user.username if user else None), failed


def test_each_failure_on_an_account_doubles_the_wait_up_to_three_seconds():
    waits = [signin.delay_after(n, signin.ACCOUNT_FREE) for n in range(10)]
    assert waits == [0, 0, 0, 0.25, 0.5, 1, 2, 3, 3, 3]


def test_fifty_wrong_passwords_do_not_keep_the_owner_out(db, clock):
    """Anyone may send wrong passwords for a colleague's first name; the colleague, at
    another address with the right password, waits at most a few seconds and gets in."""
    fail(db, clock, times=2)
    recorded(db, clock, times=48)
    wait = throttle(db, clock, client=ELSEWHERE)
    assert wait.refused_for is None and wait.delay == signin.MAX_DELAY
    first_failure = clock.now()
    clock.advance(seconds=5)
    assert log_in(db, clock) == ("sanne", signin.FailedSince(50, first_failure))


def test_the_owner_is_told_of_failures_since_their_previous_login_once(db, clock):
    assert log_in(db, clock) == ("sanne", signin.FailedSince(0, None))
    clock.advance(hours=1)
    since = clock.now()
    fail(db, clock, times=3)
    clock.advance(minutes=1)
    assert log_in(db, clock) == ("sanne", signin.FailedSince(3, since))
    assert log_in(db, clock) == ("sanne", signin.FailedSince(0, None))


def test_the_wait_ends_when_the_failures_have_aged(db, clock):
    fail(db, clock, times=6)
    assert throttle(db, clock).delay == 2
    clock.advance(minutes=15, seconds=1)
    assert throttle(db, clock).delay == 0


def test_an_offices_typos_slow_down_nobody_else_a_flood_from_one_address_is_refused(db, clock):
    """A town hall behind one address: a colleague's typos do not slow down the next one.
    A guesser's flood from an address has that address refused, and nobody elsewhere."""
    fail(db, clock, username="kim", times=2)
    fail(db, clock, username="daan", times=2)
    fail(db, clock, username="yara", times=2)
    assert throttle(db, clock, username="joost") == signin.Throttle(0.0)
    recorded(db, clock, username="niemand", times=signin.ADDRESS_LIMIT - 7)
    assert throttle(db, clock, username="joost").refused_for is None
    fail(db, clock, username="sanne")
    assert throttle(db, clock, username="joost").refused_for == 15 * 60
    assert throttle(db, clock, username="joost", client=ELSEWHERE) == signin.Throttle(0.0)
    clock.advance(minutes=10)
    assert throttle(db, clock, username="joost").refused_for == 5 * 60
    clock.advance(minutes=5, seconds=1)
    assert throttle(db, clock, username="joost").refused_for is None


@pytest.mark.parametrize("username", ["niemand", "beheer-oud"])
def test_an_unknown_or_deactivated_name_is_treated_as_a_known_one(db, clock, username):
    if username == "beheer-oud":  # a leaver: her account exists, inactive
        with db.uow() as uow:
            user = uow.session.scalar(select(User).where(User.username == "anouk"))
            user.active, user.username = False, "beheer-oud"
    fail(db, clock, username=f" {username.upper()} ", times=4)
    assert throttle(db, clock, username=username).delay == 0.5  # counted as sanne's would be
    with db.uow() as uow:
        user, _ = signin.authenticate(
            uow.session, clock, username=username, password=DEMO_PASSWORD, client=OFFICE
        )
    assert user is None  # not even with the right password


def test_the_administrator_sees_repeated_failures_and_old_ones_are_forgotten(db, clock):
    fail(db, clock, username="sanne", times=4)
    fail(db, clock, username="sanne", client=ELSEWHERE, times=1)
    fail(db, clock, username="niemand", times=3)
    fail(db, clock, username="kim", times=2)  # typos: not listed
    with db.reader() as uow:
        listed = signin.repeated_failures(uow.session, clock)
    assert [(f.username, f.known, f.count, f.addresses) for f in listed] == [
        ("sanne", True, 5, 2),
        ("niemand", False, 3, 1),
    ]
    clock.advance(days=91)
    signin.forget_old_failures(db, clock)
    with db.reader() as uow:
        assert uow.session.scalar(select(func.count(LoginFailure.id))) == 0


def test_a_one_time_password_works_for_a_day_and_must_then_be_changed(db, clock):
    with db.uow() as uow:
        sanne = uow.session.scalar(select(User).where(User.username == "sanne"))
        one_time, expires_at = set_one_time_password(uow.session, clock, user=sanne)
    assert expires_at == clock.now() + timedelta(hours=24)
    with db.uow() as uow:
        user, _ = signin.authenticate(
            uow.session, clock, username="sanne", password=DEMO_PASSWORD, client=OFFICE
        )
        assert user is None  # the old password is gone
    clock.advance(hours=24, seconds=1)
    with db.uow() as uow:
        user, _ = signin.authenticate(
            uow.session, clock, username="sanne", password=one_time, client=OFFICE
        )
        assert user is None  # expired: an administrator makes a new one
