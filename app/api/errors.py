"""Every failure of the API is JSON with a message and, where it helps, field messages, in the
language the request asks for (Accept-Language; app/i18n.py): Dutch unless English is asked."""

from __future__ import annotations

import logging

from flask import current_app, jsonify, request
from pydantic import BaseModel
from werkzeug import exceptions as http
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from app.i18n import request_language, translate
from services.db import is_busy
from services.errors import (
    Busy,
    Conflict,
    DomainError,
    Invalid,
    Malformed,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    TooManyAttempts,
)

log = logging.getLogger(__name__)


class Error(BaseModel):
    """The body of every failure: the message, and per field what is wrong with it."""

    error: str
    fields: dict[str, str] = {}


STATUS = {
    Malformed: 400,
    NotAuthenticated: 401,
    NotAllowed: 403,
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    TooManyAttempts: 429,
    Busy: 503,
}

HTTP_MESSAGES = {
    400: "Ongeldig verzoek.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    413: "Het verzoek is te groot.",
    415: "Stuur JSON met Content-Type: application/json.",
}


def api_error(status: int, message: str, fields: dict[str, str] | None = None, **params: object):
    """A failure with a Dutch `message` (and field messages), templates filled with `params`,
    answered in the request's language."""
    fields = {name: translate(text, **params) for name, text in (fields or {}).items()}
    return _json_error(status, translate(message, **params), fields)


def error_texts(error: DomainError) -> tuple[str, dict[str, str]]:
    """A domain error's message and field messages in the request's language."""
    return error.texts(translate)


def _json_error(status: int, message: str, fields: dict[str, str]):
    body = {"error": message}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.headers["Content-Language"] = request_language()
    response.vary.add("Accept-Language")
    return response, status


def _busy_text() -> str | None:
    """The route's own text for a database that cannot take the request now (endpoint.py)."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "busy_text", None)


def _api_methods() -> set[str]:
    """The methods some route of the API takes on this path. The app's screens answer any GET
    (app/pwa.py), so werkzeug's own view of what a path allows (or that a GET is not found)
    is not the API's: DELETE /api/push/test is a 405 that allows POST, GET /api/alarms/-1/cancel
    a 404 (no route of the API takes that id)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    found = set()
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint.startswith("api."):
            found.add(method)
    return found


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/ws"


def register(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if isinstance(error, Busy) and error.text == Busy.default and (text := _busy_text()):
            error = Busy(text)
        response, status = _json_error(STATUS.get(type(error), 400), *error_texts(error))
        if isinstance(error, Busy):
            response.headers["Retry-After"] = str(error.retry_after)
        return response, status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not _wants_json():
            return error
        if isinstance(error, MethodNotAllowed | http.NotFound) and request.path.startswith("/api/"):
            allowed = _api_methods()
            if not allowed:
                error = http.NotFound()
            elif request.method not in allowed:
                error = MethodNotAllowed(valid_methods=sorted(allowed))
        response, status = api_error(
            error.code or 500, HTTP_MESSAGES.get(error.code, error.description)
        )
        if isinstance(error, MethodNotAllowed):
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods or ()))
        return response, status

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if is_busy(error):  # a read met a lock it cannot pass (rare in WAL): same as a write
            return domain_error(Busy())
        log.exception("unhandled error on %s %s", request.method, request.path)
        return api_error(500, "Er ging iets mis aan onze kant; probeer het opnieuw.")
