"""What an alarm looks like to responders, to the worker who raised it, and on the timeline.

Responders get what they need to find the worker, headline first: who, the place of the visit
(address and floor), the last position with its age and accuracy, navigation links, and why the
position is missing when it is. Never the visit's client reference or anything from the
register: that is need-to-know for the worker's managers, not for everyone alerted.

After a duress PIN the worker's view is frozen as a cancel, so the phone shows an onlooker
nothing but a cancelled alarm, while responders see the truth."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from services.alarms.models import (
    OUTCOME_LABELS,
    PIN_ATTEMPTS,
    POSITION_STATUS_LABELS,
    RESPONSE_LABELS,
    Alarm,
    AlarmLog,
    AlarmState,
    Outcome,
    PositionStatus,
)
from services.clock import iso
from services.visits.views import KIND_LABELS

MAP_LINK = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
MAP_SEARCH = "https://www.openstreetmap.org/search?query={query}"


def _person(user) -> dict | None:
    return None if user is None else {"id": user.id, "name": user.name}


def _acks(alarm: Alarm, until: datetime | None = None) -> list[dict]:
    return [
        {
            "user": _person(a.user),
            "response": a.response,
            "response_label": RESPONSE_LABELS[a.response],
            "at": iso(a.at),
        }
        for a in alarm.acknowledgements
        if until is None or a.at <= until
    ]


def _position(alarm: Alarm) -> dict | None:
    if alarm.lat is None:
        return None
    return {
        "lat": alarm.lat,
        "lon": alarm.lon,
        "accuracy": alarm.accuracy,
        "at": iso(alarm.position_at),
    }


def position_status(alarm: Alarm) -> PositionStatus:
    if alarm.lat is not None:
        return PositionStatus.SHARED
    return PositionStatus(alarm.position_status or PositionStatus.UNKNOWN)


def _visit(alarm: Alarm) -> dict | None:
    """Where the alarm was raised: the visit or shift under way, as far as a responder needs."""
    visit = alarm.visit
    if visit is None:
        return None
    return {
        "id": visit.id,
        "kind": visit.kind,
        "kind_label": KIND_LABELS[visit.kind],
        "address": visit.address,
        "floor_room": visit.floor_room,
        "buddy": _person(visit.buddy),
        "checked_in_at": iso(visit.checked_in_at),
    }


def place_text(alarm: Alarm) -> str:
    """The place in one line, address first: what a notification or a phone call says."""
    visit = alarm.visit
    if visit is not None:
        floor = f", {visit.floor_room}" if visit.floor_room else ""
        return f"{visit.address}{floor}"
    if alarm.lat is not None:
        return f"Locatie {alarm.lat:.5f}, {alarm.lon:.5f} (±{alarm.accuracy:.0f} m)"
    return "Locatie onbekend. Bel de medewerker."


def navigation(alarm: Alarm) -> list[dict]:
    """Links a phone's maps app opens: `geo:` (Android) and a web map (every phone)."""
    links = []
    if alarm.lat is not None:
        lat, lon = f"{alarm.lat:.6f}", f"{alarm.lon:.6f}"
        links.append(
            {
                "kind": "position",
                "label": "Navigeer naar de laatste positie",
                "geo": f"geo:{lat},{lon}?q={lat},{lon}",
                "map": MAP_LINK.format(lat=lat, lon=lon),
            }
        )
    if alarm.visit is not None:
        query = quote(alarm.visit.address, safe="")
        links.append(
            {
                "kind": "address",
                "label": "Navigeer naar het bezoekadres",
                "geo": f"geo:0,0?q={query}",
                "map": MAP_SEARCH.format(query=query),
            }
        )
    return links


def whereabouts(alarm: Alarm) -> dict:
    """The part of the responder view that moves with the worker: sent with every position."""
    status = position_status(alarm)
    return {
        "place": place_text(alarm),
        "position": _position(alarm),
        "position_status": status,
        "position_status_label": POSITION_STATUS_LABELS[status],
        "navigation": navigation(alarm),
    }


