"""The OpenAPI document lists exactly the API routes that exist."""

from tests.conftest import login


def test_openapi_matches_the_routes(app, client):
    login(client, "sanne")
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    actual = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            actual |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == actual
    for ops in spec["paths"].values():
        for op in ops.values():
            assert op["summary"]


def test_request_bodies_are_described_with_their_rules(client):
    login(client, "sanne")
    spec = client.get("/api/openapi.json").get_json()
    schema = spec["paths"]["/api/messages"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["text"]["maxLength"] == 500
    assert spec["paths"]["/api/users/{user_id}/sessions"]["delete"]["x-roles"] == ["beheerder"]
