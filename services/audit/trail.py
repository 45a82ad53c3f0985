"""Write down who saw which personal data, and let the coordinator search it.

AVG art. 5(2) and 32: whoever reads an aggressor's details or a colleague's position does so
for a reason that can be asked after. One row per act, in the same transaction as the read,
so an answer that left the server always has its row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from services.accounts.models import Role
from services.accounts.service import get_user
from services.audit.chain import append
from services.audit.models import AuditEntry
from services.clock import iso
from services.errors import NotAllowed
from services.limits import Limit
from services.spreadsheet import cell

# What was done: aggressor or position details shown, the register asked, data taken away.
ACTS = ("read", "lookup", "export")
# What it was done to: an incident, the register (as a whole) or one of its entries, an alarm
# or visit (a staff member's position), the trail itself (an export of it).
SUBJECTS = ("incident", "air", "air_entry", "alarm", "visit", "audit")
PAGE = Limit(200, min=1)  # rows in one answer


def record(
    session: Session,
    now: datetime,
    *,
    actor_id: int | None,
    act: str,
    subject: str,
    subject_id: int | None,
    purpose: str,
    shown: dict,
) -> None:
    if act not in ACTS or subject not in SUBJECTS:
        raise ValueError(f"unknown audit act or subject: {act} {subject}")
    append(
        session,
        AuditEntry(
            at=now,
            actor_id=actor_id,
            act=act,
            subject=subject,
            subject_id=subject_id,
            purpose=purpose[:100],
            shown=shown,
        ),
    )


@dataclass(frozen=True)
class TrailFilter:
    """The coordinator's search: a period, a person, a subject (and one of its ids), an act."""

    since: datetime | None = None
    until: datetime | None = None  # exclusive
    actor_id: int | None = None
    subject: str | None = None
    subject_id: int | None = None
    act: str | None = None

    def where(self) -> list:
        clauses = []
        if self.since is not None:
            clauses.append(AuditEntry.at >= self.since)
        if self.until is not None:
            clauses.append(AuditEntry.at < self.until)
        for column, value in (
            (AuditEntry.actor_id, self.actor_id),
            (AuditEntry.subject, self.subject),
            (AuditEntry.subject_id, self.subject_id),
            (AuditEntry.act, self.act),
        ):
            if value is not None:
                clauses.append(column == value)
        return clauses


def _coordinator(session: Session, user_id: int) -> None:
    if get_user(session, user_id).role != Role.COORDINATOR:
        raise NotAllowed("Alleen de coördinator doorzoekt het inzagelog.")


def entries(
    session: Session, viewer_id: int, found: TrailFilter, *, limit: int, before: int | None = None
) -> tuple[list[AuditEntry], int | None]:
    """Newest first, paged by id: (page, id to continue before)."""
    _coordinator(session, viewer_id)
    where = found.where() + ([AuditEntry.id < before] if before else [])
    rows = list(
        session.scalars(
            select(AuditEntry)
            .options(joinedload(AuditEntry.actor))
            .where(*where)
            .order_by(AuditEntry.id.desc())
            .limit(limit + 1)
        )
    )
    more = len(rows) > limit
    return rows[:limit], rows[limit - 1].id if more else None


def entry_json(row: AuditEntry) -> dict:
    return {
        "id": row.id,
        "at": iso(row.at),
        "actor": row.actor and {"id": row.actor.id, "name": row.actor.name},
        "act": row.act,
        "subject": row.subject,
        "subject_id": row.subject_id,
        "purpose": row.purpose,
        "shown": row.shown,
    }


HEADER = ["Nr", "Tijdstip (UTC)", "Medewerker", "Handeling", "Onderwerp", "Nummer", "Doel"]


def export_csv(
    session: Session, now: datetime, *, viewer_id: int, found: TrailFilter
) -> tuple[str, int]:
    """The whole selection as CSV (semicolons and a BOM, as spreadsheets here expect); the
    export is itself an act on the trail. Returns (text, rows)."""
    _coordinator(session, viewer_id)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*HEADER, "Getoond"])
    rows = 0
    query = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .where(*found.where())
        .order_by(AuditEntry.id)
        .execution_options(yield_per=1000)
    )
    for row in session.scalars(query):
        actor = row.actor.name if row.actor else ""
        shown = ", ".join(f"{k}: {v}" for k, v in sorted(row.shown.items()))
        values = [row.id, iso(row.at), actor, row.act, row.subject, row.subject_id, row.purpose]
        writer.writerow([cell(v) for v in [*values, shown]])
        rows += 1
    record(
        session,
        now,
        actor_id=viewer_id,
        act="export",
        subject="audit",
        subject_id=None,
        purpose="inzagelog geëxporteerd",
        shown={"rows": rows, "filter": _filter_json(found)},
    )
    return out.getvalue(), rows


def _filter_json(found: TrailFilter) -> dict:
    return {
        k: iso(v) if isinstance(v, datetime) else v for k, v in vars(found).items() if v is not None
    }
