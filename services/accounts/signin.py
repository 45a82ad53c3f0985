"""Signing in, so that it cannot be turned against colleagues.

There is no lock-out: with logins being first names, anyone could lock every colleague out
by guessing wrong five times. Instead each account's failed attempts of the last
FAILURE_WINDOW slow down every next attempt on it, up to MAX_DELAY — the owner with the right
password still gets in, a few seconds late — and so do an address's, beyond the typos of a
whole office; an address that floods is refused until its failures have aged. A guesser gets
nowhere against a password the policy accepted (services/accounts/credentials.py). The
failures are rows in the database, so every worker counts the same ones.

An unknown or deactivated username is treated exactly as a known one: its password is
checked against a stand-in hash and its failure recorded, so neither the answer nor the time
it takes tells whether the name exists. The owner is told at their next login how many
attempts failed since the last one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from services.accounts.capabilities import OVERSEERS
from services.accounts.models import DeviceSession, LoginFailure, User
from services.clock import Clock
from services.db import Database

FAILURE_WINDOW = timedelta(minutes=15)
ACCOUNT_FREE = 3  # an account's typos: no delay yet
# An address is a whole town hall behind its NAT on a Monday morning: many typos are free,
# and only a flood of failures (a guesser) has it refused until the window has passed.
ADDRESS_FREE, ADDRESS_LIMIT = 10, 100
FIRST_DELAY, MAX_DELAY = 0.25, 3.0  # seconds; doubling from the first to the last
KEEP_FAILURES = timedelta(days=90)  # for the owner's notice and the administrator's list
# Checked when the name is unknown, at the cost of a real one (werkzeug's default method).
_STAND_IN_HASH = generate_password_hash("no account has this password")


def normalised(username: str) -> str:
    return username.strip().lower()[:80]


def delay_after(failures: int, free: int) -> float:
    """Seconds an attempt waits after `failures` failed attempts in the window: none for the
    first `free`, then doubling to MAX_DELAY, never more."""
    if failures < free:
        return 0.0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - free))


@dataclass(frozen=True)
class Throttle:
    delay: float  # seconds to wait before the password is checked
    refused_for: int | None = None  # seconds: this address failed too often


def throttle(session: Session, clock: Clock, *, username: str, client: str) -> Throttle:
    """What an attempt on `username` from `client` must wait, or that it is refused."""
    since = clock.now() - FAILURE_WINDOW
    recent = select(func.count()).where(LoginFailure.at > since)
    on_account = session.scalar(recent.where(LoginFailure.username == normalised(username)))
    from_address, oldest = session.execute(
        recent.add_columns(func.min(LoginFailure.at)).where(LoginFailure.client == client[:64])
    ).one()
    if from_address >= ADDRESS_LIMIT:
        return Throttle(0.0, refused_for=max(1, ceil((oldest - since).total_seconds())))
    return Throttle(
        max(delay_after(on_account, ACCOUNT_FREE), delay_after(from_address, ADDRESS_FREE))
    )


@dataclass(frozen=True)
class FailedSince:
    """What the owner is told at login: attempts that failed since their previous login."""

    count: int
    since: datetime | None  # the first of them


def authenticate(
    session: Session, clock: Clock, *, username: str, password: str, client: str
) -> tuple[User | None, FailedSince]:
    """The user when the password is right, with the attempts that failed on their account
    since their previous login (which is now); otherwise None, and this failure recorded."""
    name = normalised(username)
    user = session.scalar(select(User).where(User.username == name))
    known = user is not None and user.active
    expired = (
        known and user.password_expires_at is not None and user.password_expires_at < clock.now()
    )
    right = check_password_hash(user.password_hash if known else _STAND_IN_HASH, password)
    if right and known and not expired:
        return user, record_login(session, clock, user)
    _record_failure(session, clock, username=name, user_id=user and user.id, client=client)
    return None, FailedSince(0, None)


def _record_failure(
    session: Session,
    clock: Clock,
    *,
    username: str,
    user_id: int | None,
    client: str,
    second_factor: bool = False,
) -> None:
    session.add(
        LoginFailure(
            username=username,
            user_id=user_id,
            client=client[:64],
            at=clock.now(),
            second_factor=second_factor,
        )
    )


def wrong_codes_since(
    session: Session, clock: Clock, *, user: User, client: str, since: datetime
) -> int:
    """A wrong second-factor code, recorded as a failure on the account (the owner hears of
    it, the account's wait grows); how many wrong codes there have been since `since` (the
    password step of this login), this one included."""
    _record_failure(
        session, clock, username=user.username, user_id=user.id, client=client, second_factor=True
    )
    session.flush()
    return session.scalar(
        select(func.count()).where(
            LoginFailure.user_id == user.id,
            LoginFailure.second_factor.is_(True),
            LoginFailure.at >= since,
        )
    )


def record_login(session: Session, clock: Clock, user: User) -> FailedSince:
    """`user` has proved who they are (a password, the provider's word): the attempts that
    failed on their account since their previous login, which is now."""
    failed = _failed_since(session, user)
    user.last_login_at = clock.now()
    return failed


def _failed_since(session: Session, user: User) -> FailedSince:
    query = select(func.count(), func.min(LoginFailure.at)).where(LoginFailure.user_id == user.id)
    if user.last_login_at is not None:
        query = query.where(LoginFailure.at > user.last_login_at)
    count, first = session.execute(query).one()
    return FailedSince(count, first)


@dataclass(frozen=True)
class RepeatedFailures:
    username: str
    known: bool
    count: int
    addresses: int
    last_at: datetime


def repeated_failures(
    session: Session, clock: Clock, *, days: int = 7, at_least: int = ACCOUNT_FREE
) -> list[RepeatedFailures]:
    """Accounts (and names that are none) with repeated failed attempts lately, most first:
    what the administrator looks at."""
    rows = session.execute(
        select(
            LoginFailure.username,
            func.max(LoginFailure.user_id),
            func.count(),
            func.count(func.distinct(LoginFailure.client)),
            func.max(LoginFailure.at),
        )
        .where(LoginFailure.at > clock.now() - timedelta(days=days))
        .group_by(LoginFailure.username)
        .having(func.count() >= at_least)
        .order_by(func.count().desc(), LoginFailure.username)
    )
    return [
        RepeatedFailures(name, user_id is not None, count, addresses, last_at)
        for name, user_id, count, addresses, last_at in rows
    ]


def forget_old_failures(db: Database, clock: Clock) -> None:
    """The sweeper's, hourly: failed attempts are kept KEEP_FAILURES, no longer."""
    with db.uow() as uow:
        uow.session.execute(
            delete(LoginFailure).where(LoginFailure.at < clock.now() - KEEP_FAILURES)
        )


@dataclass(frozen=True)
class IdleLimits:
    """How long a device session may go unused: short for those who read aggressors'
    details at a desk (managers, the coordinator, the administrator), long for field workers'
    phones, so that an alarm never meets a login screen."""

    overseers: timedelta
    field: timedelta

    def for_role(self, role: str) -> timedelta:
        return self.overseers if role in OVERSEERS else self.field


def idle_too_long(device_session: DeviceSession, clock: Clock, limits: IdleLimits) -> bool:
    return clock.now() - device_session.last_seen_at > limits.for_role(device_session.user.role)
