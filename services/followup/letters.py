"""Letters to the aggressor (annexes 4–7 of the protocol) and the information sheet for the
police (§10): a Dutch draft filled in from the incident, which the manager edits, then a PDF.

The draft is plain text (first line the title, paragraphs separated by a blank line) so the
manager can change anything before it is final; the PDF is made from that edited text. A fact
that is missing becomes a visible gap ("…") rather than a wrong or empty word, and the
behaviour is a marked place for the manager's own words: the worker's description is never
copied into a letter to the aggressor (it is offered beside the draft as a suggestion). A
letter with a gap or a place still open is not made final (`missing_for_final`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from services.clock import MUNICIPAL_TIME, local_date
from services.errors import Joined, Text
from services.followup.police import MELDING_PHONE
from services.limits import Limit

TEXT = Limit(20_000, min=1)  # a letter as the manager edited it


@dataclass(frozen=True)
class Organisation:
    name: str
    visiting_address: str
    postal_address: str
    place: str
    signatory_name: str
    signatory_role: str


@dataclass(frozen=True)
class LetterFacts:
    aggressor_name: str
    aggressor_address: str
    incident_at: datetime
    location: str
    channel: str
    description: str  # the worker's own words: for the police's sheet only
    cause: str
    course: str
    damage: str
    measure_starts_on: date | None
    measure_ends_on: date | None
    conversation_on: date | None
    police: str | None  # the strongest police step taken: aangifte | melding | None
    writer_name: str
    writer_role: str
    today: date
    reference: str


LETTER_KINDS = {
    "ordegesprek": "Verslag ordegesprek (bijlage 4)",
    "waarschuwingsbrief": "Waarschuwingsbrief (bijlage 5)",
    "pandverbod": "Pandverbod / ontzegging van de toegang (bijlage 6, optie 1)",
    "contactverbod": "Contactverbod (bijlage 6, optie 2)",
    "machtigingsformulier": "Machtigingsformulier (bijlage 7)",
    "politiepakket": "Informatie voor aangifte of melding bij de politie",
}

TO_THE_AGGRESSOR = frozenset(LETTER_KINDS) - {"politiepakket"}  # the police's sheet is not

GAP = "…"
OWN_WORDS = "[Omschrijf hier in eigen woorden het gedrag]"
OPEN_PLACE = re.compile(r"…|\[[^\]\n]*\]")  # a gap, or a [place] to fill in as in annexes 4-7
DOTS = "." * 60  # a line the citizen fills in by hand on the printed form
SIGNATURE_LINE = "Handtekening: ___________________________"
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(day: date) -> str:
    """ "25 november 2026", independent of the server's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _or_gap(text: str | None) -> str:
    return (text or "").strip() or GAP


def _date(day: date | None) -> str:
    return dutch_date(day) if day else GAP


def _moment(at: datetime) -> str:
    local = at.astimezone(MUNICIPAL_TIME)
    return f"{dutch_date(local.date())} om {local:%H:%M} uur"


def _addressee(facts: LetterFacts) -> str:
    # "Street 1, 1234 AB Place" becomes the two lines of a Dutch address block.
    address = _or_gap(facts.aggressor_address).replace(", ", "\n")
    return f"{_or_gap(facts.aggressor_name)}\n{address}"


def _opening(title: str, facts: LetterFacts, org: Organisation) -> list[str]:
    return [
        title,
        f"{org.place}, {dutch_date(facts.today)}",
        _addressee(facts),
        f"Geachte {_or_gap(facts.aggressor_name)},",
    ]


def _incident_block(facts: LetterFacts) -> str:
    return (
        f"Incidentbeschrijving:\n• Datum en tijd: {_moment(facts.incident_at)}\n"
        f"• Locatie: {_or_gap(facts.location)}, {_or_gap(facts.channel)}\n"
        f"• Omschrijving van het gedrag: {OWN_WORDS}"
    )


