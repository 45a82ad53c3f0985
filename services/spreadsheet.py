"""CSV cells a spreadsheet opens safely: a cell that starts like a formula (= + - @, a tab or
a carriage return) is written with a leading apostrophe, which a spreadsheet shows as text
(OWASP's CSV injection advice), and read back without it."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def uncell(text: str) -> str:
    """A cell as `cell` wrote it, back to its value."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text
