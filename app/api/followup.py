"""Follow-up of a registered incident: the responsible manager's to-do list, the reaction
matrix's advice, measures (and the AIR), police, Inspectie SZW, aftercare, analysis, letters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from flask import Response
from flask_login import current_user
from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from app.api import bp
from app.api.endpoint import PDF, Day, Id, Strict, Within, endpoint
from app.api.incidents import IncidentSummary, Text, distinct
from app.api.learning import PlanItemOut
from app.api.views import Named
from app.runtime import runtime
from services.followup import (
    aftercare,
    analysis,
    correspondence,
    inspectorate,
    letters,
    measures,
    police,
    reaction,
    service,
)
from services.followup.aftercare import REFERRALS, SIGNS
from services.followup.analysis import (
    ANALYSIS_QUESTIONS,
    CAUSE_CATEGORIES,
    CAUSE_DECISIONS,
    CAUSE_KINDS,
)
from services.followup.letters import LETTER_KINDS
from services.followup.measures import REACTIONS
from services.followup.police import POLICE_KINDS
from services.followup.views import read_followup, todo_json
from services.incidents.access import viewer_of
from services.incidents.models import Incident
from services.learning import plan

Sign = Literal[tuple(SIGNS)]
Referral = Literal[tuple(REFERRALS)]


class MeasureIn(Strict):
    kind: Literal[tuple(REACTIONS)]
    decided_on: Day
    starts_on: Day | None = None
    ends_on: Day | None = None
    note: Text(measures.NOTE) = ""


class ExtensionIn(Strict):
    air_measure_id: Id
    decided_on: Day
    ends_on: Day
    note: Text(measures.NOTE) = ""


class BreachIn(Strict):
    on: Day
    extend_days: int = Within(measures.BREACH_EXTEND_DAYS, default=0)
    note: Text(measures.NOTE) = ""


class PoliceIn(Strict):
    kind: Literal[tuple(POLICE_KINDS)]
    on: Day
    reference: Text(police.REFERENCE) = ""
    domicile: bool = False
    reason: Text(police.REASON) = ""


class InspectorateIn(Strict):
    reported_at: AwareDatetime
    reference: Text(inspectorate.REFERENCE) = ""


class AbsenceIn(Strict):
    days: int = Within(aftercare.ABSENCE_DAYS)


class AftercareIn(Strict):
    done_on: Day
    notes: Text(aftercare.NOTES) = ""
    signs: Annotated[list[Sign], Field(max_length=len(SIGNS)), AfterValidator(distinct)] = []
    referral: Referral | None = None


class CauseIn(Strict):
    id: str | None = Field(default=None, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    decision: Literal[tuple(CAUSE_DECISIONS)] | None = None
    kind: Literal[tuple(CAUSE_KINDS)]
    category: Literal[tuple(CAUSE_CATEGORIES)]
    description: Text(analysis.CAUSE_DESCRIPTION)
    action: Text(analysis.CAUSE_ACTION) = ""
    action_owner_id: Id | None = None
    action_due_on: Day | None = None
    action_done_on: Day | None = None


class AnalysisIn(Strict):
    version: int
    answers: dict[Literal[tuple(ANALYSIS_QUESTIONS)], Text(analysis.ANSWER)] = {}
    causes: Annotated[list[CauseIn], Field(max_length=30)] = []


class LetterIn(Strict):
    kind: Literal[tuple(LETTER_KINDS)]
    variant: int = Field(default=1, ge=1, le=2)
    measure_id: Id | None = None


class LetterTextIn(Strict):
    text: Text(letters.TEXT)


class AdviceOut(BaseModel):
    """The reaction matrix's advice for this aggressor's behaviour and history."""

    category: str | None
    category_label: str
    level: int
    measure: str | None
    measure_label: str
    min_months: int
    max_months: int
    police: str | None
    reason: str
    note: str
    earlier: list[IncidentSummary]  # this aggressor's earlier incidents the reader may see


class MeasureOut(BaseModel):
    id: int
    kind: str
    label: str
    decided_on: date
    starts_on: date | None
    ends_on: date | None
    note: str
    extended_from: date | None
    breaches: list[dict]
    in_air: bool


class RunningBan(BaseModel):
    """The aggressor's ban or suspension in the AIR that holds today or later."""

    id: int
    kind: str
    label: str
    starts_on: date
    ends_on: date | None
    active: bool
    reason: str


