"""The server's words to the user have an English entry, and nothing builds them in a way that
cannot be translated. An AST walk over services/ and app/ finds every literal text given to a
domain error (its message and its field messages), to `Text` and `Joined`, to `api_error`, and
the HTTP and validation messages; app/messages/en/errors.json must hold each, with the same
{placeholders}, and nothing else (a stale entry is a text that is no longer said)."""

from __future__ import annotations

import ast
import json
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import services.errors
from app.i18n import CATALOGS, translate
from services.errors import Conflict, Invalid, Joined, Lower, Text

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("services", "app")
CATALOG = CATALOGS / "en" / "errors.json"
ERRORS = {
    cls.__name__
    for cls in vars(services.errors).values()
    if isinstance(cls, type) and issubclass(cls, services.errors.DomainError)
}
TABLES = {"HTTP_MESSAGES", "PYDANTIC_TO_DUTCH"}  # dicts whose values are texts


@dataclass
class Found:
    texts: dict[str, str] = field(default_factory=dict)  # text -> where it is first said
    built: list[str] = field(default_factory=list)  # texts built by f-string, + or .format


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _arg(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


class Collector(ast.NodeVisitor):
    def __init__(self, path: Path, found: Found, constants: dict[str, str]):
        self.where, self.found, self.constants = path.relative_to(ROOT), found, constants

    def text(self, node: ast.expr | None) -> None:
        """A message: a literal (perhaps one of two), a module constant, or something that
        is checked where it is made (a `Text`, a function's result)."""
        if node is None:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            self.found.texts.setdefault(node.value, f"{self.where}:{node.lineno}")
        elif isinstance(node, ast.IfExp):
            self.text(node.body)
            self.text(node.orelse)
        elif isinstance(node, ast.Name) and node.id in self.constants:
            self.found.texts.setdefault(self.constants[node.id], f"{self.where}:{node.lineno}")
        elif isinstance(node, ast.JoinedStr | ast.BinOp) or (
            isinstance(node, ast.Call) and _name(node.func) == "format"
        ):
            self.found.built.append(f"{self.where}:{node.lineno}: {ast.unparse(node)}")

    def fields(self, node: ast.expr | None) -> None:
        if isinstance(node, ast.Dict):
            for value in node.values:
                self.text(value)
        elif isinstance(node, ast.DictComp):
            self.text(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in ERRORS:
            self.text(_arg(node, 0, "text"))
            self.fields(_arg(node, 1, "fields"))
        elif name == "Text":
            self.text(_arg(node, 0, "template"))
        elif name == "Joined":
            self.text(_arg(node, 1, "separator"))
            self.text(_arg(node, 2, "last"))
        elif name == "api_error":
            self.text(_arg(node, 1, "message"))
            self.fields(_arg(node, 2, "fields"))
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        targets = {_name(t) for t in node.targets}
        if targets & TABLES and isinstance(node.value, ast.Dict):
            for value in node.value.values:
                self.text(value)
        if "default" in targets:  # a domain error's own message (Busy)
            self.text(node.value)
        self.generic_visit(node)


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text" (a message kept in a constant)."""
    return {
        t.id: n.value.value
        for n in tree.body
        if isinstance(n, ast.Assign)
        and isinstance(n.value, ast.Constant)
        and isinstance(n.value.value, str)
        for t in n.targets
        if isinstance(t, ast.Name)
    }


def collect(roots=SCANNED) -> Found:
    found = Found()
    for root in roots:
        for path in sorted((ROOT / root).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            Collector(path, found, _constants(tree)).visit(tree)
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def english() -> dict[str, str]:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def test_no_message_is_built_in_a_way_that_cannot_be_translated():
    """An f-string, `+` or `.format` bakes the data into the text: give params instead
    (`Invalid("{gir} staat al in het register.", gir=number)`)."""
    assert collect().built == []


def test_every_message_has_an_english_entry():
    catalog = english()
    missing = {text: where for text, where in collect().texts.items() if text not in catalog}
    assert missing == {}, "add these to app/messages/en/errors.json"


def test_the_catalog_holds_no_stale_entries():
    said = collect().texts
    assert [text for text in english() if text not in said] == []


def test_translations_keep_the_placeholders():
    wrong = {
        dutch: english_text
        for dutch, english_text in english().items()
        if placeholders(dutch) != placeholders(english_text)
    }
    assert wrong == {}


def test_the_collector_finds_what_it_should():
    """The walk itself, on a small module: a literal, both sides of a choice, a constant,
    field messages, and a message built with an f-string."""
    source = (
        'LOCKED = "Op slot."\n'
        'raise Invalid("Fout.", {"a": "leeg", **{}}, n=1)\n'
        'raise Conflict("Een." if x else "Twee.")\n'
        "raise TooManyAttempts(LOCKED)\n"
        'raise NotFound(f"Onbekend {x}.")\n'
        'y = Text("Tekst {n}.", n=2)\n'
    )
    tree = ast.parse(source)
    found = Found()
    Collector(ROOT / "x.py", found, _constants(tree)).visit(tree)
    assert set(found.texts) == {"Op slot.", "Fout.", "leeg", "Een.", "Twee.", "Tekst {n}."}
    assert len(found.built) == 1 and re.search(r"Onbekend", found.built[0])


def in_english(template: str) -> str:
    return translate(template, "en")


def test_a_message_with_params_is_dutch_and_renders_whole_in_english():
    error = Invalid("Een bericht is hoogstens {max} tekens.", {"text": "te lang"}, max=500)
    assert (error.message, error.fields) == (
        "Een bericht is hoogstens 500 tekens.",
        {"text": "te lang"},
    )
    assert error.texts(in_english) == ("A message is at most 500 characters.", {"text": "too long"})


def test_texts_inside_texts_are_translated_too():
    blockers = Joined(
        [
            Text("de telefonische melding bij de Inspectie SZW"),
            Text("een besluit over aangifte of melding bij de politie"),
        ],
        ", ",
        last=" en ",
    )
    error = Invalid("Nog niet af te handelen: eerst {blockers}.", blockers=blockers)
    assert error.message == (
        "Nog niet af te handelen: eerst de telefonische melding bij de Inspectie SZW en een "
        "besluit over aangifte of melding bij de politie."
    )
    assert error.texts(in_english)[0] == (
        "Cannot be closed yet: first the report by phone to the Inspectie SZW and a decision "
        "on a police report or notification."
    )
    refusal = Conflict(
        "Er loopt al een {kind} voor deze persoon of dit adres ({period}). Verleng dat "
        "in plaats van een tweede op te leggen.",
        kind=Lower(Text("Pandverbod")),
        period=Text("van {start} zonder einddatum", start="01-03-2026"),
    )
    assert "een pandverbod voor deze persoon" in refusal.message
    assert "(from 01-03-2026 without an end date)" in refusal.texts(in_english)[0]


def test_a_text_is_its_dutch_string():
    """Code and tests that take a message for Dutch text keep working."""
    text = Text("Onjuiste pincode. Nog {left} pogingen.", left=2)
    assert text == "Onjuiste pincode. Nog 2 pogingen." and isinstance(text, str)
    assert text.render(in_english) == "Wrong PIN. 2 attempts left."
