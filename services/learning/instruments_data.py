"""The learning guide's instruments as the seed (000, "Werken aan veilige publieke
dienstverlening; leren als individu, team en organisatie", March 2019) writes them: the eight
leerdoelwijzers, one per function group, and the development matrix.

This module is data only: the Dutch texts are transcribed as written, and `instruments.py`
installs them as the default, versioned instruments. The key of each competence aspect is the
same in every questionnaire so that the answers of teams and of the organisation can be compared;
its title is as that questionnaire writes it. A statement's id is `f"{group_key}-{n}"`, n counting
from 1 within the group in the seed's order.
"""

from services.accounts.models import FunctionGroup

# The answer options of every leerdoelwijzer, from "Altijd" to "Nooit", in the seed's order.
ANSWERS = {"altijd": "Altijd", "vaak": "Vaak", "soms": "Soms", "nooit": "Nooit"}

# The six columns of the development matrix, from the first step to mastery and beyond.
MATRIX_LEVELS = {
    "bewust_van": "Bewust van",
    "weet_hoe_het_zit": "Ik weet hoe het zit",
    "weet_hoe_het_moet": "Ik weet hoe het moet",
    "ervaren": "Ik ben ervaren in het doen",
    "meesterschap": "Ik heb meesterschap",
    "kan_anderen_leren": "Ik kan het anderen leren",
}

# Closes every leerdoelwijzer: the open question under the statements.
GOAL_PROMPT = (
    "Omschrijf, op basis van de resultaten van deze checklist, je persoonlijke leerdoel voor een "
    "vaardigheidstraining en overleg hierover met je leidinggevende."
)

# The five competence aspects, in the order every questionnaire asks them.
GROUP_KEYS = (
    "risico_inschatting",
    "eigen_spanning",
    "vroegsignalering",
    "grenzen",
    "collegiale_ondersteuning",
)

