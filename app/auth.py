"""Who is asking: flask-login backed by revocable device sessions.

The session and remember-me cookies carry only a random device-session token; the database
holds its hash. Revoking a lost phone is one UPDATE and takes effect on its next request."""

from __future__ import annotations

from dataclasses import dataclass

from flask import after_this_request
from flask_login import UserMixin

from app.extensions import login_manager
from app.runtime import Runtime, runtime
from services.accounts.mfa import MfaPolicy
from services.accounts.models import Role, User
from services.accounts.service import (
    load_device_session,
    needs_touch,
    public_session_key,
    touch_device_session,
)
from services.errors import Busy

TOUCH_WAIT = 0.25  # "last used" is bookkeeping: never hold a request up for it


@dataclass
class SessionUser(UserMixin):
    """The logged-in user as a plain snapshot, safe to use after the database session closed."""

    id: int
    username: str
    name: str
    role: Role
    team_id: int | None
    token: str
    must_change_password: bool = False
    must_set_up_second_factor: bool = False

    def get_id(self) -> str:
        return self.token

    @property
    def session_key(self) -> str:
        return public_session_key(self.token)

    @classmethod
    def of(cls, user: User, token: str, mfa_policy: MfaPolicy | None = None) -> SessionUser:
        return cls(
            id=user.id,
            username=user.username,
            name=user.name,
            role=Role(user.role),
            team_id=user.team_id,
            token=token,
            must_change_password=user.must_change_password,
            must_set_up_second_factor=bool(mfa_policy) and mfa_policy.step_for(user) == "enrol",
        )


@login_manager.user_loader
def load_user(token: str) -> SessionUser | None:
    rt = runtime()
    with rt.db.reader() as uow:
        found = load_device_session(uow.session, rt.clock, token, rt.idle_limits)
        if found is None:
            return None
        user = SessionUser.of(found.user, token, rt.mfa_policy)
        stale = needs_touch(found, rt.clock)
    if stale:
        after_this_request(_touch_once_answered(rt, user.session_key))
    return user


def _touch_once_answered(rt: Runtime, session_key: str):
    """ "Last used" is written after the answer has gone: a phone idle for a while raises its
    alarm without a write transaction (and a wait for the write lock) before it."""

    def touch() -> None:  # after the request's context has gone: all it needs is `rt`
        try:
            with rt.db.uow(wait=TOUCH_WAIT) as uow:
                touch_device_session(uow.session, rt.clock, session_key)
        except Busy:
            pass  # the next request touches it

    def when_answered(response):
        response.call_on_close(touch)
        return response

    return when_answered
