"""The learning guide's work forms (seed 000, annexes "Leren als team; werkvormen" and "Leren als
organisatie"), in the seed's words: what each is for, for whom, how long, and its steps — so a
team-plan item that plans one gives its facilitator the agenda. `plan_kind` is the kind of
team-plan action it becomes (plan.KINDS)."""

from __future__ import annotations

QUIZ_GOAL = [
    "Medewerkers op een speelse manier in contact brengen met beleidsuitgangspunten.",
    "Beleid 'levend houden'",
    "Kennishiaten opsporen en invullen",
    "Beleid bijstellen op basis van de praktijk",
]
QUIZ_AUDIENCE = ["Medewerkers en leidinggevenden; in teams of in grotere groepen"]


def _form(title, *, level, plan_kind, goal, description, steps, **about) -> dict:
    return {
        "title": title,
        "level": level,
        "plan_kind": plan_kind,
        "goal": goal,
        "audience": about.get("audience", []),
        "guidance": about.get("guidance"),
        "duration": about.get("duration"),
        "participants": about.get("participants"),
        "material": about.get("material"),
        "description": description,
        "steps": steps,
        "methods": about.get("methods", []),
    }


WORK_FORMS: dict[str, dict] = {
    "intervisie": _form(
        "Intervisiemethoden",
        level="team",
        plan_kind="intervisie",
        goal=[
            "Collegiale uitwisseling",
            "afstemmen over 'grenzen'",
            "versterken van teamfunctioneren",
            "waarden- en normenperspectief expliciteren",
            "vergroten van handelingsperspectief",
            "persoonlijk leren",
        ],
        audience=[
            "Groepjes van 6 collega's",
            "Medewerkers uit hetzelfde team",
            "Medewerkers uit een zelfde functiegroep",
            "Leidinggevenden",
        ],
        guidance="(Professionele) intervisiebegeleider",
        duration="Bijeenkomsten van 1,5-2 uur; frequentie naar behoefte; richtlijn: 1x per 6 weken",
        description=(
            "In een intervisiebijeenkomst is er gelegenheid om, op vertrouwelijke basis, met "
            "collega's, te sparren over bovenstaande vraagstukken. Afhankelijk van de vraag "
            "kunnen er verschillende werkvormen gekozen worden."
        ),
        steps=[
            "De deelnemers aan een intervisiegroep bepalen zelf hun thema's en bepalen "
            "gezamenlijk of het nodig is om, op basis van een intervisiebijeenkomst afspraken te "
            "maken of te overleggen met anderen buiten de intervisiegroep.",
            "Een (professionele) begeleider zorgt voor een passende werkvorm, begeleidt de "
            "bijeenkomsten en draagt mede zorg voor een veilige werkomgeving.",
        ],
        methods=[
            "Viskommethode (dilemma bespreken)",
            "5-Stappen methode (verhelderen en adviseren)",
            "Roddelmethode (inzicht in eigen aandeel)",
            "Clinic (inzicht in verschillende gespreksalternatieven)",
            "Leren van successen (aanpak versterken o.b.v. wat goed is gegaan)",
            "'Op de stoel van een ander' (werken met perspectief wisselingen)",
        ],
    ),
    "dilemma": _form(
        "Dilemmamethodiek",
        level="team",
        plan_kind="dilemma",
        goal=[
            "Het scherper krijgen van de teamnorm agressie en geweld door het bespreken van "
            "dilemma's in de uitvoering",
            "Afspraken maken om dilemma's te voorkomen of op te lossen",
        ],
        audience=["Team", "Teams die samenwerken in een keten"],
        description=(
            "Dilemma's kunnen betrekking hebben op: grenzen stellen; professioneel handelen; "
            "hulp inschakelen (collega, beveiliging etc); wel/niet melden in GIR; aangifte of "
            "melding doen bij de politie; omgaan met bedreigingen of strafbare feiten."
        ),
        steps=[
            "Dilemma's inventariseren: beschrijving van een dilemmasituatie (actueel of uit het "
            "verleden) door de inbrenger(s)",
            "Kiezen van een situatie: urgentie, algemeen belang, herkenbaarheid",
            "Formuleren van een dilemma (feiten, handelingen, gevoelens): benoemen van de twee "
            "kanten van het dilemma; collega's schrijven voor zichzelf hun intuïtief oordeel op "
            '("wat zou ik doen")',
            "Verhelderen en verplaatsen: collega's stellen verhelderingsvragen (geen advies; geen "
            "eigen beleving; focus ligt op het dilemma zoals ingebracht door de inbrenger)",
            "Benoemen van waarden en normen in deze casus; wat is er in het geding? Wie zijn de "
            "betrokkenen? Wie hebben rechten, belangen of wensen in de dilemmasituatie? Welke "
            "waarden zijn in het geding voor de verschillende betrokkenen? Welke normen zijn in "
            "het geding?",
            "Zet 'betrokkenen', 'waarden' en 'normen' in een tabel.",
            "Zoeken naar alternatieven (brainstorm): welke mogelijkheden of gedragalternatieven "
            "zijn er? En doen deze alternatieven recht aan de genoemde waarden en normen?",
            "Maken van individuele afweging (inbrenger): ik vind het juist dat ik...; omwille van "
            "waarden en normen; ondanks (wat kost het); hoe kan ik schade beperken? Wat heb ik "
            "nodig om het echt te kunnen doen (persoon, team, organisatie)",
            "Overeenkomsten/verschillen: waar zijn we het over eens als team? Waar zitten "
            "verschillen? Waar kiezen we als team voor en op basis waarvan "
            "(handelingsafspraak)? Praktische werkafspraken",
            "Terugblik/evaluatie",
        ],
    ),
    "kennisquiz": _form(
        "De kennisquiz",
        level="team",
        plan_kind="kennis",
        goal=QUIZ_GOAL,
        audience=QUIZ_AUDIENCE,
        participants="10-50 medewerkers",
        duration="60 minuten",
        material="kaartjes met daarop vragen naar 'feiten' en opvattingen.",
        description=(
            "Ervaring leert dat informatie op allerlei manieren moet worden aangeboden en "
            "herhaald, om medewerkers er bewust mee bekend te maken en om er ook voor te zorgen "
            "dat er vanuit medewerkers informatie terug komt die nodig is om het beleid blijvend "
            "te laten aansluiten bij de praktijk."
        ),
        steps=[
            "De begeleider legt de werkvorm uit en verdeelt de deelnemers in groepen.",
            "Quiz-spelregels: de begeleider stelt achtereenvolgens aan de groepen een vraag "
            "waarbij een aantal punten kan worden verdiend als er een goed antwoord wordt "
            "gegeven. De groep met de meeste punten is de winnaar.",
            "Het apart houden van vragen: de begeleider legt kaartjes met de vragen waarop de "
            "antwoorden in de groep niet bekend zijn of waarover verschillen van meningen "
            "bestaan, apart. Die kunnen later aan orde komen.",
        ],
    ),
    "stellingen": _form(
        "Werken met filmpjes en stellingen: eens/oneens",
        level="team",
        plan_kind="kennis",
        goal=QUIZ_GOAL,
        audience=QUIZ_AUDIENCE,
        participants="10-50 medewerkers",
        duration="60 minuten",
        material="Filmpjes en stellingen; groene en rode kaarten en/of een eens/oneens hoek",
        description=(
            "Met behulp van filmpjes en daarvan afgeleide stellingen wordt de groep uitgenodigd "
            "om letterlijk stelling te nemen. Op deze manier wordt snel inzichtelijk welke "
            "informatie bekend is, welke minder."
        ),
        steps=[
            "Met behulp van filmpjes en daarvan afgeleide stellingen wordt de groep uitgenodigd "
            "om letterlijk stelling te nemen.",
            "In het nabespreken kan de vertaalslag gemaakt worden naar de uitwerking in de "
            "praktijk.",
        ],
    ),
    "thematisch_werkoverleg": _form(
        "Thematisch werkoverleg",
        level="team",
        plan_kind="thematisch",
        goal=[
            "Het thema veilige publieke dienstverlening een aantal keer per jaar gestructureerd "
            "bespreken in een team, verbetermogelijkheden inventariseren en vormgeven"
        ],
        audience=["Team en leidinggevende"],
        description="Aan het einde van het thematisch werkoverleg is bereikt dat:",
        steps=[
            "Er binnen het team is gesproken over de eigen ervaringen met normoverschrijdend "
            "gedrag",
            "Het eigen teamprotocol is geëvalueerd en dat vragen zijn beantwoord",
            "Duidelijk is geworden wat teamleden van elkaar verwachten in het voorkomen van en "
            "reageren op normoverschrijdend gedrag",
            "Duidelijk is geworden met wie buiten het team overlegd moet worden over actuele "
            "casuïstiek, of gerelateerd aan de effectiviteit van beleid",
            "Dat werkafspraken concreet zijn geformuleerd",
        ],
    ),
    "arena": _form(
        "Arenagesprek",
        level="organisatie",
        plan_kind="dialoog",
        goal=[
            "Verhelderen van urgentie",
            "Bespreken van dilemma's in het werken volgens de norm",
            "Creëren van wederzijds begrip",
            "Uitwerken van 'ketenaanpak'",
        ],
        description=(
            "In een arenagesprek worden verschillende betrokkenen bij het thema veilige publieke "
            "dienstverlening met elkaar in contact gebracht. Bv. bestuurders of leidinggevend "
            "met medewerkers."
        ),
        steps=[
            "In een arenagesprek worden de deelnemers verdeeld in een binnen- en een buitenring.",
            "In de eerste ronde wordt door de gespreksleider aan de binnenring een aantal vragen "
            "gesteld, bv. over hun ervaringen met agressie en geweld, de impact van incidenten, "
            "de verwachtingen van de organisatie, succesfactoren en verbeterpunten, dilemma's.",
            "In de tweede ronde stelt de buitenring vragen aan de binnenring om hun verhaal nog "
            "beter te begrijpen en ontstaat een gesprek of dialoog.",
        ],
    ),
    "storytelling": _form(
        "Storytelling; de kracht van verhalen",
        level="organisatie",
        plan_kind="dialoog",
        goal=[
            "Verhelderen van urgentie",
            "Bespreken van dilemma's in het werken volgens de norm",
            "Creëren van wederzijds begrip",
            "Uitwerken van 'ketenaanpak'",
        ],
        description=(
            "Als start kunnen verhalen uit verschillende onderdelen van de organisatie worden "
            "opgetekend, vastgelegd en verfilmd. Zo ontstaat er overdraagbaar materiaal, dat "
            "input kan zijn voor een gesprek."
        ),
        steps=[
            "Als start kunnen verhalen uit verschillende onderdelen van de organisatie worden "
            "opgetekend, vastgelegd en verfilmd.",
            "Dat gesprek wordt ingeleid vanuit de verzamelde verhalen en vindt plaats in kleine "
            "groepen op een informele manier.",
            "De opbrengsten worden verzameld en daarover kan weer worden gecommuniceerd.",
        ],
    ),
    "lagerhuis": _form(
        "Lagerhuisdiscussie",
        level="organisatie",
        plan_kind="dialoog",
        goal=[
            "Verhelderen van urgentie",
            "Bespreken van dilemma's in het werken volgens de norm",
            "Creëren van wederzijds begrip",
            "Uitwerken van 'ketenaanpak'",
        ],
        description=(
            "Het doel van deze werkvorm is het discussiëren over standpunten ten opzichte van "
            "een stelling en het in kaart brengen van zoveel mogelijk argumenten zowel voor als "
            "tegen de stelling."
        ),
        steps=[
            "De begeleider van het Lagerhuis poneert een stelling ten aanzien van het thema "
            "veilige publieke dienstverlening.",
            "De groep wordt in tweeën gedeeld. Elke groep verdedigt een standpunt voor of tegen.",
            "Elke groep bedenkt argumenten in zijn belang.",
            "Wie een argument wil inbrengen gaat staan en voert het woord. De eerste die gaat "
            "staan, krijgt de beurt.",
            "De discussie wordt afgerond met een nabespreking waarin conclusies worden samengevat.",
        ],
    ),
    "incidentevaluatie": _form(
        "Gestructureerde incident-evaluatie",
        level="organisatie",
        plan_kind="incidentanalyse",
        goal=[
            "Vanuit een systeembenadering onderzoeken welke factoren hebben bijgedragen aan een "
            "incident, om te kunnen komen tot structurele verbetermaatregelen."
        ],
        audience=[
            "(Direct) leidinggevenden",
            "Betrokken medewerker(s) (evt.)",
            "Coördinator agressie en geweld",
        ],
        description=(
            "Het is van belang om vervolgens gestructureerd te onderzoeken welke factoren aan "
            "het agressie-incident hebben bijgedragen en wat de kans op herhaling is. Op basis "
            "van dit onderzoek kunnen de juiste maatregelen genomen worden."
        ),
        steps=[
            "Beschrijf het incident",
            "Bepaal de directe en indirecte oorzaken van de gebeurtenis",
            "Classificeer de oorzaken in technische, organisatorische, medewerker- en "
            "burgergerelateerde oorzaken",
            "Bepaal voor iedere geclassificeerde oorzaak of actie ondernomen dient te worden",
        ],
    ),
}


def work_forms_json() -> list[dict]:
    return [{"key": key, **form} for key, form in WORK_FORMS.items()]
