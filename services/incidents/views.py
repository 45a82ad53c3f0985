"""The register's JSON: a summary for lists and events, the detail for one reader."""

from __future__ import annotations

from services.clock import iso
from services.incidents.form import open_questions, seven_ws
from services.incidents.models import Incident, IncidentChange


def completeness(incident: Incident) -> dict:
    ws = seven_ws(
        aggressor_named=bool(incident.aggressor_name or incident.aggressor_client_ref),
        form=incident.form or {},
        description=incident.description,
        kinds=incident.kinds,
        location=incident.location,
        channel=incident.channel,
        occurred_at=incident.occurred_at,
    )
    return {
        "count": sum(ws.values()),
        "of": len(ws),
        "ws": ws,
        "open_questions": open_questions(incident.form or {}),
    }


def _person(user) -> dict:
    return {"id": user.id, "name": user.name}


def summary_json(incident: Incident) -> dict:
    """No description and no aggressor: safe for lists, events and push payloads."""
    done = completeness(incident)
    return {
        "id": incident.id,
        "number": f"GIR-{incident.id}",
        "occurred_at": iso(incident.occurred_at),
        "reported_at": iso(incident.reported_at),
        "behaviour_type": incident.behaviour_type,
        "kinds": incident.kinds,
        "combination": len(incident.kinds) > 1,
        "channel": incident.channel,
        "location": incident.location,
        "status": incident.status,
        "serious": incident.serious,
        "victim": _person(incident.victim),
        "team": {"id": incident.team.id, "name": incident.team.name} if incident.team else None,
        "completeness": {"count": done["count"], "of": done["of"]},
    }


def _change_json(change: dict, sees_aggressor: bool) -> dict:
    if sees_aggressor or not change["field"].startswith("aggressor."):
        return change
    return {"field": change["field"], "old": None, "new": None, "redacted": True}


REPORT_ACTIONS = ("gemeld", "gewijzigd")  # the rest is follow-up: measures, police, aftercare


def history_json(history: list[IncidentChange], viewer, incident: Incident) -> list[dict]:
    """The report's own edits for everyone who sees it; the follow-up (measures against the
    aggressor, police, aftercare notes on the victim) only for those who act on it."""
    return [
        {
            "at": iso(h.at),
            "by": _person(h.user),
            "action": h.action,
            "changes": [_change_json(c, viewer.sees_aggressor) for c in h.changes],
        }
        for h in history
        if h.action in REPORT_ACTIONS or viewer.manages(incident)
    ]


def detail_json(incident: Incident, viewer, history: list[IncidentChange]) -> dict:
    sees = viewer.sees_aggressor
    return summary_json(incident) | {
        "client_id": incident.client_id,
        "version": incident.version,
        "updated_at": iso(incident.updated_at),
        "description": incident.description,
        "reporter": _person(incident.reporter),
        "alarm_id": incident.alarm_id,
        "visit_id": incident.visit_id,
        "serious_criteria": incident.serious_criteria,
        "form": incident.form or {},
        "aggressor": {
            "name": incident.aggressor_name,
            "address": incident.aggressor_address,
            "client_ref": incident.aggressor_client_ref,
        }
        if sees
        else None,
        "aggressor_recorded": incident.has_aggressor_details,
        "completeness": completeness(incident),
        "history": history_json(history, viewer, incident),
        "can_edit": viewer.may_edit(incident),
        "can_set_status": viewer.manages(incident),
    }