class PoliceRecordOut(BaseModel):
    id: int
    kind: str
    on: date
    reference: str
    domicile: bool
    reason: str
    filed_by: str | None
    supported_by: str | None


class PoliceOut(BaseModel):
    advice: str | None
    reason: str
    open: bool
    due_at: datetime | None
    records: list[PoliceRecordOut]


class WrittenReport(BaseModel):
    state: str
    due_at: datetime | None
    reported_at: datetime | None
    reference: str


class InspectorateOut(BaseModel):
    required: bool
    state: str
    deadline: datetime | None
    seconds_left: int | None
    criteria: list[str]
    reported_at: datetime | None
    reference: str
    written: WrittenReport


class AftercareOut(BaseModel):
    step: str
    label: str
    from_on: date
    due_at: datetime
    overdue: bool
    done_on: date | None
    notes: str
    signs: list[str]
    referral: str | None


class LetterOut(BaseModel):
    id: int
    kind: str
    label: str
    variant: int
    text: str
    final: bool
    to_aggressor: bool
    created_at: datetime
    finalised_at: datetime | None


class LetterDefaults(BaseModel):
    kind: str
    measure_id: int | None


class Section(BaseModel):
    key: str
    state: Literal["overdue", "open", "done", "none"]
    open: int


class FollowupOut(BaseModel):
    incident_id: int
    incident_version: int
    responsible: Named | None
    can_act: bool
    advice: AdviceOut
    reaction_due_at: datetime
    measures: list[MeasureOut]
    running: list[RunningBan]
    police: PoliceOut
    inspectorate: InspectorateOut
    absence_days: int | None
    accident_register: bool
    aftercare: list[AftercareOut]
    analysis: dict  # answers and causes, as saved (AnalysisIn)
    letters: list[LetterOut]
    letter_defaults: LetterDefaults
    description_suggestion: str
    vocabulary: dict
    sections: list[Section]


class FollowupAnswer(BaseModel):
    followup: FollowupOut


class DraftedOut(FollowupAnswer):
    letter_id: int


class OpenItem(BaseModel):
    section: str
    kind: str
    label: str
    due_at: datetime | None
    overdue: bool
    urgent: bool = False
    step: str | None = None  # an aftercare step's key


class TodoEntry(BaseModel):
    incident: IncidentSummary
    responsible: Named | None
    items: list[OpenItem]
    count: int
    urgent: bool
    overdue: bool
    next_due: datetime | None


class TodoOut(BaseModel):
    todo: list[TodoEntry]
    count: int
    first: int  # incidents to show before "meer"
    plan_items: list[PlanItemOut]  # team actions put in my hands from outside the team


def _followup(uow, incident_id: int):
    viewer = viewer_of(uow.session, current_user.id)
    followup = read_followup(uow.session, runtime().clock, viewer=viewer, incident_id=incident_id)
    followup["analysis"] = _with_team_actions(
        uow.session, viewer, incident_id, followup["analysis"]
    )
    return {"followup": followup}


def _with_team_actions(session, viewer, incident_id: int, analysis: dict) -> dict:
    """Each cause with the team-plan actions it became, and the team whose plan can take one
    (the learning loop reacts to the analysis; it is not part of it). A copy: the stored
    analysis is the incident's own."""
    linked = plan.items_for_incident(session, incident_id)
    causes = [{**c, "plan_items": linked.get(c.get("id"), [])} for c in analysis.get("causes", [])]
    team_id = session.get(Incident, incident_id).team_id
    return {
        **analysis,
        "causes": causes,
        "plan_team": plan.plan_team(session, viewer.user, team_id),
    }


