"""Visits: plan with the checklist and the register, check in, extend, "alles goed", out."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask_login import current_user
from pydantic import BaseModel, Field

from app.api import bp
from app.api.alarms import AlarmView, Pin, Position
from app.api.endpoint import Id, Length, Strict, Within, endpoint
from app.api.errors import STATUS, error_texts
from app.api.views import Contact, Named
from app.runtime import runtime
from services.alarms import at_visits
from services.alarms.views import view_for
from services.checklists import scoring
from services.checklists.scoring import ANSWERS, LEVELS, RISK_ANSWERS
from services.checklists.service import current_checklists, publish_version
from services.register.models import CLIENT_REF
from services.visits import models, overdue, permission, service
from services.visits.models import VISIT_TYPES
from services.visits.views import visit_json

Answer = Literal[ANSWERS]


class VisitIn(Strict):
    kind: Literal["visit", "shift"]
    visit_type: Literal[tuple(VISIT_TYPES)] | None = None
    address: str = Length(models.ADDRESS)
    floor_room: str | None = Length(models.FLOOR_ROOM, default=None)
    client_ref: str | None = Length(CLIENT_REF, default=None)
    expected_minutes: int | None = Within(models.EXPECTED_MINUTES, default=None)
    buddy_id: Id | None = None
    checklist_id: Id
    answers: dict[str, Answer]


class CheckInIn(Strict):
    position: Position | None = None
    alone_confirmed: bool = False  # "ik ga toch alleen", where the advice is not to


class ExtendIn(Strict):
    minutes: int = Within(models.EXTEND_MINUTES)


class OkIn(Strict):
    pin: Pin | None = None


class ReasonIn(Strict):
    reason: str = Length(models.REASON)


class DecisionIn(ReasonIn):
    approve: bool


class RespondIn(Strict):
    response: Literal["checking", "calling"]


class RegisterFinding(BaseModel):
    match: bool
    no_contact: bool
    message: str


class PermissionOut(BaseModel):
    """A niet-gaan visit's permission: asked, given, refused or expired."""

    state: str
    label: str
    requested_at: datetime | None
    requested_by: Named | None
    request_reason: str | None
    decided_at: datetime | None
    decided_by: Named | None
    decision_reason: str | None


class NextSteps(BaseModel):
    check_in: bool
    request_permission: bool


class ColleagueResponse(BaseModel):
    user: Named | None
    response: str
    response_label: str
    at: datetime


class VisitOut(BaseModel):
    """A visit or shift as services/visits/views.py shows it."""

    id: int
    kind: str
    visit_type: str | None
    address: str
    floor_room: str | None
    client_ref: str | None
    worker: Contact
    buddy: Named | None
    expected_minutes: int | None
    interval_minutes: int | None
    risk_level: str
    risk_label: str
    advice: list
    air: RegisterFinding
    register_change: dict | None  # the register changed since planning: from, to, why
    state: str
    status: str
    status_label: str
    checked_in_at: datetime | None
    due_at: datetime | None
    closed_at: datetime | None
    permission: PermissionOut | None
    can: NextSteps
    alone_needs_confirmation: bool
    alone_label: str | None
    ok_needs_pin: bool
    responses: list[ColleagueResponse]


class VisitAnswer(BaseModel):
    visit: VisitOut


class VisitRefused(BaseModel):
    """A refusal decided with the visit, answered with the visit as it now stands."""

    error: str
    fields: dict[str, str] = Field(default_factory=dict)
    visit: VisitOut


class VisitsOut(BaseModel):
    visits: list[VisitOut]


class AddressesOut(BaseModel):
    addresses: list[str]


class NotOkOut(BaseModel):
    visit: VisitOut
    alarm: AlarmView


class PermissionRequest(BaseModel):
    visit: VisitOut
    requested_at: datetime | None
    requested_by: Named | None
    reason: str | None
    register_reason: str


class PermissionRequestsOut(BaseModel):
    requests: list[PermissionRequest]


class ChecklistQuestion(BaseModel):
    id: str
    text: str
    help: str | None


class ChecklistForMe(BaseModel):
    id: int
    key: str
    version: int
    title: str
    questions: list[ChecklistQuestion]


class ChecklistsForMeOut(BaseModel):
    checklists: list[ChecklistForMe]


class Checklist(BaseModel):
    id: int
    key: str
    version: int
    title: str
    function_groups: list[str]  # empty: for everyone
    questions: list[dict]  # with their scoring: risk answer, points, advice, floor
    thresholds: dict[str, int]  # points from which a level starts


class ChecklistsOut(BaseModel):
    checklists: list[Checklist]


