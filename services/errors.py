"""Domain errors, and the texts they show. The delivery layer maps each kind to one HTTP status
and shows the text in the user's language; services never know HTTP nor languages.

A text is Dutch, the protocol's language, and a `str.format` template: its data (a number, a
name, a date) goes in as params, so the template never changes with the data and is the key of
its translations (`app/messages/<lang>/errors.json`; tests/unit/test_error_messages.py keeps
that catalog complete). Never build a message with an f-string, `+` or `.format`: the result
can no longer be translated."""

from __future__ import annotations

from collections.abc import Callable, Iterable

Lookup = Callable[[str], str]  # a Dutch template -> the same template in another language


def _dutch(template: str) -> str:
    return template


def _render(value: object, lookup: Lookup) -> object:
    return value.render(lookup) if isinstance(value, Rendered) else value


class Rendered(str):
    """A text that can be rendered again in another language. It *is* its Dutch rendering (a
    str), so code and tests that take it for Dutch text keep working."""

    def render(self, lookup: Lookup = _dutch) -> str:
        raise NotImplementedError


class Text(Rendered):
    """A template and its params. A param may itself be a `Rendered` text (translated along
    with it); anything else is data, shown as it is."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object):
        self = super().__new__(cls, _fill(template, params, _dutch))
        self.template, self.params = template, params
        return self

    def render(self, lookup: Lookup = _dutch) -> str:
        return _fill(self.template, self.params, lookup)


def _fill(template: str, params: dict[str, object], lookup: Lookup) -> str:
    template = lookup(template)
    if not params:
        return template
    return template.format(**{k: _render(v, lookup) for k, v in params.items()})


class Joined(Rendered):
    """Texts in a row: "a, b en c". `separator` and `last` (between the last two, when given)
    are translated too: " en " is " and " in English."""

    def __new__(cls, items: Iterable[object], separator: str = ", ", last: str | None = None):
        items = list(items)
        self = super().__new__(cls, _join(items, separator, last, _dutch))
        self.items, self.separator, self.last = items, separator, last
        return self

    def render(self, lookup: Lookup = _dutch) -> str:
        return _join(self.items, self.separator, self.last, lookup)


def _join(items: list[object], separator: str, last: str | None, lookup: Lookup) -> str:
    shown = [str(_render(item, lookup)) for item in items]
    if last is None or len(shown) < 2:
        return lookup(separator).join(shown)
    return lookup(separator).join(shown[:-1]) + lookup(last) + shown[-1]


class Lower(Rendered):
    """A text in lower case, as it reads inside a sentence ("een contactverbod")."""

    def __new__(cls, text: str):
        self = super().__new__(cls, str(text).lower())
        self.text = text
        return self

    def render(self, lookup: Lookup = _dutch) -> str:
        return str(_render(self.text, lookup)).lower()


class DomainError(Exception):
    """Base class. `text` is shown to the user: a template (its params as keywords) or a
    `Text`; `fields` names the inputs that were wrong, each with its own text (a template
    filled with the same params, or a `Text`). `message` and `fields` are the Dutch;
    `texts(lookup)` renders both in another language."""

    default: str | None = None

    def __init__(
        self,
        text: str | None = None,
        fields: dict[str, str] | None = None,
        **params: object,
    ):
        text = text if text is not None else self.default
        self.text = text if isinstance(text, Rendered) else Text(text, **params)
        self.field_texts = {
            name: value if isinstance(value, Rendered) else Text(value, **params)
            for name, value in (fields or {}).items()
        }
        self.message, self.fields = self.texts()
        super().__init__(self.message)

    def texts(self, lookup: Lookup = _dutch) -> tuple[str, dict[str, str]]:
        """The message and the field messages, each template looked up first."""
        return self.text.render(lookup), {
            name: text.render(lookup) for name, text in self.field_texts.items()
        }


class NotAuthenticated(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class NotFound(DomainError):
    pass


class Invalid(DomainError):
    pass


class Conflict(DomainError):
    pass


class TooManyAttempts(DomainError):
    pass


class Malformed(DomainError):
    """The input could not even be read (not JSON, not UTF-8)."""


class Busy(DomainError):
    """The database's write lock could not be had in time (another writer holds it). Nothing
    was stored; the same request can simply be sent again."""

    retry_after = 2  # seconds
    default = (
        "Het systeem is even bezet; niets is opgeslagen. "
        "Probeer het over een paar seconden opnieuw."
    )
