"""Changing the register: its entries and measures, from the register's own screen (who may
change what is need-to-know: access.py) and from an incident's follow-up (whose rights are the
incident's). Every change writes its version (history.py) in the same transaction; a change
sets only the fields it is given (PATCH); ending a measure early or clearing "bekend agressief"
says why."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from services.accounts.models import User
from services.clock import Clock, local_date
from services.errors import Conflict, Invalid, NotFound
from services.register import history
from services.register.access import manager, recording_team, rights_of
from services.register.models import MeasureKind, RegisterEntry, RegisterMeasure
from services.register.service import (
    day_text,
    extend,
    locked_entry,
    locked_measure,
    period_text,
    refuse_a_far_end,
    refuse_a_far_start,
    refuse_a_second,
    refuse_too_long,
)

IDENTITY = ("name", "client_ref", "address")  # an entry names at least one


def _cleaned(fields: dict) -> dict:
    """An identity given as blanks is none."""
    return {k: ((v or "").strip() or None) if k in IDENTITY else v for k, v in fields.items()}


def _refuse_nobody(values: dict, sent: Iterable[str]) -> None:
    if not any(values.get(name) for name in IDENTITY):
        named = [name for name in IDENTITY if name in sent] or ["address"]
        raise Invalid("Geef een naam, klantreferentie of adres.", dict.fromkeys(named, "verplicht"))


def _entry(session: Session, entry_id: int) -> RegisterEntry:
    entry = locked_entry(session, entry_id)
    if entry is None:
        raise NotFound("Onbekende registratie.")
    return entry


def _measure(session: Session, measure_id: int) -> RegisterMeasure:
    measure = locked_measure(session, measure_id)
    if measure is None:
        raise NotFound("Onbekende maatregel.")
    return measure


# ---- entries ---------------------------------------------------------------------------------


def new_entry(
    session: Session, now: datetime, *, actor: User, fields: dict, reason: str = ""
) -> RegisterEntry:
    """An entry recorded by `actor`'s team, with its first version."""
    fields = {"known_aggressive": False, "remarks": ""} | _cleaned(fields)
    _refuse_nobody(fields, fields)
    entry = RegisterEntry(
        **fields,
        created_at=now,
        created_by_id=actor.id,
        team_id=recording_team(session, actor),
        updated_at=now,
    )
    session.add(entry)
    history.record(
        session,
        now,
        actor_id=actor.id,
        action="created",
        entry=entry,
        before={},
        after=history.filled(history.snapshot(entry)),
        reason=reason,
    )
    return entry


def _change_entry(
    session: Session,
    now: datetime,
    *,
    actor_id: int,
    entry: RegisterEntry,
    fields: dict,
    reason: str,
) -> RegisterEntry:
    fields = _cleaned(fields)
    before = history.snapshot(entry)
    _refuse_nobody(before | fields, fields)
    if entry.known_aggressive and fields.get("known_aggressive") is False and not reason.strip():
        raise Invalid("Geef de reden om 'bekend agressief' uit te zetten.", {"reason": "verplicht"})
    for name, value in fields.items():
        setattr(entry, name, value)
    changed = history.record(
        session,
        now,
        actor_id=actor_id,
        action="changed",
        entry=entry,
        before=before,
        after=history.snapshot(entry),
        reason=reason,
    )
    if changed is not None:
        entry.updated_at = now
    return entry


def add_entry(session: Session, clock: Clock, *, user_id: int, fields: dict) -> RegisterEntry:
    return new_entry(session, clock.now(), actor=manager(session, user_id), fields=fields)


def change_entry(
    session: Session,
    clock: Clock,
    *,
    user_id: int,
    entry_id: int,
    fields: dict,
    reason: str = "",
) -> RegisterEntry:
    """Only the fields given change; the entry keeps a name, client reference or address."""
    rights = rights_of(session, user_id)
    entry = _entry(session, entry_id)
    rights.require_entry(entry)
    return _change_entry(
        session, clock.now(), actor_id=user_id, entry=entry, fields=fields, reason=reason
    )


def flag_from_incident(
    session: Session,
    now: datetime,
    *,
    actor: User,
    entry: RegisterEntry | None,
    identity: dict,
    behaviour_type: str,
    reason: str,
) -> RegisterEntry:
    """An incident's follow-up: the aggressor's entry (recorded when the register does not
    know them) is flagged known aggressive, with the worst behaviour seen."""
    if entry is None:
        flags = {"known_aggressive": True, "behaviour_type": behaviour_type}
        return new_entry(session, now, actor=actor, fields=identity | flags, reason=reason)
    worst = max(entry.behaviour_type or "A", behaviour_type)
    return _change_entry(
        session,
        now,
        actor_id=actor.id,
        entry=entry,
        fields={"known_aggressive": True, "behaviour_type": worst},
        reason=reason,
    )


# ---- measures --------------------------------------------------------------------------------


@contextmanager
def _versioned(
    session: Session,
    now: datetime,
    *,
    actor_id: int,
    action: str,
    measure: RegisterMeasure,
    reason: str = "",
) -> Iterator[None]:
    """What the block changes in `measure` is one version."""
    before = history.snapshot(measure)
    yield
    history.record(
        session,
        now,
        actor_id=actor_id,
        action=action,
        entry=measure.entry,
        measure=measure,
        before=before,
        after=history.snapshot(measure),
        reason=reason,
    )


