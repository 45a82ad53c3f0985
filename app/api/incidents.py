"""Incident capture and the central incident register (GIR)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from flask_login import current_user
from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, create_model

from app.api import bp
from app.api.downloads import csv_file
from app.api.endpoint import CSV, Day, Id, Length, Query, Strict, Within, endpoint
from app.api.views import Named
from app.runtime import runtime
from services.accounts.models import FunctionGroup
from services.clock import iso
from services.errors import Invalid
from services.followup.closing import closing_blockers
from services.incidents import service
from services.incidents.access import viewer_of
from services.incidents.export import incidents_csv
from services.incidents.form import QUESTIONS
from services.incidents.views import detail_json, summary_json
from services.incidents.vocabulary import (
    BEHAVIOUR_TYPES,
    CHANNELS,
    COMBINATION,
    DESCRIPTION,
    KINDS,
    LIST_PAGE,
    SERIOUS_CRITERIA,
    SHORT_TEXT,
    STATUSES,
)
from services.limits import Limit
from services.register.models import CLIENT_REF
from services.reports.drill import figure_clauses
from services.reports.incident_figures import DRILLABLE

# Text may hold anything a person types, including "<script>" (the PWA renders text, never
# HTML); control characters other than line breaks and tabs are a broken or hostile client.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain(text: str) -> str:
    if CONTROL.search(text):
        raise ValueError("bevat ongeldige tekens")
    return text.strip()


def Text(limit: Limit):
    """Plain text within the service's limit."""
    return Annotated[str, Length(limit), AfterValidator(_plain)]


# The protocol's vocabulary, from its one definition in services/incidents/vocabulary.py.
Behaviour = Literal[tuple(BEHAVIOUR_TYPES)]
Kind = Literal[tuple(KINDS)]
Channel = Literal[tuple(CHANNELS)]
Status = Literal[tuple(STATUSES)]
Criterion = Literal[tuple(SERIOUS_CRITERIA)]


def distinct(values: list) -> list:
    if len(set(values)) != len(values):
        raise ValueError("dubbele waarde")
    return values


Kinds = Annotated[list[Kind], Field(min_length=1, max_length=5), AfterValidator(distinct)]
Criteria = Annotated[list[Criterion], Field(max_length=4), AfterValidator(distinct)]

ANSWER_TYPES = {
    "yes_no": bool | None,
    "amount": Annotated[int, Field(ge=0, le=10**11)] | None,
    "date": Day | None,
}
# Annex 8 as a body model, built from the one definition of its questions.
FormIn = create_model(
    "FormIn",
    __base__=Strict,
    **{
        q.field: (ANSWER_TYPES.get(q.kind, Text(Limit(q.max_length)) | None), None)
        for q in QUESTIONS
    },
)


class AggressorIn(Strict):
    name: Text(SHORT_TEXT) | None = None
    address: Text(SHORT_TEXT) | None = None
    client_ref: Text(CLIENT_REF) | None = None  # the AIR's client reference


class ReportIn(Strict):
    client_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    behaviour_type: Behaviour
    kinds: Kinds
    channel: Channel
    occurred_at: AwareDatetime
    location: Text(SHORT_TEXT) = ""
    description: Text(DESCRIPTION)
    alarm_id: Id | None = None
    visit_id: Id | None = None
    victim_id: Id | None = None
    aggressor: AggressorIn | None = None


class UpdateIn(Strict):
    version: int
    behaviour_type: Behaviour | None = None
    kinds: Kinds | None = None
    channel: Channel | None = None
    occurred_at: AwareDatetime | None = None
    location: Text(SHORT_TEXT) | None = None
    description: Text(DESCRIPTION) | None = None
    serious_criteria: Criteria | None = None
    status: Status | None = None
    form: FormIn | None = None
    aggressor: AggressorIn | None = None


