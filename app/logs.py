"""Structured logs: one JSON object per line (python-json-logger) with time, level, logger and
message, and the request's id on every line written while a request is handled; one access
line per request.

The request id is the caller's `X-Request-Id` when it is one we can log and hand on safely
(a proxy or the phone made it, and its lines then meet ours), else a new one; it goes back as
`X-Request-Id` on every answer, errors and refused websocket upgrades included, so that what
a user or a proxy reports can be found in the log.

`VELDWACHT_LOG_FORMAT` is `json` (the default, for a log collector) or `text` (for a person
at a terminal); `VELDWACHT_LOG_LEVEL` the least severe level written (INFO).

Gunicorn's master reads this module by its path for its own log configuration
(app/gunicorn_conf.py), before any worker exists and before gevent patches the worker: so it
imports neither Flask nor the rest of the app at the top, and finds Flask only if the process
has already imported it.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Mapping

from pythonjsonlogger.json import JsonFormatter

FORMATS = ("json", "text")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
HANDLER = "veldwacht"

access_log = logging.getLogger("veldwacht.access")


def settings(environ: Mapping[str, str] = os.environ) -> tuple[str, int]:
    """(format, level) from the environment; a wrong value stops the start with a reason."""
    form = environ.get("VELDWACHT_LOG_FORMAT", "").strip().lower() or "json"
    if form not in FORMATS:
        raise ValueError(f"VELDWACHT_LOG_FORMAT must be json or text, not {form!r}")
    name = environ.get("VELDWACHT_LOG_LEVEL", "").strip().upper() or "INFO"
    level = logging.getLevelNamesMapping().get(name)
    if level is None:
        raise ValueError(f"VELDWACHT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {name!r}")
    return form, level


def formatter(form: str) -> logging.Formatter:
    if form == "text":
        return logging.Formatter(TEXT_FORMAT, defaults={"request_id": "-"})
    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",  # UTC, ISO 8601
        json_ensure_ascii=False,  # the Dutch messages stay readable
    )


class RequestIdFilter(logging.Filter):
    """Puts the request's id on each record written while a request is handled (on the
    handler, so that it also reaches lines from loggers that were never told about it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        flask = sys.modules.get("flask")  # never imported for this: no Flask, no request
        if flask is None or hasattr(record, "request_id") or not flask.has_request_context():
            return True
        if request_id := flask.g.get("request_id"):
            record.request_id = request_id
        return True


def handler(form: str, stream=None) -> logging.Handler:
    """A handler to stderr (or `stream`) writing lines in `form`, with the request's id."""
    out = logging.StreamHandler(stream or sys.stderr)
    out.setFormatter(formatter(form))
    out.addFilter(RequestIdFilter())
    return out


def configure(environ: Mapping[str, str] = os.environ) -> None:
    """The root logger writes our lines, as logging.basicConfig would: only when nothing has
    configured logging before (gunicorn has, through `gunicorn_logconfig`; so has pytest)."""
    root = logging.getLogger()
    if root.handlers:
        return
    form, level = settings(environ)
    out = handler(form)
    out.name = HANDLER
    root.addHandler(out)
    root.setLevel(level)


def gunicorn_logconfig(*, access: bool, environ: Mapping[str, str] = os.environ) -> dict:
    """Gunicorn's `logconfig_dict`: its own lines and the app's through one handler, in the
    same format and level. The app writes one access line per request itself; gunicorn's (which
    a logconfig_dict would switch on) only when `access` is asked for."""
    form, level = settings(environ)
    name = logging.getLevelName(level)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {HANDLER: {"()": handler, "form": form}},
        "root": {"level": name, "handlers": [HANDLER]},
        "loggers": {
            "gunicorn.error": {"level": name, "handlers": [], "propagate": True},
            "gunicorn.access": {
                "level": "INFO" if access else "CRITICAL",
                "handlers": [],
                "propagate": True,
            },
            # The server never migrates (`flask --app app setup` does); when it asks whether
            # the schema is current (readiness, the sweeper), Alembic's INFO lines are noise.
            "alembic": {"level": "WARNING"},
        },
    }


def request_id(offered: str | None) -> str:
    """The caller's id when it is 1-64 of [A-Za-z0-9._-] (nothing that could break a log line
    or a header), else a new one."""
    if offered and REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def init_app(app) -> None:
    """Logging configured, and each request given its id and its access line."""
    from flask import g, request  # here: gunicorn's master reads this module without Flask

    configure()

    @app.before_request
    def start_request():
        g.request_started = time.perf_counter()
        g.request_id = request_id(request.headers.get("X-Request-Id"))

    @app.after_request
    def finish_request(response):
        if not g.get("request_id"):  # no before_request ran (a failure before it)
            g.request_id = request_id(None)
        response.headers["X-Request-Id"] = g.request_id
        elapsed = 1000 * (time.perf_counter() - g.get("request_started", time.perf_counter()))
        status = response.status_code
        if request.url_rule is not None and request.url_rule.websocket and status == 200:
            status = 101  # the websocket ran until now; its handshake said 101
        line = {
            "method": request.method,
            "path": request.path,  # never the query string: it may carry ids
            "status": status,
            "duration_ms": round(elapsed, 1),
        }
        # Only a user this request loaded anyway: loading one just to log it would cost each
        # shell file a database read.
        user = g.get("_login_user")
        if getattr(user, "is_authenticated", False):
            line["user_id"] = user.id
        access_log.info(
            "%s %s %s %.1f ms", request.method, request.path, status, elapsed, extra=line
        )
        return response
