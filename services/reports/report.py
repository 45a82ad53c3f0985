"""The report: annex 2's quarterly report ("Frequentie en vorm van agressie, team en werkplek,
gevolgen voor medewerker, team en organisatie, reacties naar agressor, aangiften"), the half-year
report's "voortgang, effectiviteit melden en registreren", the learning guide's trend analyses,
and the alarms and overdue visits — each figure beside the previous period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import FUNCTION_GROUP_LABELS, Department, Role, Team, User
from services.clock import iso
from services.errors import Invalid
from services.incidents.access import Viewer
from services.incidents.vocabulary import CHANNELS
from services.reports.frame import Frame
from services.reports.periods import PERIODS, PRESETS
from services.reports.query import ReportQuery
from services.reports.sections import SECTIONS

# ---- the report's frame: scope, options, filters -------------------------------------------


def options(session: Session, viewer: Viewer) -> dict:
    """The departments and teams a viewer may filter on: all for the coordinator, a manager's
    own teams and those of everyone below them."""
    teams = select(Team.id, Team.name, Team.department_id).order_by(Team.name)
    if viewer.user.role != Role.COORDINATOR:
        below = select(User.team_id).where(User.id.in_(viewer.subordinates))
        teams = teams.where(Team.id.in_(viewer.reach.team_ids) | Team.id.in_(below))
    team_rows = session.execute(teams).all()
    departments = session.execute(
        select(Department.id, Department.name)
        .where(Department.id.in_({t.department_id for t in team_rows}))
        .order_by(Department.name)
    ).all()
    return {
        "presets": [{"key": k, "label": label} for k, label in PRESETS.items()],
        "periods": [{"key": k, **about} for k, about in PERIODS.items()],
        "departments": [{"id": d.id, "name": d.name} for d in departments],
        "teams": [
            {"id": t.id, "name": t.name, "department_id": t.department_id} for t in team_rows
        ],
        "function_groups": [
            {"value": k.value, "label": v} for k, v in FUNCTION_GROUP_LABELS.items()
        ],
        "channels": [{"value": k, "label": v} for k, v in CHANNELS.items()],
    }


def _check_filters(query: ReportQuery, offered: dict) -> None:
    if query.team_id is not None and query.team_id not in {t["id"] for t in offered["teams"]}:
        raise Invalid("Onbekend team.", {"team": "onbekend"})
    departments = {d["id"] for d in offered["departments"]}
    if query.department_id is not None and query.department_id not in departments:
        raise Invalid("Onbekende afdeling.", {"department": "onbekend"})


def _scope(viewer: Viewer, offered: dict) -> dict:
    if viewer.user.role == Role.COORDINATOR:
        return {"label": "Hele organisatie", "everything": True}
    names = ", ".join(t["name"] for t in offered["teams"])
    return {
        "label": f"Jouw teams en wie onder je valt: {names or 'geen teams'}",
        "everything": False,
    }


def _period_json(frame: Frame) -> dict:
    p = frame.period
    return {"kind": p.kind, "from": p.first.isoformat(), "to": p.last.isoformat(), "label": p.label}


def build_report(session: Session, *, viewer: Viewer, query: ReportQuery, now: datetime) -> dict:
    offered = options(session, viewer)
    _check_filters(query, offered)
    current = Frame(session, viewer, query, now)
    frames = (current, current.previous())
    return {
        "period": _period_json(current),
        "previous": _period_json(frames[1]),
        "scope": _scope(viewer, offered),
        "filters": {
            "department": query.department_id,
            "team": query.team_id,
            "function_group": query.function_group,
            "channel": query.channel,
        },
        "options": offered,
        "generated_at": iso(now),
        "sections": [section(frames) for section in SECTIONS],
    }
