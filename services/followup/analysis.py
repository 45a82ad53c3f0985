"""Incident analysis: §9's questions and the learning guide's structured evaluation — direct
and indirect causes, classified as technical, organisational, employee or citizen, each with
an action, its owner and a date."""

from services.limits import Limit

ANSWER = Limit(2000)
CAUSE_DESCRIPTION = Limit(1000, min=1)
CAUSE_ACTION = Limit(500)

ANALYSIS_QUESTIONS = {
    # The structured evaluation's first step (seed 000): "Beschrijf het incident".
    "beschrijving": "Beschrijf het incident.",
    "aanleiding": "Wat was de aanleiding van het incident?",
    "factoren": "Welke factoren speelden een rol?",
    "volgorde": "Wie zei wat en in welke volgorde?",
    "inschatting": "Hoe werd de situatie van tevoren ingeschat?",
    "acties_agressor": "Welke acties werden ondernomen richting de agressor?",
    "hoe_actie": "Hoe werd er actie ondernomen (bijvoorbeeld een gesprek met de burger)?",
}
CAUSE_CATEGORIES = {
    "technisch": "Technisch (gebouw, middelen, alarm)",
    "organisatorisch": "Organisatorisch (werkwijze, afspraken, bezetting)",
    "medewerker": "Medewerker (inschatting, vaardigheden, omstandigheden)",
    "burger": "Burger (persoon, situatie, achtergrond)",
}
CAUSE_KINDS = {"direct": "Directe oorzaak", "indirect": "Indirecte oorzaak"}
# "Bepaal voor iedere geclassificeerde oorzaak of actie ondernomen dient te worden" (seed 000).
CAUSE_DECISIONS = {"actie": "Actie nodig", "geen_actie": "Geen actie nodig"}
ACTION_NEEDED = "actie"