class RegisterQuery(Query):
    date_from: Day | None = Field(
        default=None, alias="from", description="first local date of occurrence (YYYY-MM-DD)"
    )
    date_to: Day | None = Field(default=None, alias="to", description="last local date")
    team: Id | None = Field(default=None, description="team id")
    behaviour: Behaviour | None = Field(default=None, description="behaviour type A-E")
    kind: Literal[Kind, COMBINATION] | None = Field(default=None, description="annex-8 kind")
    channel: Channel | None = None
    status: Status | None = None
    serious: bool | None = Field(default=None, description="Inspectie SZW criteria met")
    mine: bool = Field(default=False, description="only reports by or about me")
    department: Id | None = Field(default=None, description="department id")
    function_group: Literal[tuple(FunctionGroup)] | None = Field(
        default=None, description="the victim's function group"
    )
    figure: Literal[tuple(DRILLABLE)] | None = Field(
        default=None, description="a report's figure: only the incidents behind it"
    )
    value: str | None = Field(default=None, max_length=40, description="the figure's row")
    period_from: Day | None = Field(default=None, description="the figure's period, first day")
    period_to: Day | None = Field(default=None, description="the figure's period, last day")
    label: str | None = Field(
        default=None, max_length=300, description="the figure's name, for the list's note"
    )

    def register_filter(self) -> service.RegisterFilter:
        return service.RegisterFilter(
            date_from=self.date_from,
            date_to=self.date_to,
            team_id=self.team,
            behaviour_type=self.behaviour,
            kind=self.kind,
            channel=self.channel,
            status=self.status,
            serious=self.serious,
            department_id=self.department,
            function_group=self.function_group,
            mine=self.mine,
        )

    def selection(self, session, viewer, now) -> tuple[service.RegisterFilter, tuple]:
        """The list's filter and, when a report's figure is opened, that figure's conditions."""
        filters = self.register_filter()
        if self.figure is None:
            return filters, ()
        if self.value is None:
            raise Invalid("Welke rij van het cijfer?", {"value": "ontbreekt"})
        clauses, filters = figure_clauses(
            session,
            viewer=viewer,
            filters=filters,
            figure=self.figure,
            value=self.value,
            period=(self.period_from, self.period_to),
            now=now,
        )
        return filters, tuple(clauses)


class ListQuery(RegisterQuery):
    limit: int = Within(LIST_PAGE, default=50)
    before: Id | None = Field(default=None, description="id to continue before")


class CountOf(BaseModel):
    count: int
    of: int


class IncidentSummary(BaseModel):
    """A report in a list, an event or a push: no description, no aggressor."""

    id: int
    number: str  # GIR-<id>
    occurred_at: datetime
    reported_at: datetime
    behaviour_type: str
    kinds: list[str]
    combination: bool
    channel: str
    location: str
    status: str
    serious: bool
    victim: Named
    team: Named | None
    completeness: CountOf  # of the seven W's


class Completeness(CountOf):
    ws: dict[str, bool]
    open_questions: list[str]  # annex-8 fields still to answer


class AggressorOut(BaseModel):
    name: str | None
    address: str | None
    client_ref: str | None


class HistoryEntry(BaseModel):
    at: datetime
    by: Named
    action: str
    # an edit's {field, old, new} (`redacted`: an aggressor field this reader may not see);
    # a follow-up step's what it recorded
    changes: list[dict]


class IncidentDetail(IncidentSummary):
    client_id: str
    version: int
    updated_at: datetime
    description: str
    reporter: Named
    alarm_id: int | None
    visit_id: int | None
    serious_criteria: list[str]
    form: dict  # annex 8, by question (GET /api/vocabulary gir_questions)
    aggressor: AggressorOut | None  # None: not for this reader
    aggressor_recorded: bool
    completeness: Completeness
    history: list[HistoryEntry]
    can_edit: bool
    can_set_status: bool


class IncidentOut(BaseModel):
    incident: IncidentDetail


class ReportedOut(IncidentOut):
    duplicate: bool  # the same client_id again: the report it made


class IncidentsOut(BaseModel):
    incidents: list[IncidentSummary]
    total: int
    next_before: int | None


