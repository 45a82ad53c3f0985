"""Look up, maintain and audit the register."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.accounts.models import MANAGING_ROLES, Role
from services.accounts.service import get_user
from services.audit.models import AuditEntry
from services.checklists.scoring import RegisterFinding
from services.clock import Clock, local_date
from services.errors import Conflict, Invalid, Lower, NotAllowed, NotFound, Text
from services.register.models import (
    MEASURE_LABELS,
    MeasureKind,
    RegisterEntry,
    RegisterMeasure,
)

NO_CONTACT = {MeasureKind.CONTACTVERBOD, MeasureKind.OPGESCHORTE_DIENSTVERLENING}
# One of each at a time for a person or address: a second would leave two overlapping periods
# (which one holds, which one a breach restarts?); the running one is extended instead.
ONE_AT_A_TIME = {
    MeasureKind.PANDVERBOD,
    MeasureKind.CONTACTVERBOD,
    MeasureKind.OPGESCHORTE_DIENSTVERLENING,
}
LONGEST = timedelta(days=5 * 366)  # a period of at most five years


@lru_cache(maxsize=4096)  # the to-do list compares every open incident with every aggressor
def tokens(text: str | None) -> tuple[str, ...]:
    return tuple(re.sub(r"[^0-9a-z]+", " ", (text or "").lower()).split())


def _address_matches(entry_address: str | None, asked: str) -> bool:
    """Word-wise prefix either way: "Kerkstraat 7" matches "kerkstraat 7, Demodorp" and the
    other way round, but not "Kerkstraat 71" — a missed match is dangerous, a false one
    alarms for nothing. Asking needs at least street and number."""
    wanted, given = tokens(entry_address), tokens(asked)
    return bool(wanted) and (
        given[: len(wanted)] == wanted or (len(given) >= 2 and wanted[: len(given)] == given)
    )


def entries_matching(
    entries: list[RegisterEntry], address: str, client_ref: str | None
) -> list[RegisterEntry]:
    ref = (client_ref or "").strip().lower()
    return [
        e
        for e in entries
        if (ref and (e.client_ref or "").lower() == ref) or _address_matches(e.address, address)
    ]


def matching_entries(session: Session, address: str, client_ref: str | None) -> list[RegisterEntry]:
    return entries_matching(
        list(session.scalars(select(RegisterEntry).order_by(RegisterEntry.id))), address, client_ref
    )


def finding(entries: list[RegisterEntry], today: date) -> RegisterFinding:
    """What the checklist rules need to know; never names or remarks."""
    if not entries:
        return RegisterFinding()
    active = {m.kind for e in entries for m in e.measures if m.active_on(today)}
    dangerous = any(e.known_aggressive and e.behaviour_type in ("D", "E") for e in entries)
    if active & NO_CONTACT:
        return RegisterFinding(
            match=True,
            floor="niet_gaan",
            no_contact=True,
            advice=(
                "Het register meldt een contactverbod of opgeschorte dienstverlening: geen "
                "contact. Alleen je leidinggevende kan een uitzondering vastleggen.",
            ),
        )
    floor = "hoog" if dangerous or MeasureKind.PANDVERBOD in active else "verhoogd"
    return RegisterFinding(
        match=True,
        floor=floor,
        advice=(
            "Het Agressie Informatie Register kent deze persoon of dit adres: ga niet alleen en "
            "vraag je leidinggevende naar de details.",
        ),
    )


def look_up(
    session: Session,
    clock: Clock,
    *,
    user_id: int,
    address: str,
    client_ref: str | None,
    purpose: str,
) -> tuple[list[RegisterEntry], RegisterFinding]:
    """Every lookup is logged, matched or not."""
    found = matching_entries(session, address, client_ref)
    audit.record(
        session,
        clock.now(),
        actor_id=user_id,
        act="lookup",
        subject="air",
        subject_id=None,
        purpose=purpose,
        shown={
            "query": {"address": address, "client_ref": client_ref},
            "matched_ids": [e.id for e in found],
        },
    )
    return found, finding(found, local_date(clock.now()))


def locked_entry(session: Session, entry_id: int) -> RegisterEntry | None:
    """The entry, locked until the commit, with its measures read under the lock: an entry's
    measures change one at a time, from the register or from an incident's follow-up, so a
    second ban is refused on what the first one stored (FOR NO KEY UPDATE: a measure's own
    reference to its entry does not wait for it)."""
    return session.get(
        RegisterEntry, entry_id, with_for_update={"key_share": True}, populate_existing=True
    )


def locked_measure(session: Session, measure_id: int) -> RegisterMeasure | None:
    """The measure, read again under its entry's lock (the entry first, always)."""
    measure = session.get(RegisterMeasure, measure_id)
    if measure is None:
        return None
    locked_entry(session, measure.entry_id)
    session.refresh(measure)
    return measure


