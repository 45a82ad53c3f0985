"""The team plan (seed 000, "Borg de leer- en ontwikkelaanpak"): "welk resultaat dat moet
opleveren en op welke termijn", evaluated in the team meeting; "zaken die niet door personen of
als team kunnen worden opgelost ... krijgen ook een plaats in het teamplan. Bepaal wie wel
invloed uit kan uitoefenen ... en bewaak de afhandeling"; "punten die nog niet gelukt zijn
worden opgenomen in de vervolgplanning".

An item is open (gepland, bezig, gereed) until it is evaluated: then its outcome decides its
state, and it no longer changes. Who: the team's managers and the coordinator plan and evaluate;
the assignee outside the team sees it in Te doen and moves its state; the team's members read."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from services.accounts.capabilities import MANAGERS
from services.accounts.models import ManagedTeam, Role, Team
from services.accounts.models import User as Person
from services.clock import Clock, iso, local_date
from services.errors import Conflict, Invalid, NotAllowed, NotFound
from services.incidents.access import Viewer
from services.incidents.models import Incident
from services.incidents.service import RegisterFilter, register_clauses
from services.incidents.views import summary_json
from services.incidents.vocabulary import BEHAVIOUR_TYPES
from services.learning import instruments
from services.learning.models import PlanItem
from services.learning.workforms import WORK_FORMS
from services.limits import Limit
from services.reports.periods import Period, custom

KINDS = {
    "training": "Trainingsaanbod voor vaardigheden",
    "kennis": "Leeraanbod voor kennis",
    "coaching": "Coaching on the job",
    "intervisie": "Intervisie",
    "dilemma": "Dilemmasessie",
    "thematisch": "Thematisch werkoverleg",
    "incidentanalyse": "Incidentanalyse door het team",
    "dialoog": "Dialoogvorm",
    "overig": "Andere actie",
}
STATES = {
    "gepland": "Gepland",
    "bezig": "Bezig",
    "gereed": "Uitgevoerd",
    "niet_gelukt": "Niet gelukt",
}
OPEN = ("gepland", "bezig", "gereed")
OUTCOMES = {"gelukt": "Gelukt", "deels": "Deels gelukt", "niet_gelukt": "Niet gelukt"}
OUTCOME_STATE = {"gelukt": "gereed", "deels": "gereed", "niet_gelukt": "niet_gelukt"}
# Kinds whose meeting takes the team's recent incidents as material.
WITH_MATERIAL = ("thematisch", "incidentanalyse")
MATERIAL_DAYS = 91  # about a quarter: "een aantal keer per jaar"

# What an item always has: a change may not empty it (owner and assignee may be cleared).
REQUIRED = ("title", "expected_result", "due_on", "state")
TITLE = Limit(200, min=1)
EXPECTED_RESULT = Limit(1000)
EVALUATION = Limit(2000, min=1)


def _may_plan(session: Session, viewer: Person, team_id: int) -> bool:
    if viewer.role == Role.COORDINATOR:
        return True
    led = select(ManagedTeam).where(
        ManagedTeam.manager_id == viewer.id, ManagedTeam.team_id == team_id
    )
    return session.scalar(led) is not None


def _team(session: Session, viewer: Person, team_id: int, *, change: bool) -> Team:
    """The team when the viewer may plan for it (or, to read, is in it); else 404."""
    team = session.get(Team, team_id)
    allowed = team is not None and (
        _may_plan(session, viewer, team_id) or (not change and viewer.team_id == team_id)
    )
    if not allowed:
        raise NotFound("Onbekend team.")
    return team


def _person(session: Session, person_id: int | None) -> dict | None:
    person = person_id and session.get(Person, person_id)
    return {"id": person.id, "name": person.name} if person else None


def _check_people(session: Session, team_id: int, *, owner_id, assignee_id) -> None:
    if owner_id is not None:
        owner = session.get(Person, owner_id)
        if owner is None or not owner.active:
            raise Invalid("Onbekende eigenaar.", {"owner_id": "onbekend"})
    if assignee_id is not None:
        assignee = session.get(Person, assignee_id)
        if assignee is None or not assignee.active or assignee.role not in MANAGERS:
            raise Invalid(
                "Beleg dit bij een leidinggevende of de coördinator.",
                {"assignee_id": "geen leidinggevende of coördinator"},
            )
        if assignee.team_id == team_id and _may_plan(session, assignee, team_id):
            raise Invalid(
                "Beleg dit bij iemand buiten het team.", {"assignee_id": "hoort bij het team"}
            )


def _check_source(session: Session, viewer: Viewer, *, area, incident) -> dict:
    """Where the action came from: an aspect of a questionnaire, or a cause of an incident's
    analysis the viewer may read."""
    if area is not None:
        instrument = instruments.current(session, area["questionnaire"])
        keys = {g["key"]: g["title"] for g in instrument.groups} if instrument else {}
        if area["key"] not in keys:
            raise Invalid("Onbekend onderdeel van de vragenlijst.", {"area": "onbekend"})
        return {"area": {**area, "title": keys[area["key"]]}}
    if incident is not None:
        found = session.scalar(
            select(Incident).where(Incident.id == incident["id"], viewer.visible_clause())
        )
        causes = {c.get("id"): c for c in ((found and found.analysis) or {}).get("causes", [])}
        if found is None or incident["cause_id"] not in causes:
            raise Invalid("Onbekende oorzaak.", {"incident": "onbekende oorzaak"})
        return {"incident_id": found.id, "cause_id": incident["cause_id"]}
    return {}


def create_item(
    session: Session,
    clock: Clock,
    *,
    viewer: Viewer,
    team_id: int,
    fields: dict,
) -> PlanItem:
    team = _team(session, viewer.user, team_id, change=True)
    _check_people(
        session, team.id, owner_id=fields.get("owner_id"), assignee_id=fields.get("assignee_id")
    )
    if fields.get("work_form") and WORK_FORMS[fields["work_form"]]["plan_kind"] != fields["kind"]:
        raise Invalid(
            "Deze werkvorm hoort bij een ander soort actie.", {"work_form": "ander soort"}
        )
    source = _check_source(
        session, viewer, area=fields.get("area"), incident=fields.get("incident")
    )
    now = clock.now()
    item = PlanItem(
        team_id=team.id,
        kind=fields["kind"],
        title=fields["title"],
        work_form=fields.get("work_form"),
        expected_result=fields.get("expected_result", ""),
        owner_id=fields.get("owner_id"),
        assignee_id=fields.get("assignee_id"),
        due_on=fields["due_on"],
        state="gepland",
        area=source.get("area") and {k: source["area"][k] for k in ("questionnaire", "key")},
        incident_id=source.get("incident_id"),
        cause_id=source.get("cause_id"),
        created_at=now,
        created_by_id=viewer.user.id,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    return item


def _item_for_change(session: Session, viewer: Person, item_id: int, version: int) -> PlanItem:
    item = session.get(PlanItem, item_id, with_for_update=True)
    if item is None or not (
        _may_plan(session, viewer, item.team_id) or item.assignee_id == viewer.id
    ):
        raise NotFound("Onbekende actie.")
    if item.version != version:
        raise Conflict("Iemand anders heeft deze actie net gewijzigd: bekijk hem opnieuw.")
    if item.outcome is not None:
        raise Conflict("Deze actie is al geëvalueerd.")
    return item


def change_item(
    session: Session, clock: Clock, *, viewer: Viewer, item_id: int, version: int, changes: dict
) -> PlanItem:
    """The planners change anything; the assignee only the state."""
    item = _item_for_change(session, viewer.user, item_id, version)
    if not _may_plan(session, viewer.user, item.team_id) and set(changes) - {"state"}:
        raise NotAllowed("Je kunt alleen de voortgang van deze actie bijwerken.")
    emptied = [name for name in REQUIRED if name in changes and changes[name] is None]
    if emptied:
        raise Invalid("Dit veld mag niet leeg zijn.", {name: "verplicht" for name in emptied})
    if changes.get("state") not in (None, *OPEN):
        raise Invalid("Niet gelukt volgt uit de evaluatie.", {"state": "via de evaluatie"})
    _check_people(
        session,
        item.team_id,
        owner_id=changes.get("owner_id"),
        assignee_id=changes.get("assignee_id"),
    )
    for name, value in changes.items():
        setattr(item, name, value)
    item.version += 1
    item.updated_at = clock.now()
    session.flush()
    return item


def evaluate_item(
    session: Session,
    clock: Clock,
    *,
    viewer: Viewer,
    item_id: int,
    version: int,
    outcome: str,
    text: str,
    next_due_on: date | None = None,
) -> PlanItem:
    """The evaluation in the team meeting; what did not (fully) succeed can go into the next
    planning as a new item that remembers this one."""
    item = _item_for_change(session, viewer.user, item_id, version)
    if not _may_plan(session, viewer.user, item.team_id):
        raise NotAllowed("Het team en zijn leidinggevende evalueren de actie.")
    now = clock.now()
    if next_due_on is not None and outcome == "gelukt":
        raise Invalid("Wat gelukt is, hoeft niet opnieuw gepland.", {"next_due_on": "gelukt"})
    item.outcome, item.evaluation, item.state = outcome, text, OUTCOME_STATE[outcome]
    item.evaluated_on, item.evaluated_by_id = local_date(now), viewer.user.id
    item.version += 1
    item.updated_at = now
    if next_due_on is not None:
        session.add(_carried(item, next_due_on, now, viewer.user.id))
    session.flush()
    return item


def _carried(item: PlanItem, due_on: date, now: datetime, by: int) -> PlanItem:
    copied = ("team_id", "kind", "title", "work_form", "expected_result", "owner_id")
    return PlanItem(
        **{name: getattr(item, name) for name in copied},
        assignee_id=item.assignee_id,
        area=item.area,
        incident_id=item.incident_id,
        cause_id=item.cause_id,
        due_on=due_on,
        state="gepland",
        carried_from_id=item.id,
        created_at=now,
        created_by_id=by,
        updated_at=now,
    )


# ---- reading -------------------------------------------------------------------------------


def team_plan(session: Session, clock: Clock, *, viewer: Viewer, team_id: int) -> dict:
    team = _team(session, viewer.user, team_id, change=False)
    items = session.scalars(
        select(PlanItem)
        .where(PlanItem.team_id == team.id)
        .order_by(PlanItem.outcome.is_not(None), PlanItem.due_on, PlanItem.id)
    ).all()
    return {
        "items": [item_json(session, clock, viewer=viewer, item=i) for i in items],
        "people": _people(session, team.id) if _may_plan(session, viewer.user, team.id) else [],
    }


def _people(session: Session, team_id: int) -> list[dict]:
    """Who can own an item (the team's people) or take one on from outside (a manager or the
    coordinator elsewhere)."""
    people = session.scalars(
        select(Person)
        .where(
            Person.active.is_(True),
            or_(Person.team_id == team_id, Person.role.in_(MANAGERS)),
        )
        .order_by(Person.name)
    ).all()
    return [
        {"id": p.id, "name": p.name, "outside": p.team_id != team_id and p.role in MANAGERS}
        for p in people
    ]


def assigned_to(session: Session, clock: Clock, viewer: Viewer) -> list[dict]:
    """The open items others put in the viewer's hands: their part of Te doen."""
    items = session.scalars(
        select(PlanItem)
        .where(PlanItem.assignee_id == viewer.user.id, PlanItem.outcome.is_(None))
        .order_by(PlanItem.due_on, PlanItem.id)
    ).all()
    return [item_json(session, clock, viewer=viewer, item=i) for i in items]


