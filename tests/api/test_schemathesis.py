"""Schemathesis over the app's own OpenAPI document: for every operation a user of each of
three roles can reach, generated requests (derandomized, a few per operation: with the ids of
things that are there, with any the document allows, and negative ones that break it) must get
no 5xx, and every answer must be as documented: its status, content type, headers and body;
a request that breaks the document must be refused. (That a method the document does not list
is a 405 with `Allow` is test_openapi.py's.)

Runs on a fresh database per role (the `app` fixture), seeded with an alarm, a visit, a report
and a measure and a letter on it, so that ids 1 exist and the requests reach more than a 404.
SQLite only: the document and the routes are the same on PostgreSQL, and the suite's budget
there is spent on what differs."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api import login as login_route
from app.api.openapi import build_openapi
from services.checklists.defaults import DEFAULT_CHECKLISTS
from services.clock import local_date
from services.followup.aftercare import SCHEDULE
from tests.conformance import unresolved
from tests.conftest import ON_POSTGRES, login, user_id

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="the document is the backend's same")
CHECKS_ITS_ANSWERS = True  # with schemathesis' checks (not again by conftest.py's)

# A worker (the field screens), the coordinator (every manager's screen and her own) and the
# administrator (the organisation): between them they reach every operation.
USERS = ("sanne", "coordinator", "beheer")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
EXAMPLES = 10  # per operation and user: the budget of the whole suite is tight
CONFIG = schemathesis.Config.from_dict(
    {
        # The session cookie is the client's own: schemathesis is not to make one up (and
        # delete it after the request).
        "generation": {"database": "none", "with-security-parameters": False},
        # A body over the size the route takes is refused before it is read: 413 is a refusal
        # of bad data as much as a 422 is.
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 409, 413, 415, 422, 429]
            }
        },
    }
)


def _seed(app) -> None:
    """An alarm, a visit and a report of sanne's, a measure and a letter on that report by
    her manager, her learning goal and an action in her team's plan, and the coordinator's
    draft of last year's fourth-quarter report, so that ids 1 are there to be read and acted on."""
    worker, manager = _signed_in(app, "sanne"), _signed_in(app, "lisa")
    coordinator = _signed_in(app, "coordinator")
    sheet = worker.get("/api/checklists/for-me").get_json()["checklists"][0]
    today = local_date(datetime.now(UTC)).isoformat()
    for client, path, body in (
        (worker, "/api/alarms", {"client_id": "schemathesis-1", "test": True}),
        (
            worker,
            "/api/visits",
            {
                "kind": "visit",
                "address": "Lindelaan 21, Demodorp",
                "checklist_id": sheet["id"],
                "answers": {q["id"]: "weet_niet" for q in sheet["questions"]},
            },
        ),
        (
            worker,
            "/api/incidents",
            {
                "client_id": "schemathesis-report-1",
                "behaviour_type": "D",
                "kinds": ["intimidatie"],
                "channel": "huisbezoek",
                "occurred_at": (datetime.now(UTC) - timedelta(minutes=10)).isoformat(),
                "description": "Dreigde me buiten op te wachten.",
                "aggressor": {"name": "J. Jansen", "address": "Molenweg 3"},
            },
        ),
        (
            manager,
            "/api/incidents/1/measures",
            {"kind": "waarschuwingsbrief", "decided_on": today},
        ),
        (manager, "/api/incidents/1/letters", {"kind": "waarschuwingsbrief"}),
        (worker, "/api/learning/goals", {"text": "Eerder grenzen stellen", "share": True}),
        (
            manager,
            "/api/learning/teams/1/plan",
            {"kind": "training", "title": "Training grenzen stellen", "due_on": today},
        ),
        (
            coordinator,
            "/api/report-documents",
            {"kind": "quarterly", "year": datetime.now(UTC).year - 1, "number": 4},
        ),
    ):
        response = client.post(path, json=body)
        assert response.status_code == 201, (path, response.get_json())


def _known_ids(app) -> dict:
    """Path parameters that name something there (the seed's, the demo's), by name."""
    return {
        "alarm_id": 1,
        "visit_id": 1,
        "incident_id": 1,
        "measure_id": 1,
        "letter_id": 1,
        "document_id": 1,
        "goal_id": 1,
        "item_id": 1,
        "entry_id": 1,
        "team_id": 1,
        "department_id": 1,
        "user_id": user_id(app, "kim"),
        "person_id": user_id(app, "kim"),
        "key": DEFAULT_CHECKLISTS[0]["key"],
        "step": SCHEDULE[0].key,
    }


@pytest.fixture(params=USERS)
def user(request, app, monkeypatch):
    """Logged in as one of USERS, on a database of this test's own."""
    # A failed login waits before the next one (app/api/login.py): generated logins fail.
    monkeypatch.setattr(login_route, "time", SimpleNamespace(time=time.time, sleep=lambda s: None))
    _seed(app)
    client = _signed_in(app, request.param)
    return request.param, client


def _signed_in(app_, username: str):
    client = app_.test_client()
    login(client, username)
    return client


ROLE = {"sanne": "medewerker", "coordinator": "coordinator", "beheer": "beheerder"}


def test_the_api_answers_as_its_document_says(app, user):
    username, client = user
    spec = build_openapi(app)
    assert unresolved(spec) == []
    schema = schemathesis.openapi.from_dict(spec, config=CONFIG)
    schema.app = app
    # The operations this user's role may call (the others are a 403 before anything else).
    reached = schema.include(func=lambda ctx: _reaches(username, ctx.operation.definition.raw))
    failures, count, known = [], 0, _known_ids(app)
    for result in reached.get_all_operations():
        operation = result.ok()
        count += 1
        try:
            _fuzz(operation, username, client, known)
        except Exception as failure:  # each operation's first failure, all of them at once
            failures.append(f"{operation.label}: {failure}")
    assert count >= 40, count
    assert not failures, "\n\n".join(failures)


def _reaches(username: str, operation: dict) -> bool:
    roles = operation.get("x-roles")
    return roles is None or ROLE[username] in roles


def _fuzz(operation, username: str, client, known: dict) -> None:
    """A few requests with the path's ids of things that are there, a few with any the
    document allows, and a few that break it (negative: each must be refused, never a 5xx)."""
    names = {p["name"] for p in operation.definition.raw["parameters"] if p["in"] == "path"}
    ids = {name: known[name] for name in names}
    cases = [operation.as_strategy(GenerationMode.POSITIVE, path_parameters=ids)]
    if names:
        cases.append(operation.as_strategy(GenerationMode.POSITIVE))
    cases.append(operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=ids))

    @given(case=st.one_of(cases))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failure will do
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        # in-process there is no client to undo a Content-Encoding (the vocabulary's brotli)
        response = case.call(session=client, headers={"Accept-Encoding": "identity"})
        try:
            case.validate_response(response, checks=CHECKS)
        finally:
            if response.status_code == 401 and operation.definition.raw["security"]:
                login(client, username)  # logged out by the request (a logout, a reset)

    run()
