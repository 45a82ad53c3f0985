"""Every administrative change is written down in the same transaction as the change itself:
who, when, which department, team or person, and each changed field before and after. Read by
the administrator and the coordinator (`GET /api/admin/changes`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from services.admin.models import AdminChange
from services.audit.chain import append
from services.clock import iso
from services.limits import Limit

PAGE = Limit(200, min=1)  # changes in one answer


@dataclass(frozen=True)
class Entry:
    """One entity's change, ready to be written down."""

    entity: str
    entity_id: int
    label: str
    action: str
    before: dict | None
    after: dict


def difference(before: dict | None, after: dict) -> tuple[dict | None, dict]:
    """Only what changed: (the old values, the new ones); all of `after` for a creation."""
    if before is None:
        return None, after
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(session: Session, now: datetime, *, actor_id: int, entry: Entry, via: str) -> None:
    before, after = difference(entry.before, entry.after)
    if before == {}:  # nothing changed: nothing to write down
        return
    append(
        session,
        AdminChange(
            at=now,
            actor_id=actor_id,
            entity=entry.entity,
            entity_id=entry.entity_id,
            label=entry.label[:200],
            action=entry.action,
            before=before,
            after=after,
            via=via,
        ),
    )


def changes(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AdminChange]:
    """The newest first; `before_id` pages back."""
    query = select(AdminChange).options(joinedload(AdminChange.actor))
    if entity is not None:
        query = query.where(AdminChange.entity == entity)
    if entity_id is not None:
        query = query.where(AdminChange.entity_id == entity_id)
    if before_id is not None:
        query = query.where(AdminChange.id < before_id)
    return list(session.scalars(query.order_by(AdminChange.id.desc()).limit(limit)))


def change_json(change: AdminChange) -> dict:
    return {
        "id": change.id,
        "at": iso(change.at),
        "actor": {"id": change.actor.id, "name": change.actor.name},
        "entity": change.entity,
        "entity_id": change.entity_id,
        "label": change.label,
        "action": change.action,
        "before": change.before,
        "after": change.after,
        "via": change.via,
    }