POLICE_PARAGRAPHS = {
    # §10: "De agressor wordt in de ontzeggingsbrief geïnformeerd over de aangifte"; a melding
    # is not an aangifte and is never called one.
    "aangifte": "Politie is op de hoogte\nWij hebben aangifte gedaan van uw gedrag bij de politie.",
    "melding": "Politie is op de hoogte\nWij hebben uw gedrag gemeld bij de politie. De "
    "politie heeft hiervan verslag gemaakt.",
}


def _police_informed(facts: LetterFacts) -> list[str]:
    paragraph = POLICE_PARAGRAPHS.get(facts.police)
    return [paragraph] if paragraph else []


def _signed_by(name: str, role: str, org: Organisation) -> str:
    return f"Met vriendelijke groet,\n\n{_or_gap(name)}\n{_or_gap(role)}\n{org.name}"


def _ordegesprek(facts: LetterFacts, org: Organisation, variant: int) -> list[str]:
    name = _or_gap(facts.aggressor_name)
    return [
        "Verslag ordegesprek",
        f"{org.place}, {dutch_date(facts.today)}",
        f"Naam: {name}\nDatum gesprek: {_date(facts.conversation_on)}\n"
        f"Locatie: {org.name}, {org.visiting_address}\nAanwezig: {name}\n"
        f"Opgesteld door: {_or_gap(facts.writer_name)}, {_or_gap(facts.writer_role)}",
        f"Geachte {name},",
        "Naar aanleiding van een situatie waarin u ongewenst gedrag heeft vertoond, hebben wij u "
        "uitgenodigd voor dit ordegesprek. Het doel van dit gesprek is om duidelijkheid te "
        "verkrijgen over de veiligheid en het welzijn van de medewerkers bij toekomstige contacten "
        f"tussen u en de medewerkers van {org.name}.",
        _incident_block(facts),
        f"Uw gedrag is voor {org.name} volstrekt ongewenst en wordt niet toegestaan. Wij hebben u "
        "aangegeven dat er nooit grond is voor normoverschrijdend gedrag naar onze medewerkers. "
        f"{org.name} zal dit dan ook nooit accepteren.",
        "Op de nadrukkelijke vraag heeft u verklaard dat het u duidelijk is dat normoverschrijdend "
        f"gedrag door {org.name} nooit zal worden geaccepteerd en dat u zich in de toekomst van "
        "agressief gedrag tegen onze medewerkers zult onthouden. U heeft aangegeven dat u beseft "
        f"dat het niet nakomen van deze afspraken tot gevolg kan hebben dat {org.name} de "
        "dienstverlening aan u voor langere duur zal staken.",
        f"Ondertekening voor akkoord:\n\n{name}\n\n{SIGNATURE_LINE}",
    ]


WARNING_CONSEQUENCES = {
    1: "Deze keer volstaan wij met een waarschuwing. Indien u nogmaals agressief of gewelddadig "
    "gedrag vertoont tegenover een van onze medewerkers, zijn wij genoodzaakt de politie in te "
    "schakelen en verdere maatregelen te nemen.",
    2: "Indien u bij een volgend contact opnieuw onfatsoenlijk taalgebruik hanteert of een van "
    "onze medewerkers zonder respect behandelt, kunnen wij u een contactverbod opleggen. Dit "
    "betekent dat u op geen enkele manier contact mag zoeken met medewerkers van {org}. Wij "
    "vertrouwen erop dat deze maatregel niet nodig zal zijn.",
}
# Letters with more than one text to choose from (annex 5's two consequences).
VARIANTS = {"waarschuwingsbrief": sorted(WARNING_CONSEQUENCES)}