class PublishedOut(BaseModel):
    id: int
    key: str
    version: int


def _answer(visit, status: int = 200):
    return {"visit": visit_json(visit, runtime().clock.now())}, status


def _refused(answer: tuple[dict, int], refusal):
    """A refusal decided in the transaction, answered after its commit (what it learnt is
    kept), with the visit as it now stands."""
    if refusal is None:
        return answer
    message, fields = error_texts(refusal)
    return {"error": message, "fields": fields, **answer[0]}, STATUS[type(refusal)]


@endpoint(
    bp,
    "/checklists/for-me",
    "GET",
    "The current risk checklists for my function group",
    returns=ChecklistsForMeOut,
)
def my_checklists():
    with runtime().db.reader() as uow:
        found = service.checklists_for(uow.session, current_user.id)
        return {
            "checklists": [
                {
                    "id": c.id,
                    "key": c.key,
                    "version": c.version,
                    "title": c.title,
                    "questions": [
                        {"id": q["id"], "text": q["text"], "help": q.get("help")}
                        for q in c.questions
                    ],
                }
                for c in found
            ]
        }


@endpoint(
    bp,
    "/visits",
    "POST",
    "Plan a visit or shift: checklist, register lookup, risk",
    body=VisitIn,
    status=201,
    returns=VisitAnswer,
    errors=(404,),  # no such checklist or buddy
)
def plan(body: VisitIn):
    details = body.model_dump(exclude={"checklist_id", "answers"})
    rt = runtime()
    with rt.db.uow() as uow:
        return _answer(
            service.plan_visit(
                uow,
                rt.clock,
                worker_id=current_user.id,
                details=details,
                checklist_id=body.checklist_id,
                answers=body.answers,
            ),
            201,
        )


@endpoint(
    bp,
    "/visits",
    "GET",
    "My open visits; managers also their teams' active visits",
    returns=VisitsOut,
)
def list_visits():
    with runtime().db.reader() as uow:
        now = runtime().clock.now()
        return {
            "visits": [
                visit_json(v, now) for v in service.visible_visits(uow.session, current_user.id)
            ]
        }


@endpoint(bp, "/visits/recent-addresses", "GET", "Addresses I visited lately", returns=AddressesOut)
def recent_addresses():
    with runtime().db.reader() as uow:
        return {"addresses": service.recent_addresses(uow.session, current_user.id)}


@endpoint(
    bp,
    "/visits/<int:visit_id>/check-in",
    "POST",
    "Read the register again and start the visit clock (position recorded now only); "
    "409 with the visit when refused",
    body=CheckInIn,
    returns=VisitAnswer,
    errors={409: VisitRefused},
)
def check_in(visit_id: int, body: CheckInIn):
    rt = runtime()
    with rt.db.uow() as uow:
        visit, refusal = service.check_in(
            uow,
            rt.events,
            rt.clock,
            rt.visit_minute,
            visit_id=visit_id,
            worker_id=current_user.id,
            position=body.position.model_dump() if body.position else None,
            alone_confirmed=body.alone_confirmed,
        )
        answer = _answer(visit)
    return _refused(answer, refusal)


@endpoint(
    bp,
    "/visits/<int:visit_id>/extend",
    "POST",
    "Take more time",
    body=ExtendIn,
    returns=VisitAnswer,
    errors=(409,),
)
def extend(visit_id: int, body: ExtendIn):
    rt = runtime()
    with rt.db.uow() as uow:
        return _answer(
            service.extend(
                uow,
                rt.events,
                rt.clock,
                rt.visit_minute,
                visit_id=visit_id,
                worker_id=current_user.id,
                minutes=body.minutes,
            )
        )


@endpoint(
    bp,
    "/visits/<int:visit_id>/ok",
    "POST",
    "Alles goed: stand down any escalation (the PIN on hoog and register-flagged visits)",
    body=OkIn,
    returns=VisitAnswer,
    errors=(409,),
)
def ok(visit_id: int, body: OkIn):
    rt = runtime()
    with rt.db.uow() as uow:
        visit, refusal = service.confirm_ok(
            uow,
            rt.events,
            rt.clock,
            rt.visit_minute,
            visit_id=visit_id,
            worker_id=current_user.id,
            pin=body.pin,
        )
        answer = _answer(visit)
    if refusal is not None:  # raised after the commit: the wrong PIN itself is kept
        raise refusal
    return answer


