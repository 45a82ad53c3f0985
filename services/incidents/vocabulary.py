"""The protocol's words for an incident, as stored values with their Dutch labels.

Behaviour types are §7 / annex 3, kinds and channels annex 8 and §7's handling protocols,
the serious criteria §9 (Inspectie SZW).
"""

from __future__ import annotations

BEHAVIOUR_TYPES = {
    "A": "A — emotie (over mij)",
    "B": "B — kritiek op regels of organisatie",
    "C": "C — persoonlijk: schelden, beledigen, discrimineren",
    "D": "D — bedreiging, intimidatie",
    "E": "E — fysiek geweld",
}

# Annex 8 numbers them 1-5; "6. combinatie van agressievormen" is more than one of them.
KINDS = {
    "verbaal": "Verbaal geweld",
    "discriminatie": "Discriminatie",
    "intimidatie": "Intimidatie (psychische druk, bedreiging)",
    "fysiek_zaak": "Fysiek geweld (zaakgericht)",
    "fysiek_persoon": "Fysiek geweld (persoonsgericht)",
}
COMBINATION = "combinatie"

CHANNELS = {
    "huisbezoek": "Huisbezoek",
    "openbare_ruimte": "Openbare ruimte",
    "gemeentelijk_gebouw": "Gemeentelijk gebouw",
    "telefoon": "Telefoon",
    "brief_email": "Brief of e-mail",
    "social_media": "Social media",
    "doxing": "Doxing",
    "buiten_diensttijd": "Buiten diensttijd",
}
# Where the channel itself answers "waar?": there is no place to name.
REMOTE_CHANNELS = frozenset({"telefoon", "brief_email", "social_media", "doxing"})

STATUSES = {
    "gemeld": "Gemeld",
    "in_behandeling": "In behandeling",
    "afgehandeld": "Afgehandeld",
}
CLOSED = "afgehandeld"

SERIOUS_CRITERIA = {
    "overlijden": "Overlijden",
    "ernstig_letsel": "Ernstig lichamelijk of geestelijk letsel",
    "ziekenhuisopname": "Ziekenhuisopname",
    "blijvende_schade": "Blijvende schade (of een redelijk vermoeden daarvan)",
}


def kinds_label(kinds: list[str]) -> str:
    names = ", ".join(KINDS[k] for k in kinds)
    return f"Combinatie: {names}" if len(kinds) > 1 else names