def record_measure(
    session: Session,
    now: datetime,
    *,
    actor_id: int,
    entry: RegisterEntry,
    kind: MeasureKind,
    starts_on: date,
    ends_on: date | None,
    reason: str,
    incident_id: int | None = None,
    victim_id: int | None = None,
) -> RegisterMeasure:
    """A measure in `entry` (locked), one of a kind at a time; from an incident's follow-up
    with that incident and its victim, whose responsible manager may then change it."""
    refuse_a_second(entry, kind=kind, starts_on=starts_on, ends_on=ends_on)
    measure = RegisterMeasure(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason[:500],
        created_at=now,
        created_by_id=actor_id,
        incident_id=incident_id,
        victim_id=victim_id,
    )
    entry.measures.append(measure)
    history.record(
        session,
        now,
        actor_id=actor_id,
        action="measure_added",
        entry=entry,
        measure=measure,
        before={},
        after=history.filled(history.snapshot(measure)),
    )
    return measure


def add_measure(
    session: Session,
    clock: Clock,
    *,
    user_id: int,
    entry_id: int,
    kind: MeasureKind,
    starts_on: date,
    ends_on: date | None,
    reason: str,
) -> RegisterMeasure:
    rights = rights_of(session, user_id)
    entry = _entry(session, entry_id)
    rights.require_entry(entry)
    now = clock.now()
    refuse_a_far_start(starts_on, local_date(now))
    if ends_on is not None and ends_on < starts_on:
        raise Invalid("De einddatum ligt voor de begindatum.", {"ends_on": "voor begin"})
    refuse_too_long(starts_on, ends_on)
    return record_measure(
        session,
        now,
        actor_id=user_id,
        entry=entry,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )


def end_measure(
    session: Session,
    clock: Clock,
    *,
    user_id: int,
    measure_id: int,
    on: date | None = None,
    reason: str = "",
) -> RegisterMeasure:
    """Ending a measure on a day means it no longer holds from that day on, that day
    included: stored as ending (tot en met) the day before, so `active_on` needs no
    exception and a check-in after ending it today is allowed at once. Before its end date
    (or one without), it is ended early: that needs a reason."""
    rights = rights_of(session, user_id)
    measure = _measure(session, measure_id)
    rights.require_measure(measure)
    now = clock.now()
    today = local_date(now)
    on = on or today
    if on < today:
        raise Invalid(
            "Een maatregel eindigt vandaag of later, niet in het verleden.",
            {"on": "in het verleden"},
        )
    refuse_a_far_end(on, today)
    last_day = on - timedelta(days=1)
    if measure.ends_on is not None and measure.ends_on < last_day:
        # ending it "later" would revive or lengthen it: that is an extension
        raise Conflict(
            "Deze maatregel is dan al afgelopen ({period}).", period=period_text(measure)
        )
    if not reason.strip() and (measure.ends_on is None or last_day < measure.ends_on):
        raise Invalid(
            "Geef de reden om deze maatregel eerder te beëindigen.", {"reason": "verplicht"}
        )
    with _versioned(
        session, now, actor_id=user_id, action="measure_ended", measure=measure, reason=reason
    ):
        measure.ends_on = last_day
    return measure


def extend_noted(
    session: Session,
    now: datetime,
    *,
    actor_id: int,
    measure: RegisterMeasure,
    ends_on: date,
    note: Callable[[date], str],
    reason: str = "",
) -> date:
    """A running ban or suspension (locked) ends later (`service.extend`'s rules); `note`,
    given the end it had, is kept with the measure's reason. Returns the end it had."""
    with _versioned(
        session, now, actor_id=actor_id, action="measure_extended", measure=measure, reason=reason
    ):
        previous = extend(measure, ends_on, local_date(now))
        measure.reason = "; ".join(filter(None, (measure.reason, note(previous))))[:500]
    return previous


def extend_measure(
    session: Session, clock: Clock, *, user_id: int, measure_id: int, ends_on: date, reason: str
) -> RegisterMeasure:
    """The register's own extension; the reason is kept with the measure's reason."""
    rights = rights_of(session, user_id)
    measure = _measure(session, measure_id)
    rights.require_measure(measure)

    def note(previous: date) -> str:
        return f"Verlengd van {day_text(previous)} tot en met {day_text(ends_on)}: {reason}".rstrip(
            ": "
        )

    extend_noted(
        session,
        clock.now(),
        actor_id=user_id,
        measure=measure,
        ends_on=ends_on,
        note=note,
        reason=reason,
    )
    return measure


def restart_measure(
    session: Session,
    now: datetime,
    *,
    actor_id: int,
    measure: RegisterMeasure,
    starts_on: date,
    ends_on: date,
    reason: str,
) -> None:
    """A breach restarts a ban (§8), as an incident's follow-up decides."""
    with _versioned(
        session, now, actor_id=actor_id, action="measure_restarted", measure=measure, reason=reason
    ):
        measure.starts_on, measure.ends_on = starts_on, ends_on
