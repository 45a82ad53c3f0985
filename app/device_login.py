"""Signing a person in on this device, the same whichever way they proved who they are (a
password, with its second factor, or the municipality's identity provider): a revocable device
session (services/accounts/service.py) and flask-login's cookies carrying its token."""

from __future__ import annotations

import time

from flask import request, session
from flask_login import login_user
from sqlalchemy.orm import Session

from app.auth import SessionUser
from app.runtime import Runtime
from services.accounts import mfa
from services.accounts.models import User
from services.accounts.service import open_device_session
from services.clock import iso

PENDING = "second_factor_pending"  # in the signed session cookie, between the two steps
SECOND_FACTOR_SECONDS = 300
REMEMBERED_DEVICE = "veldwacht_device"  # the cookie of a browser that skips the code


def code_needed(db_session: Session, rt: Runtime, user: User) -> bool:
    """The person has a second factor, and this browser is not one they had remembered."""
    return rt.mfa_policy.step_for(user) == "code" and not mfa.is_remembered(
        db_session, rt.clock, user=user, token=request.cookies.get(REMEMBERED_DEVICE)
    )


def ask_second_factor(rt: Runtime, user: User, *, remember: bool, failed: dict | None) -> None:
    """The first step is done (a right password, the provider's word): the code is asked
    next (`POST /api/auth/second-factor`), within SECOND_FACTOR_SECONDS. The wrong codes are
    counted in the database from `since` (a cookie sent again must not reset them)."""
    session[PENDING] = {
        "user_id": user.id,
        "remember": remember,
        "until": time.time() + SECOND_FACTOR_SECONDS,
        "since": iso(rt.clock.now()),
        "failed": failed,
    }


def open_session(db_session: Session, rt: Runtime, user: User) -> SessionUser:
    """A new device session for `user` in the caller's unit of work."""
    token = open_device_session(db_session, rt.clock, user, request.headers.get("User-Agent", ""))
    return SessionUser.of(user, token)


def sign_in(session_user: SessionUser, *, remember: bool) -> None:
    """The cookies of a device session opened (and committed) before: the session cookie, and
    the remember-me cookie when asked."""
    session.permanent = True
    login_user(session_user, remember=remember)
