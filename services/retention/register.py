"""Deleting AIR entries past their period, with their measures and their history (versions):
N days after the last of their measures ended, or for an entry without measures N days after
its last change; never while a measure runs or has no end. An incident's decision that put a
measure in the AIR keeps the measure's period (the annual report counts measures and their
length), without the link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Date, Select, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from services.followup.models import IncidentMeasure
from services.register.models import RegisterEntry, RegisterMeasure, RegisterVersion
from services.retention.policy import ended_before, kept_since


def due(now: datetime, days: int) -> Select:
    """(id, the day its period counts from): the last measure's last day, else the day of the
    entry's last change."""
    of_entry = RegisterMeasure.entry_id == RegisterEntry.id
    still_counts = or_(
        RegisterMeasure.ends_on.is_(None), RegisterMeasure.ends_on >= ended_before(now, days)
    )
    last_end = select(func.max(RegisterMeasure.ends_on)).where(of_entry).scalar_subquery()
    return (
        select(
            RegisterEntry.id,
            func.coalesce(last_end, func.date(RegisterEntry.updated_at), type_=Date),
        )
        .where(
            ~exists().where(of_entry, still_counts),
            or_(exists().where(of_entry), RegisterEntry.updated_at < kept_since(now, days)),
        )
        .order_by(RegisterEntry.id)
    )


def delete_entries(session: Session, now: datetime, ids: list[int]) -> None:
    in_air = select(RegisterMeasure.id).where(RegisterMeasure.entry_id.in_(ids))
    decisions = session.execute(
        select(IncidentMeasure, RegisterMeasure.starts_on, RegisterMeasure.ends_on)
        .join(RegisterMeasure, IncidentMeasure.air_measure_id == RegisterMeasure.id)
        .where(IncidentMeasure.air_measure_id.in_(in_air))
    )
    for decision, starts_on, ends_on in decisions:
        decision.period_starts_on, decision.period_ends_on = starts_on, ends_on
        decision.air_measure_id = None
    session.flush()
    for statement in (  # the history holds the names too (its foreign keys cascade as well)
        delete(RegisterVersion).where(RegisterVersion.entry_id.in_(ids)),
        delete(RegisterMeasure).where(RegisterMeasure.entry_id.in_(ids)),
        delete(RegisterEntry).where(RegisterEntry.id.in_(ids)),
    ):
        session.execute(statement, execution_options={"synchronize_session": False})
