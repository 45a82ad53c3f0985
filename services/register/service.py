"""Look up, maintain and audit the register."""
from __future__ import annotations

import re
from functools import lru_cache
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import MANAGING_ROLES, Role
from services.accounts.service import get_user
from services.checklists.scoring import RegisterFinding
from services.clock import Clock, local_date
from services.errors import Conflict, Invalid, NotAllowed, NotFound
from services.register.models import (MEASURE_LABELS, MeasureKind, RegisterEntry,
                                      RegisterLookup, RegisterMeasure)

NO_CONTACT = {MeasureKind.CONTACTVERBOD, MeasureKind.OPGESCHORTE_DIENSTVERLENING}


@lru_cache(maxsize=4096)  # the to-do list compares every open incident with every aggressor
def tokens(text: str | None) -> tuple[str, ...]:
    return tuple(re.sub(r"[^0-9a-z]+", " ", (text or "").lower()).split())


def _address_matches(entry_address: str | None, asked: str) -> bool:
    """Word-wise prefix either way: "Kerkstraat 7" matches "kerkstraat 7, Demodorp" and the
    other way round, but not "Kerkstraat 71" — a missed match is dangerous, a false one
    alarms for nothing. Asking needs at least street and number."""
    wanted, given = tokens(entry_address), tokens(asked)
    return bool(wanted) and (given[:len(wanted)] == wanted
                             or (len(given) >= 2 and wanted[:len(given)] == given))


def matching_entries(session: Session, address: str, client_ref: str | None) -> list[RegisterEntry]:
    ref = (client_ref or "").strip().lower()
    return [e for e in session.scalars(select(RegisterEntry).order_by(RegisterEntry.id))
            if (ref and (e.client_ref or "").lower() == ref)
            or _address_matches(e.address, address)]


def finding(entries: list[RegisterEntry], today: date) -> RegisterFinding:
    """What the checklist rules need to know; never names or remarks."""
    if not entries:
        return RegisterFinding()
    active = {m.kind for e in entries for m in e.measures if m.active_on(today)}
    dangerous = any(e.known_aggressive and e.behaviour_type in ("D", "E") for e in entries)
    if active & NO_CONTACT:
        return RegisterFinding(match=True, floor="niet_gaan", no_contact=True, advice=(
            "Het register meldt een contactverbod of opgeschorte dienstverlening: geen "
            "contact. Alleen je leidinggevende kan een uitzondering vastleggen.",))
    floor = "hoog" if dangerous or MeasureKind.PANDVERBOD in active else "verhoogd"
    return RegisterFinding(match=True, floor=floor, advice=(
        "Het Agressie Informatie Register kent deze persoon of dit adres: ga niet alleen en "
        "vraag je leidinggevende naar de details.",))


def look_up(session: Session, clock: Clock, user_id: int, address: str,
            client_ref: str | None, purpose: str) -> tuple[list[RegisterEntry], RegisterFinding]:
    """Every lookup is logged, matched or not."""
    found = matching_entries(session, address, client_ref)
    session.add(RegisterLookup(user_id=user_id, at=clock.now(), purpose=purpose,
                               query={"address": address, "client_ref": client_ref},
                               matched_ids=[e.id for e in found]))
    return found, finding(found, local_date(clock.now()))


def _editor(session: Session, user_id: int):
    user = get_user(session, user_id)
    if user.role not in MANAGING_ROLES:
        raise NotAllowed("Alleen leidinggevenden en de coördinator beheren het register.")
    return user


def list_entries(session: Session, clock: Clock, user_id: int) -> list[RegisterEntry]:
    _editor(session, user_id)
    session.add(RegisterLookup(user_id=user_id, at=clock.now(), purpose="register bekeken",
                               query={}, matched_ids=[]))
    return list(session.scalars(select(RegisterEntry).order_by(RegisterEntry.id)))


def save_entry(session: Session, clock: Clock, user_id: int, fields: dict,
               entry_id: int | None = None) -> RegisterEntry:
    _editor(session, user_id)
    if not (fields.get("name") or fields.get("client_ref") or fields.get("address")):
        raise Invalid("Geef een naam, klantreferentie of adres.", {"address": "verplicht"})
    now = clock.now()
    if entry_id is None:
        entry = RegisterEntry(created_at=now, created_by_id=user_id)
        session.add(entry)
    else:
        entry = session.get(RegisterEntry, entry_id)
        if entry is None:
            raise NotFound("Onbekende registratie.")
    for key, value in fields.items():
        setattr(entry, key, value)
    entry.updated_at = now
    session.flush()
    return entry


def add_measure(session: Session, clock: Clock, user_id: int, entry_id: int,
                kind: MeasureKind, starts_on: date, ends_on: date | None,
                reason: str) -> RegisterMeasure:
    _editor(session, user_id)
    entry = session.get(RegisterEntry, entry_id)
    if entry is None:
        raise NotFound("Onbekende registratie.")
    if ends_on is not None and ends_on < starts_on:
        raise Invalid("De einddatum ligt voor de begindatum.", {"ends_on": "voor begin"})
    measure = RegisterMeasure(kind=kind, starts_on=starts_on, ends_on=ends_on, reason=reason,
                              created_at=clock.now(), created_by_id=user_id)
    entry.measures.append(measure)
    session.flush()
    return measure


def end_measure(session: Session, clock: Clock, user_id: int, measure_id: int) -> RegisterMeasure:
    _editor(session, user_id)
    measure = session.get(RegisterMeasure, measure_id)
    if measure is None:
        raise NotFound("Onbekende maatregel.")
    today = local_date(clock.now())
    if measure.ends_on is not None and measure.ends_on < today:
        raise Conflict("Deze maatregel is al afgelopen.")  # ending it again would revive it
    measure.ends_on = today
    return measure


def lookups(session: Session, user_id: int) -> list[RegisterLookup]:
    if get_user(session, user_id).role != Role.COORDINATOR:
        raise NotAllowed("Alleen de coördinator ziet wie het register raadpleegde.")
    return list(session.scalars(select(RegisterLookup).order_by(RegisterLookup.id.desc())
                                .limit(500)))


def entry_json(entry: RegisterEntry, today: date) -> dict:
    return {"id": entry.id, "name": entry.name, "client_ref": entry.client_ref,
            "address": entry.address, "known_aggressive": entry.known_aggressive,
            "behaviour_type": entry.behaviour_type, "remarks": entry.remarks,
            "measures": [{"id": m.id, "kind": m.kind, "label": MEASURE_LABELS[m.kind],
                          "starts_on": m.starts_on.isoformat(),
                          "ends_on": m.ends_on.isoformat() if m.ends_on else None,
                          "active": m.active_on(today), "reason": m.reason}
                         for m in entry.measures]}
