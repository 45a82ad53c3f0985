"""The current user: profile, on-duty flag, and whom they can reach."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from pydantic import BaseModel, Field

from app.api import bp
from app.api.endpoint import Length, Strict, endpoint
from app.api.views import MeOut, Named, PersonOut, me_json, person_json, team_json
from app.runtime import runtime
from services.accounts import mfa
from services.accounts.credentials import PASSWORD, PIN_ENTRY
from services.accounts.service import change_password, get_user, set_alarm_pins, set_on_duty
from services.messages.service import message_recipients


class DutyIn(Strict):
    on_duty: bool


class PeopleOut(BaseModel):
    people: list[PersonOut]


class TeamsOut(BaseModel):
    teams: list[Named]


class SettingsOut(BaseModel):
    tile_url: str
    tile_attribution: str


class EnrolmentOut(BaseModel):
    secret: str
    uri: str  # otpauth://
    qr_svg: str


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str]


@endpoint(bp, "/me", "GET", "The logged-in user's profile", first_use=True, returns=MeOut)
def me():
    with runtime().db.reader() as uow:
        return me_json(get_user(uow.session, current_user.id), runtime().mfa_policy)


@endpoint(
    bp,
    "/me/duty",
    "PUT",
    "Set whether I am on duty (on-duty colleagues are alerted)",
    body=DutyIn,
    returns=MeOut,
)
def duty(body: DutyIn):
    with runtime().db.uow() as uow:
        return me_json(
            set_on_duty(uow.session, current_user.id, body.on_duty), runtime().mfa_policy
        )


@endpoint(bp, "/people", "GET", "People I may send a message to", returns=PeopleOut)
def people():
    with runtime().db.reader() as uow:
        found, _ = message_recipients(uow.session, get_user(uow.session, current_user.id))
        return {"people": [person_json(u) for u in found]}


@endpoint(bp, "/teams", "GET", "Teams I may address", returns=TeamsOut)
def teams():
    with runtime().db.reader() as uow:
        _, found = message_recipients(uow.session, get_user(uow.session, current_user.id))
        return {"teams": [team_json(t) for t in found]}


class PinsIn(Strict):
    password: str = Field(min_length=1, max_length=200)
    pin: str = Length(PIN_ENTRY)  # the service says why a PIN will not do, in words
    duress_pin: str = Length(PIN_ENTRY)


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


class PasswordIn(Strict):
    password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=PASSWORD.max)


@endpoint(
    bp,
    "/me/password",
    "PUT",
    "Change my password (confirm with the present one): at least 12 characters, not common "
    "nor made of my name; also the change a first login asks for",
    body=PasswordIn,
    status=204,
    first_use=True,
)
def password(body: PasswordIn):
    rt = runtime()
    with rt.db.uow() as uow:
        change_password(
            uow.session,
            user_id=current_user.id,
            password=body.password,
            new_password=body.new_password,
            organisation=rt.organisation.name,
        )
    return "", 204


@endpoint(bp, "/settings", "GET", "Client settings: map tiles", returns=SettingsOut)
def settings():
    return {
        "tile_url": current_app.config["TILE_URL"],
        "tile_attribution": current_app.config["TILE_ATTRIBUTION"],
    }


@endpoint(
    bp,
    "/me/second-factor",
    "POST",
    "Start setting up the second factor: a new TOTP secret, its otpauth URI and QR code "
    "(SVG); it is on once a code from it is confirmed",
    first_use=True,
    returns=EnrolmentOut,
    errors=(409,),
)
def second_factor_setup():
    rt = runtime()
    with rt.db.uow() as uow:
        enrolment = mfa.start_enrolment(
            uow.session,
            rt.mfa_box,
            user=get_user(uow.session, current_user.id),
            issuer=f"Veldwacht {rt.organisation.name}",
        )
    return {"secret": enrolment.secret, "uri": enrolment.uri, "qr_svg": enrolment.qr_svg}


class SecondFactorCodeIn(Strict):
    code: str = Field(min_length=6, max_length=6, pattern=mfa.CODE)


@endpoint(
    bp,
    "/me/second-factor/confirm",
    "POST",
    "Turn the second factor on with a first code from the app; answers the ten recovery "
    "codes, shown this once",
    body=SecondFactorCodeIn,
    first_use=True,
    returns=RecoveryCodesOut,
    errors=(409,),
)
def second_factor_confirm(body: SecondFactorCodeIn):
    rt = runtime()
    with rt.db.uow() as uow:
        codes = mfa.confirm_enrolment(
            uow.session,
            rt.mfa_box,
            rt.clock,
            user=get_user(uow.session, current_user.id),
            code=body.code,
        )
    return {"recovery_codes": codes}
