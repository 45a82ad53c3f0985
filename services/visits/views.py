"""How a visit looks to the worker and their managers. The status is derived, not stored, and
so is what may be done next (`can`): the app shows the buttons the server allows."""

from __future__ import annotations

from datetime import datetime

from services.checklists.scoring import LEVEL_LABELS
from services.clock import iso, local_date
from services.visits.models import Visit
from services.visits.policy import alone_needs_confirmation, needs_permission, ok_needs_pin

KIND_LABELS = {"visit": "Huisbezoek of bedrijfsbezoek", "shift": "Dienst buiten"}

STATUS_LABELS = {
    "planned": "Gepland",
    "on_time": "Op tijd",
    "prompted": "Alles goed? gevraagd",
    "overdue": "Te laat",
    "escalated": "Opgeschaald",
    "closed": "Afgesloten",
}

PERMISSION_LABELS = {
    "requested": "Toestemming gevraagd",
    "approved": "Toestemming gegeven",
    "refused": "Geen toestemming",
    "expired": "Toestemming verlopen",
}

RESPONSE_LABELS = {"checking": "gaat kijken", "calling": "belt"}

ALONE_LABEL = "Alleen ingecheckt, bevestigd"

REGISTER_CHANGED = "Sinds je planning is er iets veranderd in het register"


def status_of(visit: Visit) -> str:
    if visit.state != "active":
        return visit.state
    return ("on_time", "prompted", "overdue", "escalated")[min(visit.fired_steps, 3)]


def register_message(visit: Visit) -> str:
    if visit.no_contact:
        return "Geen contact: het register meldt een contactverbod of opgeschorte dienstverlening."
    if visit.register_match:
        return (
            "Bekend in het Agressie Informatie Register: vraag je leidinggevende naar de details."
        )
    return "Niet bekend in het Agressie Informatie Register."


def approval_holds(visit: Visit, now: datetime) -> bool:
    """An approval is for this visit on the day it was given (municipal time) only."""
    return visit.override_state == "approved" and local_date(visit.override_at) == local_date(now)


def permission_state(visit: Visit, now: datetime) -> str | None:
    if visit.override_state == "approved" and not approval_holds(visit, now):
        return "expired"
    return visit.override_state


def _person(user) -> dict | None:
    return None if user is None else {"id": user.id, "name": user.name}


def _permission(visit: Visit, now: datetime) -> dict | None:
    state = permission_state(visit, now)
    if state is None:
        return None
    return {
        "state": state,
        "label": PERMISSION_LABELS[state],
        "requested_at": iso(visit.override_requested_at),
        "requested_by": _person(visit.override_requested_by),
        "request_reason": visit.override_request_reason,
        "decided_at": iso(visit.override_at) if state != "requested" else None,
        "decided_by": _person(visit.override_by) if state != "requested" else None,
        "decision_reason": visit.override_reason if state != "requested" else None,
    }


def _register_change(visit: Visit) -> dict | None:
    change = visit.register_change
    if not change:
        return None
    return {
        **change,
        "from_label": LEVEL_LABELS[change["from"]],
        "to_label": LEVEL_LABELS[change["to"]],
        "message": f"{REGISTER_CHANGED}: {change['reason']}. Nu: "
        f"{LEVEL_LABELS[change['to']]} (was {LEVEL_LABELS[change['from']]}).",
    }


def _can(visit: Visit, now: datetime) -> dict:
    planned = visit.state == "planned"
    asking = needs_permission(visit.risk_level) and not approval_holds(visit, now)
    return {
        "check_in": planned and not asking,
        "request_permission": planned and asking and visit.override_state != "requested",
    }


def responses_json(visit: Visit) -> list[dict]:
    """This cycle's answers of alerted colleagues; a stand-down starts afresh."""
    return [
        {
            "user": _person(r.user),
            "response": r.response,
            "response_label": RESPONSE_LABELS[r.response],
            "at": iso(r.at),
        }
        for r in visit.responses
        if r.cycle == visit.cycle
    ]


def visit_json(visit: Visit, now: datetime) -> dict:
    status = status_of(visit)
    worker, buddy = visit.worker, visit.buddy
    return {
        "id": visit.id,
        "kind": visit.kind,
        "visit_type": visit.visit_type,
        "address": visit.address,
        "floor_room": visit.floor_room,
        "client_ref": visit.client_ref,
        "worker": {"id": worker.id, "name": worker.name, "phone": worker.phone},
        "buddy": _person(buddy),
        "expected_minutes": visit.expected_minutes,
        "interval_minutes": visit.interval_minutes,
        "risk_level": visit.risk_level,
        "risk_label": LEVEL_LABELS[visit.risk_level],
        "advice": visit.advice,
        "air": {
            "match": visit.register_match,
            "no_contact": visit.no_contact,
            "message": register_message(visit),
        },
        "register_change": _register_change(visit),
        "state": visit.state,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "checked_in_at": iso(visit.checked_in_at),
        "due_at": iso(visit.due_at),
        "closed_at": iso(visit.closed_at),
        "permission": _permission(visit, now),
        "can": _can(visit, now),
        "alone_needs_confirmation": alone_needs_confirmation(visit.risk_level, visit.buddy_id),
        "alone_label": ALONE_LABEL if visit.alone_confirmed_at else None,
        "ok_needs_pin": ok_needs_pin(visit.risk_level, visit.register_match),
        "responses": responses_json(visit),
    }


def permission_request_json(visit: Visit, now: datetime, register_reason: str) -> dict:
    """A request as the deciding manager sees it, with the register's reason (need-to-know)."""
    return {
        "visit": visit_json(visit, now),
        "requested_at": iso(visit.override_requested_at),
        "requested_by": _person(visit.override_requested_by),
        "reason": visit.override_request_reason,
        "register_reason": register_reason,
    }
