"""The measures of §8 a manager can decide on (letters in annexes 4-7)."""

MEASURES = {
    "ordegesprek": "Ordegesprek",
    "waarschuwingsbrief": "Waarschuwingsbrief",
    "pandverbod": "Pandverbod (ontzegging toegang)",
    "contactverbod": "Contactverbod",
}
