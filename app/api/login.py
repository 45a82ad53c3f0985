"""Log in and out."""

from __future__ import annotations

from flask import request, session
from flask_login import current_user, login_user, logout_user
from pydantic import Field

from app.api import bp
from app.api.endpoint import Strict, endpoint
from app.api.errors import api_error
from app.api.views import me_json
from app.auth import SessionUser
from app.runtime import runtime
from services.accounts.service import authenticate, open_device_session, revoke_device_session


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    remember: bool = False


@endpoint(
    bp,
    "/auth/login",
    "POST",
    "Log in; sets the session (and remember-me) cookie",
    body=LoginIn,
    public=True,
)
def login(body: LoginIn):
    rt = runtime()
    with rt.db.uow() as uow:
        user = authenticate(uow.session, rt.clock, body.username, body.password)
        if user is None:
            failed = True
        else:
            failed = False
            token = open_device_session(
                uow.session, rt.clock, user, request.headers.get("User-Agent", "")
            )
            payload = me_json(user)
            session_user = SessionUser.of(user, token)
    if failed:  # the failure count above is committed before we answer
        return api_error(401, "Onbekende gebruikersnaam of onjuist wachtwoord.")
    session.permanent = True
    login_user(session_user, remember=body.remember)
    return {"user": payload}


@endpoint(bp, "/auth/logout", "POST", "Log out this device and revoke its session", status=204)
def logout():
    rt = runtime()
    with rt.db.uow() as uow:
        revoke_device_session(
            uow, rt.events, rt.clock, user_id=current_user.id, token=current_user.token
        )
    logout_user()
    return "", 204
