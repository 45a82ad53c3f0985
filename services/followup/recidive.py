"""Recidive: the same aggressor's earlier incidents in the register, for the reaction matrix.
A client reference identifies a person; otherwise the name, and the address when both have one.

What counts: earlier incidents in the same row(s) of the matrix; for A/B behaviour, which has no
row of its own, every earlier incident of that person (§7: "Blijft iemand doorgaan met A-, B-
en C-gedrag …": persistence is what makes it count)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.followup.matrix import categories_of
from services.identity import tokens
from services.incidents.models import Incident


def same_aggressor(a: Incident, b: Incident) -> bool:
    ref_a, ref_b = tokens(a.aggressor_client_ref), tokens(b.aggressor_client_ref)
    if ref_a and ref_b:
        return ref_a == ref_b
    name_a, name_b = tokens(a.aggressor_name), tokens(b.aggressor_name)
    if not name_a or name_a != name_b:
        return False
    addr_a, addr_b = tokens(a.aggressor_address), tokens(b.aggressor_address)
    return not addr_a or not addr_b or addr_a == addr_b


def with_aggressor(session: Session) -> list[Incident]:
    """Every incident that names an aggressor, oldest first: where recidive is looked for."""
    return list(
        session.scalars(
            select(Incident)
            .where(or_(Incident.aggressor_name != "", Incident.aggressor_client_ref != ""))
            .order_by(Incident.occurred_at)
        )
    )


def earlier_incidents(candidates: list[Incident], incident: Incident) -> list[Incident]:
    """This aggressor's earlier incidents that count for the matrix, oldest first."""
    if not incident.has_aggressor_details:
        return []
    rows = set(categories_of(incident.behaviour_type, incident.kinds))
    return [
        c
        for c in candidates
        if c.id != incident.id
        and c.occurred_at < incident.occurred_at
        and same_aggressor(c, incident)
        and (not rows or rows & set(categories_of(c.behaviour_type, c.kinds)))
    ]