def open_items(session: Session, clock: Clock, viewer: Viewer) -> list[dict]:
    """Every team's items not yet evaluated (the coordinator's overview)."""
    if viewer.user.role != Role.COORDINATOR:
        raise NotAllowed("Alleen de coördinator ziet de acties van alle teams.")
    items = session.scalars(
        select(PlanItem).where(PlanItem.outcome.is_(None)).order_by(PlanItem.due_on, PlanItem.id)
    ).all()
    return [item_json(session, clock, viewer=viewer, item=i, material=False) for i in items]


def plan_team(session: Session, viewer: Person, team_id: int | None) -> dict | None:
    """The team whose plan an incident's causes can go into, when the viewer plans for it."""
    if team_id is None or not _may_plan(session, viewer, team_id):
        return None
    team = session.get(Team, team_id)
    return {"id": team.id, "name": team.name}


def items_for_incident(session: Session, incident_id: int) -> dict[str, list[dict]]:
    """Per cause of the incident's analysis, the team actions it became."""
    items = session.scalars(select(PlanItem).where(PlanItem.incident_id == incident_id)).all()
    linked: dict[str, list[dict]] = {}
    for item in items:
        team = session.get(Team, item.team_id)
        linked.setdefault(item.cause_id, []).append(
            {
                "id": item.id,
                "title": item.title,
                "state": item.state,
                "state_label": STATES[item.state],
                "team": {"id": team.id, "name": team.name},
            }
        )
    return linked


