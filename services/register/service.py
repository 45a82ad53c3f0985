"""Look up the register, and its rules on periods: what holds when, one ban at a time, how
long (the changes themselves are in changes.py, each with its version)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.accounts.models import Role
from services.accounts.service import get_user
from services.audit.models import AuditEntry
from services.checklists.scoring import RegisterFinding
from services.clock import Clock, local_date
from services.errors import Conflict, Invalid, Lower, NotAllowed, Text
from services.identity import tokens
from services.register.access import Rights, manager
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
NEXT_YEAR = timedelta(days=366)  # how far ahead a measure may start


@lru_cache(maxsize=4096)  # the to-do list compares every open incident with every aggressor
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


def list_entries(session: Session, clock: Clock, user_id: int) -> list[RegisterEntry]:
    manager(session, user_id)
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


def day_text(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def period_text(measure: RegisterMeasure) -> Text:
    """ "van 24-11-2026 tot en met 24-02-2027": an end date is the last day it holds."""
    if measure.ends_on is None:
        return Text("van {start} zonder einddatum", start=day_text(measure.starts_on))
    return Text(
        "van {start} tot en met {end}",
        start=day_text(measure.starts_on),
        end=day_text(measure.ends_on),
    )


def _called_off(measure: RegisterMeasure) -> bool:
    """Ended (tot en met) before the day it was to begin: it never held."""
    return measure.ends_on is not None and measure.ends_on < measure.starts_on


def still_runs(measure: RegisterMeasure, today: date) -> bool:
    """Holds today or later: not over, and not called off before it began."""
    return not _called_off(measure) and (measure.ends_on is None or measure.ends_on >= today)


def refuse_too_long(starts_on: date, ends_on: date | None, field: str = "ends_on") -> None:
    if ends_on is not None and ends_on > starts_on + LONGEST:
        raise Invalid(
            "Een maatregel duurt hoogstens vijf jaar vanaf het begin.",
            {field: "meer dan vijf jaar"},
        )


def refuse_a_far_start(starts_on: date, today: date) -> None:
    """A measure recorded in the register starts at most five years back (one recorded late)
    and a year ahead; with its end (`refuse_too_long`) every date of it is within reach."""
    if not today - LONGEST <= starts_on <= today + NEXT_YEAR:
        raise Invalid(
            "Een maatregel begint hoogstens vijf jaar geleden en hoogstens een jaar vooruit.",
            {"starts_on": "buiten het bereik"},
        )


def refuse_a_far_end(on: date, today: date) -> None:
    """Ending a measure from a later day: at most five years ahead (one without an end date
    may have held longer already, so its start does not bound this)."""
    if on > today + LONGEST:
        raise Invalid(
            "Een maatregel eindigt hoogstens vijf jaar vooruit.", {"on": "buiten het bereik"}
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
            end=day_text(measure.ends_on),
        )
    refuse_too_long(measure.starts_on, ends_on)
    refuse_a_second(
        measure.entry,
        kind=measure.kind,
        starts_on=measure.ends_on + timedelta(days=1),
        ends_on=ends_on,
        but=measure,
    )
    previous, measure.ends_on = measure.ends_on, ends_on
    return previous


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


def measure_json(m: RegisterMeasure, today: date, rights: Rights | None = None) -> dict:
    """`ends_on` is the last day the measure holds (tot en met)."""
    return {
        "id": m.id,
        "kind": m.kind,
        "label": MEASURE_LABELS[m.kind],
        "starts_on": m.starts_on.isoformat(),
        "ends_on": m.ends_on.isoformat() if m.ends_on else None,
        "active": m.active_on(today),
        "reason": m.reason,
        **({} if rights is None else {"may_change": rights.may_change_measure(m)}),
    }


def entry_json(entry: RegisterEntry, today: date, rights: Rights) -> dict:
    """`may_change`, on the entry and on each measure: whether this viewer may change it (the
    screen offers what the server allows)."""
    return {
        "id": entry.id,
        "name": entry.name,
        "client_ref": entry.client_ref,
        "address": entry.address,
        "known_aggressive": entry.known_aggressive,
        "behaviour_type": entry.behaviour_type,
        "remarks": entry.remarks,
        "may_change": rights.may_change_entry(entry),
        "measures": [measure_json(m, today, rights) for m in entry.measures],
    }
