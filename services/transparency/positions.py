"""Who was given or read a worker's position: the worker's own "wie zag mijn locatie" list.

A position leaves the server in three ways: with the alert to the people an alarm warns
(`alarm_recipients`, with their phones' receipts and answers), live to those who follow an
open alarm without being alerted (the coordinator, administrators, the team's managers: the
event log says to whom), and in the answer to a GET. An alerted colleague's reads are the
alert itself and are not written down, so the alarm's own path stays free of writes; anyone
else's read of a position is one row in the audit trail (`position_reads`). A visit's
check-in position is sent to nobody: an alarm raised from the visit carries it, and is
listed as that alarm.

After a duress PIN the worker's phone must show the alarm as withdrawn: the list, like the
alarm screen, ends at the duress PIN, and an alarm raised under duress (the duress PIN as a
visit's "Alles goed") is not listed at all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from services.accounts.models import ROLE_LABELS, User
from services.alarms.models import Alarm, AlarmAcknowledgement, AlarmLog, AlarmRecipient
from services.audit import record
from services.audit.models import AuditEntry
from services.clock import iso
from services.events.models import Event, EventAudience
from services.transparency.statement import Words
from services.visits.models import Visit

READ_PURPOSE = "alarm overzien"  # why someone who was not alerted opens an alarm
SHOWN = {"fields": ["position"]}

# What happened with the position, in the order it usually happens.
WHAT_LABELS = {
    "alerted": "Gewaarschuwd, met je locatie",
    "followed": "Volgde het alarm live, met je locatie",
    "delivered": "Het alarm kwam binnen op de telefoon",
    "seen": "Het alarm stond op het scherm",
    "acknowledged": "Reageerde op het alarm",
    "read": "Bekeek je locatie in de app",
}
RECEIPTS = ("delivered", "seen")
# Live events that carry the responder's view of an alarm, position included.
LIVE = ("alarm.updated", "alarm.position")
USER_KEY = "user:"


def position_reads(alarms: Iterable[Alarm], viewer_id: int) -> list[int]:
    """The alarms whose answer shows `viewer_id` a position no alert gave them: the reads to
    write down. None for the worker (their own view has no position) and none for anyone
    alerted, which is who reads an alarm while it runs."""
    return [
        a.id
        for a in alarms
        if a.lat is not None
        and a.worker_id != viewer_id
        and all(r.user_id != viewer_id for r in a.recipients)
    ]


def record_position_reads(
    session: Session, now: datetime, *, viewer_id: int, alarm_ids: list[int]
) -> None:
    for alarm_id in alarm_ids:
        record(
            session,
            now,
            actor_id=viewer_id,
            act="read",
            subject="alarm",
            subject_id=alarm_id,
            purpose=READ_PURPOSE,
            shown=SHOWN,
        )


@dataclass(frozen=True)
class Sighting:
    """One person's one contact with the position."""

    person_id: int
    what: str  # WHAT_LABELS
    at: datetime


def position_views(
    session: Session, worker_id: int, since: datetime, *, words: Words = str
) -> list[dict]:
    """The worker's alarms and visits whose position is still kept (open, or closed since
    `since`), newest first, each with who was given or read it; `words` translates the
    labels."""
    alarms = _listed_alarms(session, worker_id, since)
    visits = list(
        session.scalars(
            select(Visit).where(
                Visit.worker_id == worker_id, Visit.lat.is_not(None), _kept(Visit.closed_at, since)
            )
        )
    )
    sightings = _alarm_sightings(session, alarms, worker_id)
    reads = _reads(session, "visit", [v.id for v in visits], worker_id)
    people = _people(session, [s for found in (sightings, reads) for s in _all(found)])
    views = partial(_views, people=people, words=words)
    items = [(a.raised_at, _alarm_item(a, views(sightings[a.id]))) for a in alarms] + [
        (v.checked_in_at, _visit_item(v, views(reads[v.id]))) for v in visits
    ]
    return [item for _, item in sorted(items, key=lambda pair: pair[0], reverse=True)]


