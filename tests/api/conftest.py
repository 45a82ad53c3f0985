"""Every answer the API tests get is checked against the OpenAPI document: the whole suite
exercises states (a running alarm, a follow-up with letters, a refused check-in) that a
fuzzer seldom reaches, so a schema that does not say what a route answers fails here."""

from __future__ import annotations

import os

import pytest
from flask import request, request_finished

from tests.conformance import Conformance

LOG = os.environ.get("VELDWACHT_CONFORMANCE_LOG")


_BUILT: dict[frozenset, Conformance] = {}


def _conformance(app) -> Conformance:
    """The document is built from the routes, the same in every test's app: once a run."""
    routes = frozenset((r.rule, r.endpoint, frozenset(r.methods)) for r in app.url_map.iter_rules())
    if routes not in _BUILT:
        _BUILT[routes] = Conformance(app)
    return _BUILT[routes]


@pytest.fixture(autouse=True)
def answers_as_documented(request):
    yield from _check(request)


def _check(pytest_request):
    if "app" not in pytest_request.fixturenames or getattr(
        pytest_request.module, "CHECKS_ITS_ANSWERS", False
    ):
        yield
        return
    app = pytest_request.getfixturevalue("app")
    conformance = _conformance(app)
    found: list[str] = []

    def check(sender, response, **extra):
        if request.url_rule is None:
            return
        found.extend(
            conformance.problems(
                request.url_rule.rule,
                request.method,
                response.status_code,
                response.content_type or "",
                response.get_data(),
                response.headers.get("Content-Encoding", ""),
            )
        )

    request_finished.connect(check, app)
    try:
        yield
    finally:
        request_finished.disconnect(check, app)
    if LOG:
        with open(LOG, "a") as log:
            log.writelines(f"{pytest_request.node.nodeid}\t{p}\n" for p in found)
    else:
        assert not found, "answers unlike the OpenAPI document:\n" + "\n".join(found)
