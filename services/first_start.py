"""A municipality's own first start, without the demo: its organisation, the default
checklists of the protocol and one administrator, who signs in with a one-time password and
chooses their own before anything else. Everything further (departments, teams, people) the
administrator enters in the app."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from services.accounts.models import Organisation, Role, User
from services.accounts.service import set_one_time_password
from services.checklists.service import install_default_checklists
from services.clock import Clock
from services.learning.instruments import install_default_instruments


def start_own_municipality(
    session: Session, clock: Clock, *, name: str, admin_username: str
) -> tuple[str, datetime]:
    """Create the organisation and its first administrator; the administrator's one-time
    password (shown once, stored only as a hash) and until when it works."""
    session.add(Organisation(name=name))
    install_default_checklists(session, clock.now())
    install_default_instruments(session, clock.now())
    admin = User(
        username=admin_username.strip().lower(),
        name="Beheerder",
        password_hash="",
        role=Role.BEHEERDER,
        active=True,
        on_duty=False,
    )
    session.add(admin)
    return set_one_time_password(session, clock, user=admin)