def _act(action, incident_id: int, status: int = 200, **fields):
    """Run one follow-up action and answer with the incident's whole follow-up."""
    rt = runtime()
    with rt.db.uow() as uow:
        action(
            uow,
            rt.clock,
            viewer=viewer_of(uow.session, current_user.id),
            incident_id=incident_id,
            **fields,
        )
        return _followup(uow, incident_id), status


@endpoint(
    bp,
    "/followup/todo",
    "GET",
    "Incidents I am responsible for, with what is still open",
    can="followup",
    returns=TodoOut,
)
def followup_todo():
    rt = runtime()
    with rt.db.reader() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        return {
            **todo_json(uow.session, rt.clock.now(), viewer),
            "plan_items": plan.assigned_to(uow.session, rt.clock, viewer),
        }


@endpoint(
    bp,
    "/incidents/<int:incident_id>/followup",
    "GET",
    "Advice, measures, police, Inspectie SZW, aftercare, analysis and letters",
    can="followup",
    returns=FollowupAnswer,
)
def incident_followup(incident_id: int):
    with runtime().db.uow() as uow:
        return _followup(uow, incident_id)


@endpoint(
    bp,
    "/incidents/<int:incident_id>/measures",
    "POST",
    "Decide the reaction: a measure (a ban, warning or suspension also goes into the "
    "AIR) or geen_maatregel with its reason",
    body=MeasureIn,
    can="followup",
    status=201,
    returns=FollowupAnswer,
    errors=(409,),
)
def issue_measure(incident_id: int, body: MeasureIn):
    return _act(
        reaction.issue_measure,
        incident_id,
        kind=body.kind,
        decided_on=body.decided_on,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        note=body.note,
        status=201,
    )


@endpoint(
    bp,
    "/incidents/<int:incident_id>/extensions",
    "POST",
    "Decide to extend the aggressor's running ban in the AIR",
    body=ExtensionIn,
    can="followup",
    status=201,
    returns=FollowupAnswer,
    errors=(404, 409),
)
def extend_ban(incident_id: int, body: ExtensionIn):
    return _act(
        reaction.extend_ban,
        incident_id,
        air_measure_id=body.air_measure_id,
        decided_on=body.decided_on,
        ends_on=body.ends_on,
        note=body.note,
        status=201,
    )


@endpoint(
    bp,
    "/incidents/<int:incident_id>/measures/<int:measure_id>/breach",
    "POST",
    "Record a breach of a ban: it restarts from that date",
    body=BreachIn,
    can="followup",
    returns=FollowupAnswer,
    errors=(409,),
)
def record_breach(incident_id: int, measure_id: int, body: BreachIn):
    return _act(
        reaction.record_breach,
        incident_id,
        measure_id=measure_id,
        on=body.on,
        extend_days=body.extend_days,
        note=body.note,
    )


@endpoint(
    bp,
    "/incidents/<int:incident_id>/police",
    "POST",
    "Record an aangifte or melding, or why there is none",
    body=PoliceIn,
    can="followup",
    status=201,
    returns=FollowupAnswer,
    errors=(409,),
)
def record_police(incident_id: int, body: PoliceIn):
    return _act(
        service.record_police,
        incident_id,
        kind=body.kind,
        on=body.on,
        reference=body.reference,
        domicile=body.domicile,
        reason=body.reason,
        status=201,
    )


@endpoint(
    bp,
    "/incidents/<int:incident_id>/inspectorate",
    "PUT",
    "Record the phone report to the Inspectie SZW",
    body=InspectorateIn,
    can="followup",
    returns=FollowupAnswer,
    errors=(409,),
)
def record_inspectorate(incident_id: int, body: InspectorateIn):
    return _act(
        service.record_inspectorate,
        incident_id,
        reported_at=body.reported_at,
        reference=body.reference,
    )


