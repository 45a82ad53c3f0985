"""The checklists a new municipality starts with, drawn from the aggression protocol (§6,
handling protocols 4 and 5) and the learning guide's questionnaires ("ik schat vooraf het
risico in met een checklist huisbezoek", "afspraken over gezamenlijk optreden", "betreden
woning, keuze zitpositie"). The coordinator edits them as new versions.

A question: `risk_answer` is the answer that signals risk ("ja" or "nee"); it adds `points`;
"weet niet" adds half (rounded up), since not knowing is itself a signal; `floor` makes a risky
answer lift the level to at least that level; `advice` is shown when the answer is risky."""

from services.accounts.models import FunctionGroup as G


def q(id, text, *, risk_answer, points, advice, floor=None, help=None):
    return {
        "id": id,
        "text": text,
        "help": help,
        "risk_answer": risk_answer,
        "points": points,
        "advice": advice,
        "floor": floor,
    }


HISTORY = q(
    "history",
    "Is deze klant of dit adres bekend van eerdere agressie of dreiging?",
    risk_answer="ja",
    points=4,
    advice="Lees het dossier en overleg vooraf met je leidinggevende.",
    floor="verhoogd",
    help="Kijk ook in het Agressie Informatie Register.",
)
RECENT_THREAT = q(
    "recent_threat",
    "Heeft de burger recent gedreigd (D-gedrag) of geweld gebruikt (E-gedrag)?",
    risk_answer="ja",
    points=8,
    advice="Geen huisbezoek: nodig de burger uit op kantoor met twee collega's, "
    "of ga met politie-assistentie. Overleg met je leidinggevende.",
    floor="niet_gaan",
)
BAD_NEWS = q(
    "bad_news",
    "Breng je slecht nieuws (afwijzing, korting, maatregel)?",
    risk_answer="ja",
    points=2,
    advice="Bereid het gesprek voor; overweeg het op kantoor te voeren.",
)
CONTROLLING = q(
    "controlling",
    "Heeft het bezoek een controlerend karakter?",
    risk_answer="ja",
    points=2,
    advice="Ga bij een controle met z'n tweeën.",
)
ALONE = q(
    "alone",
    "Ga je alleen?",
    risk_answer="ja",
    points=2,
    advice="Neem een collega mee of spreek een belmoment af.",
)
DIVISION = q(
    "division",
    "Is afgesproken wie het gesprek leidt en wanneer jullie vertrekken?",
    risk_answer="nee",
    points=1,
    advice=(
        "Spreek vooraf de taakverdeling af, ook als je alleen gaat: "
        "wanneer breek je het gesprek af?"
    ),
)
INFORMED = q(
    "informed",
    "Weten je collega's en leidinggevende waar je bent en wanneer je terug bent?",
    risk_answer="nee",
    points=2,
    advice="Zeg het ook even tegen je team; Veldwacht waarschuwt hen als je te laat bent.",
)
PHONE = q(
    "phone",
    "Is je telefoon opgeladen en binnen handbereik (niet in je tas)?",
    risk_answer="nee",
    points=3,
    advice="Laad je telefoon op en houd hem bij de hand: de alarmknop moet bereikbaar zijn.",
)
EXITS = q(
    "exits",
    "Weet je hoe je snel weg kunt (uitgang, zitplaats bij de deur)?",
    risk_answer="nee",
    points=1,
    advice="Kies een zitplaats tussen de burger en de uitgang; laat de deur niet afsluiten.",
    help="Protocol 4: bij aanhoudende agressie vertrek je uit de woning.",
)
ANIMALS = q(
    "animals",
    "Zijn er (gevaarlijke) dieren aanwezig?",
    risk_answer="ja",
    points=1,
    advice="Vraag of het dier tijdens het bezoek wordt opgesloten.",
)
WEAPONS = q(
    "weapons",
    "Zijn er aanwijzingen voor wapens?",
    risk_answer="ja",
    points=6,
    advice="Ga niet alleen; overleg met je leidinggevende over politie-assistentie.",
    floor="hoog",
)
SUBSTANCES = q(
    "substances",
    "Zijn er signalen van alcohol- of drugsgebruik?",
    risk_answer="ja",
    points=2,
    advice="Stel het gesprek uit als de burger onder invloed is.",
)
BRIEFING = q(
    "briefing",
    "Heb je de actuele informatie uit dossier of casusbespreking gelezen?",
    risk_answer="nee",
    points=1,
    advice="Lees de laatste informatie voordat je gaat.",
)
HOT_SPOT = q(
    "hot_spot",
    "Is het een plek of tijd met verhoogd risico (uitgaansgebied, avond, "
    "afgelegen, eerdere incidenten)?",
    risk_answer="ja",
    points=2,
    advice="Werk hier met z'n tweeën en houd contact met de meldkamer of het team.",
)
BACKUP = q(
    "backup",
    "Zijn collega's of politie snel ter plaatse als het nodig is?",
    risk_answer="nee",
    points=2,
    advice="Spreek af wie je kan bijstaan voordat je begint.",
)
UNPOPULAR = q(
    "unpopular",
    "Is het werk onpopulair bij omwonenden (kap, afsluiting, handhaving)?",
    risk_answer="ja",
    points=2,
    advice="Informeer omwonenden vooraf en werk niet alleen.",
)
SANCTION = q(
    "sanction",
    "Kan de inspectie leiden tot een sanctie, last of sluiting?",
    risk_answer="ja",
    points=2,
    advice="Kondig het bezoek aan waar mogelijk en ga met z'n tweeën.",
)

