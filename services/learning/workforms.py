"""The work forms of the learning guide (seed 000, annex "Leren als team; werkvormen" and
"Leren als organisatie"): the ways a team or the organisation can learn together, from which
a team plan picks its activities.

Data only, in the seed's Dutch words. Each form says at which level it works ("team" or
"organisatie") and which kind of team-plan activity it is (`plan_kind`, one of plan.KINDS).
`goal`, `audience`, `guidance`, `duration`, `participants` and `material` are the annex's
Doel/Doelgroep/Begeleiding/Duur/Aantal deelnemers/Benodigd materiaal fields; where the annex
gives no goal, the goal is the one the overview table in chapter 2 or 3 gives the form.
`description` is the annex's Beschrijving; `steps` is the agenda a facilitator follows, in the
seed's own sentences (a step's sub-points follow its first line, one per line, with "- " where
the seed lists them). Nothing here is invented: forms for which the seed gives no field carry
None or [].
"""

LEVELS = ("team", "organisatie")

# Shared by the two forms of 3.1 (de kennisquiz, werken met filmpjes en stellingen).
_KENNIS_GOAL = [
    "Medewerkers op een speelse manier in contact brengen met beleidsuitgangspunten.",
    "Beleid 'levend houden'",
    "Kennishiaten opsporen en invullen",
    "Beleid bijstellen op basis van de praktijk",
]
_KENNIS_AUDIENCE = ["Medewerkers en leidinggevenden; in teams of in grotere groepen"]
_KENNIS_DESCRIPTION = (
    "Het beleid veilige publieke dienstverlening heeft als doel een kader te scheppen waarbinnen "
    "alle medewerkers hun werk veilig kunnen doen en waarin ook aandacht is voor een kritische "
    "reflectie op het eigen functioneren als organisatie. Beleid moet voor medewerkers ook "
    "praktisch van toegevoegde waarde zijn."
    "\n\n"
    "Ervaring leert dat informatie op allerlei manieren moet worden aangeboden en herhaald, om "
    "medewerkers er bewust mee bekend te maken en om er ook voor te zorgen dat er vanuit "
    "medewerkers informatie terug komt die nodig is om het beleid blijvend te laten aansluiten "
    "bij de praktijk. Reden genoeg om over dit onderwerp met elkaar in contact te komen."
)

# The annex gives the dialogue forms no goal of their own; chapter 3's table gives the
# "Dialoginstrumenten" (Arenadiscussie, Storytelling, Lagerhuisdiscussie) these.
_DIALOOG_GOAL = [
    "Verhelderen van urgentie",
    "Bespreken van dilemma's in het werken volgens de norm",
    "Creëren van wederzijds begrip",
    "Uitwerken van 'ketenaanpak'",
]

