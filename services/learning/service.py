"""The learning loop's use cases: a round of answers received exactly once, a person's own
rounds and goals, goals shared with their manager, and the team picture under the privacy rule:
individual answers go to their author only, aggregates only from `threshold` respondents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.accounts.models import FUNCTION_GROUP_LABELS, FunctionGroup, ManagedTeam, Role, Team
from services.accounts.models import User as Person
from services.clock import Clock, iso
from services.db import lock_key
from services.errors import Conflict, NotAllowed, NotFound
from services.incidents.access import Viewer
from services.incidents.models import Incident
from services.incidents.service import RegisterFilter, register_clauses
from services.learning import instruments
from services.learning.instruments import MATRIX_KEY, OPTIONS
from services.learning.models import Instrument, LearningGoal, Response
from services.learning.picture import picture, profile
from services.limits import Limit
from services.reports.periods import Period, preset

GOAL = Limit(1000, min=1)


# ---- the employee --------------------------------------------------------------------------


def my_instruments(session: Session, user: Person) -> dict:
    group = user.function_group
    questionnaire = instruments.current(session, group) if group else None
    return {
        "questionnaire": questionnaire and instruments.instrument_json(questionnaire),
        "matrix": instruments.instrument_json(instruments.current(session, MATRIX_KEY)),
    }


def record_response(
    session: Session,
    clock: Clock,
    *,
    user: Person,
    client_id: str,
    instrument_id: int,
    answers: dict[str, str],
    answered_at: datetime | None = None,
) -> tuple[Response, bool]:
    """The round, stored once: the same client_id again gives the stored round back (False)
    and changes nothing. Only the current version of one's own questionnaire, or the matrix."""
    lock_key(session, "learning_response", client_id)
    stored = session.scalar(select(Response).where(Response.client_id == client_id))
    if stored is not None:
        if stored.user_id != user.id:
            raise Conflict("Deze antwoorden zijn al door iemand anders verstuurd.")
        return stored, False
    instrument = session.get(Instrument, instrument_id)
    if instrument is None or instrument.key not in (user.function_group, MATRIX_KEY):
        raise NotFound("Onbekende vragenlijst.")
    if not instrument.current:
        raise Conflict("Er is een nieuwe versie van deze vragenlijst: open hem opnieuw.")
    instruments.check_answers(instrument, answers)
    now = clock.now()
    response = Response(
        client_id=client_id,
        user_id=user.id,
        team_id=user.team_id,
        instrument_id=instrument.id,
        instrument_key=instrument.key,
        answers=answers,
        answered_at=min(answered_at or now, now),
        received_at=now,
    )
    session.add(response)
    session.flush()
    return response, True


def response_json(session: Session, response: Response) -> dict:
    instrument = session.get(Instrument, response.instrument_id)
    return {
        "id": response.id,
        "client_id": response.client_id,
        "instrument": {
            k: getattr(instrument, k) for k in ("id", "key", "version", "kind", "title")
        },
        "answered_at": iso(response.answered_at),
        "received_at": iso(response.received_at),
        "answers": response.answers,
        "profile": profile(instrument.groups, response.answers, OPTIONS[instrument.kind]),
    }


def my_learning(session: Session, user: Person) -> dict:
    rounds = session.scalars(
        select(Response)
        .where(Response.user_id == user.id)
        .order_by(Response.answered_at.desc(), Response.id.desc())
    ).all()
    goals = session.scalars(
        select(LearningGoal)
        .where(LearningGoal.user_id == user.id)
        .order_by(LearningGoal.created_at.desc(), LearningGoal.id.desc())
    ).all()
    return {
        "rounds": [response_json(session, r) for r in rounds],
        "goals": [goal_json(session, g) for g in goals],
        "manager": _person(user.manager),
    }


def _person(person: Person | None) -> dict | None:
    return {"id": person.id, "name": person.name} if person else None


def goal_json(session: Session, goal: LearningGoal, *, author: bool = False) -> dict:
    shared_with = goal.shared_with_id and session.get(Person, goal.shared_with_id)
    result = {
        "id": goal.id,
        "text": goal.text,
        "response_id": goal.response_id,
        "created_at": iso(goal.created_at),
        "shared_at": iso(goal.shared_at) if goal.shared_at else None,
        "shared_with": _person(shared_with or None),
    }
    if author:
        result["author"] = _person(session.get(Person, goal.user_id))
    return result


def write_goal(
    session: Session,
    clock: Clock,
    *,
    user: Person,
    text: str,
    response_id: int | None,
    share: bool,
) -> LearningGoal:
    if response_id is not None:
        response = session.get(Response, response_id)
        if response is None or response.user_id != user.id:
            raise NotFound("Onbekende ronde.")
    goal = LearningGoal(user_id=user.id, text=text, response_id=response_id, created_at=clock.now())
    session.add(goal)
    if share:
        _share(goal, user, clock)
    session.flush()
    return goal


def share_goal(session: Session, clock: Clock, *, user: Person, goal_id: int) -> LearningGoal:
    goal = session.get(LearningGoal, goal_id)
    if goal is None or goal.user_id != user.id:
        raise NotFound("Onbekend leerdoel.")
    _share(goal, user, clock)
    session.flush()
    return goal


def _share(goal: LearningGoal, user: Person, clock: Clock) -> None:
    """Shared with whoever is the author's manager now (§5's chain)."""
    if user.manager_id is None:
        raise Conflict("Je hebt geen leidinggevende om je leerdoel mee te delen.")
    goal.shared_with_id = user.manager_id
    goal.shared_at = clock.now()


