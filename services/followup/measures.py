"""The reactions to the aggressor a manager can decide on (§8, letters in annexes 4-7), and how
each goes into the Agressie Informatie Register."""

from services.limits import Limit
from services.register.models import MeasureKind

NOTE = Limit(1000)  # a measure's, a breach's or an extension's note
BREACH_EXTEND_DAYS = Limit(3 * 366)  # how far a breach may extend a ban at once


MEASURES = {
    "ordegesprek": "Ordegesprek",
    "waarschuwingsbrief": "Waarschuwingsbrief",
    "pandverbod": "Pandverbod (ontzegging toegang)",
    "contactverbod": "Contactverbod",
    # §6: "Als er sprake is van opgeschorte dienstverlening, kan er geen klantcontact plaatsvinden"
    "opgeschorte_dienstverlening": "Opgeschorte dienstverlening",
}
# Deciding on no measure is a decision too, recorded with its reason: the reaction is then done.
NO_MEASURE = "geen_maatregel"
REACTIONS = MEASURES | {NO_MEASURE: "Geen maatregel (met reden)"}

# The bans, and the Agressie Informatie Register's kind each becomes.
BANS = {"pandverbod": MeasureKind.PANDVERBOD, "contactverbod": MeasureKind.CONTACTVERBOD}
# Measures with a period in the AIR: "required" end, or "optional" (until ended).
PERIODS = {
    "pandverbod": "required",
    "contactverbod": "required",
    "opgeschorte_dienstverlening": "optional",
}
IN_AIR = BANS | {
    "waarschuwingsbrief": MeasureKind.WAARSCHUWING,
    "opgeschorte_dienstverlening": MeasureKind.OPGESCHORTE_DIENSTVERLENING,
}