WORK_FORMS: dict[str, dict] = {
    "intervisie": {
        "title": "Intervisiemethoden",
        "level": "team",
        "plan_kind": "intervisie",
        # The annex's one line "Collegiale uitwisseling; afstemmen over 'grenzen'; ...", split
        # at its semicolons and capitalised as chapter 2's table writes the same words.
        "goal": [
            "Collegiale uitwisseling",
            "Afstemmen over 'grenzen'",
            "Versterken van teamfunctioneren",
            "Waarden- en normenperspectief expliciteren",
            "Vergroten van handelingsperspectief",
            "Persoonlijk leren",
        ],
        "audience": [
            "Groepjes van 6 collega's",
            "Medewerkers uit hetzelfde team",
            "Medewerkers uit een zelfde functiegroep",
            "Leidinggevenden",
        ],
        "guidance": "(Professionele) intervisiebegeleider",
        "duration": (
            "Bijeenkomsten van 1,5-2 uur; frequentie naar behoefte; richtlijn: 1x per 6 weken"
        ),
        "participants": None,
        "material": None,
        "description": (
            "Het geconfronteerd worden met lastig/agressief gedrag van burgers roept allerlei "
            "vragen op. Bv. gericht op het eigen gevoel, het eigen functioneren, op het handelen "
            "als team, de kwaliteit van de dienstverlening, de samenwerking met andere "
            "afdelingen, dilemma's in relatie tot afgesproken norm of grenzen e.d."
            "\n\n"
            "In een intervisiebijeenkomst is er gelegenheid om, op vertrouwelijke basis, met "
            "collega's, te sparren over bovenstaande vraagstukken. Afhankelijk van de vraag "
            "kunnen er verschillende werkvormen gekozen worden. De deelnemers aan een "
            "intervisiegroep bepalen zelf hun thema's en bepalen gezamenlijk of het nodig is om, "
            "op basis van een intervisiebijeenkomst afspraken te maken of te overleggen met "
            "anderen buiten de intervisiegroep. Een (professionele) begeleider zorgt voor een "
            "passende werkvorm, begeleidt de bijeenkomsten en draagt mede zorg voor een veilige "
            "werkomgeving."
            "\n\n"
            "In relatie tot het thema agressie en geweld zijn bv. de volgende intervisiemethoden "
            "als werkvorm relevant:"
        ),
        "steps": [
            "In een intervisiebijeenkomst is er gelegenheid om, op vertrouwelijke basis, met "
            "collega's, te sparren over bovenstaande vraagstukken.",
            "Afhankelijk van de vraag kunnen er verschillende werkvormen gekozen worden.",
            "De deelnemers aan een intervisiegroep bepalen zelf hun thema's en bepalen "
            "gezamenlijk of het nodig is om, op basis van een intervisiebijeenkomst afspraken te "
            "maken of te overleggen met anderen buiten de intervisiegroep.",
            "Een (professionele) begeleider zorgt voor een passende werkvorm, begeleidt de "
            "bijeenkomsten en draagt mede zorg voor een veilige werkomgeving.",
        ],
        "methods": [
            "Viskommethode (dilemma bespreken)",
            "5-Stappen methode (verhelderen en adviseren)",
            "Roddelmethode (inzicht in eigen aandeel)",
            "Clinic (inzicht in verschillende gespreksalternatieven)",
            "Leren van successen (aanpak versterken o.b.v. wat goed is gegaan)",
            "'Op de stoel van een ander' (werken met perspectief wisselingen)",
        ],
    },
    "dilemma": {
        "title": "Dilemmamethodiek",
        "level": "team",
        "plan_kind": "dilemma",
        "goal": [
            "Het scherper krijgen van de teamnorm agressie en geweld door het bespreken van "
            "dilemma's in de uitvoering",
            "Afspraken maken om dilemma's te voorkomen of op te lossen",
        ],
        "audience": ["Team", "Teams die samenwerken in een keten"],
        "guidance": None,
        "duration": None,
        "participants": None,
        "material": None,
        "description": (
            "Dilemma's kunnen betrekking hebben op:"
            "\n\n"
            "- Grenzen stellen\n"
            "- Professioneel handelen\n"
            "- Hulp inschakelen (collega, beveiliging etc).\n"
            "- Wel/niet melden in GIR\n"
            "- Aangifte of melding doen bij de politie\n"
            "- Omgaan met bedreigingen of strafbare feiten"
        ),
        # The seed's Stappenplan; its indentation is uneven, so each step is a line of the
        # plan in sentence case and the lines under it are its sub-points.
        "steps": [
            "Dilemma's inventariseren\n"
            "Beschrijving van een dilemmasituatie (actueel of uit het verleden) door de "
            "inbrenger(s)",
            "Kiezen van een situatie\nUrgentie, algemeen belang, herkenbaarheid",
            "Formuleren van een dilemma (feiten, handelingen, gevoelens)\n"
            "Benoemen van de twee kanten van het dilemma\n"
            'Collega\'s schrijven voor zichzelf hun intuïtief oordeel op ("wat zou ik doen")',
            "Verhelderen en verplaatsen\n"
            "Collega's stellen verhelderingsvragen (geen advies; geen eigen beleving; focus ligt "
            "op het dilemma zoals ingebracht door de inbrenger)",
            "Benoemen van waarden en normen in deze casus; wat is er in het geding?\n"
            "Wie zijn de betrokkenen?\n"
            "Wie hebben rechten, belangen of wensen in de dilemmasituatie?\n"
            "Welke waarden zijn in het geding voor de verschillende betrokkenen?\n"
            "Waarden: bv: integriteit, respect, autonomie, kernwaarden van de organisatie\n"
            "Welke normen zijn in het geding?\n"
            "Normen: bv: regels, wetgeving, afspraken, organisatienorm, handelingsprotocollen, "
            "huisregels\n"
            "- Zet 'betrokkenen', 'waarden' en 'normen' in een tabel.",
            "Zoeken naar alternatieven (brainstorm)\n"
            "Welke mogelijkheden of gedragsalternatieven zijn er? En doen deze alternatieven "
            "recht aan de genoemde waarden en normen?",
            "Maken van individuele afweging (inbrenger)\n"
            "- Ik vind het juist dat ik...\n"
            "- Omwille van waarden en normen\n"
            "- Ondanks (wat kost het)\n"
            "- Hoe kan ik schade beperken?\n"
            "- Wat heb ik nodig om het echt te kunnen doen (persoon, team, organisatie)",
            "Overeenkomsten/verschillen\n"
            "- Waar zijn we het over eens als team?\n"
            "- Waar zitten verschillen?\n"
            "- Waar kiezen we als team voor en op basis waarvan (handelingsafspraak)\n"
            "- Praktische werkafspraken",
            "Terugblik/evaluatie",
        ],
        "methods": [],
    },
    "kennisquiz": {
        "title": "De kennisquiz",
        "level": "team",
        "plan_kind": "kennis",
        "goal": _KENNIS_GOAL,
        "audience": _KENNIS_AUDIENCE,
        "guidance": None,
        "duration": "60 minuten",
        "participants": "10-50 medewerkers",
        "material": "kaartjes met daarop vragen naar 'feiten' en opvattingen.",
        # The quiz has no Beschrijving of its own; this is the one of 3.1.
        "description": _KENNIS_DESCRIPTION,
        "steps": [
            "De begeleider legt de werkvorm uit en verdeelt de deelnemers in groepen.",
            "Quiz-spelregels\n"
            "De begeleider stelt achtereenvolgens aan de groepen een vraag waarbij een aantal "
            "punten kan worden verdiend als er een goed antwoord wordt gegeven. Als de groep die "
            "aan de beurt is het antwoord niet weet mogen de andere groepen het antwoord geven en "
            "daarmee een paar punten winnen. Bij een vraag naar een opvatting moet één deelnemer "
            "uit de groep het antwoord geven waarvan hij/zij denkt dat de hele groep die "
            "opvatting heeft. De groep wordt vervolgens gevraagd of iedereen het eens is met het "
            "gegeven standpunt. Zo ja, dan krijgt de groep alle bij die vraag te verdienen "
            "punten, zo niet dan maar de helft van dat aantal. De groep met de meeste punten is "
            "de winnaar.",
            "Het apart houden van vragen.\n"
            "De begeleider legt kaartjes met de vragen waarop de antwoorden in de groep niet "
            "bekend zijn of waarover verschillen van meningen bestaan, apart. Die kunnen later "
            "aan orde komen.",
        ],
        "methods": [],
    },
    "stellingen": {
        "title": "Werken met filmpjes en stellingen: eens/oneens",
        "level": "team",
        "plan_kind": "kennis",
        "goal": _KENNIS_GOAL,
        "audience": _KENNIS_AUDIENCE,
        "guidance": None,
        "duration": "60 minuten",
        "participants": "10-50 medewerkers",
        "material": "Filmpjes en stellingen; groene en rode kaarten en/of een eens/oneens hoek",
        "description": (
            "Met behulp van filmpjes en daarvan afgeleide stellingen wordt de groep uitgenodigd "
            "om letterlijk stelling te nemen. Op deze manier wordt snel inzichtelijk welke "
            "informatie bekend is, welke minder. In het nabespreken kan de vertaalslag gemaakt "
            "worden naar de uitwerking in de praktijk. Medewerkers kunnen een beleidsuitgangspunt "
            "kennen, maar dat betekent niet dat het ook altijd werkt in de praktijk."
        ),
        "steps": [
            "Met behulp van filmpjes en daarvan afgeleide stellingen wordt de groep uitgenodigd "
            "om letterlijk stelling te nemen.",
            "In het nabespreken kan de vertaalslag gemaakt worden naar de uitwerking in de "
            "praktijk.",
        ],
        "methods": [],
    },
    "thematisch_werkoverleg": {
        "title": "Thematisch werkoverleg",
        "level": "team",
        "plan_kind": "thematisch",
        "goal": [
            "Het thema veilige publieke dienstverlening een aantal keer per jaar gestructureerd "
            "bespreken in een team, verbetermogelijkheden inventariseren en vormgeven",
        ],
        "audience": ["Team en leidinggevende"],
        "guidance": None,
        "duration": None,
        "participants": None,
        "material": None,
        "description": "Aan het einde van het thematisch werkoverleg is bereikt dat:",
        "steps": [
            "Er binnen het team is gesproken over de eigen ervaringen met normoverschrijdend "
            "gedrag",
            "Het eigen teamprotocol is geëvalueerd en dat vragen zijn beantwoord",
            "Duidelijk is geworden wat teamleden van elkaar verwachten in het voorkomen van en "
            "reageren op normoverschrijdend gedrag",
            "Duidelijk is geworden met wie buiten het team overlegd moet worden over actuele "
            "casuïstiek, of gerelateerd aan de effectiviteit van beleid",
            "Dat werkafspraken concreet zijn geformuleerd",
        ],
        "methods": [],
    },
    "arena": {
        "title": "Arenagesprek",
        "level": "organisatie",
        "plan_kind": "dialoog",
        "goal": _DIALOOG_GOAL,
        "audience": [],
        "guidance": None,
        "duration": None,
        "participants": None,
        "material": None,
        "description": (
            "In een arenagesprek worden verschillende betrokkenen bij het thema veilige publieke "
            "dienstverlening met elkaar in contact gebracht. Bv. bestuurders of leidinggevend met "
            "medewerkers. In een arenagesprek worden de deelnemers verdeeld in een binnen- en een "
            "buitenring. In de eerste ronde wordt door de gespreksleider aan de binnenring een "
            "aantal vragen gesteld, bv. over hun ervaringen met agressie en geweld, de impact van "
            "incidenten, de verwachtingen van de organisatie, succesfactoren en verbeterpunten, "
            "dilemma's. In de tweede ronde stelt de buitenring vragen aan de binnenring om hun "
            "verhaal nog beter te begrijpen en ontstaat een gesprek of dialoog. Voor management "
            "en bestuurders geeft een dergelijk gesprek een gevoel van 'terug naar de werkvloer'. "
            "Voor medewerkers groeit het gevoel van 'gehoord worden'. Door heel concreet in te "
            "zoomen op praktijkervaringen ontstaat een voor alle betrokkenen indringende "
            "ervaring, die, vanuit gezamenlijk begrip en gedeelde verantwoordelijkheid, zorgt "
            "voor bereidheid tot het komen tot oplossingen en inzicht geeft in de mogelijke "
            "oplossingen."
            "\n\n"
            "Als dat gewenst is kan van een arenadiscussie een audiovisuele opname worden "
            "gemaakt. Een samenvatting kan dan gebruikt worden in werkoverleg, in "
            "introductieprogramma's e.d."
        ),
        "steps": [
            "In een arenagesprek worden de deelnemers verdeeld in een binnen- en een buitenring.",
            "In de eerste ronde wordt door de gespreksleider aan de binnenring een aantal vragen "
            "gesteld, bv. over hun ervaringen met agressie en geweld, de impact van incidenten, "
            "de verwachtingen van de organisatie, succesfactoren en verbeterpunten, dilemma's.",
            "In de tweede ronde stelt de buitenring vragen aan de binnenring om hun verhaal nog "
            "beter te begrijpen en ontstaat een gesprek of dialoog.",
        ],
        "methods": [],
    },
    "storytelling": {
        "title": "Storytelling; de kracht van verhalen",
        "level": "organisatie",
        "plan_kind": "dialoog",
        "goal": _DIALOOG_GOAL,
        "audience": [],
        "guidance": None,
        "duration": None,
        "participants": None,
        "material": None,
        "description": (
            "Als start kunnen verhalen uit verschillende onderdelen van de organisatie worden "
            "opgetekend, vastgelegd en verfilmd. Zo ontstaat er overdraagbaar materiaal, dat "
            "input kan zijn voor een gesprek. Dat gesprek wordt ingeleid vanuit de verzamelde "
            "verhalen en vindt plaats in kleine groepen op een informele manier. De opbrengsten "
            "worden verzameld en daarover kan weer worden gecommuniceerd."
        ),
        "steps": [
            "Als start kunnen verhalen uit verschillende onderdelen van de organisatie worden "
            "opgetekend, vastgelegd en verfilmd.",
            "Dat gesprek wordt ingeleid vanuit de verzamelde verhalen en vindt plaats in kleine "
            "groepen op een informele manier.",
            "De opbrengsten worden verzameld en daarover kan weer worden gecommuniceerd.",
        ],
        "methods": [],
    },
    "lagerhuis": {
        "title": "Lagerhuisdiscussie",
        "level": "organisatie",
        "plan_kind": "dialoog",
        # The annex's own "Het doel van deze werkvorm is ..." sentence, its two aims.
        "goal": [
            "het discussiëren over standpunten ten opzichte van een stelling",
            "het in kaart brengen van zoveel mogelijk argumenten zowel voor als tegen de stelling",
        ],
        "audience": [],
        "guidance": None,
        "duration": None,
        "participants": None,
        "material": None,
        "description": (
            "De begeleider van het Lagerhuis poneert een stelling ten aanzien van het thema "
            "veilige publieke dienstverlening. De groep wordt in tweeën gedeeld. Elke groep "
            "verdedigt een standpunt voor of tegen. Elke groep bedenkt argumenten in zijn belang. "
            "Het is de bedoeling dat beide partijen op elkaars argumenten reageren met "
            "tegenargumenten. Wie een argument wil inbrengen gaat staan en voert het woord. De "
            "eerste die gaat staan, krijgt de beurt. Het doel van deze werkvorm is het "
            "discussiëren over standpunten ten opzichte van een stelling en het in kaart brengen "
            "van zoveel mogelijk argumenten zowel voor als tegen de stelling. De partij met de "
            "meeste argumenten heeft gewonnen. De discussie wordt afgerond met een nabespreking "
            "waarin conclusies worden samengevat."
        ),
        "steps": [
            "De begeleider van het Lagerhuis poneert een stelling ten aanzien van het thema "
            "veilige publieke dienstverlening.",
            "De groep wordt in tweeën gedeeld.",
            "Elke groep verdedigt een standpunt voor of tegen. Elke groep bedenkt argumenten in "
            "zijn belang.",
            "Het is de bedoeling dat beide partijen op elkaars argumenten reageren met "
            "tegenargumenten.",
            "Wie een argument wil inbrengen gaat staan en voert het woord. De eerste die gaat "
            "staan, krijgt de beurt.",
            "De partij met de meeste argumenten heeft gewonnen.",
            "De discussie wordt afgerond met een nabespreking waarin conclusies worden samengevat.",
        ],
        "methods": [],
    },
    "incidentevaluatie": {
        "title": "Gestructureerde incident-evaluatie",
        "level": "organisatie",
        "plan_kind": "incidentanalyse",
        "goal": [
            "Vanuit een systeembenadering onderzoeken welke factoren hebben bijgedragen aan een "
            "incident, om te kunnen komen tot structurele verbetermaatregelen.",
        ],
        "audience": [
            "(Direct) leidinggevenden",
            "Betrokken medewerker(s) (evt.)",
            "Coördinator agressie en geweld",
        ],
        "guidance": None,
        "duration": None,
        "participants": None,
        "material": None,
        # The seed's next sentence points to a picture of the contributing factors that the
        # text does not carry; it and the GIR trend analysis that follows are left out.
        "description": (
            "Na een incident vindt een eerste evaluatie plaats, meestal tussen de betrokken "
            "medewerker en zijn/haar leidinggevende."
            "\n\n"
            "Het is van belang om vervolgens gestructureerd te onderzoeken welke factoren aan het "
            "agressie-incident hebben bijgedragen en wat de kans op herhaling is. Op basis van "
            "dit onderzoek kunnen de juiste maatregelen genomen worden."
            "\n\n"
            "Doorloop in ieder geval de volgende stappen:"
        ),
        "steps": [
            "Beschrijf het incident",
            "Bepaal de directe en indirecte oorzaken van de gebeurtenis",
            "Classificeer de oorzaken in technische, organisatorische, medewerker- en "
            "burgergerelateerde oorzaken",
            "Bepaal voor iedere geclassificeerde oorzaak of actie ondernomen dient te worden",
        ],
        "methods": [],
    },
}

# Obvious spelling slips corrected above, so a reader can check them against the seed:
# (where, as the seed writes it, as transcribed). Each is one line of a step.
TYPOS: tuple[tuple[str, str, str], ...] = (
    (
        "WORK_FORMS['dilemma'] step 6",
        "Welke mogelijkheden of gedragalternatieven zijn er? En doen deze alternatieven recht "
        "aan de genoemde waarden en normen?",
        "Welke mogelijkheden of gedragsalternatieven zijn er? En doen deze alternatieven recht "
        "aan de genoemde waarden en normen?",
    ),
    (
        "WORK_FORMS['dilemma'] step 8",
        "Waar kiezen we als team voor en op basis waarvan (handelingsafpraak)",
        "Waar kiezen we als team voor en op basis waarvan (handelingsafspraak)",
    ),
)


def work_forms_json() -> list[dict]:
    """The forms as the API serves them: a list, each with its key."""
    return [{"key": key, **form} for key, form in WORK_FORMS.items()]