@endpoint(
    bp,
    "/visits/<int:visit_id>/not-ok",
    "POST",
    "Not OK: raise a full alarm",
    returns=NotOkOut,
    errors=(409,),
)
def not_ok(visit_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        visit, alarm = at_visits.not_ok(
            uow, rt.events, rt.clock, visit_id=visit_id, worker_id=current_user.id
        )
        return {
            "visit": visit_json(visit, rt.clock.now()),
            "alarm": view_for(alarm, current_user.id),
        }


@endpoint(
    bp,
    "/visits/<int:visit_id>/check-out",
    "POST",
    "End the visit (or cancel it)",
    returns=VisitAnswer,
    errors=(409,),
)
def check_out(visit_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        return _answer(
            service.check_out(
                uow, rt.events, rt.clock, visit_id=visit_id, worker_id=current_user.id
            )
        )


@endpoint(
    bp,
    "/visits/<int:visit_id>/override-request",
    "POST",
    "Ask the manager's permission for a niet-gaan visit (the pair)",
    body=ReasonIn,
    returns=VisitAnswer,
    errors=(409,),
)
def request_override(visit_id: int, body: ReasonIn):
    rt = runtime()
    with rt.db.uow() as uow:
        return _answer(
            permission.request_permission(
                uow,
                rt.events,
                rt.clock,
                visit_id=visit_id,
                user_id=current_user.id,
                reason=body.reason,
            )
        )


@endpoint(
    bp,
    "/visits/override-requests",
    "GET",
    "Open permission requests in my reach, with the register's reason (logged)",
    can="team_visits",
    returns=PermissionRequestsOut,
)
def override_requests():
    rt = runtime()
    with rt.db.uow() as uow:  # reading the register's reason is logged
        return {"requests": permission.permission_requests(uow.session, rt.clock, current_user.id)}


@endpoint(
    bp,
    "/visits/<int:visit_id>/override",
    "POST",
    "The manager approves or refuses contact on a niet-gaan visit, with a reason "
    "(an approval holds today only)",
    body=DecisionIn,
    can="team_visits",
    returns=VisitAnswer,
    errors=(409,),
)
def override(visit_id: int, body: DecisionIn):
    rt = runtime()
    with rt.db.uow() as uow:
        return _answer(
            permission.decide_permission(
                uow,
                rt.events,
                rt.clock,
                manager_id=current_user.id,
                visit_id=visit_id,
                approve=body.approve,
                reason=body.reason,
            )
        )


@endpoint(
    bp,
    "/visits/<int:visit_id>/respond",
    "POST",
    "An alerted colleague answers an overdue alert: checking or calling",
    body=RespondIn,
    returns=VisitAnswer,
    errors=(409,),
)
def respond(visit_id: int, body: RespondIn):
    rt = runtime()
    with rt.db.uow() as uow:
        return _answer(
            overdue.respond_to_overdue(
                uow,
                rt.events,
                rt.clock,
                visit_id=visit_id,
                user_id=current_user.id,
                response=body.response,
            )
        )


class QuestionIn(Strict):
    id: str = Length(scoring.QUESTION_ID, pattern=r"^[a-z0-9_]+$")
    text: str = Length(scoring.QUESTION_TEXT)
    help: str | None = Length(scoring.QUESTION_HELP, default=None)
    risk_answer: Literal[RISK_ANSWERS]
    points: int = Within(scoring.QUESTION_POINTS)
    advice: str = Length(scoring.QUESTION_ADVICE)
    floor: Literal[tuple(LEVELS[1:])] | None = None  # a level above "laag"


class ChecklistIn(Strict):
    title: str = Length(scoring.TITLE)
    questions: list[QuestionIn] = Length(scoring.QUESTIONS)


@endpoint(
    bp,
    "/checklists",
    "GET",
    "All current checklists with their scoring data",
    can="checklists",
    returns=ChecklistsOut,
)
def all_checklists():
    with runtime().db.reader() as uow:
        return {
            "checklists": [
                {
                    "id": c.id,
                    "key": c.key,
                    "version": c.version,
                    "title": c.title,
                    "function_groups": c.function_groups,
                    "questions": c.questions,
                    "thresholds": c.thresholds,
                }
                for c in current_checklists(uow.session)
            ]
        }


@endpoint(
    bp,
    "/checklists/<key>",
    "PUT",
    "Publish a new version of a checklist (visits keep the version they answered)",
    body=ChecklistIn,
    can="checklists",
    status=201,
    returns=PublishedOut,
)
def edit_checklist(key: str, body: ChecklistIn):
    rt = runtime()
    with rt.db.uow() as uow:
        new = publish_version(
            uow.session,
            rt.clock,
            user_id=current_user.id,
            key=key,
            title=body.title,
            questions=[q.model_dump() for q in body.questions],
        )
        return {"id": new.id, "key": new.key, "version": new.version}, 201
