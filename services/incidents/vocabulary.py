"""The protocol's words for an incident, as stored values with their Dutch labels.

Behaviour types are §7 / annex 3, kinds and channels annex 8 and §7's handling protocols,
the serious criteria §9 (Inspectie SZW).
"""

from __future__ import annotations

from services.limits import Limit

BEHAVIOUR_TYPES = {
    "A": "A — emotie (over mij)",
    "B": "B — kritiek op regels of organisatie",
    "C": "C — persoonlijk: schelden, beledigen, discrimineren",
    "D": "D — bedreiging, intimidatie",
    "E": "E — fysiek geweld",
}
# The protocol's examples of each type (annex 3), shown with it when a worker chooses.
BEHAVIOUR_EXAMPLES = {
    "A": "Zeuren, begrip of een uitzondering vragen, teleurstelling, irritatie. "
    "„Kunt u echt geen uitzondering maken?”",
    "B": "„Wat is dat voor een belachelijke regel van jullie!”",
    "C": "Schelden, beledigen, discrimineren. „Wat ben jij een sukkel!”",
    "D": "(Non-)verbale dreiging, dreigen met geweld, intimideren. „Ik wacht je buiten wel op.”",
    "E": "Spugen, beetpakken, schoppen of slaan, een voorwerp gooien, vernieling, dreigen met "
    "suïcide.",
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
# The channel a report made during a home visit or an outdoor shift starts with.
VISIT_CHANNELS = {"visit": "huisbezoek", "shift": "openbare_ruimte"}

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


# The longest texts a report takes (the API's models and the PWA's form both use these).
DESCRIPTION = Limit(2000, min=1)
SHORT_TEXT = Limit(200)  # location, the aggressor's name and address
LIST_PAGE = Limit(200, min=1)  # the most reports the register lists at once


def kinds_label(kinds: list[str]) -> str:
    names = ", ".join(KINDS[k] for k in kinds)
    return f"Combinatie: {names}" if len(kinds) > 1 else names
