"""How long a text, or how large a number, the server takes for one field: each `Limit` is
defined with the concept it belongs to, the API's request models check it, and the vocabulary
publishes it (`limits`), so a form's maxlength and the server's rule are one number."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    max: int
    min: int = 0

    def published(self) -> dict:
        """As a message's parameters: "{min} tot {max} cijfers"."""
        return {"min": self.min, "max": self.max}
