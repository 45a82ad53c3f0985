"""The vocabulary: the words and rules the PWA renders from, in the user's language."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Literal

from flask import Response, g, request
from pydantic import BaseModel, Field

from app.api import bp
from app.api.endpoint import Query, endpoint
from app.i18n import request_language, translate
from app.pwa import compress
from services.vocabulary import vocabulary

TRANSLATED = ("label", "help")  # the texts in the vocabulary's entries


class VocabularyQuery(Query):
    lang: Literal["nl", "en"] | None = Field(
        default=None, description="language of the labels (default: Accept-Language)"
    )


class Entry(BaseModel):
    """A word of the vocabulary: its code and its label (some entries say more)."""

    code: str
    label: str


class VocabularyOut(BaseModel):
    behaviour_types: list[Entry]
    kinds: list[Entry]
    combination: str
    channels: list[Entry]
    visit_channels: dict[str, str]
    statuses: list[Entry]
    serious_criteria: list[Entry]
    measures: list[Entry]
    no_measure: str
    police_steps: list[Entry]
    police_default: str
    air_measures: list[Entry]
    outcomes: list[Entry]
    test_outcome: str
    visit_types: list[Entry]
    checklist_answers: list[Entry]
    checklist_floors: list[Entry]
    risk_answers: list[Entry]
    gir_parts: list[Entry]
    gir_questions: list[Entry]
    yes_no_answers: list[Entry]
    seven_ws: list[Entry]
    function_groups: list[Entry]
    roles: list[Entry]
    audit_trail: dict[str, list[Entry]]
    constants: dict[str, int]
    limits: dict[str, list[int]]  # [min, max]


def _translated(value, lang: str):
    if isinstance(value, list):
        return [_translated(v, lang) for v in value]
    if isinstance(value, dict):
        return {
            k: translate(v, lang) if k in TRANSLATED else _translated(v, lang)
            for k, v in value.items()
        }
    return value


@cache
def _body(lang: str) -> tuple[bytes, str]:
    """The answer and its ETag: the same for every user, and until the next deploy."""
    body = json.dumps(_translated(vocabulary(), lang), ensure_ascii=False, separators=(",", ":"))
    data = body.encode()
    return data, hashlib.sha256(data).hexdigest()[:16]


@endpoint(
    bp,
    "/vocabulary",
    "GET",
    "Incident kinds, channels, behaviour types, measures, police steps, outcomes, function "
    "groups, checklist and risk answers, the annex-8 form (questions, parts, yes/no answers, "
    "the seven W's) and the rules the app checks (clock skew, limits); with an ETag",
    query=VocabularyQuery,
    returns=VocabularyOut,
    also=(304,),  # If-None-Match with the ETag it has
)
@compress.compressed()  # some 7 KB of JSON, a third of it brotli'd, on the worker's first start
def get_vocabulary(query: VocabularyQuery):
    data, etag = _body(query.lang or request_language())
    g.pwa_file = f"vocabulary:{etag}"  # compressed once per language and deploy
    response = Response(data, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"  # revalidate: a 304 is tiny
    return response.make_conditional(request)
