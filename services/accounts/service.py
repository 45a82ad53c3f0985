"""Login, device sessions and who-may-see-whom rules for people and teams."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from services.accounts.credentials import check_password, check_pins
from services.accounts.models import DeviceSession, ManagedTeam, Role, Team, User
from services.accounts.signin import IdleLimits, idle_too_long
from services.clock import Clock
from services.db import UnitOfWork
from services.errors import Invalid, NotAllowed, NotFound
from services.events.audience import user_key
from services.events.log import EventLog

SESSION_TOUCH_INTERVAL = timedelta(minutes=5)


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def _token_key(token: str) -> str:
    # Only a hash of the token is stored, so a copy of the database cannot impersonate anyone.
    return hashlib.sha256(token.encode()).hexdigest()


def open_device_session(session: Session, clock: Clock, user: User, user_agent: str) -> str:
    """Start a session for one device; returns the secret token the cookie will carry."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    session.add(
        DeviceSession(
            id=_token_key(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            user_agent=user_agent[:300],
        )
    )
    return token


def load_device_session(
    session: Session, clock: Clock, token: str, idle: IdleLimits
) -> DeviceSession | None:
    """The live session behind a cookie, or None when revoked, unknown, unused for longer
    than its user's role allows, or its user is disabled."""
    found = session.get(  # one query for both: every request, an alarm's too, asks this
        DeviceSession, _token_key(token), options=[joinedload(DeviceSession.user)]
    )
    if found is None or found.revoked_at is not None or not found.user.active:
        return None
    if idle_too_long(found, clock, idle):
        return None
    return found


def needs_touch(device_session: DeviceSession, clock: Clock) -> bool:
    """Last-seen is kept coarse so that an ordinary request needs no write transaction."""
    return clock.now() - device_session.last_seen_at > SESSION_TOUCH_INTERVAL


def touch_device_session(session: Session, clock: Clock, session_key: str) -> None:
    session.execute(
        update(DeviceSession)
        .where(DeviceSession.id == session_key)
        .values(last_seen_at=clock.now())
    )


def list_device_sessions(session: Session, user_id: int) -> list[DeviceSession]:
    return list(
        session.scalars(
            select(DeviceSession)
            .where(DeviceSession.user_id == user_id, DeviceSession.revoked_at.is_(None))
            .order_by(DeviceSession.last_seen_at.desc())
        )
    )


def revoke_device_session(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, user_id: int, token: str
) -> None:
    """Logout: this device's session ends."""
    _revoke(
        uow,
        events,
        clock,
        user_id=user_id,
        query=update(DeviceSession).where(
            DeviceSession.id == _token_key(token), DeviceSession.revoked_at.is_(None)
        ),
    )


def revoke_sessions_of(
    uow: UnitOfWork,
    events: EventLog,
    clock: Clock,
    *,
    actor: User,
    user_id: int,
    session_key: str | None = None,
) -> int:
    """Revoke one session (by its public key) or all of a user's sessions. A user may revoke
    their own; an administrator anyone's (a lost phone is reported to the helpdesk)."""
    if actor.id != user_id and actor.role != Role.BEHEERDER:
        raise NotFound("Onbekende sessie.")
    if session_key is None:
        return revoke_all_sessions(uow, events, clock, user_id=user_id)
    query = update(DeviceSession).where(
        DeviceSession.user_id == user_id,
        DeviceSession.revoked_at.is_(None),
        DeviceSession.id == session_key,
    )
    if _revoke(uow, events, clock, user_id=user_id, query=query) == 0:
        raise NotFound("Onbekende sessie.")
    return 1


def revoke_all_sessions(uow: UnitOfWork, events: EventLog, clock: Clock, *, user_id: int) -> int:
    """Every device of a user logged out at once (a lost phone, a reset, a leaver)."""
    query = update(DeviceSession).where(
        DeviceSession.user_id == user_id, DeviceSession.revoked_at.is_(None)
    )
    return _revoke(uow, events, clock, user_id=user_id, query=query)


def _revoke(uow: UnitOfWork, events: EventLog, clock: Clock, *, user_id: int, query) -> int:
    """Revoke, and tell the open websockets of those sessions to close at once (no polling
    of session validity: an event reaches the right connection directly)."""
    keys = list(
        uow.session.scalars(query.values(revoked_at=clock.now()).returning(DeviceSession.id))
    )
    if keys:
        events.record(
            uow,
            type="session.revoked",
            audience={user_key(user_id)},
            push=False,
            title="Uitgelogd op een apparaat",
            data={"session_keys": keys},
        )
    return len(keys)