@endpoint(
    bp,
    "/incidents/<int:incident_id>/inspectorate/written",
    "PUT",
    "Record the written report to the Inspectie SZW (after the phone report)",
    body=InspectorateIn,
    can="followup",
    returns=FollowupAnswer,
    errors=(409,),
)
def record_written_inspectorate(incident_id: int, body: InspectorateIn):
    return _act(
        service.record_written_inspectorate,
        incident_id,
        reported_at=body.reported_at,
        reference=body.reference,
    )


@endpoint(
    bp,
    "/incidents/<int:incident_id>/absence",
    "PUT",
    "Record the days of absence after the incident",
    body=AbsenceIn,
    can="followup",
    returns=FollowupAnswer,
    errors=(409,),
)
def record_absence(incident_id: int, body: AbsenceIn):
    return _act(service.record_absence, incident_id, days=body.days)


@endpoint(
    bp,
    "/incidents/<int:incident_id>/aftercare/<step>",
    "PUT",
    "Record an aftercare step as done",
    body=AftercareIn,
    can="followup",
    returns=FollowupAnswer,
    errors=(409,),
)
def record_aftercare(incident_id: int, step: str, body: AftercareIn):
    return _act(
        service.record_aftercare,
        incident_id,
        step=step,
        done_on=body.done_on,
        notes=body.notes,
        signs=body.signs,
        referral=body.referral,
    )


@endpoint(
    bp,
    "/incidents/<int:incident_id>/analysis",
    "PUT",
    "Save the incident analysis: answers, causes and actions",
    body=AnalysisIn,
    can="followup",
    returns=FollowupAnswer,
    errors=(409,),
)
def save_analysis(incident_id: int, body: AnalysisIn):
    return _act(
        service.save_analysis,
        incident_id,
        version=body.version,
        analysis=body.model_dump(mode="json", exclude={"version"}),
    )


def _org():
    return runtime().organisation


@endpoint(
    bp,
    "/incidents/<int:incident_id>/letters",
    "POST",
    "Draft a letter from the incident, aggressor and measure",
    body=LetterIn,
    can="followup",
    status=201,
    returns=DraftedOut,
    errors=(404, 409),
)
def draft_letter(incident_id: int, body: LetterIn):
    rt = runtime()
    with rt.db.uow() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        letter = correspondence.draft_incident_letter(
            uow,
            rt.clock,
            viewer=viewer,
            org=_org(),
            incident_id=incident_id,
            kind=body.kind,
            variant=body.variant,
            measure_id=body.measure_id,
        )
        return _followup(uow, incident_id) | {"letter_id": letter.id}, 201


@endpoint(
    bp,
    "/incidents/<int:incident_id>/letters/<int:letter_id>",
    "PUT",
    "Edit a draft letter",
    body=LetterTextIn,
    can="followup",
    returns=FollowupAnswer,
    errors=(409,),
)
def edit_letter(incident_id: int, letter_id: int, body: LetterTextIn):
    return _act(correspondence.edit_letter, incident_id, letter_id=letter_id, text=body.text)


@endpoint(
    bp,
    "/incidents/<int:incident_id>/letters/<int:letter_id>/final",
    "POST",
    "Finalise a letter: its PDF is made and stored with the incident",
    can="followup",
    returns=FollowupAnswer,
    errors=(409,),
)
def finalise_letter(incident_id: int, letter_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        correspondence.finalise_letter(
            uow, rt.clock, viewer=viewer, org=_org(), incident_id=incident_id, letter_id=letter_id
        )
        return _followup(uow, incident_id)


@endpoint(
    bp,
    "/incidents/<int:incident_id>/letters/<int:letter_id>.pdf",
    "GET",
    "Download a finalised letter as PDF",
    can="followup",
    returns=PDF,
    errors=(409,),  # still a draft
)
def letter_pdf(incident_id: int, letter_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        letter = correspondence.final_letter(
            uow.session,
            rt.clock,
            viewer=viewer_of(uow.session, current_user.id),
            incident_id=incident_id,
            letter_id=letter_id,
        )
        return Response(
            letter.pdf,
            mimetype="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="GIR-{incident_id}-{letter.kind}.pdf"'
            },
        )
