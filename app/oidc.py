"""Single sign-on through the municipality's own identity provider (Entra ID, ADFS,
Keycloak, …): OpenID Connect's authorisation-code flow with PKCE (S256), state and nonce, by
Authlib's Flask client (docs/sso.md).

State, nonce and the PKCE verifier wait in the signed session cookie between the redirect to
the provider and its way back; the ID token's signature, issuer, audience, expiry, nonce and
at_hash are checked by Authlib against the provider's discovery document and keys, fetched
on the first sign-in (not at start: a provider that is down never keeps Veldwacht from
starting, and alarms never wait for it). Who the person is here is services/accounts/sso.py's
rule. Off, and nothing changes, while VELDWACHT_OIDC_ISSUER is not set."""

from __future__ import annotations

from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app

from app.i18n import translate
from services.accounts.models import User
from services.accounts.sso import password_login_allowed
from services.errors import NotAllowed, Text

NAME = "gemeente"
EXTENSION = "veldwacht.oidc"
TIMEOUT = 10  # seconds for each request to the provider (discovery, keys, token, userinfo)
DEFAULT_LABEL = Text("Inloggen met je gemeente-account")


def enabled() -> bool:
    return bool(current_app.config.get("OIDC_ISSUER"))


def discovery_url(issuer: str) -> str:
    """OpenID Connect Discovery 1.0, §4: the issuer without its trailing slash, and the path."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def client() -> FlaskOAuth2App | None:
    """This app's client of the provider, made on first use; None while single sign-on is
    off. One per app (not Authlib's registry, which one process's apps would share)."""
    app = current_app
    if not enabled():
        return None
    found = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions[EXTENSION] = FlaskOAuth2App(
            FlaskIntegration(NAME),
            NAME,
            client_id=app.config["OIDC_CLIENT_ID"],
            client_secret=app.config["OIDC_CLIENT_SECRET"],
            server_metadata_url=discovery_url(app.config["OIDC_ISSUER"]),
            client_kwargs={
                "scope": app.config["OIDC_SCOPES"],
                "code_challenge_method": "S256",
                "default_timeout": TIMEOUT,
            },
        )
    return found


def metadata(provider: FlaskOAuth2App) -> dict:
    """The provider's discovery document, refused when it names another issuer than the one
    configured (Discovery §4.3): the ID token's issuer is checked against it."""
    found = provider.load_server_metadata()
    if str(found.get("issuer", "")).rstrip("/") != current_app.config["OIDC_ISSUER"].rstrip("/"):
        raise ValueError(f"the discovery document names issuer {found.get('issuer')!r}")
    return found


def claims_of(provider: FlaskOAuth2App, token: dict) -> dict:
    """The claims of the validated ID token. A provider that keeps the profile out of the ID
    token (OpenID Connect's own default for the code flow) gives the naming claim at its
    userinfo endpoint: asked then, and taken only for the same subject (Core §5.3.2)."""
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise ValueError("the provider sent no ID token")
    endpoint = metadata(provider).get("userinfo_endpoint")
    if current_app.config["OIDC_CLAIM"] not in claims and endpoint:
        more = provider.userinfo(token=token)
        if more.get("sub") == claims["sub"]:
            claims = {**more, **claims}
    return claims


def options() -> dict:
    """What the login screen offers: single sign-on, and its button's label."""
    if not enabled():
        return {"sso": False, "label": None}
    return {
        "sso": True,
        "label": current_app.config["OIDC_LABEL"] or DEFAULT_LABEL.render(translate),
    }


def ensure_password_login(user: User | None) -> None:
    """For the password login, once the password proved right (so that the answer tells a
    guesser nothing): a person whose role signs in through the provider only is refused (403)
    and the login's unit of work rolled back."""
    if user is not None and not password_login_allowed(
        user.role, current_app.config["PASSWORD_LOGIN_OFF_FOR"]
    ):
        raise NotAllowed("Log in via je gemeente-account.")
