"""The measures of §8 a manager can decide on (letters in annexes 4-7)."""
from services.register.models import MeasureKind

MEASURES = {
    "ordegesprek": "Ordegesprek",
    "waarschuwingsbrief": "Waarschuwingsbrief",
    "pandverbod": "Pandverbod (ontzegging toegang)",
    "contactverbod": "Contactverbod",
}

# The bans, and the Agressie Informatie Register's kind each becomes.
BANS = {"pandverbod": MeasureKind.PANDVERBOD, "contactverbod": MeasureKind.CONTACTVERBOD}
