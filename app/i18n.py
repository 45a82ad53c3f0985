"""The server's own words in the user's language. Services speak Dutch, the protocol's
language, and that text is also the key: `app/messages/<lang>/*.json` maps a Dutch text (a
message template such as "{gir} staat al in het register.") to the same text in that language.
Dutch needs no catalog. The PWA sends the language the user chose as Accept-Language."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import has_request_context, request

DEFAULT = "nl"
LANGUAGES = ("nl", "en")
CATALOGS = Path(__file__).parent / "messages"


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every file of the language's folder, merged (one file per subject)."""
    merged: dict[str, str] = {}
    for path in sorted((CATALOGS / lang).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def request_language() -> str:
    if not has_request_context():
        return DEFAULT
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT)


def translate(text: str, lang: str | None = None, **params: object) -> str:
    """`text` (Dutch, perhaps a template) in `lang` (default: the request's), params filled in;
    a text without a translation stays Dutch rather than becoming nothing."""
    lang = lang or request_language()
    template = text if lang == DEFAULT else catalog(lang).get(text, text)
    return template.format(**params) if params else template