def _waarschuwingsbrief(facts: LetterFacts, org: Organisation, variant: int) -> list[str]:
    if variant not in WARNING_CONSEQUENCES:
        raise ValueError(f"waarschuwingsbrief has variant 1 or 2, not {variant}")
    # The conversation is optional before a warning: no sentence about it when none was held.
    heard = (
        f"Op {dutch_date(facts.conversation_on)} heeft er een gesprek plaatsgevonden waarin "
        "u uw kant van het verhaal heeft kunnen aangeven. "
        if facts.conversation_on
        else ""
    )
    return [
        *_opening("Waarschuwing", facts, org),
        "Wij verwachten van onze medewerkers dat zij zich klantgericht en professioneel gedragen. "
        "Ook van u verwachten wij dat u onze medewerkers met fatsoen en respect behandelt. Kort "
        "geleden heeft u zich ongewenst gedragen tegenover een van onze medewerkers. In deze brief "
        "leest u welk gedrag we bedoelen en welke gevolgen dit voor u kan hebben.",
        _incident_block(facts),
        f"{heard}Wij wijzen u er nadrukkelijk op dat {org.name} dit gedrag niet accepteert.",
        "Gevolgen:\n" + WARNING_CONSEQUENCES[variant].format(org=org.name),
        _signed_by(facts.writer_name, facts.writer_role, org),
    ]


def _pandverbod(facts: LetterFacts, org: Organisation, variant: int) -> list[str]:
    return [
        *_opening("Ontzegging van de toegang (pandverbod)", facts, org),
        f"Op {dutch_date(local_date(facts.incident_at))} heeft u met uw gedrag "
        f"overlast veroorzaakt bij een medewerker van {org.name} ({_or_gap(facts.location)}, "
        f"{_or_gap(facts.channel)}).",
        f"Incidentbeschrijving:\n• Gedrag: {OWN_WORDS}\n"
        f"• Aanleiding: {_or_gap(facts.cause)}\n• Toedracht: {_or_gap(facts.course)}\n"
        f"• Aard en omvang van de schade: {facts.damage.strip() or 'geen'}",
        "Uw gedrag is voor ons aanleiding om u de toegang tot de gebouwen en werklocaties van "
        f"{org.name} te ontzeggen met ingang van {_date(facts.measure_starts_on)} tot en met "
        f"{_date(facts.measure_ends_on)}. Tijdens deze periode kunt u alleen via post, telefoon "
        f"en/of derden contact hebben met {org.name}. Komt u in deze periode toch naar een van "
        "onze gebouwen? Wij schakelen direct de politie in.",
        "Wie helpt u dan? U kunt iemand vragen die, namens u, contact op kan nemen met ons. U moet "
        "diegene dan wel machtigen.",
        *_police_informed(facts),
        "Overtreding van het verbod\nOvertreding van het verbod om onze gebouwen te betreden is "
        "strafbaar gesteld op grond van artikel 139 van het Wetboek van Strafrecht. Als u ondanks "
        "deze ontzegging het pand betreedt, maakt u zich schuldig aan lokaalvredebreuk en doen wij "
        "hiervan aangifte bij de politie.",
        _signed_by(org.signatory_name, org.signatory_role, org) + f"\n\n{SIGNATURE_LINE}",
    ]


def _return_address(org: Organisation) -> str:
    # An antwoordnummer is freepost; any other address needs a stamp, so say so only then.
    stamp = (
        " Een postzegel is niet nodig." if "antwoordnummer" in org.postal_address.lower() else ""
    )
    return f"Het adres is {org.name}, {org.postal_address}.{stamp}"


