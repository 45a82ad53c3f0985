"""The current user: profile, on-duty flag, and whom they can reach."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from pydantic import Field

from app.api import bp
from app.api.endpoint import Length, Strict, endpoint
from app.api.views import me_json, person_json, team_json
from app.runtime import runtime
from services.accounts.service import PIN, get_user, set_alarm_pins, set_on_duty
from services.messages.service import message_recipients


class DutyIn(Strict):
    on_duty: bool


@endpoint(bp, "/me", "GET", "The logged-in user's profile")
def me():
    with runtime().db.reader() as uow:
        return me_json(get_user(uow.session, current_user.id))


@endpoint(
    bp, "/me/duty", "PUT", "Set whether I am on duty (on-duty colleagues are alerted)", body=DutyIn
)
def duty(body: DutyIn):
    with runtime().db.uow() as uow:
        return me_json(set_on_duty(uow.session, current_user.id, body.on_duty))


@endpoint(bp, "/people", "GET", "People I may send a message to")
def people():
    with runtime().db.reader() as uow:
        found, _ = message_recipients(uow.session, get_user(uow.session, current_user.id))
        return {"people": [person_json(u) for u in found]}


@endpoint(bp, "/teams", "GET", "Teams I may address")
def teams():
    with runtime().db.reader() as uow:
        _, found = message_recipients(uow.session, get_user(uow.session, current_user.id))
        return {"teams": [team_json(t) for t in found]}


class PinsIn(Strict):
    password: str = Field(min_length=1, max_length=200)
    pin: str = Length(PIN)
    duress_pin: str = Length(PIN)


@endpoint(
    bp,
    "/me/pins",
    "PUT",
    "Set my alarm PIN and duress PIN (confirm with password)",
    body=PinsIn,
    status=204,
)
def pins(body: PinsIn):
    with runtime().db.uow() as uow:
        set_alarm_pins(
            uow.session,
            user_id=current_user.id,
            password=body.password,
            pin=body.pin,
            duress_pin=body.duress_pin,
        )
    return "", 204


@endpoint(bp, "/settings", "GET", "Client settings: map tiles")
def settings():
    return {
        "tile_url": current_app.config["TILE_URL"],
        "tile_attribution": current_app.config["TILE_ATTRIBUTION"],
    }
