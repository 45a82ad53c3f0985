"""Log in and out."""

from __future__ import annotations

import time
from datetime import datetime
from math import ceil
from typing import Literal

from flask import current_app, jsonify, request, session
from flask_login import current_user, logout_user
from pydantic import BaseModel, Field, RootModel

from app import oidc
from app.api import bp
from app.api.endpoint import Strict, endpoint
from app.api.errors import api_error
from app.api.views import MeOut, me_json
from app.auth import SessionUser
from app.device_login import (
    PENDING,
    REMEMBERED_DEVICE,
    ask_second_factor,
    code_needed,
    open_session,
    sign_in,
)
from app.runtime import runtime
from services.accounts import mfa, signin
from services.accounts.service import get_user, revoke_device_session
from services.clock import iso


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    remember: bool = False


class FailedAttempts(BaseModel):
    """Failed logins on the account since the last one that succeeded, told to its owner."""

    count: int
    since: datetime


class SignedIn(BaseModel):
    user: MeOut
    failed_attempts: FailedAttempts | None


class CodeAsked(BaseModel):
    """The password was right; the second factor's code is asked next."""

    second_factor: Literal["code"]


class LoginOut(RootModel[SignedIn | CodeAsked]):
    pass


@endpoint(
    bp,
    "/auth/login",
    "POST",
    "Log in; sets the session (and remember-me) cookie. Failed attempts slow down the next "
    "ones on the account and from the address (never a lock-out); 429 with Retry-After "
    "when the address has failed too often",
    body=LoginIn,
    public=True,
    returns=LoginOut,
    errors=(401, 403, 429, 503),
)
def login(body: LoginIn):
    rt = runtime()
    client = request.remote_addr or "onbekend"
    with rt.db.reader() as uow:
        wait = signin.throttle(uow.session, rt.clock, username=body.username, client=client)
    if wait.refused_for is not None:
        response, status = api_error(
            429,
            "Te veel mislukte inlogpogingen vanaf dit adres. Probeer het over {minutes} "
            "minuten opnieuw.",
            minutes=ceil(wait.refused_for / 60),
        )
        response.headers["Retry-After"] = str(wait.refused_for)
        return response, status
    time.sleep(wait.delay)  # a greenlet's wait: nobody else's request is held up
    with rt.db.uow() as uow:
        user, failed = signin.authenticate(
            uow.session, rt.clock, username=body.username, password=body.password, client=client
        )
        if user is None:
            signed_in = None
        else:
            oidc.ensure_password_login(user)  # 403 for a role that signs in at the provider
            if code_needed(uow.session, rt, user):
                signed_in = SECOND_FACTOR
            else:
                signed_in = _open_session(uow.session, rt, user)
    if signed_in is None:  # the failure above is committed before we answer
        return api_error(401, "Onbekende gebruikersnaam of onjuist wachtwoord.")
    if signed_in is SECOND_FACTOR:  # the password was right: the code is asked next
        ask_second_factor(rt, user, remember=body.remember, failed=failed_attempts_json(failed))
        return {"second_factor": "code"}
    return _signed_in(*signed_in, remember=body.remember, failed=failed_attempts_json(failed))


SECOND_FACTOR = object()
SECOND_FACTOR_TRIES = 5


class SecondFactorIn(Strict):
    code: str = Field(min_length=6, max_length=20)
    remember_device: bool = False


@endpoint(
    bp,
    "/auth/second-factor",
    "POST",
    "The second step of a login that asked for it: a code from the authenticator app or a "
    "recovery code; `remember_device` skips it on this browser for 30 days",
    body=SecondFactorIn,
    public=True,
    returns=SignedIn,
    errors=(401, 503),
)
def second_factor(body: SecondFactorIn):
    rt = runtime()
    pending = session.get(PENDING)
    if not pending or pending["until"] < time.time():
        session.pop(PENDING, None)
        return api_error(401, "Log opnieuw in: de inlog is verlopen.")
    with rt.db.uow() as uow:
        user = get_user(uow.session, pending["user_id"])
        right = mfa.verify_second_factor(
            uow.session, rt.mfa_box, rt.clock, user=user, code=body.code
        )
        if right:
            signed_in = _open_session(uow.session, rt, user)
            device = body.remember_device and mfa.remember_device(uow.session, rt.clock, user=user)
        else:
            wrong = signin.wrong_codes_since(
                uow.session,
                rt.clock,
                user=user,
                client=request.remote_addr or "onbekend",
                since=datetime.fromisoformat(pending["since"]),
            )
    if not right:  # the wrong code above is committed before we answer
        if wrong >= SECOND_FACTOR_TRIES:
            session.pop(PENDING, None)
            return api_error(401, "Te veel onjuiste codes. Log opnieuw in.")
        return api_error(422, "Deze code klopt niet.", {"code": "onjuist"})
    session.pop(PENDING, None)
    answer = _signed_in(*signed_in, remember=pending["remember"], failed=pending["failed"])
    if device:
        answer.set_cookie(
            REMEMBERED_DEVICE,
            device,
            max_age=int(mfa.REMEMBER_DEVICE.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return answer


def _open_session(db_session, rt, user) -> tuple[SessionUser, dict]:
    return open_session(db_session, rt, user), me_json(user, rt.mfa_policy)


def _signed_in(session_user: SessionUser, payload: dict, *, remember: bool, failed):
    sign_in(session_user, remember=remember)
    return jsonify({"user": payload, "failed_attempts": failed})


def failed_attempts_json(failed: signin.FailedSince) -> dict | None:
    """What the owner is told: "3 mislukte inlogpogingen sinds …" (None: there were none)."""
    if not failed.count:
        return None
    return {"count": failed.count, "since": iso(failed.since)}


@endpoint(
    bp,
    "/auth/logout",
    "POST",
    "Log out this device and revoke its session",
    status=204,
    first_use=True,
)
def logout():
    rt = runtime()
    with rt.db.uow() as uow:
        revoke_device_session(
            uow, rt.events, rt.clock, user_id=current_user.id, token=current_user.token
        )
    logout_user()
    return "", 204
