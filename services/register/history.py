"""The register's history: every change to an entry or one of its measures is a version, written
in the change's own transaction (who, when, which fields from what to what, and why), and read
back by managers and the coordinator, as the register itself is (each read in the audit trail)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from services import audit
from services.clock import Clock, iso, json_value
from services.errors import NotFound
from services.register.access import manager
from services.register.models import (
    MEASURE_LABELS,
    RegisterEntry,
    RegisterMeasure,
    RegisterVersion,
)

ENTRY_FIELDS = ("name", "client_ref", "address", "known_aggressive", "behaviour_type", "remarks")
MEASURE_FIELDS = ("kind", "starts_on", "ends_on", "reason")
ACTIONS = (
    "created",
    "changed",
    "measure_added",
    "measure_ended",
    "measure_extended",
    "measure_restarted",  # a breach restarted the ban (§8)
)


def snapshot(row: RegisterEntry | RegisterMeasure) -> dict:
    """The fields a version compares, as JSON values."""
    names = ENTRY_FIELDS if isinstance(row, RegisterEntry) else MEASURE_FIELDS
    return {name: json_value(getattr(row, name)) for name in names}


def filled(values: dict) -> dict:
    """A creation's fields: what it was given (an empty text or a flag not set is no news)."""
    return {name: value for name, value in values.items() if value not in (None, "", False)}


def record(
    session: Session,
    now: datetime,
    *,
    actor_id: int,
    action: str,
    entry: RegisterEntry,
    before: dict,
    after: dict,
    measure: RegisterMeasure | None = None,
    reason: str = "",
) -> RegisterVersion | None:
    """Store what changed from `before` to `after` (snapshots); nothing when nothing did."""
    if action not in ACTIONS:
        raise ValueError(f"unknown register action: {action}")
    changed = [name for name, value in after.items() if before.get(name) != value]
    if not changed:
        return None
    session.flush()  # a new entry or measure has its id
    version = RegisterVersion(
        entry_id=entry.id,
        measure_id=measure.id if measure else None,
        at=now,
        actor_id=actor_id,
        action=action,
        before={name: before[name] for name in changed if name in before},
        after={name: after[name] for name in changed},
        reason=reason[:500],
    )
    session.add(version)
    return version


def versions_of(
    session: Session, clock: Clock, *, user_id: int, entry_id: int
) -> list[RegisterVersion]:
    """An entry's versions, oldest first; reading them is in the audit trail."""
    manager(session, user_id)
    if session.get(RegisterEntry, entry_id) is None:
        raise NotFound("Onbekende registratie.")
    found = list(
        session.scalars(
            select(RegisterVersion)
            .where(RegisterVersion.entry_id == entry_id)
            .order_by(RegisterVersion.id)
            .options(joinedload(RegisterVersion.actor), joinedload(RegisterVersion.measure))
        )
    )
    audit.record(
        session,
        clock.now(),
        actor_id=user_id,
        act="read",
        subject="air_entry",
        subject_id=entry_id,
        purpose="geschiedenis bekeken",
        shown={"versions": [v.id for v in found]},
    )
    return found


def version_json(version: RegisterVersion) -> dict:
    measure = version.measure
    return {
        "id": version.id,
        "at": iso(version.at),
        "action": version.action,
        "actor": {"id": version.actor_id, "name": version.actor.name},
        "measure": measure
        and {"id": measure.id, "kind": measure.kind, "label": MEASURE_LABELS[measure.kind]},
        "changes": [
            {"field": name, "before": version.before.get(name), "after": value}
            for name, value in version.after.items()
        ],
        "reason": version.reason,
    }
