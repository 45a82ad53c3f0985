"""Police (§10): aangifte on suspicion of a criminal offence — always for D and E behaviour,
physical aggression, vandalism and serious threats — otherwise a melding. Only the victim can
file aangifte; it cannot be forced, so declining is recorded with a reason, never silently."""
from __future__ import annotations

PHYSICAL = {"fysiek_zaak", "fysiek_persoon"}
MELDING_PHONE = "0900-8844"


def police_advice(behaviour_type: str, kinds: list[str], matrix_police: str | None) -> str | None:
    """None, "melding" or "aangifte"."""
    if behaviour_type in ("D", "E") or PHYSICAL & set(kinds):
        return "aangifte"
    return matrix_police


POLICE_KINDS = {"aangifte": "Aangifte", "melding": "Melding",
                "afgezien": "Afgezien van aangifte of melding"}


def advice_reason(behaviour_type: str, kinds: list[str], advised: str) -> str:
    if PHYSICAL & set(kinds):
        return "Fysiek geweld of vernieling: altijd aangifte (§10)."
    if behaviour_type in ("D", "E"):
        return f"{behaviour_type}-gedrag: altijd aangifte (§10)."
    what = "aangifte" if advised == "aangifte" else "een melding bij de politie"
    return f"De reactiematrix adviseert {what} (§8)."
