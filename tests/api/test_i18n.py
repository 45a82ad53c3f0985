"""The PWA's languages as data: one JSON file per language (pwa/i18n/<lang>.json). Every
language has the same keys with the same {placeholders}; every key the code uses exists —
data-i18n / data-i18n-label in index.html, t("…") and key-shaped literals in pwa/js, and keys
built from a prefix (t(`conn.${state}`)) at least once; index.html carries keys only, and the
served page has the Dutch texts filled in for a first paint without script."""

from __future__ import annotations

import json
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PWA = ROOT / "pwa"
LANGS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (PWA / "i18n").glob("*.json")}
NL = LANGS["nl"]
NAMESPACES = {key.split(".")[0] for key in NL}
KEY_SHAPE = r"[a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+"
# A literal key in code: t("…"), and any string of a key's shape in a namespace of ours
T_CALL = re.compile(r'\bt\(\s*"([^"]+)"')
LITERAL = re.compile(rf'"({KEY_SHAPE})"')
TEMPLATE = re.compile(r"`([a-z][A-Za-z0-9_]*\.[^`]*?\$\{[^`]*?)`")
HTML_KEY = re.compile(r'\bdata-i18n(?:-label)?="([^"]+)"')
DATASET_KEY = re.compile(r"\.dataset\.i18n(?:Label)?\s*=\s*([^;]+);")


def _js() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text() for p in (PWA / "js").rglob("*.js")}


def _event_types() -> set[str]:
    """The server's event types ("alarm.raised"): key-shaped, but no keys."""
    found = set()
    for path in (ROOT / "services").rglob("*.py"):
        found |= set(re.findall(rf'type="({KEY_SHAPE})"', path.read_text()))
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _prefix_pattern(template: str) -> re.Pattern:
    """`gir.history.${h.action}` -> gir\\.history\\.[^ ]+"""
    parts = re.split(r"\$\{(?:[^{}]|\{[^{}]*\})*\}", template)
    return re.compile("[A-Za-z0-9_.-]+".join(re.escape(p) for p in parts) + r"\Z")


def used_keys() -> tuple[dict[str, str], dict[str, str]]:
    """(key -> where it is used, built key's template -> where), over index.html and pwa/js."""
    keys: dict[str, str] = {}
    built: dict[str, str] = {}
    index = (PWA / "index.html").read_text()
    for key in HTML_KEY.findall(index):
        keys.setdefault(key, "index.html")
    events = _event_types()
    for where, source in _js().items():
        for key in T_CALL.findall(source):
            if "${" not in key:
                keys.setdefault(key, where)
        for expression in DATASET_KEY.findall(source):
            for key in re.findall(rf'"({KEY_SHAPE})"', expression):
                keys.setdefault(key, where)
        for key in LITERAL.findall(source):
            if key.split(".")[0] not in NAMESPACES or key in events:
                continue
            if any(e.startswith(key) for e in events):  # a prefix of event types
                continue
            keys.setdefault(key, where)
        for template in TEMPLATE.findall(source):
            if template.split(".")[0] in NAMESPACES:
                built.setdefault(template, where)
    return keys, built


def test_every_language_has_the_same_keys():
    assert set(LANGS) >= {"nl", "en"}
    for lang, texts in LANGS.items():
        assert set(texts) - set(NL) == set(), f"{lang}.json has keys Dutch has not"
        assert set(NL) - set(texts) == set(), f"{lang}.json misses keys"


def test_every_language_keeps_the_placeholders():
    for lang, texts in LANGS.items():
        wrong = {
            k: v for k, v in texts.items() if k in NL and _placeholders(v) != _placeholders(NL[k])
        }
        assert wrong == {}, f"{lang}.json: placeholders differ from nl.json"


def test_every_text_is_a_non_empty_string():
    for lang, texts in LANGS.items():
        assert all(isinstance(v, str) and v.strip() for v in texts.values()), lang


def test_every_key_used_in_code_exists():
    keys, _ = used_keys()
    assert len(keys) > 400  # the scan found the code's keys at all
    missing = {key: where for key, where in keys.items() if key not in NL}
    # a literal may also be a prefix the code adds to ("gir.f" in label("gir.f", path))
    missing = {k: w for k, w in missing.items() if not any(n.startswith(k + ".") for n in NL)}
    assert missing == {}


def test_every_key_built_from_a_prefix_exists_at_least_once():
    _, built = used_keys()
    assert "conn.${state}" in built
    missing = {
        template: where
        for template, where in built.items()
        if not any(_prefix_pattern(template).match(key) for key in NL)
    }
    assert missing == {}


@pytest.mark.parametrize(
    ("template", "values"),
    [
        ("conn.${state}", ["open", "connecting", "offline", "closed"]),
        ("location.state.${this.state}", ["granted", "denied", "prompt", "unsupported", "unknown"]),
    ],
)
def test_keys_built_from_a_known_set_exist_for_each_value(template, values):
    prefix = template.split("${")[0]
    assert [v for v in values if f"{prefix}{v}" not in NL] == []


class _Texts(HTMLParser):
    """The text each element with data-i18n holds, and each data-i18n-label's aria-label."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []
        self.texts: dict[str, list[str]] = {}
        self.labels: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-i18n-label" in attrs:
            self.labels.append((attrs["data-i18n-label"], attrs.get("aria-label")))
        if tag not in {"img", "input", "br", "meta", "link", "source"}:
            self.open.append((tag, attrs.get("data-i18n")))
            if attrs.get("data-i18n"):
                self.texts.setdefault(attrs["data-i18n"], []).append("")

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        keyed = [key for _, key in self.open if key]
        if keyed:
            self.texts[keyed[-1]][-1] += data


def _parsed(page: str) -> _Texts:
    parser = _Texts()
    parser.feed(page)
    return parser


def test_index_html_carries_keys_not_texts():
    parsed = _parsed((PWA / "index.html").read_text())
    assert parsed.texts and parsed.labels  # the scan found the page's keys at all
    with_text = {k: v for k, v in parsed.texts.items() if any(t.strip() for t in v)}
    assert with_text == {}
    assert [key for key, label in parsed.labels if label is not None] == []


def test_the_served_page_has_the_dutch_texts_before_any_script(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in page
    parsed = _parsed(page)
    assert parsed.texts.keys() == _parsed((PWA / "index.html").read_text()).texts.keys()
    for key, texts in parsed.texts.items():
        assert all(" ".join(t.split()) == " ".join(NL[key].split()) for t in texts), key
    assert parsed.labels and all(label == NL[key] for key, label in parsed.labels)
    assert "Naar de inhoud" in page and "Gebruikersnaam" in page
    # the stamped page is what the service worker keeps for an offline start
    assert client.get("/te-doen").get_data(as_text=True) == page