def _contactverbod(facts: LetterFacts, org: Organisation, variant: int) -> list[str]:
    return [
        *_opening("Contactverbod", facts, org),
        f"U heeft meerdere keren medewerkers van {org.name} bedreigd, het laatst "
        f"{_or_gap(facts.channel)}. Dit gedrag accepteren wij niet. In deze brief leest u welke "
        "gevolgen dit voor u heeft.",
        _incident_block(facts),
        *_police_informed(facts),
        f"Geen contact met {org.name}\nWe leggen u een contactverbod op. U mag vanaf "
        f"{_date(facts.measure_starts_on)} tot en met {_date(facts.measure_ends_on)} op geen "
        f"enkele manier contact zoeken met medewerkers van {org.name}. Niet per telefoon, niet "
        "per mail en niet via WhatsApp of andere sociale media. Het contactverbod betekent ook "
        "dat u ons niet mag bezoeken. Neemt u toch contact op? Wij schakelen direct de politie "
        "in.",
        "Wie helpt u dan? U kunt iemand vragen die, namens u, contact op kan nemen met ons. U moet "
        "diegene dan wel machtigen.",
        "Hoe kunt u iemand machtigen? Bij deze brief ontvangt u een formulier waarmee u iemand "
        "toestemming geeft om, namens u, contact op te nemen met ons. Vul dit formulier samen met "
        "degene die u gaat helpen in. Vul op alle stippellijntjes de gevraagde gegevens in. "
        "Onderteken beiden het formulier. Stuur het daarna aan ons terug. " + _return_address(org),
        _signed_by(org.signatory_name, org.signatory_role, org) + f"\n\n{SIGNATURE_LINE}",
    ]


def _person_lines(name: str, address: str) -> str:
    return (
        f"Naam: {name}\nGeslacht: m/v\nGeboortedatum: {DOTS}\nGeboorteplaats: {DOTS}\n"
        f"Adres, postcode en woonplaats: {address}"
    )


def _machtigingsformulier(facts: LetterFacts, org: Organisation, variant: int) -> list[str]:
    return [
        "Machtigingsformulier",
        f"{org.place}, {dutch_date(facts.today)}",
        "Toestemmingsformulier om mijn gemeentelijke zaken te behartigen",
        "Hierbij machtig ik (volmachtgever):\n"
        + _person_lines(_or_gap(facts.aggressor_name), _or_gap(facts.aggressor_address)),
        "degene die hieronder staat (gemachtigde):\n" + _person_lines(DOTS, DOTS),
        f"om mijn belangen ten aanzien van zaken bij {org.name} te behartigen.",
        f"Datum: {DOTS}\nPlaats: {DOTS}",
        f"Handtekening volmachtgever: {DOTS}\n\nHandtekening gemachtigde: {DOTS}",
        "Stuur dit formulier ingevuld en door beiden ondertekend terug. " + _return_address(org),
    ]


def _politiepakket(facts: LetterFacts, org: Organisation, variant: int) -> list[str]:
    return [
        "Informatie voor aangifte of melding bij de politie",
        f"{org.place}, {dutch_date(facts.today)}",
        f"Kenmerk: {_or_gap(facts.reference)}",
        f"Het incident:\nDatum en tijd: {_moment(facts.incident_at)}\n"
        f"Locatie: {_or_gap(facts.location)}\nHoe: {_or_gap(facts.channel)}\n"
        f"Wat er gebeurde: {_or_gap(facts.description)}\nAanleiding: {_or_gap(facts.cause)}\n"
        f"Toedracht: {_or_gap(facts.course)}\nSchade: {facts.damage.strip() or 'geen'}",
        f"De dader:\nNaam: {_or_gap(facts.aggressor_name)}\n"
        f"Adres: {_or_gap(facts.aggressor_address)}",
        f"Contactpersoon bij {org.name}:\n{_or_gap(facts.writer_name)}, "
        f"{_or_gap(facts.writer_role)}\n{org.visiting_address}",
        "Wie doet aangifte? Alleen de medewerker tegen wie de agressie zich richtte kan aangifte "
        "doen, en moet dat persoonlijk doen en zelf een verklaring afleggen. De leidinggevende "
        "ondersteunt daarbij en kan de aangifte voorbereiden. Niemand kan de medewerker dwingen "
        "aangifte te doen; dat is een persoonlijke beslissing.",
        "Domicilie: vraag bij de aangifte om domicilie. De naam van de medewerker komt in de "
        "systemen van de politie, maar in plaats van het privéadres van de medewerker wordt het "
        f"adres van {org.name} gebruikt: {org.visiting_address}.",
        "Schade: materiële schade kan in het proces-verbaal van de aangifte worden opgenomen. "
        "Ernstig letsel laat u door een arts bekijken en fotograferen.",
        "Melding: is aangifte niet mogelijk, bijvoorbeeld omdat er geen strafbaar feit is "
        "gepleegd? Doe dan een melding bij de politie: aan de balie van het politiebureau, "
        f"telefonisch via {MELDING_PHONE} of via een online contactverzoek. Overleg altijd eerst "
        "met de leidinggevende.",
    ]