THRESHOLDS = {"verhoogd": 3, "hoog": 6}

DEFAULT_CHECKLISTS = [
    {
        "key": "huisbezoek_sociaal_domein",
        "title": "Checklist huisbezoek Sociaal Domein",
        "function_groups": [G.SOCIAAL_DOMEIN, G.WERKPLEINEN],
        "questions": [
            HISTORY,
            RECENT_THREAT,
            BAD_NEWS,
            CONTROLLING,
            ALONE,
            DIVISION,
            INFORMED,
            PHONE,
            EXITS,
            ANIMALS,
            WEAPONS,
            SUBSTANCES,
            BRIEFING,
        ],
    },
    {
        "key": "handhaving_buiten",
        "title": "Checklist handhaving buiten of bedrijfsbezoek (BOA)",
        "function_groups": [G.BOA],
        "questions": [
            HISTORY,
            RECENT_THREAT,
            ALONE,
            HOT_SPOT,
            BACKUP,
            INFORMED,
            PHONE,
            SUBSTANCES,
            WEAPONS,
            ANIMALS,
        ],
    },
    {
        "key": "openbare_ruimte",
        "title": "Checklist werk in de openbare ruimte",
        "function_groups": [G.BEHEER_ONDERHOUD, G.BEHEER_SPORT_BEGRAAFPLAATS],
        "questions": [
            HISTORY,
            RECENT_THREAT,
            ALONE,
            HOT_SPOT,
            UNPOPULAR,
            INFORMED,
            PHONE,
            SUBSTANCES,
        ],
    },
    {
        "key": "inspectiebezoek",
        "title": "Checklist inspectie huis- of bedrijfsbezoek",
        "function_groups": [G.INSPECTIE],
        "questions": [
            HISTORY,
            RECENT_THREAT,
            SANCTION,
            CONTROLLING,
            ALONE,
            DIVISION,
            INFORMED,
            PHONE,
            EXITS,
            ANIMALS,
            WEAPONS,
            BRIEFING,
        ],
    },
    {
        "key": "algemeen",
        "title": "Algemene checklist",
        "function_groups": [],
        "questions": [
            HISTORY,
            RECENT_THREAT,
            BAD_NEWS,
            ALONE,
            INFORMED,
            PHONE,
            EXITS,
            WEAPONS,
            SUBSTANCES,
        ],
    },
]