def _kept(closed_at, since: datetime) -> ColumnElement[bool]:
    """Open, or closed at or after the cut-off (services/retention clears what is before)."""
    return or_(closed_at.is_(None), closed_at >= since)


def _listed_alarms(session: Session, worker_id: int, since: datetime) -> list[Alarm]:
    found = list(
        session.scalars(
            select(Alarm).where(
                Alarm.worker_id == worker_id, Alarm.lat.is_not(None), _kept(Alarm.closed_at, since)
            )
        )
    )
    hidden = _raised_under_duress(session, [a.id for a in found if a.duress])
    return [a for a in found if a.id not in hidden]


def _raised_under_duress(session: Session, alarm_ids: list[int]) -> set[int]:
    """Alarms whose duress PIN was a visit's "Alles goed": the phone never showed them."""
    if not alarm_ids:
        return set()
    rows = session.execute(
        select(AlarmLog.alarm_id, AlarmLog.detail).where(
            AlarmLog.alarm_id.in_(alarm_ids), AlarmLog.kind == "duress"
        )
    )
    return {alarm_id for alarm_id, detail in rows if (detail or {}).get("at_visit")}


def _alarm_sightings(
    session: Session, alarms: list[Alarm], worker_id: int
) -> dict[int, list[Sighting]]:
    """Per alarm: alerts, live follows, receipts, answers and reads, up to a duress PIN."""
    found: dict[int, list[Sighting]] = defaultdict(list)
    ids = [a.id for a in alarms]
    if not ids:
        return found
    alerts = _alerts(session, ids)
    for part in (
        alerts,
        _followed(session, alarms, alerts),
        _receipts(session, ids),
        _answers(session, ids),
        _reads(session, "alarm", ids, worker_id),
    ):
        for alarm_id, sightings in part.items():
            found[alarm_id].extend(sightings)
    by_id = {a.id: a for a in alarms}
    for alarm_id, sightings in found.items():
        found[alarm_id] = [s for s in sightings if _shown(by_id[alarm_id], s)]
    return found


def _shown(alarm: Alarm, sighting: Sighting) -> bool:
    """Not the worker; under duress nothing after the PIN (the phone shows a withdrawal)."""
    return sighting.person_id != alarm.worker_id and (
        alarm.duress_at is None or sighting.at <= alarm.duress_at
    )


def _grouped(rows: Iterable[tuple], what: str | None = None) -> dict[int, list[Sighting]]:
    """(alarm or visit id, person id, [kind,] at) rows as sightings per id."""
    found: dict[int, list[Sighting]] = defaultdict(list)
    for subject_id, person_id, *kind, at in rows:
        found[subject_id].append(Sighting(person_id, what or kind[0], at))
    return found


def _alerts(session: Session, ids: list[int]) -> dict[int, list[Sighting]]:
    return _grouped(
        session.execute(
            select(
                AlarmRecipient.alarm_id, AlarmRecipient.user_id, AlarmRecipient.notified_at
            ).where(AlarmRecipient.alarm_id.in_(ids))
        ),
        "alerted",
    )


def _receipts(session: Session, ids: list[int]) -> dict[int, list[Sighting]]:
    return _grouped(
        session.execute(
            select(AlarmLog.alarm_id, AlarmLog.subject_id, AlarmLog.kind, func.min(AlarmLog.at))
            .where(AlarmLog.alarm_id.in_(ids), AlarmLog.kind.in_(RECEIPTS))
            .group_by(AlarmLog.alarm_id, AlarmLog.subject_id, AlarmLog.kind)
        )
    )


def _answers(session: Session, ids: list[int]) -> dict[int, list[Sighting]]:
    answer = AlarmAcknowledgement
    return _grouped(
        session.execute(
            select(answer.alarm_id, answer.user_id, answer.at).where(answer.alarm_id.in_(ids))
        ),
        "acknowledged",
    )


