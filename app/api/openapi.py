"""OpenAPI 3.1 document built from the live URL map and each route's declaration, so it cannot
drift from the routes that exist.

Every model a route names (its body, query string, answer and error bodies) and every model
nested in one is a schema under `components/schemas`, generated in one pass so that each
`$ref` resolves and two models of the same name in different modules get different names.
The failures each operation can give are derived from its declaration (what the guard, the
body parser and the error handlers in errors.py answer for a route of its kind), plus those
it declares itself (`endpoint(..., errors=...)`)."""

from __future__ import annotations

import re
from http import HTTPStatus

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.api import bp
from app.api.endpoint import LARGEST, UNSAFE, ApiDoc, NoBody, endpoint
from app.api.errors import Error

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
REF = "#/components/schemas/{model}"
JSON = "application/json"
FILE_SCHEMAS = {
    "text/csv": {"type": "string"},
    "application/pdf": {"type": "string", "contentMediaType": "application/pdf"},
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}

# What each failure means, as every route of a kind can give it.
WHY = {
    400: "The body is not JSON, or nested deeper than any form needs",
    401: "Not logged in (or the session ended)",
    403: "Not allowed: the role, a cross-site request, or a password or second factor to set first",
    404: "No such thing, or not one this user may know of",
    409: "Conflicts with the present state (a stale version, a step already taken)",
    413: "The body is larger than this route takes",
    415: "Unsafe methods take Content-Type: application/json, with or without a body (the "
    "CSRF defence: no other site's page can send it without a CORS preflight)",
    422: "Invalid input: `fields` names each field and what is wrong with it",
    429: "Too many attempts: wait (Retry-After) or as the message says",
    503: "The database cannot take this now: try again after Retry-After seconds",
}


def _path_parameters(rule: str) -> tuple[str, list[dict]]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            # the `int` converter takes the ids a database row can have (app/__init__.py)
            "schema": {"type": "integer", "minimum": 1, "maximum": LARGEST}
            if conv == "int"
            else {"type": "string", "pattern": "^[^/]+$"},
        }
        for conv, name in CONVERTER.findall(rule)
    ]
    return CONVERTER.sub(r"{\2}", rule), params


def _models(docs: list[ApiDoc]) -> list[type[BaseModel]]:
    found: dict[type[BaseModel], None] = {Error: None, NoBody: None}
    for doc in docs:
        named = [doc.body, doc.query, doc.returns, *(model for _, model in doc.errors)]
        found |= {m: None for m in named if isinstance(m, type) and issubclass(m, BaseModel)}
    return list(found)


class Schemas:
    """Every model the routes name, nested ones included, as components (one pass of
    pydantic's generator: one name per model, unique across modules)."""

    def __init__(self, models: list[type[BaseModel]]):
        refs, top = models_json_schema([(m, "validation") for m in models], ref_template=REF)
        self.components: dict = top.get("$defs", {})
        self._refs = {model: ref["$ref"] for (model, _), ref in refs.items()}

    def ref(self, model: type[BaseModel]) -> dict:
        return {"$ref": self._refs[model]}

    def of(self, model: type[BaseModel]) -> dict:
        return self.components[self._refs[model].rsplit("/", 1)[1]]


def _query_parameters(doc: ApiDoc, schemas: Schemas) -> list[dict]:
    if doc.query is None:
        return []
    schema = schemas.of(doc.query)
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "description": prop.get("description", ""),
            "schema": prop,
        }
        for name, prop in schema["properties"].items()
    ]


def _success(doc: ApiDoc, schemas: Schemas) -> dict:
    responses = {}
    for status in (doc.status, *doc.also):
        answer: dict = {"description": HTTPStatus(status).phrase}
        if status == 503:
            answer["headers"] = RETRY_AFTER
        if status == 302:
            answer["headers"] = {"Location": {"schema": {"type": "string"}}}
        elif status in (204, 304):
            pass
        elif isinstance(doc.returns, str):
            answer["content"] = {doc.returns: {"schema": FILE_SCHEMAS[doc.returns]}}
        elif doc.returns is not None:
            answer["content"] = {JSON: {"schema": schemas.ref(doc.returns)}}
        responses[str(status)] = answer
    return responses