def item_json(
    session: Session, clock: Clock, *, viewer: Viewer, item: PlanItem, material: bool = True
) -> dict:
    team = session.get(Team, item.team_id)
    form = item.work_form and WORK_FORMS[item.work_form]
    return {
        "id": item.id,
        "version": item.version,
        "team": {"id": team.id, "name": team.name},
        "kind": item.kind,
        "kind_label": KINDS[item.kind],
        "title": item.title,
        "work_form": form
        and {"key": item.work_form, "title": form["title"], "steps": form["steps"]},
        "expected_result": item.expected_result,
        "owner": _person(session, item.owner_id),
        "assignee": _person(session, item.assignee_id),
        "due_on": item.due_on.isoformat(),
        "state": item.state,
        "state_label": STATES[item.state],
        "source": _source_json(session, viewer, item),
        "evaluation": _evaluation_json(session, item),
        "carried_from": item.carried_from_id,
        "material": _material(session, clock, viewer, item) if material else None,
        "created_at": iso(item.created_at),
        "may_edit": item.outcome is None and _may_plan(session, viewer.user, item.team_id),
    }


def _source_json(session: Session, viewer: Viewer, item: PlanItem) -> dict | None:
    if item.area:
        instrument = instruments.current(session, item.area["questionnaire"])
        titles = {g["key"]: g["title"] for g in instrument.groups} if instrument else {}
        return {"area": {**item.area, "title": titles.get(item.area["key"], item.area["key"])}}
    if item.incident_id is None:
        return None
    incident = session.scalar(
        select(Incident).where(Incident.id == item.incident_id, viewer.visible_clause())
    )
    if incident is None:  # a team member or assignee who may not read it: the number only
        return {
            "incident": {
                "id": item.incident_id,
                "number": None,
                "cause_id": item.cause_id,
                "cause": None,
            }
        }
    cause = next(
        (c for c in (incident.analysis or {}).get("causes", []) if c.get("id") == item.cause_id),
        {},
    )
    return {
        "incident": {
            "id": incident.id,
            "number": summary_json(incident)["number"],
            "cause_id": item.cause_id,
            "cause": cause.get("description"),
        }
    }


