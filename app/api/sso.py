"""Single sign-on routes: what the login screen offers, the way out to the municipality's
identity provider and the way back (app/oidc.py has the protocol, services/accounts/sso.py
the rule of who that is here).

The way back signs the person in as a password does, and asks Veldwacht's own second factor
of those who have one (unless this browser is remembered): the provider replaces the
password, not the code. Every outcome is a redirect to the app, with the reason the login
screen shows when nobody was signed in (`/?sso=unknown`)."""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from flask import current_app, redirect, session, url_for
from joserfc.errors import JoseError
from pydantic import BaseModel

from app import oidc
from app.api import bp
from app.api.endpoint import Query, endpoint
from app.api.errors import api_error
from app.api.login import failed_attempts_json
from app.device_login import ask_second_factor, code_needed, open_session, sign_in
from app.runtime import runtime
from services.accounts import signin, sso

log = logging.getLogger(__name__)

REMEMBER = "sso_remember"  # in the session cookie, while the person is at the provider
SECOND_FACTOR = "second_factor"  # the reason that has the login screen ask for the code


class OptionsOut(BaseModel):
    sso: bool
    label: str | None  # the single sign-on button's text


@endpoint(
    bp,
    "/auth/options",
    "GET",
    "How one may sign in: `sso` whether single sign-on with the municipality's identity "
    "provider is on, and `label` its button's text",
    public=True,
    returns=OptionsOut,
)
def auth_options():
    return oidc.options()


class OidcLoginQuery(Query):
    remember: bool = False


@endpoint(
    bp,
    "/auth/oidc/login",
    "GET",
    "Single sign-on: redirects to the identity provider (authorisation code with PKCE S256, "
    "state and nonce); `remember` as at the password login. 404 while it is off",
    public=True,
    status=302,
    query=OidcLoginQuery,
    errors=(404,),
)
def oidc_login(query: OidcLoginQuery):
    provider = oidc.client()
    if provider is None:
        return api_error(404, "Inloggen met een gemeente-account staat niet aan.")
    try:
        oidc.metadata(provider)
        answer = provider.authorize_redirect(url_for("api.oidc_callback", _external=True))
    except requests.RequestException as failure:
        log.warning("single sign-on: the provider's discovery did not answer: %s", failure)
        return redirect("/?sso=unreachable")
    except (ValueError, RuntimeError) as failure:  # a discovery document that will not do
        log.error("single sign-on: the provider's discovery: %s", failure)
        return redirect("/?sso=failed")
    session[REMEMBER] = query.remember
    return answer


@endpoint(
    bp,
    "/auth/oidc/callback",
    "GET",
    "Single sign-on: the identity provider's answer. Signs the person its claim names in "
    "(a device session, as a password login) and redirects to `/`; `/?sso=second_factor` "
    "when the code is asked next (`POST /api/auth/second-factor`); `/?sso=unknown`, "
    "`inactive`, `ambiguous`, `failed` or `unreachable` when nobody was signed in",
    public=True,
    status=302,
    errors=(404, 503),
)
def oidc_callback():
    provider = oidc.client()
    if provider is None:
        return api_error(404, "Inloggen met een gemeente-account staat niet aan.")
    return redirect(_signed_in_from(provider, remember=session.pop(REMEMBER, False)))


def _signed_in_from(provider, *, remember: bool) -> str:
    """Where the browser goes once the provider's answer is taken: the app, or its login
    screen with the reason."""
    try:
        claims = oidc.claims_of(provider, provider.authorize_access_token())
    except requests.RequestException as failure:
        log.warning("single sign-on: the provider did not answer: %s", failure)
        return "/?sso=unreachable"
    except (AuthlibBaseError, JoseError, ValueError, KeyError, RuntimeError) as failure:
        log.warning("single sign-on refused: %r", failure)
        return "/?sso=failed"
    rt = runtime()
    with rt.db.uow() as uow:
        found = sso.find_person(
            uow.session,
            claims,
            claim=current_app.config["OIDC_CLAIM"],
            field=current_app.config["OIDC_USER_FIELD"],
        )
        if isinstance(found, sso.Refusal):
            log.warning("single sign-on of subject %s refused: %s", claims.get("sub"), found)
            return f"/?sso={found}"
        failed = failed_attempts_json(signin.record_login(uow.session, rt.clock, found))
        if code_needed(uow.session, rt, found):
            ask_second_factor(rt, found, remember=remember, failed=failed)
            return f"/?sso={SECOND_FACTOR}"
        signed_in = open_session(uow.session, rt, found)
    sign_in(signed_in, remember=remember)
    return "/"
