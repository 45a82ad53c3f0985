"""The privacy page and the "wie zag mijn locatie" list speak English too: every Dutch text
they use has an entry in app/messages/en/privacy.json, with the same {placeholders}, and the
file holds nothing else."""

import json
import string

from app.i18n import CATALOGS, catalog
from services.accounts.models import ROLE_LABELS
from services.retention.policy import RetentionPolicy
from services.transparency.positions import WHAT_LABELS
from services.transparency.statement import period_text, privacy_statement

DEFAULTS = RetentionPolicy().as_days()


def _used() -> set[str]:
    said: list[str] = []

    def words(text: str) -> str:
        said.append(text)
        return text

    for retention in (DEFAULTS, dict.fromkeys(DEFAULTS, 1)):  # "5 jaar", "30 dagen", "1 dag"
        privacy_statement(organisation="Gemeente", retention=retention, words=words)
    period_text(365, words)
    return (set(said) | set(WHAT_LABELS.values())) - set(ROLE_LABELS.values())


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_has_its_english_and_nothing_else_is_kept():
    used = _used()
    english = catalog("en")
    assert {t for t in used if t not in english} == set()
    assert {t for t in used if _placeholders(t) != _placeholders(english[t])} == set()
    kept = json.loads((CATALOGS / "en" / "privacy.json").read_text(encoding="utf-8"))
    assert set(kept) - used == set(), "no longer said: remove from privacy.json"
