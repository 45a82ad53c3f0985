"""`endpoint(...)`: declare a JSON route with its roles and body model in one place."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Annotated

from flask import Blueprint, request
from pydantic import BaseModel, Field, ValidationError

from services.accounts.capabilities import roles_for
from services.accounts.models import Role
from services.errors import Invalid, Malformed
from services.limits import Limit

# What a route answers besides JSON: a file of this media type (a CSV, a PDF).
CSV, PDF = "text/csv", "application/pdf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class ApiDoc:
    method: str
    summary: str
    body: type[BaseModel] | None = None
    roles: frozenset[Role] = frozenset()  # empty: every logged-in user
    capability: str | None = None  # the `can` flag these roles are (services/accounts)
    public: bool = False
    status: int = 200
    query: type[BaseModel] | None = None  # the query string's parameters
    first_use: bool = False  # open before a password someone else chose has been changed
    # The answer on success: a model of its JSON, or the media type of the file it is; none
    # with a 204 or a redirect.
    returns: type[BaseModel] | str | None = None
    also: tuple[int, ...] = ()  # other success statuses with the same answer (idempotent: 200)
    # Failures beyond those every route of its kind can give (openapi.py derives those from
    # the declaration): (status, model of the body, or None for the usual error body).
    errors: tuple[tuple[int, type[BaseModel] | None], ...] = ()
    max_body: int | None = None


PYDANTIC_TO_DUTCH = {
    "missing": "verplicht",
    "extra_forbidden": "onbekend veld",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "bool_type": "moet true of false zijn",
    "string_too_short": "te kort",
    "string_too_long": "te lang",
    "string_pattern_mismatch": "ongeldige tekens of vorm",
    "model_type": "moet een JSON-object zijn",
    "model_attributes_type": "moet een JSON-object zijn",
    "literal_error": "geen toegestane waarde",
    "int_parsing": "moet een geheel getal zijn",
    "bool_parsing": "moet true of false zijn",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "datetime_parsing": "moet een tijdstip met tijdzone zijn",
    "datetime_from_date_parsing": "moet een tijdstip met tijdzone zijn",
    "timezone_aware": "moet een tijdzone hebben",
    "greater_than_equal": "te klein",
    "less_than_equal": "te groot",
    "too_short": "te weinig",
    "too_long": "te veel",
    "list_type": "moet een lijst zijn",
    "value_error": "ongeldig",
}


# At the edge, before any model or database sees a body: nesting no form needs, numbers no
# database column holds (an OverflowError deep down), control characters in text (a NUL ends
# a string in C code and in PostgreSQL).
MAX_DEPTH = 20
LARGEST = 2**62
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_body(model: type[BaseModel], raw: bytes | None = None) -> BaseModel:
    if raw is None:
        raw = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH raises 413 here
    try:
        parsed = json.loads(raw or b"null")
    except RecursionError as failure:
        raise Malformed("De inhoud is te diep genest.") from failure
    except (ValueError, UnicodeDecodeError) as failure:
        raise Malformed("De inhoud is geen geldige JSON.") from failure
    _check_edges(parsed)
    # Validating the JSON text (not the parsed objects) lets strict models take dates and
    # times as ISO strings, as JSON has no other way to send them, while still refusing
    # "true" for a boolean or "12" for a number.
    return _validated(model.model_validate_json, raw or b"null")


class NoBody(BaseModel):
    """The body of an unsafe route that takes none: an empty JSON object, or nothing at all."""

    model_config = {"extra": "forbid", "strict": True, "title": "NoBody"}


def parse_no_body() -> None:
    if raw := request.get_data(cache=False).strip():
        parse_body(NoBody, raw)


def _check_edges(value) -> None:
    """Walk the parsed body (without recursion: its depth is what is checked)."""
    todo = [(value, (), 0)]
    while todo:
        item, path, depth = todo.pop()
        field = ".".join(map(str, path)) or "body"
        if depth > MAX_DEPTH:
            raise Malformed("De inhoud is te diep genest.")
        if isinstance(item, dict):
            todo.extend((v, (*path, k), depth + 1) for k, v in item.items())
        elif isinstance(item, list):
            todo.extend((v, (*path, i), depth + 1) for i, v in enumerate(item))
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int) and abs(item) > LARGEST:
            raise Invalid(
                "Ongeldige invoer: controleer de gemarkeerde velden.", {field: "te groot"}
            )
        elif isinstance(item, str) and CONTROL.search(item):
            raise Invalid(
                "Ongeldige invoer: controleer de gemarkeerde velden.",
                {field: "ongeldige tekens of vorm"},
            )


def parse_query(model: type[BaseModel]) -> BaseModel:
    """Query strings are text: the model converts ("true", "12", "2026-11-25")."""
    return _validated(model.model_validate, request.args.to_dict())


def _validated(validate, data) -> BaseModel:
    try:
        return validate(data)
    except ValidationError as failure:
        fields = {
            ".".join(str(p) for p in err["loc"]) or "body": PYDANTIC_TO_DUTCH.get(
                err["type"], err["msg"]
            )
            for err in failure.errors()
        }
        raise Invalid("Ongeldige invoer: controleer de gemarkeerde velden.", fields) from failure


def endpoint(
    bp: Blueprint,
    rule: str,
    method: str,
    summary: str,
    *,
    body: type[BaseModel] | None = None,
    roles: tuple[Role, ...] = (),
    can: str | None = None,
    public: bool = False,
    status: int = 200,
    query: type[BaseModel] | None = None,
    busy: str | None = None,
    first_use: bool = False,
    max_body: int | None = None,
    returns: type[BaseModel] | str | None = None,
    also: tuple[int, ...] = (),
    errors: tuple[int, ...] | dict[int, type[BaseModel] | None] = (),
):
    """Register `view` on `bp`. With `body` / `query`, the view receives the validated models
    as `body` / `query`. `can` names the capability (a flag of `GET /api/me`) whose roles may
    call it; `roles` is for routes behind no screen of the app. `busy`: what this route says
    when the database cannot take it now (signing in included), instead of the general text.
    `first_use`: open to a user who must first change a password someone else chose (the
    first administrator's, a reset), as all that user may do is see who they are, change it
    or log out. `max_body`: bytes this route's body may have, where it needs more than the
    app's MAX_CONTENT_LENGTH (a staff CSV).

    `returns`: the model of the JSON answer (its OpenAPI schema; a file's media type for a CSV
    or PDF); `also`: other success statuses with that answer; `errors`: the failures this
    route can give beyond those of every route of its kind (a 409 of a stale version, the
    429 of wrong PINs), as statuses or {status: model of the body}.

    An unsafe route without `body` takes no body: nothing, or an empty JSON object (what the
    PWA sends), still as application/json (the CSRF rule in __init__.py); anything else in it
    is refused (422) rather than silently ignored."""
    if can is not None and roles:
        raise ValueError("a route is gated by a capability or by roles, not both")
    if can is not None:
        roles = roles_for(can)

    def decorate(view):
        @wraps(view)
        def handler(**kwargs):
            if max_body is not None:
                request.max_content_length = max_body
            if body is not None:
                kwargs["body"] = parse_body(body)
            elif method in UNSAFE:
                parse_no_body()
            if query is not None:
                kwargs["query"] = parse_query(query)
            return view(**kwargs)

        handler.api_doc = ApiDoc(
            method=method,
            summary=summary,
            body=body,
            roles=frozenset(roles),
            capability=can,
            public=public,
            status=status,
            query=query,
            first_use=first_use,
            returns=returns,
            also=tuple(also),
            errors=tuple(
                errors.items() if isinstance(errors, dict) else ((e, None) for e in errors)
            ),
            max_body=max_body,
        )
        handler.busy_text = busy
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=handler, methods=[method])
        return handler

    return decorate


def documented(method: str, summary: str, **fields):
    """For a route outside the API's blueprint (the health checks): its declaration in the
    OpenAPI document, as `endpoint` records it for the API's own routes."""

    def decorate(view):
        view.api_doc = ApiDoc(method=method, summary=summary, **fields)
        return view

    return decorate


class Strict(BaseModel):
    """Base of request bodies: no unknown fields, no silent type coercion."""

    model_config = {"extra": "forbid", "strict": True}


class Query(BaseModel):
    """Base of query-string models: no unknown parameters; values arrive as text."""

    model_config = {"extra": "forbid"}


def Length(limit: Limit, **field):
    """A text field as long as the service's limit allows (the PWA's maxlength is the same)."""
    return Field(min_length=limit.min, max_length=limit.max, **field)


def Within(limit: Limit, **field):
    """A number field within the service's limit (the PWA's min and max are the same)."""
    return Field(ge=limit.min, le=limit.max, **field)


# A row id from outside: bounded by what the database can hold, so a huge number is a 422
# rather than an overflow in the database driver (a 500).
Id = Annotated[int, Field(ge=1, le=2**62)]
# A calendar day the register can mean: no year 1 or 9999 reaching date arithmetic.
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
