"""Who may message whom, and sending a message as an event."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import Role, Team, User
from services.accounts.service import get_team, get_user, reach_of
from services.db import UnitOfWork
from services.errors import Invalid, NotAllowed
from services.events.audience import team_key, user_key
from services.events.log import EventLog
from services.events.models import Event
from services.limits import Limit

TEXT = Limit(500, min=1)


def may_message_user(session: Session, sender: User, target: User) -> bool:
    """Colleagues in reach, one's own manager, the people one manages and the coordinator:
    the people a field worker has reason to reach, without opening the whole organisation."""
    return (
        reach_of(session, sender).covers_team(target.team_id)
        or target.id == sender.manager_id
        or target.manager_id == sender.id
        or target.role == Role.COORDINATOR
    )


def message_recipients(session: Session, sender: User) -> tuple[list[User], list[Team]]:
    people = [
        u
        for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
        if u.id != sender.id and may_message_user(session, sender, u)
    ]
    reach = reach_of(session, sender)
    teams = [
        t for t in session.scalars(select(Team).order_by(Team.name)) if reach.covers_team(t.id)
    ]
    return people, teams


def send_message(
    uow: UnitOfWork,
    events: EventLog,
    *,
    sender_id: int,
    text: str,
    user_id: int | None = None,
    team_id: int | None = None,
) -> Event:
    if (user_id is None) == (team_id is None):
        raise Invalid(
            "Kies één ontvanger: een persoon of een team.",
            {"user_id": "precies één van user_id en team_id"},
        )
    text = text.strip()
    if not text:
        raise Invalid("Het bericht is leeg.", {"text": "verplicht"})
    if len(text) > TEXT.max:
        raise Invalid("Een bericht is hoogstens {max} tekens.", {"text": "te lang"}, max=TEXT.max)
    session = uow.session
    sender = get_user(session, sender_id)
    if user_id is not None:
        target = get_user(session, user_id)
        if not may_message_user(session, sender, target):
            raise NotAllowed("Je kunt deze persoon geen bericht sturen.")
        audience, to = {user_key(target.id)}, {"user": {"id": target.id, "name": target.name}}
    else:
        team = get_team(session, team_id)
        if not reach_of(session, sender).covers_team(team.id):
            raise NotAllowed("Je kunt dit team geen bericht sturen.")
        audience, to = {team_key(team.id)}, {"team": {"id": team.id, "name": team.name}}
    audience.add(user_key(sender.id))  # the sender's other devices show it too
    return events.record(
        uow,
        type="message.sent",
        audience=audience,
        actor_id=sender.id,
        title=f"Bericht van {sender.name}",
        body=text,
        data={"from": {"id": sender.id, "name": sender.name}, **to},
    )