QUESTIONNAIRES: dict[FunctionGroup, dict] = {
    FunctionGroup.WERKPLEINEN: {
        "title": "Leerdoelwijzer voor medewerkers Werkpleinen",
        "contact": "face-to-face aan balie, in spreekkamer, of aan de telefoon",
        "groups": [
            {
                "key": "risico_inschatting",
                "title": "Risico-inschatting",
                "statements": [
                    {
                        "id": "risico_inschatting-1",
                        "text": (
                            "Ik houd in het contact met een burger rekening met een mogelijk risico "
                            "op agressie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-2",
                        "text": (
                            "Ik verdiep me voorafgaand aan een gepland contact in de achtergrond van "
                            "de burger"
                        ),
                    },
                    {
                        "id": "risico_inschatting-3",
                        "text": "Ik tref preventieve maatregelen als ik slecht nieuws moet brengen",
                    },
                    {
                        "id": "risico_inschatting-4",
                        "text": (
                            "Ik plan gesprekken met burgers op een veilige locatie als ik daar "
                            "aanleiding toe zie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-5",
                        "text": "Ik schakel hulp in wanneer dat nodig is",
                    },
                    {
                        "id": "risico_inschatting-6",
                        "text": (
                            "Als ik op huisbezoek ga, schat ik vooraf het risico op agressie in bv. "
                            "door te werken met een checklist huisbezoek"
                        ),
                    },
                ],
            },
            {
                "key": "eigen_spanning",
                "title": "Herkennen van spanningssignalen bij jezelf",
                "statements": [
                    {
                        "id": "eigen_spanning-1",
                        "text": (
                            "Ik herken mijn eigen spanningssignalen in een situatie waarin er sprake "
                            "is van (dreigend) normoverschrijdend gedrag"
                        ),
                    },
                    {
                        "id": "eigen_spanning-2",
                        "text": "Ik ben in staat mijn emoties te benoemen in een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-3",
                        "text": "Ik blijf beheerst reageren tijdens een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-4",
                        "text": "Ik kan weerstand bieden bij druk of andere agressieve uitingen van de burger",
                    },
                    {
                        "id": "eigen_spanning-5",
                        "text": (
                            "Ik houd de leiding over de situatie bij een incident en houd de regie "
                            "over mijn reactie"
                        ),
                    },
                    {
                        "id": "eigen_spanning-6",
                        "text": (
                            "Ik reageer in verhouding tot de aard van het incident en het daarbij "
                            "behorende risico"
                        ),
                    },
                    {
                        "id": "eigen_spanning-7",
                        "text": "Ik merk het als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-8",
                        "text": "Ik schakel tijdig hulp in als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-9",
                        "text": "Ik kan goed omgaan met mijn eigen spanningssignalen",
                    },
                ],
            },
            {
                "key": "vroegsignalering",
                "title": "Vroegsignalering. Herkennen van spanningssignalen bij de burger",
                "statements": [
                    {
                        "id": "vroegsignalering-1",
                        "text": (
                            "Ik herken de eerste signalen van spanning, frustratie of irritatie bij "
                            "de burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-2",
                        "text": "Ik ben in staat me in de situatie van de burger te verplaatsen",
                    },
                    {
                        "id": "vroegsignalering-3",
                        "text": "Ik geef de burger gelegenheid om zijn of haar emoties te uiten",
                    },
                    {
                        "id": "vroegsignalering-4",
                        "text": (
                            "Ik toon in mijn verbale en non-verbale communicatie begrip voor emotie "
                            "bij burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-5",
                        "text": (
                            "Ik reageer actief op spanning of emotie van de burger, zodat de situatie "
                            "niet uit de hand loopt of voorkómen kan worden"
                        ),
                    },
                    {
                        "id": "vroegsignalering-6",
                        "text": "Ik herken spanningssignalen bij de burger gemakkelijk",
                    },
                    {
                        "id": "vroegsignalering-7",
                        "text": "Ik kan gemakkelijk omgaan met spanningssignalen bij de burger",
                    },
                ],
            },
            {
                "key": "grenzen",
                "title": "Stellen van grenzen",
                "statements": [
                    {
                        "id": "grenzen-1",
                        "text": (
                            "Ik confronteer de burger met normoverschrijdend gedrag als dat zich voor "
                            "doet"
                        ),
                    },
                    {
                        "id": "grenzen-2",
                        "text": (
                            "Ik benoem in gesprekken met burgers de grens of norm zoals we die in ons "
                            "team hebben gesteld"
                        ),
                    },
                    {
                        "id": "grenzen-3",
                        "text": (
                            "Ik geef de burger de gelegenheid zijn/haar gedrag te corrigeren door aan "
                            "te geven welk gedrag wenselijk is"
                        ),
                    },
                    {
                        "id": "grenzen-4",
                        "text": (
                            "Als ik een grens heb gesteld dan houd ik daar in het contact met de "
                            "burger ook aan vast"
                        ),
                    },
                    {
                        "id": "grenzen-5",
                        "text": "Ik vind het stellen van grenzen en het benoemen van de norm gemakkelijk",
                    },
                ],
            },
            {
                "key": "collegiale_ondersteuning",
                "title": "Collegiale ondersteuning",
                "statements": [
                    {
                        "id": "collegiale_ondersteuning-1",
                        "text": (
                            "Als ik in het contact met een burger hulp nodig heb van een collega dan "
                            "zal ik daar om vragen"
                        ),
                    },
                    {
                        "id": "collegiale_ondersteuning-2",
                        "text": (
                            "Als een collega hulp van mij nodig heeft in het contact met een burger, "
                            "dan zal ik die hulp aanbieden"
                        ),
                    },
                ],
            },
        ],
    },
    FunctionGroup.SOCIAAL_DOMEIN: {
        "title": "Leerdoelwijzer voor medewerkers Sociaal domein",
        "contact": "face-to-face tijdens huisbezoek, in spreekkamer of aan de telefoon",
        "groups": [
            {
                "key": "risico_inschatting",
                "title": "Risico-inschatting",
                "statements": [
                    {
                        "id": "risico_inschatting-1",
                        "text": (
                            "Ik taxeer een situatie op het risico op agressie (b.v. met behulp van "
                            "een checklist huisbezoek)"
                        ),
                    },
                    {
                        "id": "risico_inschatting-2",
                        "text": (
                            "Ik ken de risicogezinnen en -locaties in mijn werkgebied en hou hier "
                            "rekening mee"
                        ),
                    },
                    {
                        "id": "risico_inschatting-3",
                        "text": (
                            "Ik verdiep me voorafgaand aan een gepland contact in de achtergrond van "
                            "de cliënt"
                        ),
                    },
                    {
                        "id": "risico_inschatting-4",
                        "text": (
                            "Bij het plannen van werkzaamheden houden we in ons team rekening met het "
                            "risico op agressie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-5",
                        "text": (
                            "Actuele informatie die ik tijdens de casusverdeling ontvang, neem ik mee "
                            "in mijn voorbereiding"
                        ),
                    },
                    {
                        "id": "risico_inschatting-6",
                        "text": (
                            "Als we met zijn tweeën op huisbezoek gaan hanteren we afspraken over "
                            "gezamenlijk optreden"
                        ),
                    },
                    {
                        "id": "risico_inschatting-7",
                        "text": (
                            "Mijn collega en ik hebben een duidelijke taakverdeling als we in gesprek "
                            "gaan met een cliënt"
                        ),
                    },
                    {
                        "id": "risico_inschatting-8",
                        "text": (
                            "Ik ben op de hoogte van praktische zaken die tijdens een huisbezoek van "
                            "belang zijn voor mijn eigen veiligheid (bv. betreden woning, keuze "
                            "zitpositie)"
                        ),
                    },
                ],
            },
            {
                "key": "eigen_spanning",
                "title": "Herkennen van spanningssignalen bij jezelf",
                "statements": [
                    {
                        "id": "eigen_spanning-1",
                        "text": (
                            "Ik herken mijn eigen spanningssignalen in een situatie waarin er sprake "
                            "is van (dreigend) normoverschrijdend gedrag"
                        ),
                    },
                    {
                        "id": "eigen_spanning-2",
                        "text": "Ik ben in staat mijn emoties te benoemen in een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-3",
                        "text": "Ik blijf beheerst reageren tijdens een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-4",
                        "text": "Ik kan weerstand bieden bij druk of andere agressieve uitingen van de cliënt",
                    },
                    {
                        "id": "eigen_spanning-5",
                        "text": (
                            "Ik houd de leiding over de situatie bij een incident en houd de regie "
                            "over mijn reactie"
                        ),
                    },
                    {
                        "id": "eigen_spanning-6",
                        "text": (
                            "Ik reageer in verhouding tot de aard van het incident en het daarbij "
                            "behorende risico"
                        ),
                    },
                    {
                        "id": "eigen_spanning-7",
                        "text": "Ik merk het als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-8",
                        "text": "Ik schakel tijdig hulp in als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-9",
                        "text": "Ik kan goed omgaan met mijn eigen spanningssignalen",
                    },
                ],
            },
            {
                "key": "vroegsignalering",
                "title": "Vroegsignalering. Herkennen van spanningssignalen bij de burger",
                "statements": [
                    {
                        "id": "vroegsignalering-1",
                        "text": (
                            "Ik herken de eerste signalen van spanning, frustratie of irritatie bij "
                            "de cliënt"
                        ),
                    },
                    {
                        "id": "vroegsignalering-2",
                        "text": "Ik ben in staat me in de situatie van de cliënt te verplaatsen",
                    },
                    {
                        "id": "vroegsignalering-3",
                        "text": "Ik geef de cliënt gelegenheid om zijn of haar emoties te uiten",
                    },
                    {
                        "id": "vroegsignalering-4",
                        "text": (
                            "Ik toon in mijn verbale en non-verbale communicatie begrip voor emotie "
                            "bij de cliënt"
                        ),
                    },
                    {
                        "id": "vroegsignalering-5",
                        "text": (
                            "Ik reageer actief op spanning of emotie van de cliënt, zodat de situatie "
                            "niet uit de hand loopt of voorkómen kan worden"
                        ),
                    },
                    {
                        "id": "vroegsignalering-6",
                        "text": "Ik herken spanningssignalen bij de cliënt gemakkelijk",
                    },
                    {
                        "id": "vroegsignalering-7",
                        "text": "Ik kan gemakkelijk omgaan met spanningssignalen bij de cliënt",
                    },
                ],
            },
            {
                "key": "grenzen",
                "title": "Stellen van grenzen",
                "statements": [
                    {
                        "id": "grenzen-1",
                        "text": (
                            "Ik confronteer de cliënt met normoverschrijdend gedrag als dat zich voor "
                            "doet"
                        ),
                    },
                    {
                        "id": "grenzen-2",
                        "text": (
                            "Ik benoem in gesprekken met cliënten de grens of norm zoals we die in "
                            "ons team hebben gesteld"
                        ),
                    },
                    {
                        "id": "grenzen-3",
                        "text": (
                            "Ik geef de cliënt de gelegenheid zijn/haar gedrag te corrigeren door aan "
                            "te geven welk gedrag wenselijk is"
                        ),
                    },
                    {
                        "id": "grenzen-4",
                        "text": (
                            "Als ik een grens heb gesteld dan houd ik daar in het contact met de "
                            "cliënt ook aan vast"
                        ),
                    },
                    {
                        "id": "grenzen-5",
                        "text": "Ik weet wanneer ik de locatie/het huis moet verlaten",
                    },
                    {
                        "id": "grenzen-6",
                        "text": "Ik weet hoe ik telefonisch assistentie kan inschakelen",
                    },
                    {
                        "id": "grenzen-7",
                        "text": "Ik vind het stellen van grenzen en het benoemen van de norm gemakkelijk",
                    },
                ],
            },
            {
                "key": "collegiale_ondersteuning",
                "title": "Collegiale ondersteuning",
                "statements": [
                    {
                        "id": "collegiale_ondersteuning-1",
                        "text": (
                            "Als ik in het contact met een cliënt hulp nodig heb van een collega dan "
                            "zal ik daar om vragen"
                        ),
                    },
                    {
                        "id": "collegiale_ondersteuning-2",
                        "text": (
                            "Als een collega hulp van mij nodig heeft in het contact met een cliënt, "
                            "dan zal ik die hulp aanbieden"
                        ),
                    },
                ],
            },
        ],
    },
    FunctionGroup.KLANT_CONTACT_CENTRUM: {
        "title": "Leerdoelwijzer voor medewerkers Klant Contact Centra",
        "contact": "telefonisch contact",
        "groups": [
            {
                "key": "risico_inschatting",
                "title": "Risico-inschatting",
                "statements": [
                    {
                        "id": "risico_inschatting-1",
                        "text": (
                            "Ik houd in het telefonisch contact met een burger rekening met een "
                            "mogelijk risico op agressie"
                        ),
                    },
                ],
            },
            {
                "key": "eigen_spanning",
                "title": "Herkennen van spanningssignalen bij jezelf",
                "statements": [
                    {
                        "id": "eigen_spanning-1",
                        "text": (
                            "Ik herken mijn eigen spanningssignalen in een situatie waarin er sprake "
                            "is van (dreigend) normoverschrijdend gedrag"
                        ),
                    },
                    {
                        "id": "eigen_spanning-2",
                        "text": (
                            "Ik ben in staat mijn emoties te benoemen in een oplopend incident aan de "
                            "telefoon"
                        ),
                    },
                    {
                        "id": "eigen_spanning-3",
                        "text": "Ik blijf beheerst reageren tijdens een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-4",
                        "text": "Ik kan weerstand bieden bij druk of andere agressieve uitingen van de burger",
                    },
                    {
                        "id": "eigen_spanning-5",
                        "text": (
                            "Ik houd de leiding over de situatie bij een incident en houd de regie "
                            "over mijn reactie"
                        ),
                    },
                    {
                        "id": "eigen_spanning-6",
                        "text": (
                            "Ik reageer in verhouding tot de aard van het incident en het daarbij "
                            "behorende risico"
                        ),
                    },
                    {
                        "id": "eigen_spanning-7",
                        "text": "Ik merk het als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-8",
                        "text": "Ik schakel tijdig hulp in als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-9",
                        "text": "Ik kan goed omgaan met mijn eigen spanningssignalen",
                    },
                ],
            },
            {
                "key": "vroegsignalering",
                "title": "Vroegsignalering. Herkennen van spanningssignalen bij de burger",
                "statements": [
                    {
                        "id": "vroegsignalering-1",
                        "text": (
                            "Ik herken de eerste signalen van spanning, frustratie of irritatie bij "
                            "de burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-2",
                        "text": "Ik ben in staat me in de situatie van de burger te verplaatsen",
                    },
                    {
                        "id": "vroegsignalering-3",
                        "text": "Ik geef de burger gelegenheid om zijn of haar emoties te uiten",
                    },
                    {
                        "id": "vroegsignalering-4",
                        "text": "Ik toon in mijn woordgebruik en intonatie begrip voor emotie bij burgers",
                    },
                    {
                        "id": "vroegsignalering-5",
                        "text": (
                            "Ik reageer actief op spanning of emotie van de burger, zodat de situatie "
                            "niet uit de hand loopt of voorkómen kan worden"
                        ),
                    },
                    {
                        "id": "vroegsignalering-6",
                        "text": "Ik herken spanningssignalen bij de burger aan de telefoon gemakkelijk",
                    },
                    {
                        "id": "vroegsignalering-7",
                        "text": "Ik kan gemakkelijk omgaan met spanningssignalen bij de burger",
                    },
                ],
            },
            {
                "key": "grenzen",
                "title": "Stellen van grenzen",
                "statements": [
                    {
                        "id": "grenzen-1",
                        "text": (
                            "Ik confronteer de burger met normoverschrijdend gedrag als dat zich voor "
                            "doet aan de telefoon"
                        ),
                    },
                    {
                        "id": "grenzen-2",
                        "text": (
                            "Ik benoem in gesprekken met burgers de grens of norm zoals we die in ons "
                            "team hebben gesteld"
                        ),
                    },
                    {
                        "id": "grenzen-3",
                        "text": (
                            "Ik geef de burger de gelegenheid zijn/haar verbale uitingen of intonatie "
                            "te corrigeren door aan te geven wat wenselijk is"
                        ),
                    },
                    {
                        "id": "grenzen-4",
                        "text": (
                            "Als ik een grens heb gesteld dan houd ik daar in het telefonisch contact "
                            "met de burger ook aan vast"
                        ),
                    },
                    {
                        "id": "grenzen-5",
                        "text": "Ik vind het stellen van grenzen en het benoemen van de norm gemakkelijk",
                    },
                ],
            },
            {
                "key": "collegiale_ondersteuning",
                "title": "Collegiale ondersteuning",
                "statements": [
                    {
                        "id": "collegiale_ondersteuning-1",
                        "text": (
                            "Als ik na het contact met een burger hulp nodig heb van een collega dan "
                            "zal ik daar om vragen"
                        ),
                    },
                    {
                        "id": "collegiale_ondersteuning-2",
                        "text": (
                            "Als een collega hulp van mij nodig heeft na het contact met een burger, "
                            "dan zal ik die hulp aanbieden"
                        ),
                    },
                ],
            },
        ],
    },
    FunctionGroup.PUBLIEKSZAKEN: {
        "title": "Leerdoelwijzer voor medewerkers Publiekszaken",
        "contact": "face-to-face aan balie/receptie",
        "groups": [
            {
                "key": "risico_inschatting",
                "title": "Risico-inschatting",
                "statements": [
                    {
                        "id": "risico_inschatting-1",
                        "text": (
                            "Ik houd in het contact met een burger rekening met een mogelijk risico "
                            "op agressie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-2",
                        "text": (
                            "Ik verdiep me voorafgaand aan een gepland contact in de achtergrond van "
                            "de burger"
                        ),
                    },
                    {
                        "id": "risico_inschatting-3",
                        "text": "Ik tref preventieve maatregelen als ik slecht nieuws moet brengen",
                    },
                    {
                        "id": "risico_inschatting-4",
                        "text": (
                            "Ik plan gesprekken met burgers op een veilige locatie als ik daar "
                            "aanleiding toe zie"
                        ),
                    },
                    {"id": "risico_inschatting-5", "text": "Ik roep hulp in wanneer dat nodig is"},
                ],
            },
            {
                "key": "eigen_spanning",
                "title": "Herkennen van spanningssignalen bij jezelf",
                "statements": [
                    {
                        "id": "eigen_spanning-1",
                        "text": (
                            "Ik herken mijn eigen spanningssignalen in een situatie waarin er sprake "
                            "is van (dreigend) normoverschrijdend gedrag"
                        ),
                    },
                    {
                        "id": "eigen_spanning-2",
                        "text": "Ik ben in staat mijn emoties te benoemen in een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-3",
                        "text": "Ik blijf beheerst reageren tijdens een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-4",
                        "text": "Ik kan weerstand bieden bij druk of andere agressieve uitingen van de burger",
                    },
                    {
                        "id": "eigen_spanning-5",
                        "text": (
                            "Ik houd de leiding over de situatie bij een incident en houd de regie "
                            "over mijn reactie"
                        ),
                    },
                    {
                        "id": "eigen_spanning-6",
                        "text": (
                            "Ik reageer in verhouding tot de aard van het incident en het daarbij "
                            "behorende risico"
                        ),
                    },
                    {
                        "id": "eigen_spanning-7",
                        "text": "Ik merk het als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-8",
                        "text": "Ik schakel tijdig hulp in als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-9",
                        "text": "Ik kan goed omgaan met mijn eigen spanningssignalen",
                    },
                ],
            },
            {
                "key": "vroegsignalering",
                "title": "Vroegsignalering. Herkennen van spanningssignalen bij de burger",
                "statements": [
                    {
                        "id": "vroegsignalering-1",
                        "text": (
                            "Ik herken de eerste signalen van spanning, frustratie of irritatie bij "
                            "de burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-2",
                        "text": "Ik ben in staat me in de situatie van de burger te verplaatsen",
                    },
                    {
                        "id": "vroegsignalering-3",
                        "text": "Ik geef de burger gelegenheid om zijn of haar emoties te uiten",
                    },
                    {
                        "id": "vroegsignalering-4",
                        "text": (
                            "Ik toon in mijn verbale en non-verbale communicatie begrip voor emotie "
                            "bij burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-5",
                        "text": (
                            "Ik reageer actief op spanning of emotie van de burger, zodat de situatie "
                            "niet uit de hand loopt of voorkómen kan worden"
                        ),
                    },
                    {
                        "id": "vroegsignalering-6",
                        "text": "Ik herken spanningssignalen bij de burger gemakkelijk",
                    },
                    {
                        "id": "vroegsignalering-7",
                        "text": "Ik kan gemakkelijk omgaan met spanningssignalen bij de burger",
                    },
                ],
            },
            {
                "key": "grenzen",
                "title": "Stellen van grenzen",
                "statements": [
                    {
                        "id": "grenzen-1",
                        "text": (
                            "Ik confronteer de burger met normoverschrijdend gedrag als dat zich voor "
                            "doet"
                        ),
                    },
                    {
                        "id": "grenzen-2",
                        "text": (
                            "Ik benoem in gesprekken met burgers de grens of norm zoals we die in ons "
                            "team hebben gesteld"
                        ),
                    },
                    {
                        "id": "grenzen-3",
                        "text": (
                            "Ik geef de burger de gelegenheid zijn/haar gedrag te corrigeren door aan "
                            "te geven welk gedrag wenselijk is"
                        ),
                    },
                    {
                        "id": "grenzen-4",
                        "text": (
                            "Als ik een grens heb gesteld dan houd ik daar in het contact met de "
                            "burger ook aan vast"
                        ),
                    },
                    {
                        "id": "grenzen-5",
                        "text": "Ik vind het stellen van grenzen en het benoemen van de norm gemakkelijk",
                    },
                ],
            },
            {
                "key": "collegiale_ondersteuning",
                "title": "Collegiale ondersteuning",
                "statements": [
                    {
                        "id": "collegiale_ondersteuning-1",
                        "text": (
                            "Als ik in het contact met een burger hulp nodig heb van een collega dan "
                            "zal ik daar om vragen"
                        ),
                    },
                    {
                        "id": "collegiale_ondersteuning-2",
                        "text": (
                            "Als een collega hulp van mij nodig heeft in het contact met een burger, "
                            "dan zal ik die hulp aanbieden"
                        ),
                    },
                ],
            },
        ],
    },
    FunctionGroup.INSPECTIE: {
        "title": "Leerdoelwijzer voor medewerkers Inspectie – Bouw – Milieu – Water – Leerplicht",
        "contact": (
            "face-to-face tijdens huis- of bedrijfsbezoek, in de openbare ruimte, aan balie of "
            "telefoon"
        ),
        "groups": [
            {
                "key": "risico_inschatting",
                "title": "Risico-inschatting",
                "statements": [
                    {
                        "id": "risico_inschatting-1",
                        "text": (
                            "Ik houd in het contact met een burger rekening met een mogelijk risico "
                            "op agressie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-2",
                        "text": (
                            "Ik verdiep me voorafgaand aan een gepland contact in de achtergrond van "
                            "de burger (bv. door te werken met een checklist huis- of bedrijfsbezoek)"
                        ),
                    },
                    {
                        "id": "risico_inschatting-3",
                        "text": "Ik tref preventieve maatregelen als ik slecht nieuws moet brengen",
                    },
                    {
                        "id": "risico_inschatting-4",
                        "text": (
                            "Bij het plannen van werkzaamheden houden we in ons team rekening met het "
                            "risico op agressie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-5",
                        "text": (
                            "Ik plan gesprekken met burgers op een veilige locatie als ik daar "
                            "aanleiding toe zie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-6",
                        "text": "Ik roep hulp in van collega's wanneer ik dat als nodig inschat",
                    },
                    {
                        "id": "risico_inschatting-7",
                        "text": (
                            "Als ik op huisbezoek ga, schat ik vooraf het risico op agressie in door "
                            "te werken met een checklist huisbezoek"
                        ),
                    },
                ],
            },
            {
                "key": "eigen_spanning",
                "title": "Herkennen van spanningssignalen bij jezelf",
                "statements": [
                    {
                        "id": "eigen_spanning-1",
                        "text": (
                            "Ik herken mijn eigen spanningssignalen in een situatie waarin er sprake "
                            "is van (dreigend) normoverschrijdend gedrag"
                        ),
                    },
                    {
                        "id": "eigen_spanning-2",
                        "text": "Ik ben in staat mijn emoties te benoemen in een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-3",
                        "text": "Ik blijf beheerst reageren tijdens een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-4",
                        "text": "Ik kan weerstand bieden bij druk of andere agressieve uitingen van de burger",
                    },
                    {
                        "id": "eigen_spanning-5",
                        "text": (
                            "Ik houd de leiding over de situatie bij een incident en houd de regie "
                            "over mijn reactie"
                        ),
                    },
                    {
                        "id": "eigen_spanning-6",
                        "text": (
                            "Ik reageer in verhouding tot de aard van het incident en het daarbij "
                            "behorende risico"
                        ),
                    },
                    {
                        "id": "eigen_spanning-7",
                        "text": "Ik merk het als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-8",
                        "text": "Ik schakel tijdig hulp in als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-9",
                        "text": "Ik kan goed omgaan met mijn eigen spanningssignalen",
                    },
                ],
            },
            {
                "key": "vroegsignalering",
                "title": "Vroegsignalering. Herkennen van spanningssignalen bij de burger",
                "statements": [
                    {
                        "id": "vroegsignalering-1",
                        "text": (
                            "Ik herken de eerste signalen van spanning, frustratie of irritatie bij "
                            "de burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-2",
                        "text": "Ik ben in staat me in de situatie van de burger te verplaatsen",
                    },
                    {
                        "id": "vroegsignalering-3",
                        "text": "Ik geef de burger gelegenheid om zijn of haar emoties te uiten",
                    },
                    {
                        "id": "vroegsignalering-4",
                        "text": (
                            "Ik toon in mijn verbale en non-verbale communicatie begrip voor emotie "
                            "bij burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-5",
                        "text": (
                            "Ik reageer actief op spanning of emotie van de burger, zodat de situatie "
                            "niet uit de hand loopt of voorkómen kan worden"
                        ),
                    },
                    {
                        "id": "vroegsignalering-6",
                        "text": "Ik herken spanningssignalen bij de burger gemakkelijk",
                    },
                    {
                        "id": "vroegsignalering-7",
                        "text": "Ik kan gemakkelijk omgaan met spanningssignalen bij de burger",
                    },
                ],
            },
            {
                "key": "grenzen",
                "title": "Stellen van grenzen",
                "statements": [
                    {
                        "id": "grenzen-1",
                        "text": (
                            "Ik confronteer de burger met normoverschrijdend gedrag als dat zich voor "
                            "doet"
                        ),
                    },
                    {
                        "id": "grenzen-2",
                        "text": (
                            "Ik benoem in gesprekken met burgers de grens of norm zoals we die in ons "
                            "team hebben gesteld"
                        ),
                    },
                    {
                        "id": "grenzen-3",
                        "text": (
                            "Ik geef de burger de gelegenheid zijn/haar gedrag te corrigeren door aan "
                            "te geven welk gedrag wenselijk is"
                        ),
                    },
                    {
                        "id": "grenzen-4",
                        "text": (
                            "Als ik een grens heb gesteld dan houd ik daar in het contact met de "
                            "burger ook aan vast"
                        ),
                    },
                    {
                        "id": "grenzen-5",
                        "text": "Als het nodig is dan schakel ik hulp in van collega's",
                    },
                    {
                        "id": "grenzen-6",
                        "text": "Als het nodig is dan schakel ik hulp in van de politie",
                    },
                    {
                        "id": "grenzen-7",
                        "text": "Ik weet wanneer ik me uit een situatie moet terugtrekken",
                    },
                    {
                        "id": "grenzen-8",
                        "text": "Ik vind het stellen van grenzen en het benoemen van de norm gemakkelijk",
                    },
                ],
            },
            {
                "key": "collegiale_ondersteuning",
                "title": "Collegiale ondersteuning",
                "statements": [
                    {
                        "id": "collegiale_ondersteuning-1",
                        "text": (
                            "Als ik in het contact met een burger hulp nodig heb van een collega dan "
                            "zal ik daar om vragen"
                        ),
                    },
                    {
                        "id": "collegiale_ondersteuning-2",
                        "text": (
                            "Als een collega hulp van mij nodig heeft in het contact met een burger, "
                            "dan zal ik die hulp aanbieden"
                        ),
                    },
                ],
            },
        ],
    },
    FunctionGroup.BOA: {
        "title": "Leerdoelwijzer voor Buitengewoon Opsporings Ambtenaren",
        "contact": "face-to-face in de openbare ruimte of op huis- of bedrijfsbezoek",
        "groups": [
            {
                "key": "risico_inschatting",
                "title": "Risico-inschatting",
                "statements": [
                    {
                        "id": "risico_inschatting-1",
                        "text": "Ik taxeer een situatie op het risico op agressie",
                    },
                    {
                        "id": "risico_inschatting-2",
                        "text": "Ik ken de risicolocaties in mijn werkgebied en hou hier rekening mee",
                    },
                    {
                        "id": "risico_inschatting-3",
                        "text": (
                            "Ik verdiep me voorafgaand aan een gepland contact in de achtergrond van "
                            "de burger (b.v. door te werken met een checklist huis- of "
                            "bedrijfsbezoek)"
                        ),
                    },
                    {
                        "id": "risico_inschatting-4",
                        "text": (
                            "Bij het plannen van werkzaamheden houden we in ons team rekening met het "
                            "risico op agressie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-5",
                        "text": (
                            "Actuele informatie die ik tijdens de briefing aan het begin van mijn "
                            "dienst ontvang, neem ik mee in mijn werkvoorbereiding"
                        ),
                    },
                    {
                        "id": "risico_inschatting-6",
                        "text": "In mijn team hanteren we afspraken over gezamenlijk optreden",
                    },
                    {
                        "id": "risico_inschatting-7",
                        "text": (
                            "Mijn collega en ik hebben een duidelijke taakverdeling als we in gesprek "
                            "gaan met een burger"
                        ),
                    },
                    {
                        "id": "risico_inschatting-8",
                        "text": "In ons team conformeren we ons aan de afgesproken handhavingsdoelstellingen",
                    },
                    {
                        "id": "risico_inschatting-9",
                        "text": "Mijn collega en ik evalueren na een incident ons gezamenlijke optreden",
                    },
                    {
                        "id": "risico_inschatting-10",
                        "text": "Ik weet goed hoe ik mijn portofoon moet gebruiken",
                    },
                    {
                        "id": "risico_inschatting-11",
                        "text": (
                            "Ik weet goed wanneer ik mijn portofoon moet gebruiken voor het "
                            "inschakelen van hulp"
                        ),
                    },
                    {
                        "id": "risico_inschatting-12",
                        "text": "Ik weet hoe ik moet handelen bij de confrontatie met groepen",
                    },
                ],
            },
            {
                "key": "eigen_spanning",
                "title": "Herkennen van spanningssignalen bij jezelf",
                "statements": [
                    {
                        "id": "eigen_spanning-1",
                        "text": (
                            "Ik herken mijn eigen spanningssignalen in een situatie waarin er sprake "
                            "is van (dreigend) normoverschrijdend gedrag"
                        ),
                    },
                    {
                        "id": "eigen_spanning-2",
                        "text": "Ik ben in staat mijn emoties te benoemen in een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-3",
                        "text": "Ik blijf beheerst reageren tijdens een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-4",
                        "text": "Ik kan weerstand bieden bij druk of andere agressieve uitingen van de burger",
                    },
                    {
                        "id": "eigen_spanning-5",
                        "text": (
                            "Ik houd de leiding over de situatie bij een incident en houd de regie "
                            "over mijn reactie"
                        ),
                    },
                    {
                        "id": "eigen_spanning-6",
                        "text": (
                            "Ik reageer in verhouding tot de aard van het incident en het daarbij "
                            "behorende risico"
                        ),
                    },
                    {
                        "id": "eigen_spanning-7",
                        "text": "Ik merk het als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-8",
                        "text": "Ik schakel tijdig hulp in als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-9",
                        "text": "Ik kan goed omgaan met mijn eigen spanningssignalen",
                    },
                ],
            },
            {
                "key": "vroegsignalering",
                "title": "Vroegsignalering. Herkennen van spanningssignalen bij de burger",
                "statements": [
                    {
                        "id": "vroegsignalering-1",
                        "text": (
                            "Ik herken de eerste signalen van spanning, frustratie of irritatie bij "
                            "de burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-2",
                        "text": "Ik ben in staat me in de situatie van de burger te verplaatsen",
                    },
                    {
                        "id": "vroegsignalering-3",
                        "text": "Ik geef de burger gelegenheid om zijn of haar emoties te uiten",
                    },
                    {
                        "id": "vroegsignalering-4",
                        "text": (
                            "Ik toon in mijn verbale en non-verbale communicatie begrip voor emotie "
                            "bij burger"
                        ),
                    },
                    {
                        "id": "vroegsignalering-5",
                        "text": (
                            "Ik reageer actief op spanning of emotie van de burger, zodat de situatie "
                            "niet uit de hand loopt of voorkómen kan worden"
                        ),
                    },
                    {
                        "id": "vroegsignalering-6",
                        "text": "Ik herken spanningssignalen bij de burger gemakkelijk",
                    },
                    {
                        "id": "vroegsignalering-7",
                        "text": "Ik kan gemakkelijk omgaan met spanningssignalen bij de burger",
                    },
                ],
            },
            {
                "key": "grenzen",
                "title": "Stellen van grenzen",
                "statements": [
                    {
                        "id": "grenzen-1",
                        "text": (
                            "Ik confronteer de burger met normoverschrijdend gedrag als dat zich voor "
                            "doet"
                        ),
                    },
                    {
                        "id": "grenzen-2",
                        "text": (
                            "Ik benoem in gesprekken met burgers de grens of norm zoals we die in ons "
                            "team hebben gesteld"
                        ),
                    },
                    {
                        "id": "grenzen-3",
                        "text": (
                            "Ik geef de burger de gelegenheid zijn/haar gedrag te corrigeren door aan "
                            "te geven welk gedrag wenselijk is"
                        ),
                    },
                    {
                        "id": "grenzen-4",
                        "text": (
                            "Als ik een grens heb gesteld dan houd ik daar in het contact met de "
                            "burger ook aan vast"
                        ),
                    },
                    {
                        "id": "grenzen-5",
                        "text": (
                            "Ik weet wanneer ik moet overgaan tot verbaliseren of aanhouden en "
                            "overbrengen naar de politie"
                        ),
                    },
                    {"id": "grenzen-6", "text": "Ik hou gesprekken op straat kort"},
                    {
                        "id": "grenzen-7",
                        "text": "Als het nodig is dan roep ik assistentie in via de meldkamer",
                    },
                    {
                        "id": "grenzen-8",
                        "text": "Ik vind het stellen van grenzen en het benoemen van de norm gemakkelijk",
                    },
                ],
            },
            {
                "key": "collegiale_ondersteuning",
                "title": "Collegiale ondersteuning",
                "statements": [
                    {
                        "id": "collegiale_ondersteuning-1",
                        "text": (
                            "Als ik in het contact met een burger hulp nodig heb van een collega dan "
                            "zal ik daar om vragen"
                        ),
                    },
                    {
                        "id": "collegiale_ondersteuning-2",
                        "text": (
                            "Als een collega hulp van mij nodig heeft in het contact met een burger, "
                            "dan zal ik die hulp aanbieden"
                        ),
                    },
                ],
            },
        ],
    },
    FunctionGroup.BEHEER_ONDERHOUD: {
        "title": "Leerdoelwijzer voor medewerkers Beheer en Onderhoud",
        "contact": "face-to-face in de openbare ruimte",
        "groups": [
            {
                "key": "risico_inschatting",
                "title": "Risico-inschatting",
                "statements": [
                    {
                        "id": "risico_inschatting-1",
                        "text": (
                            "Ik houd bij het uitvoeren van mijn werk rekening met een mogelijk risico "
                            "op agressie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-2",
                        "text": (
                            "Bij het plannen van werkzaamheden houden we in ons team rekening met het "
                            "zoveel mogelijk voorkomen van agressie (bv. door werkzaamheden die "
                            "geluidsoverlast geven niet vroeg in de ochtend te plannen)"
                        ),
                    },
                    {
                        "id": "risico_inschatting-3",
                        "text": "Ik roep hulp in van collega's als ik een situatie als risicovol inschat",
                    },
                ],
            },
            {
                "key": "eigen_spanning",
                "title": "Herkennen van spanningssignalen bij jezelf",
                "statements": [
                    {
                        "id": "eigen_spanning-1",
                        "text": "Ik merk het snel wanneer ik boos of bang word",
                    },
                    {
                        "id": "eigen_spanning-2",
                        "text": (
                            "Ik ben in staat mijn gevoel (bv. boos of bang) te benoemen in een "
                            "oplopend incident"
                        ),
                    },
                    {
                        "id": "eigen_spanning-3",
                        "text": "Ik blijf kalm en rustig tijdens een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-4",
                        "text": "Ik kan goed omgaan met druk of andere agressieve uitingen van de burger",
                    },
                    {
                        "id": "eigen_spanning-5",
                        "text": (
                            "Ik houd de leiding over de situatie bij een incident en ik heb mijn "
                            "reactie in de hand"
                        ),
                    },
                    {
                        "id": "eigen_spanning-6",
                        "text": (
                            "Ik reageer op een manier die past bij de aard van het incident en het "
                            "daarbij behorende risico"
                        ),
                    },
                    {
                        "id": "eigen_spanning-7",
                        "text": "Ik merk het als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-8",
                        "text": "Ik schakel tijdig hulp in als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-9",
                        "text": "Ik kan goed omgaan met mijn gevoelens van spanning",
                    },
                ],
            },
            {
                "key": "vroegsignalering",
                "title": "Vroegsignalering. Herkennen van spanningssignalen bij de burger",
                "statements": [
                    {
                        "id": "vroegsignalering-1",
                        "text": "Ik herken de eerste tekenen van boosheid of oplopende emotie bij de burger",
                    },
                    {
                        "id": "vroegsignalering-2",
                        "text": (
                            "Ik ben ook burger; zelf kom ik ook wel eens in vervelende situaties "
                            "terecht zoals de burger, dus ik begrijp ze wel"
                        ),
                    },
                    {
                        "id": "vroegsignalering-3",
                        "text": "Ik geef de burger de mogelijkheid om zijn of haar emoties te uiten",
                    },
                    {"id": "vroegsignalering-4", "text": "Ik toon begrip voor emotie bij burgers"},
                    {
                        "id": "vroegsignalering-5",
                        "text": (
                            "Als ik spanning of emotie merk, dan reageer ik daar snel op zodat het "
                            "niet uit de hand loopt of problemen zelfs voorkomen worden"
                        ),
                    },
                    {
                        "id": "vroegsignalering-6",
                        "text": "Ik herken spanningssignalen bij de burger gemakkelijk",
                    },
                    {
                        "id": "vroegsignalering-7",
                        "text": "Ik kan gemakkelijk omgaan met spanningssignalen bij de burger",
                    },
                ],
            },
            {
                "key": "grenzen",
                "title": "Stellen van grenzen",
                "statements": [
                    {
                        "id": "grenzen-1",
                        "text": "Als iemand me uitscheldt, dan zeg ik dat ik wil dat hij/zij daar mee stopt",
                    },
                    {
                        "id": "grenzen-2",
                        "text": (
                            "Als de burger hier niet positief op reageert en doorgaat met mij "
                            "uitschelden, dan stop ik het gesprek en trek ik me terug"
                        ),
                    },
                    {
                        "id": "grenzen-3",
                        "text": (
                            "Als ik bedreigd word, of me bedreigd voel, dan stop ik het gesprek, neem "
                            "ik afstand en trek ik me terug"
                        ),
                    },
                    {"id": "grenzen-4", "text": "Ik ga de strijd niet aan met de burger"},
                    {
                        "id": "grenzen-5",
                        "text": "Als dat nodig is dan schakel ik hulp in van collega's",
                    },
                    {
                        "id": "grenzen-6",
                        "text": "Als dat nodig is dan schakel ik hulp in van de politie",
                    },
                    {
                        "id": "grenzen-7",
                        "text": "Ik vind het stellen van grenzen en het aanspreken van de burger gemakkelijk",
                    },
                ],
            },
            {
                "key": "collegiale_ondersteuning",
                "title": "Collegiale ondersteuning",
                "statements": [
                    {
                        "id": "collegiale_ondersteuning-1",
                        "text": (
                            "Ik heb hulp van collega's gevraagd als ik dat in agressieve situaties "
                            "nodig vond"
                        ),
                    },
                    {
                        "id": "collegiale_ondersteuning-2",
                        "text": (
                            "Ik heb mijn hulp aangeboden aan een collega als die hulp nodig had in "
                            "een agressieve situatie"
                        ),
                    },
                ],
            },
        ],
    },
    FunctionGroup.BEHEER_SPORT_BEGRAAFPLAATS: {
        "title": "Leerdoelwijzer voor medewerkers Beheer Sporthal, Zwembad, Begraafplaats",
        "contact": "face-to-face",
        "groups": [
            {
                "key": "risico_inschatting",
                "title": "Risico-inschatting",
                "statements": [
                    {
                        "id": "risico_inschatting-1",
                        "text": (
                            "Ik houd in het contact met een bezoeker rekening met een mogelijk risico "
                            "op agressie"
                        ),
                    },
                    {
                        "id": "risico_inschatting-2",
                        "text": "Ik tref preventieve maatregelen als ik slecht nieuws moet brengen",
                    },
                    {
                        "id": "risico_inschatting-3",
                        "text": "Ik weet hoe ik moet handelen bij de confrontatie met groepen",
                    },
                    {
                        "id": "risico_inschatting-4",
                        "text": "Ik schakel hulp in wanneer dat nodig is",
                    },
                ],
            },
            {
                "key": "eigen_spanning",
                "title": "Herkennen van spanningssignalen bij jezelf",
                "statements": [
                    {
                        "id": "eigen_spanning-1",
                        "text": (
                            "Ik herken mijn eigen spanningssignalen in een situatie waarin er sprake "
                            "is van (dreigend) normoverschrijdend gedrag"
                        ),
                    },
                    {
                        "id": "eigen_spanning-2",
                        "text": "Ik ben in staat mijn emoties te benoemen in een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-3",
                        "text": "Ik blijf beheerst reageren tijdens een oplopend incident",
                    },
                    {
                        "id": "eigen_spanning-4",
                        "text": (
                            "Ik kan weerstand bieden bij druk of andere agressieve uitingen van de "
                            "bezoeker"
                        ),
                    },
                    {
                        "id": "eigen_spanning-5",
                        "text": (
                            "Ik houd de leiding over de situatie bij een incident en houd de regie "
                            "over mijn reactie"
                        ),
                    },
                    {
                        "id": "eigen_spanning-6",
                        "text": (
                            "Ik reageer in verhouding tot de aard van het incident en het daarbij "
                            "behorende risico"
                        ),
                    },
                    {
                        "id": "eigen_spanning-7",
                        "text": "Ik merk het als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-8",
                        "text": "Ik schakel tijdig hulp in als mijn eigen spanning oploopt",
                    },
                    {
                        "id": "eigen_spanning-9",
                        "text": "Ik kan goed omgaan met mijn eigen spanningssignalen",
                    },
                ],
            },
            {
                "key": "vroegsignalering",
                "title": "Vroegsignalering. Herkennen van spanningssignalen bij de burger",
                "statements": [
                    {
                        "id": "vroegsignalering-1",
                        "text": (
                            "Ik herken de eerste signalen van spanning, frustratie of irritatie bij "
                            "de bezoeker"
                        ),
                    },
                    {
                        "id": "vroegsignalering-2",
                        "text": "Ik ben in staat me in de situatie van de bezoeker te verplaatsen",
                    },
                    {
                        "id": "vroegsignalering-3",
                        "text": "Ik geef de bezoeker gelegenheid om zijn of haar emoties te uiten",
                    },
                    {
                        "id": "vroegsignalering-4",
                        "text": "Ik toon begrip voor emotie bij de bezoeker",
                    },
                    {
                        "id": "vroegsignalering-5",
                        "text": (
                            "Ik reageer actief op spanning of emotie van de bezoeker, zodat de "
                            "situatie niet uit de hand loopt of voorkómen kan worden"
                        ),
                    },
                    {
                        "id": "vroegsignalering-6",
                        "text": "Ik herken spanningssignalen bij de bezoeker gemakkelijk",
                    },
                    {
                        "id": "vroegsignalering-7",
                        "text": "Ik kan gemakkelijk omgaan met spanningssignalen bij de bezoeker",
                    },
                ],
            },
            {
                "key": "grenzen",
                "title": "Stellen van grenzen",
                "statements": [
                    {
                        "id": "grenzen-1",
                        "text": (
                            "Ik confronteer de bezoeker met normoverschrijdend gedrag als dat zich "
                            "voor doet"
                        ),
                    },
                    {
                        "id": "grenzen-2",
                        "text": (
                            "Ik benoem in gesprekken met bezoekers de grens of norm zoals we die in "
                            "ons team hebben gesteld"
                        ),
                    },
                    {
                        "id": "grenzen-3",
                        "text": (
                            "Ik geef de bezoeker de gelegenheid zijn/haar gedrag te corrigeren door "
                            "aan te geven welk gedrag wenselijk is"
                        ),
                    },
                    {
                        "id": "grenzen-4",
                        "text": (
                            "Als ik een grens heb gesteld dan houd ik daar in het contact met de "
                            "bezoeker ook aan vast"
                        ),
                    },
                    {
                        "id": "grenzen-5",
                        "text": "Ik vind het stellen van grenzen en het benoemen van de norm gemakkelijk",
                    },
                ],
            },
            {
                "key": "collegiale_ondersteuning",
                "title": "Collegiale ondersteuning",
                "statements": [
                    {
                        "id": "collegiale_ondersteuning-1",
                        "text": (
                            "Als ik in het contact met een bezoeker hulp nodig heb van een collega "
                            "dan zal ik daar om vragen"
                        ),
                    },
                    {
                        "id": "collegiale_ondersteuning-2",
                        "text": (
                            "Als een collega hulp van mij nodig heeft in het contact met een "
                            "bezoeker, dan zal ik die hulp aanbieden"
                        ),
                    },
                ],
            },
        ],
    },
}

# The matrix is filled in by each employee: one level per row. The seed's last row, ".....",
# is a placeholder for rows a team adds itself and is not transcribed.
MATRIX = {
    "title": "Matrix ontwikkeling veilige publieke dienstverlening",
    "rows": [
        {"id": "klantgericht", "text": "Wat is klant- of servicegericht werken"},
        {
            "id": "emotie_en_agressie",
            "text": "Wat is emotie en wat is agressie en hoe reageer je daar effectief op",
        },
        {
            "id": "risico_bepalen",
            "text": (
                "Risico bepalen voor het contact en welke voorzorgsmaatregelen daarbij in te "
                "schakelen"
            ),
        },
        {"id": "spanning_ombuigen", "text": "Herkennen en ombuigen van spanning bij de burger"},
        {
            "id": "organisatienorm",
            "text": "Wat is de organisatienorm en teamnorm voor normoverschrijdend gedrag",
        },
        {
            "id": "bewust_afwijken",
            "text": "Wat is 'bewust afwijken' van de teamnorm en hoe bespreek je dat (interview)",
        },
        {
            "id": "stoppen_en_herstel",
            "text": (
                "Stoppen bij normoverschrijding en (bij (non-)verbale agressie) "
                "herstelbaarheid bieden"
            ),
        },
        {"id": "assistentie_inroepen", "text": "Inroepen van assistentie (hulp en alarmeren)"},
        {"id": "eigen_veiligheid", "text": "Mezelf in veiligheid brengen"},
        {"id": "assistentie_bieden", "text": "Bieden van assistentie aan collega's"},
        {"id": "incidenten_melden", "text": "Incidenten melden (GIR)"},
        {
            "id": "maatregelen_aangifte_schade",
            "text": "Maatregelen richting de burger, aangifte doen en schade verhalen",
        },
        {
            "id": "hulp_vragen",
            "text": "Hulp vragen nadat je slachtoffer bent geworden van een incident",
        },
        {
            "id": "hulp_bieden",
            "text": "Hulp bieden aan het slachtoffer van een agressie-incident",
        },
        {
            "id": "veilig_werken",
            "text": (
                "Veilig werken: - aan de telefoon - aan de balie - in de spreekkamer - in de "
                "openbare ruimte - op huisbezoek - op bedrijfsbezoek - tijdens "
                "groepsbijeenkomsten - schriftelijk - met social media"
            ),
        },
        {"id": "samenwerken_derden", "text": "Afspraken maken voor veilig samenwerken met derden"},
        {"id": "ordeverstoring", "text": "Omgaan met ordeverstorend gedrag"},
    ],
}

# Obvious spelling slips corrected above, so a reader can check them against the seed:
# (where, as the seed writes it, as transcribed). Nothing is reworded.
TYPOS: tuple[tuple[str, str, str], ...] = (
    (
        "MATRIX row ordeverstoring",
        "Omgaan met ordeverstoring gedrag",
        "Omgaan met ordeverstorend gedrag",
    ),
)