# ---- the manager and the coordinator -------------------------------------------------------


def visible_teams(session: Session, viewer: Person) -> list[Team]:
    """The teams a manager leads; every team for the coordinator."""
    teams = select(Team).order_by(Team.name)
    if viewer.role != Role.COORDINATOR:
        led = select(ManagedTeam.team_id).where(ManagedTeam.manager_id == viewer.id)
        teams = teams.where(Team.id.in_(led))
    return list(session.scalars(teams))


def team_for(session: Session, viewer: Person, team_id: int) -> Team:
    """The team, when the viewer leads it or is the coordinator; else as if it did not exist."""
    if viewer.role not in (Role.LEIDINGGEVENDE, Role.COORDINATOR):
        raise NotAllowed("Alleen leidinggevenden en de coördinator zien een teambeeld.")
    team = next((t for t in visible_teams(session, viewer) if t.id == team_id), None)
    if team is None:
        raise NotFound("Onbekend team.")
    return team


def _latest_rounds(session: Session, key: str, people: Select) -> list[dict[str, str]]:
    """Each person's latest answers to instrument `key` (any version), for `people` (a select
    of user ids)."""
    newest = (
        select(Response.user_id, func.max(Response.id).label("id"))
        .where(Response.instrument_key == key, Response.user_id.in_(people))
        .group_by(Response.user_id)
        .subquery()
    )
    return list(session.scalars(select(Response.answers).join(newest, newest.c.id == Response.id)))


def _picture_json(session: Session, key: str, people: Select, threshold: int) -> dict:
    instrument = instruments.current(session, key)
    rounds = _latest_rounds(session, key, people)
    group = instrument.function_group
    return {
        "key": key,
        "title": instrument.title,
        "function_group": group,
        "function_group_label": FUNCTION_GROUP_LABELS[FunctionGroup(group)] if group else None,
        "options": instruments.options_json(instrument.kind),
        **picture(instrument.groups, rounds, OPTIONS[instrument.kind], threshold=threshold),
    }


def _members(team_id: int) -> Select:
    return select(Person.id).where(Person.team_id == team_id, Person.active.is_(True))


def team_picture(session: Session, *, viewer: Person, team_id: int, threshold: int) -> dict:
    """Per function group in the team its questionnaire's picture, the matrix's, and the goals
    the team's members shared with this viewer."""
    team = team_for(session, viewer, team_id)
    groups = session.scalars(
        select(Person.function_group)
        .where(Person.id.in_(_members(team.id)), Person.function_group.is_not(None))
        .distinct()
    ).all()
    order = list(FunctionGroup)
    questionnaires = [
        _picture_json(
            session,
            group,
            _members(team.id).where(Person.function_group == group),
            threshold,
        )
        for group in sorted(groups, key=lambda g: order.index(FunctionGroup(g)))
    ]
    goals = session.scalars(
        select(LearningGoal)
        .where(
            LearningGoal.shared_with_id == viewer.id,
            LearningGoal.user_id.in_(_members(team.id)),
        )
        .order_by(LearningGoal.shared_at.desc())
    ).all()
    return {
        "team": {"id": team.id, "name": team.name},
        "threshold": threshold,
        "questionnaires": questionnaires,
        "matrix": _picture_json(session, MATRIX_KEY, _members(team.id), threshold),
        "goals": [goal_json(session, g, author=True) for g in goals],
    }


def teams_json(session: Session, viewer: Person) -> dict:
    teams = visible_teams(session, viewer)
    members = dict(
        session.execute(
            select(Person.team_id, func.count())
            .where(Person.active.is_(True), Person.team_id.in_([t.id for t in teams]))
            .group_by(Person.team_id)
        ).all()
    )
    answered = dict(
        session.execute(
            select(Person.team_id, func.count(func.distinct(Response.user_id)))
            .join(Response, Response.user_id == Person.id)
            .where(Person.active.is_(True), Person.team_id.in_([t.id for t in teams]))
            .group_by(Person.team_id)
        ).all()
    )
    return {
        "teams": [
            {
                "id": t.id,
                "name": t.name,
                "department": t.department.name if t.department else None,
                "members": members.get(t.id, 0),
                "respondents": answered.get(t.id, 0),
            }
            for t in teams
        ]
    }


def organisation_picture(session: Session, *, viewer: Viewer, threshold: int, today: date) -> dict:
    """Per function group the picture over everyone in it beside that group's incidents of the
    last 12 months and the 12 before (the coordinator's: the register's counts for the same
    rows)."""
    if viewer.user.role != Role.COORDINATOR:
        raise NotAllowed("Alleen de coördinator ziet het organisatiebeeld.")
    everyone = select(Person.id).where(Person.active.is_(True))
    period = preset("last_12_months", today)
    return {
        "threshold": threshold,
        "function_groups": [
            {
                "function_group": g.value,
                "label": FUNCTION_GROUP_LABELS[g],
                "picture": _picture_json(
                    session, g.value, everyone.where(Person.function_group == g.value), threshold
                ),
                "incidents": _incident_trend(session, viewer, g.value, period),
            }
            for g in FunctionGroup
        ],
    }


def _incident_trend(session: Session, viewer: Viewer, group: str, period: Period) -> dict:
    def count(p: Period) -> int:
        f = RegisterFilter(date_from=p.first, date_to=p.last, function_group=group)
        return session.scalar(select(func.count(Incident.id)).where(*register_clauses(viewer, f)))

    total, previous = count(period), count(period.previous())
    return {
        "period": {
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "label": period.label,
        },
        "total": total,
        "previous": previous,
        "change": total - previous,
    }
