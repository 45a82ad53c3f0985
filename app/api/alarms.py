"""The alarm: raise, follow, acknowledge, confirm receipt, resolve, cancel with PIN."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from flask_login import current_user
from pydantic import BaseModel, Field, model_validator

from app.api import bp
from app.api.endpoint import Length, Strict, endpoint
from app.api.views import Named
from app.runtime import runtime
from services.accounts.capabilities import OVERSEERS, POLICY_EDITORS
from services.accounts.credentials import PIN_ENTRY
from services.accounts.service import pin_matches
from services.alarms import service
from services.alarms.models import Outcome, PositionStatus, Response
from services.alarms.readiness import alarm_readiness
from services.alarms.views import timeline_view, view_for
from services.escalation.alarm_policy import TARGET_KINDS
from services.escalation.team_policy import set_team_policy, team_policy
from services.incidents.service import report_of_alarm
from services.transparency.positions import position_reads, record_position_reads


class Position(Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy: float = Field(ge=0, le=100_000)  # metres, as the Geolocation API reports it


# An alarm PIN as typed: 4 to 8 digits (withdrawing an alarm, "alles goed" on a visit).
Pin = Annotated[str, Length(PIN_ENTRY, pattern=r"^[0-9]+$")]

# Why a phone has no position to send (the phone knows; responders need to know).
PositionMissing = Literal["pending", "denied", "unavailable", "unsupported"]


class RaiseIn(Strict):
    client_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    test: bool = False
    position: Position | None = None
    position_missing: PositionMissing | None = None

    @model_validator(mode="after")
    def _position_or_why_not(self):
        if self.position is not None and self.position_missing is not None:
            raise ValueError("een positie of de reden dat die ontbreekt, niet beide")
        return self


class PositionMissingIn(Strict):
    reason: Literal["denied", "unavailable", "unsupported"]


class AcknowledgeIn(Strict):
    response: Literal[tuple(Response)]


class ReceiptIn(Strict):
    state: Literal["delivered", "seen"]
    channel: Literal["websocket", "push"]


class ResolveIn(Strict):
    outcome: Literal[tuple(Outcome)]


class CancelIn(Strict):
    pin: Pin


class Acknowledgement(BaseModel):
    user: Named | None
    response: str
    response_label: str
    at: datetime


class AlarmVisit(BaseModel):
    """The visit or shift under way where the alarm was raised."""

    id: int
    kind: str
    kind_label: str
    address: str
    floor_room: str | None
    buddy: Named | None
    checked_in_at: datetime | None


class WorkerView(BaseModel):
    """The alarm as the phone of the worker who raised it sees it (services/alarms/views.py)."""

    id: int
    client_id: str
    state: str
    test: bool
    raised_at: datetime
    closed_at: datetime | None
    outcome: str | None
    outcome_label: str | None
    worker: Named
    visit: AlarmVisit | None
    acknowledgements: list[Acknowledgement]
    escalation_step: int | None


class RaisedBy(BaseModel):
    id: int
    name: str
    phone: str | None
    team: Named | None


class PositionOut(BaseModel):
    lat: float
    lon: float
    accuracy: float
    at: datetime | None


class NavigationLink(BaseModel):
    kind: str
    label: str
    geo: str
    map: str


class ResponderView(BaseModel):
    """The alarm as responders, managers and the coordinator see it."""

    id: int
    client_id: str
    state: str
    test: bool
    duress: bool
    raised_at: datetime
    closed_at: datetime | None
    outcome: str | None
    outcome_label: str | None
    worker: RaisedBy
    visit: AlarmVisit | None
    place: str
    position: PositionOut | None
    position_status: str
    position_status_label: str
    navigation: list[NavigationLink]
    pin_failures: int
    pin_locked: bool
    acknowledgements: list[Acknowledgement]
    escalation_step: int


AlarmView = ResponderView | WorkerView


class AlarmOut(BaseModel):
    alarm: AlarmView


class AlarmsOut(BaseModel):
    alarms: list[AlarmView]


class ReportRef(BaseModel):
    id: int
    number: str


class TimelineEntry(BaseModel):
    at: datetime
    kind: str
    label: str
    actor: Named | None
    subject: Named | None
    channel: str | None


class AlarmDetailOut(BaseModel):
    alarm: AlarmView
    report: ReportRef | None = None  # the raising worker's: the report made about it, if any
    timeline: list[TimelineEntry] = Field(default_factory=list)  # for those who oversee it


class Readiness(BaseModel):
    user: Named
    tested_at: datetime | None
    status: Literal["untested", "ok", "pending", "unreachable"]
    reason: str
    recheck_at: datetime | None = None  # pending: when to ask again


class ReadinessOut(BaseModel):
    people: list[Readiness]


def _answer(alarm, status: int = 200):
    return {"alarm": view_for(alarm, current_user.id)}, status


@endpoint(
    bp,
    "/alarms",
    "POST",
    "Raise an alarm (idempotent by client_id); 503 with Retry-After when it cannot be "
    "stored within 2 s",
    body=RaiseIn,
    status=201,
    busy=service.RAISE_BUSY,
    returns=AlarmOut,
    also=(200,),  # the same client_id again: the alarm it raised
    errors=(409,),
)
def raise_alarm(body: RaiseIn):
    rt = runtime()
    with rt.db.uow(wait=service.RAISE_WAIT) as uow:
        alarm, created = service.raise_alarm(
            uow,
            rt.events,
            rt.clock,
            worker_id=current_user.id,
            client_id=body.client_id,
            test=body.test,
            position=body.position.model_dump() if body.position else None,
            position_missing=body.position_missing and PositionStatus(body.position_missing),
        )
        return _answer(alarm, 201 if created else 200)


@endpoint(
    bp, "/alarms", "GET", "Open alarms I raised, was alerted to, or oversee", returns=AlarmsOut
)
def list_alarms():
    with runtime().db.reader() as uow:
        found = service.open_alarms_for(uow.session, current_user.id)
        answer = {"alarms": [view_for(a, current_user.id) for a in found]}
        overseen = position_reads(found, current_user.id)
    _log_position_reads(overseen)
    return answer


@endpoint(
    bp,
    "/alarms/<int:alarm_id>",
    "GET",
    "One alarm; with its timeline for managers and the coordinator",
    returns=AlarmDetailOut,
)
def get_alarm(alarm_id: int):
    with runtime().db.reader() as uow:
        alarm = service.get_alarm_for(uow.session, current_user.id, alarm_id)
        answer = {"alarm": view_for(alarm, current_user.id)}
        if alarm.worker_id == current_user.id:  # "Incidentmelding maken", or the one made
            answer["report"] = report_of_alarm(uow.session, alarm.id, current_user.id)
        if service.may_see_timeline(uow.session, current_user.id, alarm):
            answer["timeline"] = timeline_view(service.timeline_of(uow.session, alarm))
        overseen = position_reads([alarm], current_user.id)
    _log_position_reads(overseen)
    return answer


def _log_position_reads(alarm_ids: list[int]) -> None:
    """A position shown to someone no alert gave it to is written down before the answer
    leaves; the alerted (nearly every reader while an alarm runs) read without a write."""
    if alarm_ids:
        rt = runtime()
        with rt.db.uow() as uow:
            record_position_reads(
                uow.session, rt.clock.now(), viewer_id=current_user.id, alarm_ids=alarm_ids
            )


@endpoint(
    bp,
    "/alarms/<int:alarm_id>/positions",
    "POST",
    "The raising worker's position while the alarm is open",
    body=Position,
    status=204,
    errors=(409,),
)
def post_position(alarm_id: int, body: Position):
    rt = runtime()
    with rt.db.uow() as uow:
        service.update_position(
            uow,
            rt.events,
            rt.clock,
            alarm_id=alarm_id,
            worker_id=current_user.id,
            position=body.model_dump(),
        )
    return "", 204


@endpoint(
    bp,
    "/alarms/<int:alarm_id>/position-missing",
    "POST",
    "The raising worker's phone cannot give a position, and why",
    body=PositionMissingIn,
    status=204,
    errors=(409,),
)
def position_missing(alarm_id: int, body: PositionMissingIn):
    rt = runtime()
    with rt.db.uow() as uow:
        service.report_position_missing(
            uow,
            rt.events,
            rt.clock,
            alarm_id=alarm_id,
            worker_id=current_user.id,
            reason=PositionStatus(body.reason),
        )
    return "", 204


@endpoint(
    bp,
    "/alarms/<int:alarm_id>/acknowledge",
    "POST",
    "I am coming / I am calling 112 (stops escalation)",
    body=AcknowledgeIn,
    returns=AlarmOut,
    errors=(409,),
)
def acknowledge(alarm_id: int, body: AcknowledgeIn):
    rt = runtime()
    with rt.db.uow() as uow:
        return _answer(
            service.acknowledge(
                uow,
                rt.events,
                rt.clock,
                alarm_id=alarm_id,
                user_id=current_user.id,
                response=Response(body.response),
            )
        )


@endpoint(
    bp,
    "/alarms/<int:alarm_id>/receipts",
    "POST",
    "My device received / showed the alarm (for the timeline)",
    body=ReceiptIn,
    status=204,
    errors=(409,),
)
def receipt(alarm_id: int, body: ReceiptIn):
    rt = runtime()
    with rt.db.uow() as uow:
        service.record_receipt(
            uow,
            rt.events,
            rt.clock,
            alarm_id=alarm_id,
            user_id=current_user.id,
            state=body.state,
            channel=body.channel,
        )
    return "", 204


@endpoint(
    bp,
    "/alarms/<int:alarm_id>/resolve",
    "POST",
    "Close the alarm with an outcome",
    body=ResolveIn,
    returns=AlarmOut,
    errors=(409,),
)
def resolve(alarm_id: int, body: ResolveIn):
    rt = runtime()
    with rt.db.uow() as uow:
        return _answer(
            service.resolve(
                uow,
                rt.events,
                rt.clock,
                alarm_id=alarm_id,
                user_id=current_user.id,
                outcome=Outcome(body.outcome),
            )
        )


@endpoint(
    bp,
    "/alarms/<int:alarm_id>/cancel",
    "POST",
    "Withdraw my own alarm with my PIN; wrong PINs are counted, 3 lock it (429)",
    body=CancelIn,
    returns=AlarmOut,
    errors=(409, 429),
)
def cancel(alarm_id: int, body: CancelIn):
    rt = runtime()
    with rt.db.uow() as uow:
        alarm, refusal = service.cancel_with_pin(
            uow,
            rt.events,
            rt.clock,
            alarm_id=alarm_id,
            worker_id=current_user.id,
            pin=body.pin,
            pin_matches=pin_matches,
        )
        answer = _answer(alarm)
    if refusal is not None:  # raised after the commit: the wrong PIN itself is kept
        raise refusal
    return answer


@endpoint(
    bp,
    "/alarm-readiness",
    "GET",
    "Whether phones received their last test alarm: mine, and my teams' for managers",
    returns=ReadinessOut,
)
def readiness():
    rt = runtime()
    with rt.db.reader() as uow:
        return {"people": alarm_readiness(uow.session, rt.clock, current_user.id)}


class PolicyStep(Strict):
    after_seconds: int = Field(ge=0, le=3600)
    targets: list[Literal[tuple(TARGET_KINDS)]] = Field(min_length=1)


class GracePerLevel(Strict):
    laag: int
    verhoogd: int
    hoog: int
    niet_gaan: int


class OverduePolicy(Strict):
    grace_minutes: GracePerLevel
    manager_after_minutes: int


class TeamPolicyIn(Strict):
    alarm_steps: list[PolicyStep] = Field(min_length=1, max_length=10)
    overdue: OverduePolicy


class StepOut(BaseModel):
    after_seconds: int
    targets: list[str]


class OverdueOut(BaseModel):
    grace_minutes: dict[str, int]  # per risk level
    manager_after_minutes: int


class TeamPolicyOut(BaseModel):
    alarm_steps: list[StepOut]
    overdue: OverdueOut


@endpoint(
    bp,
    "/teams/<int:team_id>/escalation-policy",
    "GET",
    "A team's escalation policy for alarms and overdue visits (its own managers, the "
    "coordinator, the administrator; another team's: 404)",
    roles=OVERSEERS,
    returns=TeamPolicyOut,
)
def get_team_policy(team_id: int):
    with runtime().db.reader() as uow:
        return team_policy(uow.session, team_id, viewer_id=current_user.id)


@endpoint(
    bp,
    "/teams/<int:team_id>/escalation-policy",
    "PUT",
    "Replace a team's escalation policy (running alarms and visits keep their snapshot)",
    body=TeamPolicyIn,
    roles=POLICY_EDITORS,
    returns=TeamPolicyOut,
)
def put_team_policy(team_id: int, body: TeamPolicyIn):
    with runtime().db.uow() as uow:
        return set_team_policy(
            uow.session,
            user_id=current_user.id,
            team_id=team_id,
            alarm_steps=[s.model_dump() for s in body.alarm_steps],
            overdue=body.overdue.model_dump(),
        )
