"""The register read again at check-in. The protocol (§6): "Voordat een medewerker contact
heeft met een klant, raadpleegt hij/zij het Agressie Informatie Register" — and a visit may be
planned days before the contact. What changed is said in words a field worker may read:
which kind of entry, never a name or a remark (need-to-know). Pure."""

from __future__ import annotations

from services.checklists.scoring import LEVELS, RegisterFinding, higher_level

NEW_NO_CONTACT = "er geldt nu een contactverbod of opgeschorte dienstverlening"
NEW_DANGER = "het register meldt nu een pandverbod of eerder dreigend of gewelddadig gedrag"
NEW_MATCH = "dit adres of deze klant staat nu in het Agressie Informatie Register"


def register_change(
    *, level: str, match: bool, no_contact: bool, assessed_level: str, finding: RegisterFinding
) -> dict | None:
    """What the register says now that the visit did not know, with the level it leads to;
    None when nothing is new. The level never goes down here: a visit planned under a measure
    that has ended since is planned again, not quietly made lighter at the door."""
    below_hoog = LEVELS.index(level) < LEVELS.index("hoog")
    if finding.no_contact and not no_contact:
        reason = NEW_NO_CONTACT
    elif finding.floor == "hoog" and (below_hoog or not match):
        reason = NEW_DANGER
    elif finding.match and not match:
        reason = NEW_MATCH
    else:
        return None
    return {"from": level, "to": higher_level(level, assessed_level), "reason": reason}
