"""Liveness and readiness, for the orchestrator and the load balancer in front of the workers.

`/healthz` says the process answers: when it fails, restart the worker. It touches nothing
else, so a database outage does not get every worker restarted at once.

`/readyz` says whether this worker can do its work now: the database answers, Redis answers
(when it is used), and the schema is at the code's migrations. While it says 503 the load
balancer sends phones to another worker and asks again after `Retry-After`. The checks run
side by side and answer within `CHECK_SECONDS` however a server fails: a refused connection
fails at once, one that never answers (a dropped route, a frozen server) at the deadline
instead of after the drivers' own timeouts. Both answer anyone: they are read by machines
without a session, so the answer names the failing check in a few English words, never a
URL, a host or a password; the details go to the log.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import psycopg
import redis
from flask import Blueprint, current_app
from pydantic import BaseModel
from sqlalchemy import text

from app.api.endpoint import documented
from app.runtime import Runtime, runtime
from services.migrate import schema_state

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0  # the most the readiness checks may take, all together
RETRY_AFTER_SECONDS = 5
SCHEMA_RECHECK_SECONDS = 60.0
NO_STORE = {"Cache-Control": "no-store"}
OK, NOT_USED = "ok", "not used"


class Alive(BaseModel):
    ok: bool


class Ready(BaseModel):
    ready: bool
    checks: dict[str, str]  # per check: "ok", "not used", or in a few words why not


@bp.get("/healthz")
@documented("GET", "Liveness: the process answers", public=True, returns=Alive)
def health():
    return {"ok": True}, NO_STORE


@bp.get("/readyz")
@documented(
    "GET",
    "Readiness: database, Redis and migrations; 503 with Retry-After while not ready",
    public=True,
    returns=Ready,
    also=(503,),
)
def ready():
    checks = current_app.extensions["veldwacht.readiness"].check(runtime())
    if all(answer in (OK, NOT_USED) for answer in checks.values()):
        return {"ready": True, "checks": checks}, NO_STORE
    headers = {**NO_STORE, "Retry-After": str(RETRY_AFTER_SECONDS)}
    return {"ready": False, "checks": checks}, 503, headers


@bp.record_once
def _attach(state) -> None:
    state.app.extensions["veldwacht.readiness"] = Readiness()


@dataclass
class _Question:
    """One check being asked, in a thread of its own (a greenlet under gevent)."""

    thread: threading.Thread | None = None
    answer: str | None = None
    failure: Exception | None = None

    def ask(self, probe: Callable[[], str], name: str) -> _Question:
        def run() -> None:
            try:
                self.answer = probe()
            except Exception as error:
                self.failure = error
                self.answer = reason(error)

        self.thread = threading.Thread(target=run, name=f"readyz-{name}", daemon=True)
        self.thread.start()
        return self


@dataclass
class Readiness:
    """One app's readiness checks. A check that has not answered yet is not asked again until
    it does: a server that never answers costs one waiting thread per check, not one per
    probe (and not the whole connection pool)."""

    seconds: float = CHECK_SECONDS
    _asking: dict[str, _Question] = field(default_factory=dict, init=False)
    _schema_current_at: float | None = field(default=None, init=False)

    def check(self, rt: Runtime) -> dict[str, str]:
        probes = {
            "database": partial(_database, rt),
            "redis": partial(_redis, rt.redis) if rt.redis is not None else None,
            "migrations": partial(self._migrations, rt),
        }
        checks = self.run(probes)
        if checks["database"] != OK:
            checks["migrations"] = "not checked: no database"
        # a worker handing over to its successors (app/handover.py) takes no new phones
        checks["worker"] = "stopping: a new worker takes over" if rt.hub.closing else OK
        return checks

    def run(self, probes: dict[str, Callable[[], str] | None]) -> dict[str, str]:
        """Each probe's answer ("ok" or why not), the probes side by side within `seconds`."""
        deadline = time.monotonic() + self.seconds
        questions = {name: self._ask(name, probe) for name, probe in probes.items() if probe}
        for question in questions.values():
            question.thread.join(max(0.0, deadline - time.monotonic()))
        checks = {}
        for name in probes:
            question = questions.get(name)
            if question is None:
                checks[name] = NOT_USED
            elif question.thread.is_alive():
                checks[name] = f"no answer within {self.seconds:g} s"
                log.warning("not ready: %s gave no answer within %g s", name, self.seconds)
            else:
                checks[name] = question.answer
                if question.answer != OK:
                    log.warning("not ready: %s %s: %s", name, question.answer, question.failure)
        return checks

    def _ask(self, name: str, probe: Callable[[], str]) -> _Question:
        asking = self._asking.get(name)
        if asking is not None and asking.thread.is_alive():
            return asking  # still waiting for the last answer: wait for that one
        self._asking[name] = _Question().ask(probe, name)
        return self._asking[name]

    def _migrations(self, rt: Runtime) -> str:
        """`is_current` reads every migration script, some 40 ms of the worker's processor
        during which (under gevent) nothing else runs, alarms included. The schema changes
        only with a deploy: a current one is asked after again once a minute."""
        confirmed = self._schema_current_at
        if confirmed is not None and time.monotonic() - confirmed < SCHEMA_RECHECK_SECONDS:
            return OK
        if schema_state(rt.db.engine) == "behind":  # "ahead": a newer release migrated it
            self._schema_current_at = None
            return "not current: migrations still to run"
        self._schema_current_at = time.monotonic()
        return OK


def _database(rt: Runtime) -> str:
    with rt.db.reader() as uow:  # a read: on SQLite it never waits for the write lock
        uow.session.execute(text("SELECT 1"))
    return OK


def _redis(client: redis.Redis) -> str:
    client.ping()
    return OK


def reason(error: BaseException) -> str:
    """A few words on what failed, without the driver's message (it names hosts and users)."""
    causes = _causes(error)
    for raw in causes:
        if isinstance(raw, redis.AuthenticationError):
            return "authentication refused"
        if isinstance(raw, redis.TimeoutError):
            return "timed out"
        if isinstance(raw, redis.ConnectionError):
            return "cannot connect"
        if isinstance(raw, psycopg.OperationalError) and raw.sqlstate is None:
            return "cannot connect"  # refused, unknown host, authentication, no such database
        if isinstance(raw, sqlite3.OperationalError) and "unable to open" in str(raw):
            return "cannot open the database file"
    return f"failed ({type(causes[-1]).__name__})"


def _causes(error: BaseException) -> list[BaseException]:
    """The error and what it wraps: `Busy` the SQLAlchemy error, that one the driver's."""
    chain = [error]
    while (cause := getattr(chain[-1], "orig", None) or chain[-1].__cause__) is not None:
        if cause in chain:
            break
        chain.append(cause)
    return chain