class IncidentRead(BaseModel):
    at: datetime
    user: Named
    purpose: str


class ReadsOut(BaseModel):
    reads: list[IncidentRead]


def _detail(uow, incident, viewer):
    return detail_json(incident, viewer, service.history_of(uow.session, incident.id))


@endpoint(
    bp,
    "/incidents",
    "POST",
    "Report an incident (idempotent by client_id)",
    body=ReportIn,
    status=201,
    returns=ReportedOut,
    also=(200,),
    errors=(404, 409),
)
def report_incident(body: ReportIn):
    rt = runtime()
    with rt.db.uow() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        incident, created = service.report_incident(
            uow, rt.events, rt.clock, viewer=viewer, report=body.model_dump()
        )
        return (
            {"incident": _detail(uow, incident, viewer), "duplicate": not created},
            201 if created else 200,
        )


@endpoint(
    bp,
    "/incidents",
    "GET",
    "The register: reports I may see, newest first",
    query=ListQuery,
    returns=IncidentsOut,
)
def list_incidents(query: ListQuery):
    rt = runtime()
    with rt.db.reader() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        filters, also = query.selection(uow.session, viewer, rt.clock.now())
        rows, total, next_before = service.list_incidents(
            uow.session,
            viewer=viewer,
            filters=filters,
            limit=query.limit,
            before=query.before,
            also=also,
        )
        return {
            "incidents": [summary_json(i) for i in rows],
            "total": total,
            "next_before": next_before,
        }


@endpoint(
    bp,
    "/incidents/<int:incident_id>",
    "GET",
    "One report with its annex-8 form and history (aggressor details: logged)",
    returns=IncidentOut,
)
def read_incident(incident_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        incident, history = service.read_incident(uow, rt.clock, viewer, incident_id)
        return {"incident": detail_json(incident, viewer, history)}


@endpoint(
    bp,
    "/incidents/<int:incident_id>",
    "PATCH",
    "Complete or correct a report; a stale version is refused (409)",
    body=UpdateIn,
    returns=IncidentOut,
    errors=(409,),
)
def update_incident(incident_id: int, body: UpdateIn):
    rt = runtime()
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    emptied = [name for name, value in changes.items() if value is None]
    if emptied:  # leaving a field out keeps it; null would erase what the register needs
        raise Invalid(
            "Deze velden kunnen niet leeg gemaakt worden.",
            {name: "mag niet leeg zijn" for name in emptied},
        )
    for part in ("form", "aggressor"):
        if part in changes:
            changes[part] = getattr(body, part).model_dump(exclude_unset=True)
    with rt.db.uow() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        incident = service.update_incident(
            uow,
            rt.events,
            rt.clock,
            viewer=viewer,
            incident_id=incident_id,
            version=body.version,
            changes=changes,
            closing_blockers=closing_blockers,
        )
        return {"incident": _detail(uow, incident, viewer)}


@endpoint(
    bp,
    "/incidents/<int:incident_id>/reads",
    "GET",
    "Who read this report's aggressor details, and when",
    can="all_incidents",
    returns=ReadsOut,
)
def incident_reads(incident_id: int):
    with runtime().db.reader() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        reads = service.reads_of(uow.session, viewer, incident_id)
        return {
            "reads": [
                {
                    "at": iso(r.at),
                    "user": {"id": r.actor.id, "name": r.actor.name},
                    "purpose": r.purpose,
                }
                for r in reads
            ]
        }


@endpoint(
    bp,
    "/incidents/export.csv",
    "GET",
    "The filtered register as CSV for P&O",
    can="team_incidents",
    query=RegisterQuery,
    returns=CSV,
)
def export_incidents(query: RegisterQuery):
    rt = runtime()
    with rt.db.uow() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        filters, also = query.selection(uow.session, viewer, rt.clock.now())
        rows = service.incidents_for_export(uow, rt.clock, viewer, filters, also=also)
        text = incidents_csv(rows, with_aggressor=viewer.sees_aggressor)
    return csv_file(text, "incidenten")
