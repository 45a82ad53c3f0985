"""The audit trail's acts and subjects in the coordinator's words, for the PWA's search
(`GET /api/vocabulary`, "audit_trail"). The codes are trail.py's; a code without its label
here fails on import, so the search can never offer less than the trail holds."""

from __future__ import annotations

from services.audit.trail import ACTS, SUBJECTS

ACT_LABELS = {"read": "Ingezien", "lookup": "Opgezocht", "export": "Geëxporteerd"}
SUBJECT_LABELS = {
    "incident": "Incident",
    "air": "Agressie Informatie Register",
    "air_entry": "Vermelding in het register",
    "alarm": "Alarm (locatie)",
    "visit": "Bezoek (locatie)",
    "audit": "Inzagelog",
}
# Subjects whose number is an incident report's: the PWA links the number to that report.
REPORTS = ("incident",)


def published() -> dict:
    """Acts and subjects in trail.py's order, each with its label."""
    return {
        "acts": [{"code": act, "label": ACT_LABELS[act]} for act in ACTS],
        "subjects": [
            {"code": subject, "label": SUBJECT_LABELS[subject], "report": subject in REPORTS}
            for subject in SUBJECTS
        ],
    }
