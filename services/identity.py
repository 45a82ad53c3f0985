"""Who an aggressor is, from the words a report or register entry gives: compared word by word
in lower case, without punctuation ("J. de Vries," is "j de vries")."""

from __future__ import annotations

import re


def tokens(text: str | None) -> tuple[str, ...]:
    return tuple(re.sub(r"[^0-9a-z]+", " ", (text or "").lower()).split())


def aggressor_key(client_ref: str | None, name: str | None) -> str | None:
    """One key per person, for counting repeat aggressors in SQL without naming them: the
    client reference when there is one, otherwise the name. Recidive's own comparison
    (services/followup/recidive.py) also weighs the address; a count does not decide a
    measure."""
    if ref := tokens(client_ref):
        return "r:" + " ".join(ref)
    if words := tokens(name):
        return "n:" + " ".join(words)
    return None
