"""The few SQL expressions that SQLite and PostgreSQL spell differently, for the reports'
GROUP BY queries: seconds between two moments, the UTC hour a moment falls in, a JSON array's
elements as rows and a field of one. Everything else is plain SQLAlchemy both understand."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float, String, cast, func, literal, type_coerce
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Dialect:
    postgres: bool

    @classmethod
    def of(cls, session: Session) -> Dialect:
        return cls(postgres=session.get_bind().dialect.name == "postgresql")

    def seconds(self, later, earlier):
        """`later - earlier` in seconds (both stored as naive UTC)."""
        if self.postgres:
            return func.extract("epoch", later - earlier)
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0

    def utc_hour(self, moment):
        """'YYYY-MM-DD HH' of the UTC hour: the municipality's local hour follows in Python
        (Amsterdam's offset is whole hours, and changes with the season)."""
        if self.postgres:
            return func.to_char(moment, "YYYY-MM-DD HH24")
        return func.strftime("%Y-%m-%d %H", moment)

    def elements(self, column, path: str | None = None):
        """The elements of a JSON array column (at `path` inside it) as a lateral table with
        one column, `value`."""
        if self.postgres:
            array = column[path] if path else column
            return func.json_array_elements(array).table_valued("value")
        args = (column, f"$.{path}") if path else (column,)
        return func.json_each(*args).table_valued("value")

    def field(self, element, name: str):
        """A text field of a JSON element from `elements`."""
        if self.postgres:
            return element.op("->>")(literal(name))
        return type_coerce(func.json_extract(element, f"$.{name}"), String)


def flag(column, name: str):
    """A yes/no answer in a JSON column is yes (true); unanswered and no are not."""
    return column[name].as_boolean().is_(True)


def number(column, name: str):
    """A number in a JSON column, 0 when absent."""
    return func.coalesce(cast(column[name].as_float(), Float), 0.0)
