"""The Agressie Informatie Register: details for managers and the coordinator only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from flask_login import current_user
from pydantic import BaseModel

from app.api import bp
from app.api.endpoint import Day, Length, Strict, endpoint
from app.api.views import Named
from app.runtime import runtime
from services.clock import iso, local_date
from services.incidents.vocabulary import BEHAVIOUR_TYPES
from services.register import changes, history, models, service
from services.register.access import rights_of
from services.register.models import MeasureKind


class EntryIn(Strict):
    name: str | None = Length(models.NAME, default=None)
    client_ref: str | None = Length(models.CLIENT_REF, default=None)
    address: str | None = Length(models.ADDRESS, default=None)
    known_aggressive: bool = False
    behaviour_type: Literal[tuple(BEHAVIOUR_TYPES)] | None = None
    remarks: str = Length(models.REMARKS, default="")


class EntryChange(EntryIn):
    """Only the fields sent change; `reason` is needed to clear `known_aggressive`."""

    reason: str = Length(models.MEASURE_REASON, default="")


class MeasureIn(Strict):
    kind: MeasureKind
    starts_on: Day
    ends_on: Day | None = None
    reason: str = Length(models.MEASURE_REASON, default="")


class EndIn(Strict):
    on: Day | None = None  # from this day on it no longer holds; today when left out
    reason: str = Length(models.MEASURE_REASON, default="")  # needed before its end date


class ExtendIn(Strict):
    ends_on: Day
    reason: str = Length(models.EXTEND_REASON, default="")


class RegisterMeasureOut(BaseModel):
    id: int
    kind: str
    label: str
    starts_on: date
    ends_on: date | None  # the last day it holds
    active: bool
    reason: str
    may_change: bool  # whether this viewer may change it


class EntryOut(BaseModel):
    id: int
    name: str | None
    client_ref: str | None
    address: str | None
    known_aggressive: bool
    behaviour_type: str | None
    remarks: str
    may_change: bool
    measures: list[RegisterMeasureOut]


class EntriesOut(BaseModel):
    entries: list[EntryOut]


class EntryAnswer(BaseModel):
    entry: EntryOut


class MeasureRef(BaseModel):
    id: int
    kind: str
    label: str


class VersionChange(BaseModel):
    field: str
    before: Any
    after: Any


class VersionOut(BaseModel):
    id: int
    at: datetime
    action: str
    actor: Named
    measure: MeasureRef | None
    changes: list[VersionChange]
    reason: str | None


class HistoryOut(BaseModel):
    versions: list[VersionOut]


class MeasureAnswer(BaseModel):
    ends_on: date | None
    measure: RegisterMeasureOut


class Lookup(BaseModel):
    id: int
    user_id: int | None
    at: datetime
    purpose: str
    query: dict
    matched_ids: list[int]


class LookupsOut(BaseModel):
    lookups: list[Lookup]


def _today():
    return local_date(runtime().clock.now())


def _entry_json(session, entry) -> dict:
    return service.entry_json(entry, _today(), rights_of(session, current_user.id))


@endpoint(
    bp,
    "/air",
    "GET",
    "All register entries with their measures (viewing is logged)",
    can="air",
    returns=EntriesOut,
)
def entries():
    rt = runtime()
    with rt.db.uow() as uow:
        found = service.list_entries(uow.session, rt.clock, current_user.id)
        rights = rights_of(uow.session, current_user.id)
        return {"entries": [service.entry_json(e, _today(), rights) for e in found]}


@endpoint(
    bp,
    "/air",
    "POST",
    "Add a person or address to the register",
    body=EntryIn,
    can="air",
    status=201,
    returns=EntryAnswer,
)
def add_entry(body: EntryIn):
    rt = runtime()
    with rt.db.uow() as uow:
        entry = changes.add_entry(
            uow.session, rt.clock, user_id=current_user.id, fields=body.model_dump()
        )
        return {"entry": _entry_json(uow.session, entry)}, 201


@endpoint(
    bp,
    "/air/<int:entry_id>",
    "PATCH",
    "Change a register entry: only the fields sent (a reason to clear known_aggressive)",
    body=EntryChange,
    can="air",
    returns=EntryAnswer,
    errors=(409,),
)
def change_entry(entry_id: int, body: EntryChange):
    rt = runtime()
    fields = body.model_dump(exclude_unset=True)
    with rt.db.uow() as uow:
        entry = changes.change_entry(
            uow.session,
            rt.clock,
            user_id=current_user.id,
            entry_id=entry_id,
            reason=fields.pop("reason", ""),
            fields=fields,
        )
        return {"entry": _entry_json(uow.session, entry)}


@endpoint(
    bp,
    "/air/<int:entry_id>/history",
    "GET",
    "An entry's versions: who changed what when, and why (viewing is logged)",
    can="air",
    returns=HistoryOut,
)
def entry_history(entry_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        found = history.versions_of(
            uow.session, rt.clock, user_id=current_user.id, entry_id=entry_id
        )
        return {"versions": [history.version_json(v) for v in found]}


@endpoint(
    bp,
    "/air/<int:entry_id>/measures",
    "POST",
    "Record a measure with its dates",
    body=MeasureIn,
    can="air",
    status=201,
    returns=EntryAnswer,
    errors=(409,),
)
def add_measure(entry_id: int, body: MeasureIn):
    rt = runtime()
    with rt.db.uow() as uow:
        measure = changes.add_measure(
            uow.session,
            rt.clock,
            user_id=current_user.id,
            entry_id=entry_id,
            kind=MeasureKind(body.kind),
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            reason=body.reason,
        )
        return {"entry": _entry_json(uow.session, measure.entry)}, 201


def _on_measure(action, measure_id: int, **fields) -> dict:
    """Run one change of a register measure; answer with the measure as it is now."""
    rt = runtime()
    with rt.db.uow() as uow:
        measure = action(
            uow.session, rt.clock, user_id=current_user.id, measure_id=measure_id, **fields
        )
        return {
            "ends_on": measure.ends_on and measure.ends_on.isoformat(),
            "measure": service.measure_json(
                measure, _today(), rights_of(uow.session, current_user.id)
            ),
        }


@endpoint(
    bp,
    "/air/measures/<int:measure_id>/end",
    "POST",
    "End a measure: from `on` (default today) it no longer holds",
    body=EndIn,
    can="air",
    returns=MeasureAnswer,
    errors=(409,),
)
def end_measure(measure_id: int, body: EndIn):
    return _on_measure(changes.end_measure, measure_id, on=body.on, reason=body.reason)


@endpoint(
    bp,
    "/air/measures/<int:measure_id>/extend",
    "POST",
    "Extend a running ban or suspension to a later end date",
    body=ExtendIn,
    can="air",
    returns=MeasureAnswer,
    errors=(409,),
)
def extend_measure(measure_id: int, body: ExtendIn):
    return _on_measure(changes.extend_measure, measure_id, ends_on=body.ends_on, reason=body.reason)


@endpoint(
    bp,
    "/air/lookups",
    "GET",
    "Who consulted the register, when, and what matched",
    can="air_lookups",
    returns=LookupsOut,
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
