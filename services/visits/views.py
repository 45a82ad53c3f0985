"""How a visit looks to the worker and their managers. The status is derived, not stored."""
from __future__ import annotations

from services.checklists.scoring import LEVEL_LABELS
from services.clock import iso
from services.visits.models import Visit

KIND_LABELS = {"visit": "Huisbezoek of bedrijfsbezoek", "shift": "Dienst buiten"}

STATUS_LABELS = {"planned": "Gepland", "on_time": "Op tijd", "prompted": "Alles goed? gevraagd",
                 "overdue": "Te laat", "escalated": "Opgeschaald", "closed": "Afgesloten"}


def status_of(visit: Visit) -> str:
    if visit.state != "active":
        return visit.state
    return ("on_time", "prompted", "overdue", "escalated")[min(visit.fired_steps, 3)]


def register_message(visit: Visit) -> str:
    if visit.no_contact:
        return ("Geen contact: het register meldt een contactverbod of opgeschorte "
                "dienstverlening.")
    if visit.register_match:
        return ("Bekend in het Agressie Informatie Register: vraag je leidinggevende naar de "
                "details.")
    return "Niet bekend in het Agressie Informatie Register."


def visit_json(visit: Visit) -> dict:
    status = status_of(visit)
    worker, buddy = visit.worker, visit.buddy
    return {"id": visit.id, "kind": visit.kind, "visit_type": visit.visit_type,
            "address": visit.address, "floor_room": visit.floor_room,
            "client_ref": visit.client_ref,
            "worker": {"id": worker.id, "name": worker.name, "phone": worker.phone},
            "buddy": None if buddy is None else {"id": buddy.id, "name": buddy.name},
            "expected_minutes": visit.expected_minutes,
            "interval_minutes": visit.interval_minutes,
            "risk_level": visit.risk_level, "risk_label": LEVEL_LABELS[visit.risk_level],
            "advice": visit.advice,
            "air": {"match": visit.register_match, "no_contact": visit.no_contact,
                    "message": register_message(visit)},
            "state": visit.state, "status": status, "status_label": STATUS_LABELS[status],
            "checked_in_at": iso(visit.checked_in_at), "due_at": iso(visit.due_at),
            "closed_at": iso(visit.closed_at),
            "override": None if visit.override_at is None else
            {"by": {"id": visit.override_by.id, "name": visit.override_by.name},
             "reason": visit.override_reason, "at": iso(visit.override_at)}}
