"""OpenAPI 3 document built from the live URL map and each route's declaration, so it cannot
drift from the routes that exist."""

from __future__ import annotations

import re

from flask import current_app

from app.api import bp
from app.api.endpoint import ApiDoc, endpoint

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _path_parameters(rule: str) -> tuple[str, list[dict]]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if conv == "int" else "string"},
        }
        for conv, name in CONVERTER.findall(rule)
    ]
    return CONVERTER.sub(r"{\2}", rule), params


def _query_parameters(doc: ApiDoc) -> list[dict]:
    if doc.query is None:
        return []
    schema = doc.query.model_json_schema(by_alias=True)
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": prop.get("description", ""),
            "schema": prop,
        }
        for name, prop in schema["properties"].items()
    ]


def _operation(doc: ApiDoc, params: list[dict]) -> dict:
    responses = {str(doc.status): {"description": "OK"}}
    for code, why in (
        (400, "bad request"),
        (401, "not logged in"),
        (403, "not allowed"),
        (422, "invalid input"),
    ):
        if code == 401 and doc.public:
            continue
        responses[str(code)] = {
            "description": why,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    op = {
        "summary": doc.summary,
        "responses": responses,
        "parameters": params + _query_parameters(doc),
        "security": [] if doc.public else [{"session": []}],
    }
    if doc.roles:
        op["x-roles"] = sorted(doc.roles)
    if doc.capability:
        op["x-can"] = doc.capability
    if doc.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": doc.body.model_json_schema(
                        ref_template="#/components/schemas/{model}"
                    )
                }
            },
        }
    return op


def build_openapi(app) -> dict:
    paths: dict[str, dict] = {}
    for rule in app.url_map.iter_rules():
        doc = getattr(app.view_functions.get(rule.endpoint), "api_doc", None)
        if doc is None or not rule.rule.startswith("/api/"):
            continue
        path, params = _path_parameters(rule.rule)
        paths.setdefault(path, {})[doc.method.lower()] = _operation(doc, params)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Veldwacht API",
            "version": "1",
            "description": "JSON API of Veldwacht. Unsafe methods require "
            "Content-Type: application/json (CSRF defence). The "
            "websocket /ws is described in docs/api.md.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        },
    }


@endpoint(bp, "/openapi.json", "GET", "This OpenAPI document")
def openapi():
    return build_openapi(current_app)