def responder_view(alarm: Alarm) -> dict:
    worker = alarm.worker
    outcome = Outcome(alarm.outcome) if alarm.outcome else None
    return {
        "id": alarm.id,
        "client_id": alarm.client_id,
        "state": alarm.state,
        "test": alarm.is_test,
        "duress": alarm.duress,
        "raised_at": iso(alarm.raised_at),
        "closed_at": iso(alarm.closed_at),
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS.get(outcome),
        "worker": {
            "id": worker.id,
            "name": worker.name,
            "phone": worker.phone,
            "team": None
            if worker.team is None
            else {"id": worker.team.id, "name": worker.team.name},
        },
        "visit": _visit(alarm),
        **whereabouts(alarm),
        "pin_failures": alarm.pin_failures,
        "pin_locked": alarm.pin_locked,
        "acknowledgements": _acks(alarm),
        "escalation_step": alarm.fired_steps,
    }


def worker_view(alarm: Alarm) -> dict:
    """What the worker's phone is told. After a duress PIN: exactly what a cancel would have
    shown, frozen at that moment. Nothing that only responders need (position, PIN attempts)."""
    worker, duress = alarm.worker, alarm.duress
    state = AlarmState.CANCELLED if duress else alarm.state
    outcome = Outcome.FALSE_ALARM if duress else (Outcome(alarm.outcome) if alarm.outcome else None)
    return {
        "id": alarm.id,
        "client_id": alarm.client_id,
        "state": state,
        "test": alarm.is_test,
        "raised_at": iso(alarm.raised_at),
        "closed_at": iso(alarm.duress_at if duress else alarm.closed_at),
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS.get(outcome),
        "worker": {"id": worker.id, "name": worker.name},
        "visit": _visit(alarm),
        "acknowledgements": _acks(alarm, until=alarm.duress_at if duress else None),
        "escalation_step": alarm.duress_step if duress else alarm.fired_steps,
    }


def view_for(alarm: Alarm, user_id: int) -> dict:
    return worker_view(alarm) if user_id == alarm.worker_id else responder_view(alarm)


def _label(entry: AlarmLog) -> str:
    actor = entry.actor.name if entry.actor else "Systeem"
    subject = entry.subject.name if entry.subject else ""
    detail = entry.detail or {}
    channel = {"websocket": "app", "push": "push"}.get(entry.channel, entry.channel or "")
    place = f" — {detail['place']}" if detail.get("place") else ""
    missing = POSITION_STATUS_LABELS.get(detail.get("position_status"), "")
    labels = {
        "raised": f"{'Testalarm' if detail.get('test') else 'Alarm'} gemaakt door {actor}{place}",
        "notified": f"Gewaarschuwd: {subject} (stap {detail.get('step')})",
        "escalated": f"Opgeschaald naar stap {detail.get('step')}: niemand had bevestigd",
        "push_sent": f"Verstuurd via push naar {subject}",
        "push_failed": f"Push naar {subject} mislukt ({detail.get('status')})"
        + (", nieuwe poging volgt" if detail.get("retry") else ""),
        "delivered": f"Ontvangen door {subject} ({channel})",
        "seen": f"Gezien door {subject} ({channel})",
        "acknowledged": f"{actor}: {RESPONSE_LABELS.get(detail.get('response'), '')}",
        "position_missing": missing,
        "pin_wrong": f"Onjuiste pincode ingevoerd ({detail.get('attempt')} van {PIN_ATTEMPTS})",
        "pin_locked": f"Intrekken met pincode geblokkeerd na {PIN_ATTEMPTS} onjuiste pincodes: "
        "mogelijk probeert iemand anders het alarm in te trekken",
        "duress": f"DWANG: {actor} bevestigde 'Alles goed' bij het bezoek met de dwang-pincode; "
        "het alarm loopt stil door"
        if detail.get("at_visit")
        else f"DWANG: {actor} trok in met de dwang-pincode; het alarm loopt door",
        "duress_again": f"DWANG opnieuw: {actor} bevestigde weer 'Alles goed' met de dwang-pincode",
        "duress_after_lock": f"DWANG: {actor} voerde de dwang-pincode in (intrekken was al "
        "geblokkeerd); het alarm loopt door",
        "cancelled": f"Ingetrokken door {actor} met pincode",
        "resolved": f"Afgesloten door {actor}: "
        f"{OUTCOME_LABELS.get(detail.get('outcome'), detail.get('outcome'))}",
    }
    return labels.get(entry.kind, entry.kind)


def timeline_view(entries: list[AlarmLog]) -> list[dict]:
    return [
        {
            "at": iso(e.at),
            "kind": e.kind,
            "label": _label(e),
            "actor": _person(e.actor),
            "subject": _person(e.subject),
            "channel": e.channel,
        }
        for e in entries
    ]