def _editor(session: Session, user_id: int):
    user = get_user(session, user_id)
    if user.role not in MANAGING_ROLES:
        raise NotAllowed("Alleen leidinggevenden en de coördinator beheren het register.")
    return user


def list_entries(session: Session, clock: Clock, user_id: int) -> list[RegisterEntry]:
    _editor(session, user_id)
    found = list(session.scalars(select(RegisterEntry).order_by(RegisterEntry.id)))
    audit.record(
        session,
        clock.now(),
        actor_id=user_id,
        act="read",
        subject="air",
        subject_id=None,
        purpose="register bekeken",
        shown={"entries": [e.id for e in found]},
    )
    return found


def save_entry(
    session: Session, clock: Clock, *, user_id: int, fields: dict, entry_id: int | None = None
) -> RegisterEntry:
    _editor(session, user_id)
    if not (fields.get("name") or fields.get("client_ref") or fields.get("address")):
        raise Invalid("Geef een naam, klantreferentie of adres.", {"address": "verplicht"})
    now = clock.now()
    if entry_id is None:
        entry = RegisterEntry(created_at=now, created_by_id=user_id)
        session.add(entry)
    else:
        entry = locked_entry(session, entry_id)
        if entry is None:
            raise NotFound("Onbekende registratie.")
    for key, value in fields.items():
        setattr(entry, key, value)
    entry.updated_at = now
    session.flush()
    return entry