DRAFTERS = {
    "ordegesprek": _ordegesprek,
    "waarschuwingsbrief": _waarschuwingsbrief,
    "pandverbod": _pandverbod,
    "contactverbod": _contactverbod,
    "machtigingsformulier": _machtigingsformulier,
    "politiepakket": _politiepakket,
}


# What a final letter must name, besides having no gap or open place left.
NEEDS = {
    "ordegesprek": ("name",),
    "waarschuwingsbrief": ("name", "address"),
    "pandverbod": ("name", "address", "period"),
    "contactverbod": ("name", "address", "period"),
    "machtigingsformulier": ("name", "address"),
    "politiepakket": (),
}
NEED_TEXTS = {
    "name": Text("de naam van de agressor (vul die aan bij de melding)"),
    "address": Text("het adres van de agressor (vul het aan bij de melding)"),
    "period": Text(
        "de periode van het verbod (kies bij de brief de maatregel met begin- en einddatum)"
    ),
}


def open_places(text: str) -> list[str]:
    """Where gaps or places to fill in are left: each line that holds one, a long line from
    a little before its first to the end of its last (never cut with a "…" of its own)."""
    found = []
    for line in text.splitlines():
        places = list(OPEN_PLACE.finditer(line))
        if not places:
            continue
        if len(line) > 80:
            line = line[max(0, places[0].start() - 30) : places[-1].end()]
        found.append(line.strip())
    return found


def missing_for_final(
    kind: str, text: str, *, name: str, address: str, period: tuple[date | None, date | None]
) -> dict[str, Text]:
    """What stands between a draft and its final PDF, by the field it is about: empty when it
    may be made final."""
    missing = {}
    places = open_places(text)
    if places:
        shown = ", ".join(f"“{line}”" for line in places[:3])  # the letter's own words
        more = Text(" en nog {extra}", extra=len(places) - 3) if len(places) > 3 else ""
        missing["text"] = Text(
            "1 open plek in de tekst: {shown}{more}"
            if len(places) == 1
            else "{count} open plekken in de tekst: {shown}{more}",
            count=len(places),
            shown=shown,
            more=more,
        )
    given = {"name": bool(name.strip()), "address": bool(address.strip()), "period": all(period)}
    if not given["name"] or not given["address"]:
        missing["aggressor"] = Joined(
            (NEED_TEXTS[n] for n in ("name", "address") if n in NEEDS[kind] and not given[n]),
            " en ",
        )
    if "period" in NEEDS[kind] and not given["period"]:
        missing["measure_id"] = NEED_TEXTS["period"]
    return {field: why for field, why in missing.items() if why}


def draft_letter(kind: str, facts: LetterFacts, org: Organisation, variant: int = 1) -> str:
    """The editable Dutch text of a letter: the title on the first line, then paragraphs
    separated by a blank line. `variant` picks annex 5's Optie 1 or 2 for a warning letter."""
    if kind not in DRAFTERS:
        raise ValueError(f"unknown letter kind {kind!r}")
    return "\n\n".join(DRAFTERS[kind](facts, org, variant))


# Helvetica is built into every PDF reader, so no font file has to exist on the server; it
# covers Windows-1252, which has ’ “ ” – — … € and the Dutch accents. Anything else a person
# types or pastes is brought down to its plain letter, or shown as "?" so the gap stays visible.