def _evaluation_json(session: Session, item: PlanItem) -> dict | None:
    if item.outcome is None:
        return None
    return {
        "outcome": item.outcome,
        "outcome_label": OUTCOMES[item.outcome],
        "text": item.evaluation,
        "on": item.evaluated_on.isoformat(),
        "by": (_person(session, item.evaluated_by_id) or {}).get("name"),
    }


def _material(session: Session, clock: Clock, viewer: Viewer, item: PlanItem) -> dict | None:
    """For a thematic work meeting or a team incident analysis: the team's incidents of the
    last quarter beside the quarter before, by behaviour, as the register counts them for this
    viewer, with the register's query for the list."""
    if item.kind not in WITH_MATERIAL:
        return None
    today = local_date(clock.now())
    period = custom(date.fromordinal(today.toordinal() - MATERIAL_DAYS + 1), today)
    by_behaviour = dict(
        session.execute(
            select(Incident.behaviour_type, func.count(Incident.id))
            .where(*register_clauses(viewer, _filter(period, item.team_id)))
            .group_by(Incident.behaviour_type)
        ).all()
    )
    previous = session.scalar(
        select(func.count(Incident.id)).where(
            *register_clauses(viewer, _filter(period.previous(), item.team_id))
        )
    )
    return {
        "period": {
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "label": period.label,
        },
        "total": sum(by_behaviour.values()),
        "previous": previous,
        "by_behaviour": [
            {"key": k, "label": BEHAVIOUR_TYPES[k], "count": n}
            for k, n in sorted(by_behaviour.items(), key=lambda kv: kv[0] or "")
            if k
        ],
        "register_query": {
            "team": str(item.team_id),
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
        },
    }


def _filter(period: Period, team_id: int) -> RegisterFilter:
    return RegisterFilter(date_from=period.first, date_to=period.last, team_id=team_id)
