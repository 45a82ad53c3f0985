"""The privacy page's one source (`GET /api/privacy`): per kind of data what Veldwacht keeps,
why, on what ground, how long and who sees it. The periods are the configured ones; the full
processing register entry is docs/privacy.md, which says the same in more words.

Texts are Dutch; `words` translates each (a template before it is filled), so the page reads
in the user's language without restating any of it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from services.accounts.capabilities import ADMINISTRATORS, OVERSEERS, roles_for
from services.accounts.models import ROLE_LABELS, Role

Words = Callable[[str], str]

UNSET = "Geen bewaartermijn ingesteld: bewaard zonder einddatum."
PROMISE = (
    "Veldwacht bepaalt je locatie alleen als je een alarm maakt (zolang het alarm openstaat) "
    "en één keer als je incheckt bij een bezoek of dienst buiten. Daarbuiten nooit: de app "
    "volgt je niet."
)
RIGHTS = (
    "Je mag je gegevens inzien en laten verbeteren, en bezwaar maken (AVG art. 15 tot en met "
    "21). Vraag het de agressiecoördinator of de functionaris gegevensbescherming."
)
ARBO = "Zorgplicht van de werkgever voor veilig werk (Arbowet art. 3; AVG art. 6 lid 1 c)."
POSITION_GROUND = (
    "Zorgplicht van de werkgever (Arbowet art. 3) en, in nood, je vitale belang (AVG art. 6 "
    "lid 1 c en d); met instemming van de ondernemingsraad (WOR art. 27 lid 1 onder l)."
)
CRIMINAL_GROUND = (
    "Strafrechtelijke gegevens: ter bescherming van de gemeente en haar medewerkers tegen "
    "strafbare feiten (UAVG art. 33 lid 2 onder b)."
)


@dataclass(frozen=True)
class Processing:
    """One kind of personal data, as the page shows it."""

    key: str
    title: str
    data: str  # what is kept
    purpose: str  # why
    ground: tuple[str, ...]  # the legal ground (grondslag), a sentence or two
    kept: str  # how long: a text with {period} when `retention` names a configured period
    who: str
    retention: str | None = None  # the kind of RetentionPolicy whose period it is
    roles: tuple[Role, ...] = ()  # the roles that see it beyond the person and those alerted


PROCESSINGS = (
    Processing(
        key="account",
        title="Je account",
        data="Naam, gebruikersnaam, e-mailadres, telefoonnummer, team, rol, functiegroep en "
        "of je in dienst bent. Je wachtwoord en pincodes alleen als onomkeerbare hash.",
        purpose="Inloggen, en bij een alarm of een uitlopend bezoek de juiste collega's "
        "waarschuwen, die je dan kunnen bellen.",
        ground=(
            "Uitvoering van je arbeidsovereenkomst en de zorgplicht van de werkgever "
            "(AVG art. 6 lid 1 b en c; Arbowet art. 3).",
        ),
        kept="Zolang je bij de gemeente werkt. Bij vertrek zet de beheerder je account uit: "
        "inloggen kan dan niet meer, je naam blijft staan bij wat je deed.",
        who="Jij en de beheerder. Collega's zien je naam; wie bij je alarm of je uitlopende "
        "bezoek gewaarschuwd wordt en je leidinggevende zien ook je telefoonnummer.",
        roles=ADMINISTRATORS,
    ),
    Processing(
        key="alarm_position",
        title="Je locatie bij een alarm",
        data="Je positie (coördinaten, nauwkeurigheid en tijdstip) vanaf het moment dat je "
        "een alarm maakt, zolang het alarm openstaat.",
        purpose="Zodat collega's je snel vinden als je hulp nodig hebt.",
        ground=(POSITION_GROUND,),
        kept="{period} na het afsluiten van het alarm.",
        retention="positions",
        who="De collega's die het alarm waarschuwt (per stap van de opschaling) en wie open "
        "alarmen overziet: de leidinggevenden van je team, de agressiecoördinator en de "
        "beheerder. Wie dat waren en wanneer, staat bij ‘Wie zag mijn locatie’.",
        roles=OVERSEERS,
    ),
    Processing(
        key="visit_position",
        title="Je locatie bij het inchecken",
        data="Eén positie, op het moment dat je incheckt bij een bezoek of een dienst buiten. "
        "Tijdens het bezoek wordt je locatie niet gevolgd.",
        purpose="Sla je vanuit het bezoek alarm (‘Nee’ op ‘Alles goed?’, of de dwang-pincode), "
        "dan krijgen de gewaarschuwde collega's deze positie mee.",
        ground=(POSITION_GROUND,),
        kept="{period} na het afsluiten van het bezoek.",
        retention="positions",
        who="Niemand, tenzij er vanuit het bezoek alarm wordt geslagen: dan zien de "
        "gewaarschuwde collega's haar bij het alarm.",
    ),
    Processing(
        key="alarms",
        title="Je alarmen",
        data="Wanneer je alarm maakte, wie gewaarschuwd is, wie reageerde, of de telefoons "
        "het alarm ontvingen, en de afloop (de tijdlijn).",
        purpose="Hulp organiseren, en achteraf nagaan of de alarmering werkte.",
        ground=(ARBO,),
        kept=UNSET,
        who="De gewaarschuwde collega's; de tijdlijn zien de leidinggevenden, de "
        "agressiecoördinator en de beheerder.",
        roles=roles_for("alarm_timeline"),
    ),
    Processing(
        key="visits",
        title="Je bezoeken en diensten buiten",
        data="Adres, verdieping of kamer, klantnummer, verwachte duur, je buddy, je antwoorden "
        "op de risicochecklist en het risico, en wanneer je incheckte, reageerde en uitcheckte.",
        purpose="Het risicoadvies vooraf; je waarschuwen als een bezoek uitloopt en collega's "
        "alarmeren als je niet reageert.",
        ground=(
            "Zorgplicht van de werkgever en de risico-inventarisatie (Arbowet art. 3 en 5; "
            "AVG art. 6 lid 1 c).",
        ),
        kept=UNSET,
        who="Jij en je buddy; de leidinggevenden van je team en de agressiecoördinator zien "
        "je bezoeken die bezig zijn; bij een uitlopend bezoek de collega's die gewaarschuwd "
        "worden.",
        roles=roles_for("team_visits"),
    ),
    Processing(
        key="incidents",
        title="Agressiemeldingen (GIR)",
        data="Wie meldde en wie het slachtoffer is, wanneer en waar, wat er gebeurde, letsel "
        "en schade, de agressor (naam, adres, klantnummer), politie en aangifte, nazorg en "
        "maatregelen. Letsel is een gezondheidsgegeven, aangifte een strafrechtelijk gegeven "
        "(AVG art. 9 en 10).",
        purpose="De registratie die de Arbowet vraagt, je nazorg, de reactie op de agressor, "
        "de aangifte, en het jaarverslag.",
        ground=(
            "Wettelijke plicht tot registratie (Arbowet art. 9; AVG art. 6 lid 1 c).",
            CRIMINAL_GROUND,
        ),
        kept="{period} na het afsluiten van de melding; daarna anoniem: namen en vrije tekst "
        "gaan weg, de telling blijft voor het jaarverslag.",
        retention="incidents",
        who="Jij (wat je meldde of wat over jou gemeld is), je leidinggevende en wie boven "
        "hem of haar staat, en de agressiecoördinator. De gegevens van de agressor zien alleen "
        "leidinggevenden en de coördinator; elke inzage wordt vastgelegd.",
        roles=roles_for("team_incidents"),
    ),
    Processing(
        key="air",
        title="Agressie Informatie Register (AIR)",
        data="Van bekende agressors: naam, adres, klantnummer, opmerkingen, en maatregelen "
        "(zoals pandverbod en contactverbod) met hun periode en reden.",
        purpose="Collega's waarschuwen vóór contact (protocol §6) en maatregelen tegen "
        "agressors uitvoeren (§8).",
        ground=(ARBO, CRIMINAL_GROUND),
        kept="{period} na het einde van de laatste maatregel.",
        retention="air_entries",
        who="Leidinggevenden en de agressiecoördinator. Wie een bezoek plant, ziet alleen óf "
        "het adres of de klant bekend is en of er een contactverbod is; elke opzoeking wordt "
        "vastgelegd.",
        roles=roles_for("air"),
    ),
    Processing(
        key="audit",
        title="Inzagelog",
        data="Wie wanneer de gegevens van een agressor of iemands locatie bekeek, wie het "
        "register raadpleegde en wie iets exporteerde, met het doel; nooit de gegevens zelf.",
        purpose="Verantwoording: aantonen dat alleen wie het nodig heeft de gegevens ziet.",
        ground=("Wettelijke plicht (AVG art. 5 lid 2 en art. 32; art. 6 lid 1 c).",),
        kept="{period}.",
        retention="logs",
        who="De agressiecoördinator. Wie jouw locatie bekeek, zie je zelf bij ‘Wie zag mijn "
        "locatie’.",
        roles=roles_for("audit_trail"),
    ),
    Processing(
        key="events",
        title="Berichten en meldingen in de app",
        data="Berichten aan je team of aan jou, en de meldingen van alarmen en bezoeken die de "
        "app live of als pushbericht krijgt.",
        purpose="Bezorgen, en na een verbroken verbinding laten zien wat je miste.",
        ground=(ARBO,),
        kept="{period}.",
        retention="events",
        who="Wie het bericht of de melding krijgt. Pushdiensten (Google, Mozilla, Apple, "
        "Microsoft) bezorgen het versleuteld en kunnen de inhoud niet lezen.",
    ),
)


def period_text(days: int, words: Words = str) -> str:
    """ "5 jaar" for whole years, else "30 dagen"."""
    years, rest = divmod(days, 365)
    if years and not rest:
        return words("1 jaar") if years == 1 else words("{n} jaar").format(n=years)
    return words("1 dag") if days == 1 else words("{n} dagen").format(n=days)


def _kept(processing: Processing, retention: Mapping[str, int], words: Words) -> dict:
    if processing.retention is None:
        return {"days": None, "text": words(processing.kept)}
    days = retention[processing.retention]
    return {"days": days, "text": words(processing.kept).format(period=period_text(days, words))}


def privacy_statement(
    *, organisation: str, retention: Mapping[str, int], words: Words = str
) -> dict:
    """`retention`: the configured days per kind (services/retention's RetentionPolicy)."""
    return {
        "controller": organisation,
        "promise": words(PROMISE),
        "rights": words(RIGHTS),
        "processings": [
            {
                "key": p.key,
                "title": words(p.title),
                "data": words(p.data),
                "purpose": words(p.purpose),
                "ground": " ".join(words(g) for g in p.ground),
                "kept": _kept(p, retention, words),
                "who": words(p.who),
                "roles": [{"role": r, "label": words(ROLE_LABELS[r])} for r in p.roles],
            }
            for p in PROCESSINGS
        ],
    }
