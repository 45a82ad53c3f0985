"""Device sessions: see where you are logged in, revoke a lost phone."""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import BaseModel

from app.api import bp
from app.api.endpoint import endpoint
from app.runtime import runtime
from services.accounts import mfa, signin
from services.accounts import service as accounts
from services.accounts.capabilities import ADMINISTRATORS
from services.accounts.service import get_user, list_device_sessions, revoke_sessions_of
from services.admin import audit
from services.clock import iso


class DeviceSessionOut(BaseModel):
    key: str
    created_at: datetime
    last_seen_at: datetime
    user_agent: str
    current: bool


class SessionsOut(BaseModel):
    sessions: list[DeviceSessionOut]


class RevokedOut(BaseModel):
    revoked: int


class FailingAccount(BaseModel):
    username: str
    known: bool  # an account of that name exists
    failures: int
    addresses: int
    last_at: datetime


class SignInAttemptsOut(BaseModel):
    accounts: list[FailingAccount]


class OneTimePasswordOut(BaseModel):
    one_time_password: str
    expires_at: datetime


@endpoint(bp, "/me/sessions", "GET", "My logged-in devices", returns=SessionsOut)
def my_sessions():
    with runtime().db.reader() as uow:
        found = list_device_sessions(uow.session, current_user.id)
        return {
            "sessions": [
                {
                    "key": s.id,
                    "created_at": iso(s.created_at),
                    "last_seen_at": iso(s.last_seen_at),
                    "user_agent": s.user_agent,
                    "current": s.id == current_user.session_key,
                }
                for s in found
            ]
        }


@endpoint(bp, "/me/sessions/<key>", "DELETE", "Log out one of my devices", status=204)
def revoke_my_session(key: str):
    rt = runtime()
    with rt.db.uow() as uow:
        actor = get_user(uow.session, current_user.id)
        revoke_sessions_of(
            uow, rt.events, rt.clock, actor=actor, user_id=current_user.id, session_key=key
        )
    return "", 204


@endpoint(
    bp,
    "/users/<int:user_id>/sessions",
    "DELETE",
    "Log a user out on every device (lost or stolen phone)",
    roles=ADMINISTRATORS,
    returns=RevokedOut,
)
def revoke_user_sessions(user_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        actor = get_user(uow.session, current_user.id)
        count = revoke_sessions_of(uow, rt.events, rt.clock, actor=actor, user_id=user_id)
        _write_down(uow.session, rt, user_id=user_id, action="logged_out")
    return {"revoked": count}


def _write_down(db_session, rt, *, user_id: int, action: str) -> None:
    """An administrator's act on someone's access, in the change log (services/admin/audit.py)
    in the same transaction."""
    person = get_user(db_session, user_id)
    entry = audit.Entry(
        entity="person", entity_id=user_id, label=person.name, action=action, before=None, after={}
    )
    audit.record(db_session, rt.clock.now(), actor_id=current_user.id, entry=entry, via="app")


@endpoint(
    bp,
    "/admin/sign-in-attempts",
    "GET",
    "Accounts, and names that are none, with repeated failed logins in the last 7 days",
    can="sign_in_attempts",
    returns=SignInAttemptsOut,
)
def sign_in_attempts():
    rt = runtime()
    with rt.db.reader() as uow:
        found = signin.repeated_failures(uow.session, rt.clock)
    return {
        "accounts": [
            {
                "username": f.username,
                "known": f.known,
                "failures": f.count,
                "addresses": f.addresses,
                "last_at": iso(f.last_at),
            }
            for f in found
        ]
    }


@endpoint(
    bp,
    "/admin/people/<int:user_id>/second-factor",
    "DELETE",
    "Reset a person's lost second factor: they set it up again at their next login, and "
    "are logged out everywhere",
    can="administration",
    status=204,
)
def reset_second_factor(user_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        mfa.reset(uow.session, user=get_user(uow.session, user_id))
        actor = get_user(uow.session, current_user.id)
        revoke_sessions_of(uow, rt.events, rt.clock, actor=actor, user_id=user_id)
        _write_down(uow.session, rt, user_id=user_id, action="second_factor_reset")
    return "", 204


@endpoint(
    bp,
    "/admin/people/<int:user_id>/password-reset",
    "POST",
    "A forgotten password: a one-time password for the person (valid 24 hours, to be changed "
    "at first login), answered this once; they are logged out everywhere",
    can="administration",
    returns=OneTimePasswordOut,
)
def reset_password(user_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        actor = get_user(uow.session, current_user.id)
        password, expires_at = accounts.reset_password(
            uow, rt.events, rt.clock, actor=actor, user_id=user_id
        )
        _write_down(uow.session, rt, user_id=user_id, action="password_reset")
    return {"one_time_password": password, "expires_at": iso(expires_at)}