def _day(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def period_text(measure: RegisterMeasure) -> Text:
    """ "van 24-11-2026 tot en met 24-02-2027": an end date is the last day it holds."""
    if measure.ends_on is None:
        return Text("van {start} zonder einddatum", start=_day(measure.starts_on))
    return Text(
        "van {start} tot en met {end}", start=_day(measure.starts_on), end=_day(measure.ends_on)
    )


def _called_off(measure: RegisterMeasure) -> bool:
    """Ended (tot en met) before the day it was to begin: it never held."""
    return measure.ends_on is not None and measure.ends_on < measure.starts_on


def still_runs(measure: RegisterMeasure, today: date) -> bool:
    """Holds today or later: not over, and not called off before it began."""
    return not _called_off(measure) and (measure.ends_on is None or measure.ends_on >= today)


def _refuse_too_long(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on > starts_on + LONGEST:
        raise Invalid(
            "Een maatregel duurt hoogstens vijf jaar vanaf het begin.",
            {"ends_on": "meer dan vijf jaar"},
        )


def _overlaps(measure: RegisterMeasure, starts_on: date, ends_on: date | None) -> bool:
    if _called_off(measure):
        return False
    return (ends_on is None or measure.starts_on <= ends_on) and (
        measure.ends_on is None or starts_on <= measure.ends_on
    )


def refuse_a_second(
    entry: RegisterEntry,
    *,
    kind: MeasureKind,
    starts_on: date,
    ends_on: date | None,
    but: RegisterMeasure | None = None,
) -> None:
    """A second pandverbod, contactverbod or suspension for the same person while one runs
    (or one whose period the new one would overlap) is refused, naming the running one:
    extend that one instead."""
    if kind not in ONE_AT_A_TIME:
        return
    running = next(
        (
            m
            for m in entry.measures
            if m is not but and m.kind == kind and _overlaps(m, starts_on, ends_on)
        ),
        None,
    )
    if running is not None:
        label = MEASURE_LABELS[kind]
        raise Conflict(
            "Er loopt al een {kind} voor deze persoon of dit adres ({period}). Verleng dat "
            "in plaats van een tweede op te leggen.",
            {"kind": "{kind} loopt al"},
            kind=Lower(Text(label)),
            period=period_text(running),
        )


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
    _editor(session, user_id)
    entry = locked_entry(session, entry_id)
    if entry is None:
        raise NotFound("Onbekende registratie.")
    if ends_on is not None and ends_on < starts_on:
        raise Invalid("De einddatum ligt voor de begindatum.", {"ends_on": "voor begin"})
    _refuse_too_long(starts_on, ends_on)
    refuse_a_second(entry, kind=kind, starts_on=starts_on, ends_on=ends_on)
    measure = RegisterMeasure(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_at=clock.now(),
        created_by_id=user_id,
    )
    entry.measures.append(measure)
    session.flush()
    return measure


def _measure(session: Session, measure_id: int) -> RegisterMeasure:
    measure = locked_measure(session, measure_id)
    if measure is None:
        raise NotFound("Onbekende maatregel.")
    return measure


def end_measure(
    session: Session, clock: Clock, *, user_id: int, measure_id: int, on: date | None = None
) -> RegisterMeasure:
    """Ending a measure on a day means it no longer holds from that day on, that day
    included: stored as ending (tot en met) the day before, so `active_on` needs no
    exception and a check-in after ending it today is allowed at once."""
    _editor(session, user_id)
    measure = _measure(session, measure_id)
    today = local_date(clock.now())
    on = on or today
    if on < today:
        raise Invalid(
            "Een maatregel eindigt vandaag of later, niet in het verleden.",
            {"on": "in het verleden"},
        )
    last_day = on - timedelta(days=1)
    if measure.ends_on is not None and measure.ends_on < last_day:
        # ending it "later" would revive or lengthen it: that is an extension
        raise Conflict(
            "Deze maatregel is dan al afgelopen ({period}).", period=period_text(measure)
        )
    measure.ends_on = last_day
    return measure


def extend(measure: RegisterMeasure, ends_on: date, today: date) -> date:
    """A running ban or suspension gets a later end, at most five years after its start.
    Returns the end it had."""
    if measure.kind not in ONE_AT_A_TIME:
        raise Conflict("Alleen een verbod of opgeschorte dienstverlening wordt verlengd.")
    if measure.ends_on is None:
        raise Conflict("Deze maatregel heeft geen einddatum: hij loopt al tot hij wordt beëindigd.")
    if not still_runs(measure, today):
        raise Conflict(
            "Deze maatregel is afgelopen ({period}): leg een nieuwe vast.",
            period=period_text(measure),
        )
    if ends_on <= measure.ends_on:
        raise Invalid(
            "De nieuwe einddatum ligt na de huidige einddatum ({end}).",
            {"ends_on": "niet later dan nu"},
            end=_day(measure.ends_on),
        )
    _refuse_too_long(measure.starts_on, ends_on)
    refuse_a_second(
        measure.entry,
        kind=measure.kind,
        starts_on=measure.ends_on + timedelta(days=1),
        ends_on=ends_on,
        but=measure,
    )
    previous, measure.ends_on = measure.ends_on, ends_on
    return previous


def extend_measure(
    session: Session, clock: Clock, *, user_id: int, measure_id: int, ends_on: date, reason: str
) -> RegisterMeasure:
    """The register's own extension; the reason is kept with the measure's reason."""
    _editor(session, user_id)
    measure = _measure(session, measure_id)
    previous = extend(measure, ends_on, local_date(clock.now()))
    note = f"Verlengd van {_day(previous)} tot en met {_day(ends_on)}: {reason}".rstrip(": ")
    measure.reason = "; ".join(filter(None, (measure.reason, note)))[:500]
    return measure


def lookups(session: Session, user_id: int) -> list[AuditEntry]:
    """The newest 500 lookups and views of the register from the audit trail (all of it:
    `GET /api/audit`)."""
    if get_user(session, user_id).role != Role.COORDINATOR:
        raise NotAllowed("Alleen de coördinator ziet wie het register raadpleegde.")
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject == "air")
            .order_by(AuditEntry.id.desc())
            .limit(500)
        )
    )


def measure_json(m: RegisterMeasure, today: date) -> dict:
    """`ends_on` is the last day the measure holds (tot en met)."""
    return {
        "id": m.id,
        "kind": m.kind,
        "label": MEASURE_LABELS[m.kind],
        "starts_on": m.starts_on.isoformat(),
        "ends_on": m.ends_on.isoformat() if m.ends_on else None,
        "active": m.active_on(today),
        "reason": m.reason,
    }


def entry_json(entry: RegisterEntry, today: date) -> dict:
    return {
        "id": entry.id,
        "name": entry.name,
        "client_ref": entry.client_ref,
        "address": entry.address,
        "known_aggressive": entry.known_aggressive,
        "behaviour_type": entry.behaviour_type,
        "remarks": entry.remarks,
        "measures": [measure_json(m, today) for m in entry.measures],
    }
