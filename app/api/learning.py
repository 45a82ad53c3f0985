"""Learning from incidents (seed 000): the employee's questionnaire, rounds and learning goals;
the team picture for the team's managers; the organisation picture and new instrument versions
for the coordinator (services/learning/)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from flask import current_app
from flask_login import current_user
from pydantic import AwareDatetime, BaseModel, Field

from app.api import bp
from app.api.endpoint import Day, Id, Strict, endpoint
from app.api.incidents import Text
from app.api.reports import PeriodOut
from app.runtime import runtime
from services.accounts.service import get_user
from services.clock import local_date
from services.incidents.access import viewer_of
from services.learning import instruments, plan, service
from services.learning.instruments import OPTIONS
from services.learning.workforms import WORK_FORMS, work_forms_json

OptionKey = Literal[tuple(dict.fromkeys([*OPTIONS["questionnaire"], *OPTIONS["matrix"]]))]
StatementId = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_-]+$")]


class Option(BaseModel):
    key: str
    label: str


class Statement(BaseModel):
    id: str
    text: str


class Group(BaseModel):
    key: str
    title: str
    statements: list[Statement]


class InstrumentOut(BaseModel):
    id: int
    key: str
    version: int
    kind: Literal[tuple(instruments.KINDS)]
    function_group: str | None
    function_group_label: str | None
    title: str
    contact: str | None
    prompt: str | None
    options: list[Option]
    groups: list[Group]
    current: bool


class MyInstrumentsOut(BaseModel):
    questionnaire: InstrumentOut | None
    matrix: InstrumentOut


class InstrumentsOut(BaseModel):
    instruments: list[InstrumentOut]


class StatementIn(Strict):
    id: StatementId | None = None
    text: Text(instruments.STATEMENT_TEXT)


class GroupIn(Strict):
    key: StatementId
    title: Text(instruments.GROUP_TITLE)
    statements: Annotated[
        list[StatementIn],
        Field(min_length=instruments.STATEMENTS.min, max_length=instruments.STATEMENTS.max),
    ]


class VersionIn(Strict):
    title: Text(instruments.TITLE)
    groups: Annotated[
        list[GroupIn], Field(min_length=instruments.GROUPS.min, max_length=instruments.GROUPS.max)
    ]


class ResponseIn(Strict):
    client_id: str = Field(min_length=8, max_length=36, pattern=r"^[A-Za-z0-9_-]+$")
    instrument_id: Id
    answers: Annotated[dict[StatementId, OptionKey], Field(max_length=200)]
    answered_at: AwareDatetime | None = None


class Aspect(BaseModel):
    key: str
    title: str
    score: int | None
    counts: dict[str, int]


class InstrumentRef(BaseModel):
    id: int
    key: str
    version: int
    kind: str
    title: str


class ResponseOut(BaseModel):
    id: int
    client_id: str
    instrument: InstrumentRef
    answered_at: str
    received_at: str
    answers: dict[str, str]
    profile: list[Aspect]


class ReceivedOut(BaseModel):
    response: ResponseOut


class Person(BaseModel):
    id: int
    name: str


class GoalOut(BaseModel):
    id: int
    text: str
    response_id: int | None
    created_at: str
    shared_at: str | None
    shared_with: Person | None
    author: Person | None = None


class MineOut(BaseModel):
    rounds: list[ResponseOut]
    goals: list[GoalOut]
    manager: Person | None


class GoalIn(Strict):
    text: Text(service.GOAL)
    response_id: Id | None = None
    share: bool = False


class TeamOut(BaseModel):
    id: int
    name: str
    department: str | None
    members: int
    respondents: int


class TeamsOut(BaseModel):
    teams: list[TeamOut]


class StatementPicture(Statement):
    counts: dict[str, int]
    score: int | None


class GroupPicture(BaseModel):
    key: str
    title: str
    score: int | None
    statements: list[StatementPicture]


class Weak(BaseModel):
    key: str
    title: str
    score: int | None


class PictureOut(BaseModel):
    key: str
    title: str
    function_group: str | None
    function_group_label: str | None
    options: list[Option]
    respondents: int
    shown: bool
    groups: list[GroupPicture]
    weakest: list[Weak]


class TeamRef(BaseModel):
    id: int
    name: str


class TeamPictureOut(BaseModel):
    team: TeamRef
    threshold: int
    questionnaires: list[PictureOut]
    matrix: PictureOut
    goals: list[GoalOut]


class Trend(BaseModel):
    period: PeriodOut
    total: int
    previous: int
    change: int


class FunctionGroupPicture(BaseModel):
    function_group: str
    label: str
    picture: PictureOut
    incidents: Trend


class OrganisationOut(BaseModel):
    threshold: int
    function_groups: list[FunctionGroupPicture]


class WorkFormOut(BaseModel):
    key: str
    title: str
    level: Literal["team", "organisatie"]
    plan_kind: str
    goal: list[str]
    audience: list[str]
    guidance: str | None
    duration: str | None
    participants: str | None
    material: str | None
    description: str
    steps: list[str]
    methods: list[str]


class WorkFormsOut(BaseModel):
    work_forms: list[WorkFormOut]


class WorkFormRef(BaseModel):
    key: str
    title: str
    steps: list[str]


class AreaSource(BaseModel):
    questionnaire: str
    key: str
    title: str


class IncidentSource(BaseModel):
    id: int
    number: str | None
    cause_id: str | None
    cause: str | None


class Source(BaseModel):
    area: AreaSource | None = None
    incident: IncidentSource | None = None


class Evaluation(BaseModel):
    outcome: str
    outcome_label: str
    text: str
    on: date
    by: str | None


class Counted(BaseModel):
    key: str
    label: str
    count: int


class RegisterQuery(BaseModel):
    team: str
    from_: date = Field(alias="from")
    to: date


class Material(BaseModel):
    period: PeriodOut
    total: int
    previous: int
    by_behaviour: list[Counted]
    register_query: RegisterQuery


class PlanItemOut(BaseModel):
    id: int
    version: int
    team: TeamRef
    kind: Literal[tuple(plan.KINDS)]
    kind_label: str
    title: str
    work_form: WorkFormRef | None
    expected_result: str
    owner: Person | None
    assignee: Person | None
    due_on: date
    state: Literal[tuple(plan.STATES)]
    state_label: str
    source: Source | None
    evaluation: Evaluation | None
    carried_from: int | None
    material: Material | None
    created_at: str
    may_edit: bool


class Planner(BaseModel):
    id: int
    name: str
    outside: bool


class PlanOut(BaseModel):
    items: list[PlanItemOut]
    people: list[Planner]


class AreaIn(Strict):
    questionnaire: StatementId
    key: StatementId


class CauseRef(Strict):
    id: Id
    cause_id: StatementId


class PlanItemIn(Strict):
    kind: Literal[tuple(plan.KINDS)]
    title: Text(plan.TITLE)
    work_form: Literal[tuple(WORK_FORMS)] | None = None
    expected_result: Text(plan.EXPECTED_RESULT) = ""
    owner_id: Id | None = None
    assignee_id: Id | None = None
    due_on: Day
    area: AreaIn | None = None
    incident: CauseRef | None = None


class PlanChangeIn(Strict):
    version: int
    title: Text(plan.TITLE) | None = None
    expected_result: Text(plan.EXPECTED_RESULT) | None = None
    owner_id: Id | None = None
    assignee_id: Id | None = None
    due_on: Day | None = None
    state: Literal[tuple(plan.OPEN)] | None = None


class EvaluationIn(Strict):
    version: int
    outcome: Literal[tuple(plan.OUTCOMES)]
    text: Text(plan.EVALUATION)
    next_due_on: Day | None = None


class OpenItemsOut(BaseModel):
    items: list[PlanItemOut]


def _threshold() -> int:
    return current_app.config["LEARNING_MIN_RESPONDENTS"]


@endpoint(
    bp,
    "/learning/instruments",
    "GET",
    "The current leerdoelwijzer of my function group (null without one) and the development matrix",
    can="learning",
    returns=MyInstrumentsOut,
)
def my_instruments():
    with runtime().db.reader() as uow:
        return service.my_instruments(uow.session, get_user(uow.session, current_user.id))


@endpoint(
    bp,
    "/learning/instruments/all",
    "GET",
    "Every instrument's current version",
    can="learning_organisation",
    returns=InstrumentsOut,
)
def all_instruments():
    with runtime().db.reader() as uow:
        listed = instruments.current_instruments(uow.session)
        return {"instruments": [instruments.instrument_json(i) for i in listed]}


@endpoint(
    bp,
    "/learning/instruments/<key>/versions",
    "POST",
    "Publish a new version; answers given to the old one stay with it",
    body=VersionIn,
    can="learning_organisation",
    status=201,
    returns=InstrumentOut,
    errors=(404, 422),
)
def publish_instrument(key: str, body: VersionIn):
    rt = runtime()
    with rt.db.uow() as uow:
        new = instruments.publish_version(
            uow.session,
            rt.clock,
            user_id=current_user.id,
            key=key,
            title=body.title,
            groups=body.model_dump()["groups"],
        )
        return instruments.instrument_json(new), 201


@endpoint(
    bp,
    "/learning/responses",
    "POST",
    "A round of answers, received exactly once (idempotent by client_id)",
    body=ResponseIn,
    can="learning",
    status=201,
    returns=ReceivedOut,
    also=(200,),
    errors=(404, 409, 422),
)
def receive_response(body: ResponseIn):
    rt = runtime()
    with rt.db.uow() as uow:
        response, made = service.record_response(
            uow.session,
            rt.clock,
            user=get_user(uow.session, current_user.id),
            client_id=body.client_id,
            instrument_id=body.instrument_id,
            answers=body.answers,
            answered_at=_utc(body.answered_at),
        )
        return {"response": service.response_json(uow.session, response)}, 201 if made else 200


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment else None


@endpoint(
    bp,
    "/learning/me",
    "GET",
    "My rounds (the newest first, each with its profile per aspect) and my learning goals",
    can="learning",
    returns=MineOut,
)
def my_learning():
    with runtime().db.reader() as uow:
        return service.my_learning(uow.session, get_user(uow.session, current_user.id))


@endpoint(
    bp,
    "/learning/goals",
    "POST",
    "Write a personal learning goal; `share` shares it with my manager",
    body=GoalIn,
    can="learning",
    status=201,
    returns=GoalOut,
    errors=(404, 409),
)
def write_goal(body: GoalIn):
    rt = runtime()
    with rt.db.uow() as uow:
        goal = service.write_goal(
            uow.session,
            rt.clock,
            user=get_user(uow.session, current_user.id),
            text=body.text,
            response_id=body.response_id,
            share=body.share,
        )
        return service.goal_json(uow.session, goal), 201


@endpoint(
    bp,
    "/learning/goals/<int:goal_id>/share",
    "POST",
    "Share my learning goal with my manager",
    can="learning",
    returns=GoalOut,
    errors=(404, 409),
)
def share_goal(goal_id: int):
    rt = runtime()
    with rt.db.uow() as uow:
        user = get_user(uow.session, current_user.id)
        goal = service.share_goal(uow.session, rt.clock, user=user, goal_id=goal_id)
        return service.goal_json(uow.session, goal)


@endpoint(
    bp,
    "/learning/teams",
    "GET",
    "The teams whose picture I may see: the teams a manager leads, every team for the coordinator",
    can="team_learning",
    returns=TeamsOut,
)
def learning_teams():
    with runtime().db.reader() as uow:
        return service.teams_json(uow.session, get_user(uow.session, current_user.id))


@endpoint(
    bp,
    "/learning/teams/<int:team_id>/picture",
    "GET",
    "The team picture: per questionnaire and the matrix the answers per statement as counts, "
    "shown only from the configured number of respondents; the goals shared with me",
    can="team_learning",
    returns=TeamPictureOut,
    errors=(404,),
)
def team_picture(team_id: int):
    with runtime().db.reader() as uow:
        viewer = get_user(uow.session, current_user.id)
        return service.team_picture(
            uow.session, viewer=viewer, team_id=team_id, threshold=_threshold()
        )


@endpoint(
    bp,
    "/learning/organisation",
    "GET",
    "Per function group the organisation picture beside its incidents of the last 12 months",
    can="learning_organisation",
    returns=OrganisationOut,
)
def organisation_picture():
    rt = runtime()
    with rt.db.reader() as uow:
        return service.organisation_picture(
            uow.session,
            viewer=viewer_of(uow.session, current_user.id),
            threshold=_threshold(),
            today=local_date(rt.clock.now()),
        )


@endpoint(
    bp,
    "/learning/work-forms",
    "GET",
    "The learning guide's work forms, each with its goal, audience, duration and steps",
    can="learning",
    returns=WorkFormsOut,
)
def work_forms():
    return {"work_forms": work_forms_json()}


def _planned(change, **arguments):
    """A change to a team plan by the signed-in user, answered with the item."""
    rt = runtime()
    with rt.db.uow() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        item = change(uow.session, rt.clock, viewer=viewer, **arguments)
        return plan.item_json(uow.session, rt.clock, viewer=viewer, item=item)


@endpoint(
    bp,
    "/learning/teams/<int:team_id>/plan",
    "GET",
    "The team plan: its actions, open first, and who can own or take one on; the team's own "
    "members read it too",
    can="learning",
    returns=PlanOut,
    errors=(404,),
)
def team_plan(team_id: int):
    rt = runtime()
    with rt.db.reader() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        return plan.team_plan(uow.session, rt.clock, viewer=viewer, team_id=team_id)


@endpoint(
    bp,
    "/learning/teams/<int:team_id>/plan",
    "POST",
    "Add an action to the team plan (from a weak area or an incident's cause, or on its own)",
    body=PlanItemIn,
    can="team_learning",
    status=201,
    returns=PlanItemOut,
    errors=(404, 422),
)
def add_plan_item(team_id: int, body: PlanItemIn):
    fields = body.model_dump(exclude_none=True)
    return _planned(plan.create_item, team_id=team_id, fields=fields), 201


@endpoint(
    bp,
    "/learning/plan/<int:item_id>",
    "PUT",
    "Change an open action (the assignee outside the team: its state only)",
    body=PlanChangeIn,
    can="team_learning",
    returns=PlanItemOut,
    errors=(403, 404, 409, 422),
)
def change_plan_item(item_id: int, body: PlanChangeIn):
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    return _planned(plan.change_item, item_id=item_id, version=body.version, changes=changes)


@endpoint(
    bp,
    "/learning/plan/<int:item_id>/evaluation",
    "POST",
    "Evaluate the action in the team meeting; `next_due_on` puts what did not succeed in the "
    "next planning",
    body=EvaluationIn,
    can="team_learning",
    returns=PlanItemOut,
    errors=(403, 404, 409, 422),
)
def evaluate_plan_item(item_id: int, body: EvaluationIn):
    return _planned(
        plan.evaluate_item,
        item_id=item_id,
        version=body.version,
        outcome=body.outcome,
        text=body.text,
        next_due_on=body.next_due_on,
    )


@endpoint(
    bp,
    "/learning/plan/open",
    "GET",
    "Every team's actions not yet evaluated",
    can="learning_organisation",
    returns=OpenItemsOut,
)
def open_plan_items():
    rt = runtime()
    with rt.db.reader() as uow:
        viewer = viewer_of(uow.session, current_user.id)
        return {"items": plan.open_items(uow.session, rt.clock, viewer)}