def public_session_key(token: str) -> str:
    return _token_key(token)


@dataclass(frozen=True)
class Reach:
    """Which teams' people and events a user may see."""

    all_teams: bool
    team_ids: frozenset[int]

    def covers_team(self, team_id: int | None) -> bool:
        return self.all_teams or (team_id is not None and team_id in self.team_ids)


def reach_of(session: Session, user: User) -> Reach:
    if user.role in (Role.COORDINATOR, Role.BEHEERDER):
        return Reach(all_teams=True, team_ids=frozenset())
    teams = set() if user.team_id is None else {user.team_id}
    if user.role == Role.LEIDINGGEVENDE:
        teams |= set(
            session.scalars(select(ManagedTeam.team_id).where(ManagedTeam.manager_id == user.id))
        )
    return Reach(all_teams=False, team_ids=frozenset(teams))


def managers_of_team(session: Session, team_id: int | None) -> set[int]:
    if team_id is None:
        return set()
    return set(
        session.scalars(select(ManagedTeam.manager_id).where(ManagedTeam.team_id == team_id))
    )


def get_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound("Onbekend team.")
    return team


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, options=[joinedload(User.team)])  # views name the team
    if user is None or not user.active:
        raise NotFound("Onbekende gebruiker.")
    return user


def set_on_duty(session: Session, user_id: int, on_duty: bool) -> User:
    user = get_user(session, user_id)
    user.on_duty = on_duty
    return user


def set_alarm_pins(
    session: Session, *, user_id: int, password: str, pin: str, duress_pin: str
) -> None:
    """Both PINs at once, confirmed with the password (someone holding an unlocked phone
    must not be able to change them)."""
    user = get_user(session, user_id)
    if not check_password_hash(user.password_hash, password):
        raise NotAllowed("Onjuist wachtwoord.")
    check_pins(pin, duress_pin)
    user.alarm_pin_hash = hash_password(pin)
    user.duress_pin_hash = hash_password(duress_pin)


def change_password(
    session: Session, *, user_id: int, password: str, new_password: str, organisation: str
) -> None:
    """A new password, confirmed with the present one; also the forced change at first use."""
    user = get_user(session, user_id)
    if not check_password_hash(user.password_hash, password):
        raise NotAllowed("Onjuist huidig wachtwoord.")
    if new_password == password:
        raise Invalid(
            "Kies een ander wachtwoord dan het huidige.", {"new_password": "gelijk aan huidige"}
        )
    check_password(new_password, personal=(user.username, user.name), context=(organisation,))
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_expires_at = None


ONE_TIME_PASSWORD_VALID = timedelta(hours=24)


def new_one_time_password() -> str:
    return secrets.token_urlsafe(15)  # 20 characters: far beyond guessing


def set_one_time_password(session: Session, clock: Clock, *, user: User) -> tuple[str, datetime]:
    """A password only its owner's first login uses (the first administrator's, a reset): it
    works for ONE_TIME_PASSWORD_VALID, and must then be changed before anything else."""
    password = new_one_time_password()
    expires_at = clock.now() + ONE_TIME_PASSWORD_VALID
    user.password_hash = hash_password(password)
    user.must_change_password, user.password_expires_at = True, expires_at
    return password, expires_at


def reset_password(
    uow: UnitOfWork, events: EventLog, clock: Clock, *, actor: User, user_id: int
) -> tuple[str, datetime]:
    """The administrator's reset of a forgotten password: a one-time password for the person,
    and every device of theirs logged out (whoever holds the phone is out too)."""
    user = get_user(uow.session, user_id)
    revoke_sessions_of(uow, events, clock, actor=actor, user_id=user_id)
    return set_one_time_password(uow.session, clock, user=user)


def pin_matches(user: User, pin: str) -> tuple[bool, bool]:
    """(is the PIN, is the duress PIN). Both hashes are always checked, so the time taken
    does not tell which one matched."""
    cancel = bool(user.alarm_pin_hash) and check_password_hash(user.alarm_pin_hash, pin)
    duress = bool(user.duress_pin_hash) and check_password_hash(user.duress_pin_hash, pin)
    return cancel, duress
