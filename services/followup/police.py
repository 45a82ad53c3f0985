"""Police (§10): aangifte on suspicion of a criminal offence — always for D and E behaviour,
physical aggression, vandalism and serious threats — otherwise a melding. Only the victim can
file aangifte; it cannot be forced, so declining is recorded with a reason, never silently."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.clock import iso
from services.limits import Limit

REFERENCE = Limit(100)  # the police's registration number
REASON = Limit(1000)  # why no report (aangifte) was made


PHYSICAL = {"fysiek_zaak", "fysiek_persoon"}
# Annex 2 lists "reactie/sanctie naar de agressor, liefst binnen 24 uur" with "doen van
# aangifte" among the manager's duties; the police step gets the reaction's term, counted from
# the incident, or from the breach that asks for aangifte again.
POLICE_WITHIN = timedelta(hours=24)
MELDING_PHONE = "0900-8844"


def police_advice(behaviour_type: str, kinds: list[str], matrix_police: str | None) -> str | None:
    """None, "melding" or "aangifte"."""
    if behaviour_type in ("D", "E") or PHYSICAL & set(kinds):
        return "aangifte"
    return matrix_police


def advised_police(incident, advice) -> str | None:
    """The police step advised for an incident, given its matrix advice (matrix.advise): what
    the follow-up shows and what closing it waits for."""
    step = advice.step
    return police_advice(incident.behaviour_type, incident.kinds, step and step.police)


def breaches_of(measures: list) -> list[dict]:
    """Every recorded breach of the incident's measures."""
    return [b for m in measures for b in m.breaches]


def breached_since_police(records: list, breaches: list[dict]) -> bool:
    """A ban breached after the last police step asks for aangifte (lokaalvredebreuk) again."""
    last = max((iso(r.recorded_at) for r in records), default="")
    return any(b["recorded_at"] > last for b in breaches)


def police_due(occurred_at: datetime, records: list, breaches: list[dict]) -> datetime:
    if breached_since_police(records, breaches):
        last = max(datetime.fromisoformat(b["recorded_at"]) for b in breaches)
        return last + POLICE_WITHIN
    return occurred_at + POLICE_WITHIN


def police_open(advised: str | None, records: list, breaches: list[dict]) -> bool:
    """Open until a step is recorded, or declined with a reason — or a ban is breached."""
    return breached_since_police(records, breaches) or (advised is not None and not records)


POLICE_KINDS = {
    "aangifte": "Aangifte",
    "melding": "Melding",
    "afgezien": "Afgezien van aangifte of melding",
}
DEFAULT_STEP = "melding"  # what the form suggests when the matrix advises no police step


def advice_reason(behaviour_type: str, kinds: list[str], advised: str) -> str:
    if PHYSICAL & set(kinds):
        return "Fysiek geweld of vernieling: altijd aangifte (§10)."
    if behaviour_type in ("D", "E"):
        return f"{behaviour_type}-gedrag: altijd aangifte (§10)."
    what = "aangifte" if advised == "aangifte" else "een melding bij de politie"
    return f"De reactiematrix adviseert {what} (§8)."
