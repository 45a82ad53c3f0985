"""What an alarm looks like to responders, to the worker who raised it, and on the timeline.

After a duress PIN the worker's view is frozen as a cancel, so the phone shows an onlooker
nothing but a cancelled alarm, while responders see the truth."""
from __future__ import annotations

from datetime import datetime

from services.alarms.models import (OUTCOME_LABELS, RESPONSE_LABELS, Alarm, AlarmLog,
                                    AlarmState, Outcome)
from services.clock import iso


def _person(user) -> dict | None:
    return None if user is None else {"id": user.id, "name": user.name}


def _acks(alarm: Alarm, until: datetime | None = None) -> list[dict]:
    return [{"user": _person(a.user), "response": a.response,
             "response_label": RESPONSE_LABELS[a.response], "at": iso(a.at)}
            for a in alarm.acknowledgements if until is None or a.at <= until]


def _position(alarm: Alarm) -> dict | None:
    if alarm.lat is None:
        return None
    return {"lat": alarm.lat, "lon": alarm.lon, "accuracy": alarm.accuracy,
            "at": iso(alarm.position_at)}


def responder_view(alarm: Alarm) -> dict:
    worker = alarm.worker
    outcome = Outcome(alarm.outcome) if alarm.outcome else None
    return {"id": alarm.id, "client_id": alarm.client_id, "state": alarm.state,
            "test": alarm.is_test, "duress": alarm.duress, "raised_at": iso(alarm.raised_at),
            "closed_at": iso(alarm.closed_at), "outcome": outcome,
            "outcome_label": OUTCOME_LABELS.get(outcome),
            "worker": {"id": worker.id, "name": worker.name, "phone": worker.phone,
                       "team": None if worker.team is None else
                       {"id": worker.team.id, "name": worker.team.name}},
            "position": _position(alarm), "acknowledgements": _acks(alarm),
            "escalation_step": alarm.fired_steps}


def worker_view(alarm: Alarm) -> dict:
    """The truth, except after a duress PIN: then exactly what a cancel would have shown."""
    view = responder_view(alarm)
    if alarm.duress:
        view.update(state=AlarmState.CANCELLED, duress=False, closed_at=iso(alarm.duress_at),
                    outcome=Outcome.FALSE_ALARM,
                    outcome_label=OUTCOME_LABELS[Outcome.FALSE_ALARM],
                    acknowledgements=_acks(alarm, until=alarm.duress_at),
                    escalation_step=alarm.duress_step)
    return view


def view_for(alarm: Alarm, user_id: int) -> dict:
    return worker_view(alarm) if user_id == alarm.worker_id else responder_view(alarm)


def _label(entry: AlarmLog) -> str:
    actor = entry.actor.name if entry.actor else "Systeem"
    subject = entry.subject.name if entry.subject else ""
    detail = entry.detail or {}
    channel = {"websocket": "app", "push": "push"}.get(entry.channel, entry.channel or "")
    labels = {
        "raised": f"{'Testalarm' if detail.get('test') else 'Alarm'} gemaakt door {actor}",
        "notified": f"Gewaarschuwd: {subject} (stap {detail.get('step')})",
        "escalated": f"Opgeschaald naar stap {detail.get('step')}: niemand had bevestigd",
        "push_sent": f"Verstuurd via push naar {subject}",
        "push_failed": f"Push naar {subject} mislukt ({detail.get('status')})",
        "delivered": f"Ontvangen door {subject} ({channel})",
        "seen": f"Gezien door {subject} ({channel})",
        "acknowledged": f"{actor}: {RESPONSE_LABELS.get(detail.get('response'), '')}",
        "duress": f"DWANG: {actor} trok in met de dwang-pincode; het alarm loopt door",
        "cancelled": f"Ingetrokken door {actor} met pincode",
        "resolved": f"Afgesloten door {actor}: "
                    f"{OUTCOME_LABELS.get(detail.get('outcome'), detail.get('outcome'))}",
    }
    return labels.get(entry.kind, entry.kind)


def timeline_view(entries: list[AlarmLog]) -> list[dict]:
    return [{"at": iso(e.at), "kind": e.kind, "label": _label(e), "actor": _person(e.actor),
             "subject": _person(e.subject), "channel": e.channel} for e in entries]