def _followed(
    session: Session, alarms: list[Alarm], alerts: dict[int, list[Sighting]]
) -> dict[int, list[Sighting]]:
    """Who the event log sent a position of these alarms to live, first time each, when that
    was before any alert of theirs (the alert is listed itself)."""
    alarm_id = func.coalesce(
        Event.data[("alarm", "id")].as_integer(), Event.data["alarm_id"].as_integer()
    )
    position = func.coalesce(
        Event.data[("alarm", "position")].as_string(), Event.data["position"].as_string()
    )
    sent = (
        select(alarm_id.label("alarm_id"), EventAudience.key, Event.created_at)
        .join(EventAudience, EventAudience.event_id == Event.id)
        .where(
            Event.type.in_(LIVE),
            Event.created_at >= min(a.raised_at for a in alarms),
            alarm_id.in_([a.id for a in alarms]),
            EventAudience.key.startswith(USER_KEY),
            position.is_not(None),
        )
        .subquery()  # grouped outside: PostgreSQL cannot match a JSON path's parameters
    )
    first = session.execute(
        select(sent.c.alarm_id, sent.c.key, func.min(sent.c.created_at)).group_by(
            sent.c.alarm_id, sent.c.key
        )
    )
    alerted = {(i, s.person_id): s.at for i, found in alerts.items() for s in found}
    live = []
    for i, key, at in first:
        person = int(key.removeprefix(USER_KEY))
        alert = alerted.get((i, person))
        if alert is None or at < alert:
            live.append((i, person, at))
    return _grouped(live, "followed")


def _reads(
    session: Session, subject: str, ids: list[int], worker_id: int
) -> dict[int, list[Sighting]]:
    """Reads of these alarms' or visits' positions by others, from the audit trail."""
    if not ids:
        return {}
    return _grouped(
        session.execute(
            select(AuditEntry.subject_id, AuditEntry.actor_id, AuditEntry.at)
            .where(
                AuditEntry.act == "read",
                AuditEntry.subject == subject,
                AuditEntry.subject_id.in_(ids),
                AuditEntry.actor_id != worker_id,
            )
            .order_by(AuditEntry.id)
        ),
        "read",
    )


def _all(found: dict[int, list[Sighting]]) -> Iterable[Sighting]:
    return (s for sightings in found.values() for s in sightings)


def _people(session: Session, sightings: list[Sighting]) -> dict[int, User]:
    ids = {s.person_id for s in sightings}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def _views(sightings: list[Sighting], *, people: dict[int, User], words: Words) -> list[dict]:
    """In time order; a person's alert, receipt or answer once, each read of theirs."""
    views, seen = [], set()
    for s in sorted(sightings, key=lambda s: (s.at, list(WHAT_LABELS).index(s.what))):
        if s.what != "read" and (s.person_id, s.what) in seen:
            continue
        seen.add((s.person_id, s.what))
        person = people[s.person_id]
        views.append(
            {
                "person": {"id": person.id, "name": person.name},
                "role": person.role,
                "role_label": words(ROLE_LABELS[person.role]),
                "what": s.what,
                "what_label": words(WHAT_LABELS[s.what]),
                "at": iso(s.at),
            }
        )
    return views


def _alarm_item(alarm: Alarm, views: list[dict]) -> dict:
    closed_at = alarm.duress_at or alarm.closed_at  # under duress: withdrawn, as the phone says
    return {
        "kind": "alarm",
        "id": alarm.id,
        "test": alarm.is_test,
        "at": iso(alarm.raised_at),
        "closed_at": iso(closed_at),
        "place": alarm.visit.address if alarm.visit else None,
        "views": views,
    }


def _visit_item(visit: Visit, views: list[dict]) -> dict:
    return {
        "kind": "visit",
        "id": visit.id,
        "test": False,
        "at": iso(visit.checked_in_at),
        "closed_at": iso(visit.closed_at),
        "place": visit.address,
        "views": views,
    }
