"""Every failure of the API is JSON with a Dutch message and, where it helps, field messages."""

from __future__ import annotations

import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

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


def api_error(status: int, message: str, fields: dict | None = None):
    body = {"error": message}
    if fields:
        body["fields"] = fields
    return jsonify(body), status


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/ws"


def register(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        response, status = api_error(STATUS.get(type(error), 400), error.message, error.fields)
        if isinstance(error, Busy):
            response.headers["Retry-After"] = str(error.retry_after)
        return response, status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not _wants_json():
            return error
        return api_error(error.code or 500, HTTP_MESSAGES.get(error.code, error.description))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if is_busy(error):  # a read met a lock it cannot pass (rare in WAL): same as a write
            return domain_error(Busy())
        log.exception("unhandled error on %s %s", request.method, request.path)
        return api_error(500, "Er ging iets mis aan onze kant; probeer het opnieuw.")
