"""Anonymising an incident past its period: the row and everything the counts and the annual
report need stay (dates, team, victim and reporter as staff references, channel, behaviour
type, kinds, seriousness, consequences answered yes/no, measures' kinds and dates, police
steps' kinds, the analysis's cause classes); what names or describes people goes: the
aggressor's details, free text, references, letters, aftercare notes and signs, and the
values in the history. docs/retention.md lists every column and why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.followup.models import AftercareRecord, IncidentLetter, IncidentMeasure, PoliceRecord
from services.incidents.form import QUESTIONS
from services.incidents.models import Incident, IncidentChange
from services.incidents.vocabulary import CLOSED
from services.retention.policy import kept_since

# What stands where free text stood, so every screen says so without knowing about retention.
ANONYMISED = "[geanonimiseerd]"

KEPT_ANSWERS = {q.field for q in QUESTIONS if q.kind != "text"}  # yes/no, amounts, dates
# History values that are categories or dates; every other value in a change goes.
KEPT_FIELDS = {"status", "behaviour_type", "kinds", "channel", "occurred_at", "serious_criteria"}
KEPT_FIELDS |= {f"form.{name}" for name in KEPT_ANSWERS}
KEPT_FOLLOW_UP = {
    "kind",
    "measure",
    "starts_on",
    "ends_on",
    "previous_ends_on",
    "on",
    "done_on",
    "reported_at",
    "how",
    "step",
    "label",
    "letter_id",
    "state",
    "domicile",
    "days",
    "causes",
}
KEPT_CAUSE = {"kind", "category", "action_due_on", "action_done_on"}
KEPT_BREACH = {"on", "extend_days", "recorded_at"}


def text(value: str | None) -> str | None:
    """Free text replaced by the marker; nothing written stays nothing."""
    return ANONYMISED if value else value


def scrub(entry: dict, kept: set[str]) -> dict:
    """The keys in `kept` as they are; text becomes the marker, anything else (a person's id,
    a list of signs) nothing."""
    return {
        k: v if k in kept else text(v) if isinstance(v, str) else None for k, v in entry.items()
    }


def analysis(found: dict) -> dict:
    if not found:
        return found
    return {
        "answers": scrub(found.get("answers") or {}, kept=set()),
        "causes": [scrub(cause, KEPT_CAUSE) for cause in found.get("causes") or []],
    }


def change(entry: dict) -> dict:
    """One history entry: a report's edit ({field, old, new}) or a follow-up action."""
    if "field" not in entry:
        return scrub(entry, KEPT_FOLLOW_UP)
    return entry if entry["field"] in KEPT_FIELDS else scrub(entry, {"field"})


def due(now: datetime, days: int) -> Select:
    """Closed incidents not yet anonymised, closed before the cut-off; an open one never,
    however old."""
    return (
        select(Incident.id, Incident.closed_at)
        .where(
            Incident.status == CLOSED,
            Incident.anonymised_at.is_(None),
            Incident.closed_at < kept_since(now, days),
        )
        .order_by(Incident.closed_at, Incident.id)
    )


def anonymise(session: Session, now: datetime, ids: list[int]) -> None:
    for incident in session.scalars(select(Incident).where(Incident.id.in_(ids))):
        _incident(incident, now)
    for change_row in _of(session, IncidentChange, ids):
        change_row.changes = [change(c) for c in change_row.changes]
    for measure in _of(session, IncidentMeasure, ids):
        measure.note = text(measure.note)
        measure.breaches = [scrub(b, KEPT_BREACH) for b in measure.breaches]
    for record in _of(session, PoliceRecord, ids):
        record.reference, record.reason = "", text(record.reason)
    for step in _of(session, AftercareRecord, ids):
        step.notes, step.signs, step.referral = text(step.notes), [], None
    for letter in _of(session, IncidentLetter, ids):
        letter.text, letter.pdf = ANONYMISED, None
    session.flush()


def _incident(incident: Incident, now: datetime) -> None:
    incident.aggressor_name = incident.aggressor_address = incident.aggressor_client_ref = ""
    incident.description = text(incident.description)
    incident.location = text(incident.location)
    incident.form = scrub(incident.form or {}, KEPT_ANSWERS)
    incident.analysis = analysis(incident.analysis or {})
    incident.szw_reference = incident.szw_written_reference = ""
    incident.anonymised_at = now  # the version column moves too: an open edit form is stale


def _of(session: Session, model, ids: list[int]) -> list:
    return list(session.scalars(select(model).where(model.incident_id.in_(ids))))
