"""The Agressie Informatie Register: details for managers and the coordinator only."""

from __future__ import annotations

from datetime import date
from typing import Literal

from flask_login import current_user

from app.api import bp
from app.api.endpoint import Day, Length, Strict, endpoint
from app.runtime import runtime
from services.clock import iso, local_date
from services.incidents.vocabulary import BEHAVIOUR_TYPES
from services.register import models, service
from services.register.models import MeasureKind


class EntryIn(Strict):
    name: str | None = Length(models.NAME, default=None)
    client_ref: str | None = Length(models.CLIENT_REF, default=None)
    address: str | None = Length(models.ADDRESS, default=None)
    known_aggressive: bool = False
    behaviour_type: Literal[tuple(BEHAVIOUR_TYPES)] | None = None
    remarks: str = Length(models.REMARKS, default="")


class MeasureIn(Strict):
    kind: MeasureKind
    starts_on: date
    ends_on: date | None = None
    reason: str = Length(models.MEASURE_REASON, default="")


class EndIn(Strict):
    on: Day | None = None  # from this day on it no longer holds; today when left out


class ExtendIn(Strict):
    ends_on: Day
    reason: str = Length(models.EXTEND_REASON, default="")


def _today():
    return local_date(runtime().clock.now())


@endpoint(
    bp, "/air", "GET", "All register entries with their measures (viewing is logged)", can="air"
)
def entries():
    rt = runtime()
    with rt.db.uow() as uow:
        found = service.list_entries(uow.session, rt.clock, current_user.id)
        return {"entries": [service.entry_json(e, _today()) for e in found]}


@endpoint(
    bp,
    "/air",
    "POST",
    "Add a person or address to the register",
    body=EntryIn,
    can="air",
    status=201,
)
def add_entry(body: EntryIn):
    rt = runtime()
    with rt.db.uow() as uow:
        entry = service.save_entry(
            uow.session, rt.clock, user_id=current_user.id, fields=body.model_dump()
        )
        return {"entry": service.entry_json(entry, _today())}, 201


@endpoint(bp, "/air/<int:entry_id>", "PUT", "Change a register entry", body=EntryIn, can="air")
def edit_entry(entry_id: int, body: EntryIn):
    rt = runtime()
    with rt.db.uow() as uow:
        entry = service.save_entry(
            uow.session,
            rt.clock,
            user_id=current_user.id,
            fields=body.model_dump(),
            entry_id=entry_id,
        )
        return {"entry": service.entry_json(entry, _today())}


@endpoint(
    bp,
    "/air/<int:entry_id>/measures",
    "POST",
    "Record a measure with its dates",
    body=MeasureIn,
    can="air",
    status=201,
)
def add_measure(entry_id: int, body: MeasureIn):
    rt = runtime()
    with rt.db.uow() as uow:
        measure = service.add_measure(
            uow.session,
            rt.clock,
            user_id=current_user.id,
            entry_id=entry_id,
            kind=MeasureKind(body.kind),
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            reason=body.reason,
        )
        return {"entry": service.entry_json(measure.entry, _today())}, 201


def _on_measure(action, measure_id: int, **fields) -> dict:
    """Run one change of a register measure; answer with the measure as it is now."""
    rt = runtime()
    with rt.db.uow() as uow:
        measure = action(
            uow.session, rt.clock, user_id=current_user.id, measure_id=measure_id, **fields
        )
        return {
            "ends_on": measure.ends_on and measure.ends_on.isoformat(),
            "measure": service.measure_json(measure, _today()),
        }


@endpoint(
    bp,
    "/air/measures/<int:measure_id>/end",
    "POST",
    "End a measure: from `on` (default today) it no longer holds",
    body=EndIn,
    can="air",
)
def end_measure(measure_id: int, body: EndIn):
    return _on_measure(service.end_measure, measure_id, on=body.on)


@endpoint(
    bp,
    "/air/measures/<int:measure_id>/extend",
    "POST",
    "Extend a running ban or suspension to a later end date",
    body=ExtendIn,
    can="air",
)
def extend_measure(measure_id: int, body: ExtendIn):
    return _on_measure(service.extend_measure, measure_id, ends_on=body.ends_on, reason=body.reason)


@endpoint(
    bp,
    "/air/lookups",
    "GET",
    "Who consulted the register, when, and what matched",
    can="air_lookups",
)
def lookups():
    with runtime().db.reader() as uow:
        return {
            "lookups": [
                {
                    "id": x.id,
                    "user_id": x.actor_id,
                    "at": iso(x.at),
                    "purpose": x.purpose,
                    "query": x.shown.get("query", {}),
                    "matched_ids": x.shown.get("matched_ids", []),
                }
                for x in service.lookups(uow.session, current_user.id)
            ]
        }