def error_statuses(doc: ApiDoc, has_path_ids: bool) -> dict[int, type[BaseModel] | None]:
    """The failures of an operation: those of every route of its kind, and its own."""
    unsafe = doc.method in UNSAFE
    found: dict[int, type[BaseModel] | None] = {}
    if unsafe:
        found |= {400: None, 413: None, 415: None, 422: None}
    if doc.query is not None:
        found[422] = None
    if not doc.public:
        found |= {401: None, 403: None, 503: None}
    if has_path_ids:
        found[404] = None
    found |= dict(doc.errors)
    return dict(sorted(found.items()))


def _failures(doc: ApiDoc, has_path_ids: bool, schemas: Schemas, max_body: int) -> dict:
    responses = {}
    for status, model in error_statuses(doc, has_path_ids).items():
        why = WHY.get(status, HTTPStatus(status).phrase)
        if status == 413:
            why += f": {doc.max_body or max_body} bytes"
        answer = {
            "description": why,
            "content": {JSON: {"schema": schemas.ref(model or Error)}},
        }
        if status in (429, 503):
            answer["headers"] = RETRY_AFTER
        responses[str(status)] = answer
    return responses


def _operation(doc: ApiDoc, params: list[dict], schemas: Schemas, max_body: int) -> dict:
    op = {
        "summary": doc.summary,
        "responses": _success(doc, schemas) | _failures(doc, bool(params), schemas, max_body),
        "parameters": params + _query_parameters(doc, schemas),
        "security": [] if doc.public else [{"session": []}],
    }
    if doc.roles:
        op["x-roles"] = sorted(doc.roles)
    if doc.capability:
        op["x-can"] = doc.capability
    if doc.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": schemas.ref(doc.body)}},
        }
    elif doc.method in UNSAFE:
        op["requestBody"] = {
            "required": True,
            "description": "No body: an empty JSON object (an empty body with "
            "Content-Type: application/json does as well)",
            "content": {JSON: {"schema": schemas.ref(NoBody)}},
        }
    return op


def _documented(app) -> list[tuple[str, ApiDoc]]:
    return [
        (rule.rule, doc)
        for rule in app.url_map.iter_rules()
        if (doc := getattr(app.view_functions.get(rule.endpoint), "api_doc", None)) is not None
    ]


def build_openapi(app) -> dict:
    routes = _documented(app)
    schemas = Schemas(_models([doc for _, doc in routes]))
    paths: dict[str, dict] = {}
    for rule, doc in routes:
        path, params = _path_parameters(rule)
        paths.setdefault(path, {})[doc.method.lower()] = _operation(
            doc, params, schemas, app.config["MAX_CONTENT_LENGTH"]
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Veldwacht API",
            "version": "1",
            "description": "JSON API of Veldwacht. Unsafe methods (POST, PUT, PATCH, DELETE) "
            "require Content-Type: application/json, also where they take no body (then send "
            "an empty object, `{}`): the CSRF defence. Errors are JSON (`Error`), in the "
            "language of Accept-Language (Dutch unless English is asked). The websocket /ws "
            "is described in docs/api.md.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.components.items())),
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        },
    }


class OpenApiDocument(BaseModel):
    """This document (OpenAPI 3.1)."""

    openapi: str
    info: dict
    paths: dict
    components: dict


@endpoint(bp, "/openapi.json", "GET", "This OpenAPI document", returns=OpenApiDocument)
def openapi():
    # The routes and their declarations are fixed once the app is made: built once per app.
    if "veldwacht.openapi" not in current_app.extensions:
        current_app.extensions["veldwacht.openapi"] = build_openapi(current_app)
    return current_app.extensions["veldwacht.openapi"]
