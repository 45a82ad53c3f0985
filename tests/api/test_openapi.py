"""The OpenAPI document lists exactly the routes that exist, every `$ref` in it resolves, every
success says what it answers and every operation which failures it can give."""

import re

from tests.conformance import unresolved
from tests.conftest import login

HEALTH = {("/healthz", "GET"), ("/readyz", "GET")}
NO_CONTENT = {"204", "302", "304"}


def _spec(client) -> dict:
    login(client, "sanne")
    return client.get("/api/openapi.json").get_json()


def _schema(spec: dict, schema: dict) -> dict:
    """A schema, its `$ref` followed."""
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def _operations(spec: dict):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method.upper(), op


def test_openapi_matches_the_routes(app, client):
    spec = _spec(client)
    assert spec["openapi"].startswith("3.1")
    documented = {(path, method) for path, method, _ in _operations(spec)}
    actual = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            actual |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == actual | HEALTH
    for _, _, op in _operations(spec):
        assert op["summary"]


def test_every_reference_resolves_and_models_of_one_name_stay_apart(client):
    spec = _spec(client)
    assert unresolved(spec) == []
    schemas = spec["components"]["schemas"]
    # nested models are components too (they sat in each body's $defs, pointed at from here)
    assert {"Position", "PolicyStep", "AggressorIn", "CauseIn", "Role"} <= set(schemas)
    # air.py's and followup.py's MeasureIn are two bodies, not one overwriting the other
    air = _schema(spec, _body(spec, "/api/air/{entry_id}/measures", "post"))
    followup = _schema(spec, _body(spec, "/api/incidents/{incident_id}/measures", "post"))
    assert air != followup and "starts_on" in air["required"] and "kind" in followup["required"]


def _body(spec: dict, path: str, method: str) -> dict:
    return spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]


def test_every_success_says_what_it_answers(client):
    spec = _spec(client)
    for path, method, op in _operations(spec):
        successes = {s: r for s, r in op["responses"].items() if s.startswith(("2", "3"))}
        assert successes, (method, path)
        for status, response in successes.items():
            if status in NO_CONTENT:
                assert "content" not in response, (method, path, status)
                continue
            (media, content), *more = response["content"].items()
            assert not more and content["schema"], (method, path, status)
            if media == "application/json":  # an object, or one of two (a login's)
                answer = _schema(spec, content["schema"])
                assert answer.get("properties") or answer["anyOf"], (method, path, status)
    files = {
        path: next(iter(op["responses"]["200"]["content"]))
        for path, method, op in _operations(spec)
        if path.endswith((".csv", ".pdf"))
    }
    assert set(files.values()) == {"text/csv", "application/pdf"}, files
    assert spec["paths"]["/api/auth/oidc/login"]["get"]["responses"]["302"]["headers"]["Location"]


def test_every_operation_says_which_failures_it_can_give(client):
    spec = _spec(client)
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, op in _operations(spec):
        failures = {int(s): r for s, r in op["responses"].items() if s[0] in "45"}
        for status, response in failures.items():
            assert response["description"], (method, path, status)
            if path != "/readyz":
                assert response["content"]["application/json"]["schema"], (method, path, status)
            if status in (429, 503):
                assert "Retry-After" in response["headers"], (method, path, status)
        if op["security"]:
            assert {401, 403, 503} <= set(failures), (method, path)
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            assert {400, 413, 415, 422} <= set(failures), (method, path)
        if "{" in path:
            assert 404 in failures, (method, path)
    cancel = spec["paths"]["/api/alarms/{alarm_id}/cancel"]["post"]["responses"]
    assert {"409", "429"} <= set(cancel) and cancel["429"]["content"]["application/json"][
        "schema"
    ] == error
    check_in = spec["paths"]["/api/visits/{visit_id}/check-in"]["post"]["responses"]["409"]
    refused = _schema(spec, check_in["content"]["application/json"]["schema"])
    assert {"error", "visit"} <= set(refused["required"])  # the visit as it now stands
    assert "Error" in spec["components"]["schemas"]


def test_request_bodies_are_described_with_their_rules(client):
    spec = _spec(client)
    schema = _schema(spec, _body(spec, "/api/messages", "post"))
    assert schema["additionalProperties"] is False
    assert schema["properties"]["text"]["maxLength"] == 500
    assert spec["paths"]["/api/users/{user_id}/sessions"]["delete"]["x-roles"] == ["beheerder"]


def test_a_route_without_a_body_takes_an_empty_object_as_json(clients):
    """As documented: nothing or `{}`, as application/json (the CSRF rule); anything in it
    is refused rather than ignored."""
    worker = clients["sanne"]
    spec = worker.get("/api/openapi.json").get_json()
    path = "/api/me/second-factor"
    none = _schema(spec, _body(spec, path, "post"))
    assert none["additionalProperties"] is False and not none.get("properties")
    assert worker.post(path, json={}).status_code == 200
    assert worker.post(path, data=b"", content_type="application/json").status_code == 200
    assert worker.post(path).status_code == 415
    refused = worker.post(path, json={"all": True})
    assert refused.status_code == 422 and refused.get_json()["fields"] == {"all": "onbekend veld"}
    assert worker.post(path, data=b"[", content_type="application/json").status_code == 400


def test_a_method_the_document_does_not_list_is_a_405_naming_those_it_does(clients):
    client = clients["coordinator"]
    spec = client.get("/api/openapi.json").get_json()
    for path, ops in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        listed = {m.upper() for m in ops}
        other = next(m for m in ("DELETE", "PATCH", "PUT", "POST", "GET") if m not in listed)
        url = path.replace("{key}", "k").replace("{step}", "s")
        url = "".join(p if not p.startswith("{") else "1" for p in _split(url))
        response = client.open(url, method=other, json={})
        assert response.status_code == 405, (other, url, response.status_code)
        allowed = set(response.headers["Allow"].split(", ")) - {"HEAD", "OPTIONS"}
        # /api/checklists/for-me is also a {key} of PUT /api/checklists/{key}
        also = {m.upper() for p, o in spec["paths"].items() if _matches(p, url) for m in o}
        assert listed <= allowed <= also, (other, url)


def _split(path: str) -> list[str]:
    """A path cut into text and `{parameter}` parts."""
    parts, rest = [], path
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        parts += [before, "{" + name + "}"]
    return [*parts, rest]


def _matches(template: str, url: str) -> bool:
    pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in _split(template))
    return re.fullmatch(pattern, url) is not None
