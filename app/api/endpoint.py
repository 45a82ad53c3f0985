"""`endpoint(...)`: declare a JSON route with its roles and body model in one place."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError

from services.accounts.models import Role
from services.errors import Invalid, Malformed


@dataclass(frozen=True)
class ApiDoc:
    method: str
    summary: str
    body: type[BaseModel] | None = None
    roles: frozenset[Role] = frozenset()  # empty: every logged-in user
    public: bool = False
    status: int = 200
    query: dict[str, str] = field(default_factory=dict)  # name -> description


PYDANTIC_TO_DUTCH = {
    "missing": "verplicht",
    "extra_forbidden": "onbekend veld",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "bool_type": "moet true of false zijn",
    "string_too_short": "te kort",
    "string_too_long": "te lang",
    "model_type": "moet een JSON-object zijn",
    "model_attributes_type": "moet een JSON-object zijn",
    "literal_error": "geen toegestane waarde",
}


def parse_body(model: type[BaseModel]) -> BaseModel:
    raw = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH raises 413 here
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Malformed("De inhoud is geen geldige JSON.")
    try:
        return model.model_validate(data)
    except ValidationError as failure:
        fields = {".".join(str(p) for p in err["loc"]) or "body":
                  PYDANTIC_TO_DUTCH.get(err["type"], err["msg"]) for err in failure.errors()}
        raise Invalid("Ongeldige invoer: controleer de gemarkeerde velden.", fields)


def endpoint(bp: Blueprint, rule: str, method: str, summary: str, *,
             body: type[BaseModel] | None = None, roles: tuple[Role, ...] = (),
             public: bool = False, status: int = 200, query: dict[str, str] | None = None):
    """Register `view` on `bp`. With `body`, the view receives the validated model as `body`."""
    def decorate(view):
        @wraps(view)
        def handler(**kwargs):
            if body is not None:
                kwargs["body"] = parse_body(body)
            return view(**kwargs)

        handler.api_doc = ApiDoc(method=method, summary=summary, body=body,
                                 roles=frozenset(roles), public=public, status=status,
                                 query=query or {})
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=handler, methods=[method])
        return handler
    return decorate


class Strict(BaseModel):
    """Base of request bodies: no unknown fields, no silent type coercion."""

    model_config = {"extra": "forbid", "strict": True}
