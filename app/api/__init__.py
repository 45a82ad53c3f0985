"""The JSON API blueprint and its guard.

Every route is declared with `endpoint(...)`, which records who may call it and what body it
takes. One guard enforces both for all routes, so a route cannot forget its check, and the
OpenAPI document is built from the same declarations."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_login import current_user

from app.api.endpoint import ApiDoc
from app.api.errors import api_error

bp = Blueprint("api", __name__, url_prefix="/api")

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@bp.before_request
def guard():
    view = current_app.view_functions.get(request.endpoint)
    doc: ApiDoc | None = getattr(view, "api_doc", None)
    if doc is None:
        return None  # no such route: the 404/405 handler answers
    if not doc.public and cross_site():
        return api_error(403, "Verzoek van een andere website geweigerd.")
    if not doc.public and not current_user.is_authenticated:
        return api_error(401, "Log eerst in.")
    if not doc.public and not doc.first_use:
        if current_user.must_change_password:
            return api_error(403, "Kies eerst een nieuw wachtwoord.")
        if current_user.must_set_up_second_factor:
            return api_error(403, "Stel eerst tweestapsverificatie in.")
    if doc.roles and current_user.role not in doc.roles:
        return api_error(403, "Je rol geeft geen toegang tot dit onderdeel.")
    if request.method in UNSAFE:
        return _csrf_check()
    return None


def cross_site() -> bool:
    """A request another site's page made, a link or form included (Fetch Metadata): with the
    user's cookie it would read or change data in their name (an export, a logged read).
    Every signed-in route is the app's own; a typed address or bookmark says `none`."""
    return request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")


def foreign_origin() -> bool:
    """A browser names the page's origin; another site's page must not act with our cookie."""
    origin = request.headers.get("Origin")
    return bool(origin) and origin.rstrip("/") != request.host_url.rstrip("/")


def _csrf_check():
    """CSRF defence for a cookie-authenticated JSON API: a cross-site form can only send
    form encodings, and a cross-site script cannot send application/json without a CORS
    preflight we never grant. The Origin check adds a second, explicit line."""
    if foreign_origin():
        return api_error(403, "Verzoek van een andere website geweigerd.")
    if request.mimetype != "application/json":
        return api_error(415, "Stuur JSON met Content-Type: application/json.")
    return None


def register(app) -> None:
    # Route modules attach themselves to `bp` on import.
    from app.api import (  # noqa: F401
        admin,
        air,
        alarms,
        audit,
        events,
        followup,
        incidents,
        learning,
        login,
        me,
        messages,
        openapi,
        privacy,
        push,
        report_documents,
        reports,
        sessions,
        sso,
        visits,
        vocabulary,
    )

    app.register_blueprint(bp)
