"""JSON shapes of people and teams, shared by the routes that return them, and their models
in the OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel

from services.accounts.capabilities import capabilities
from services.accounts.mfa import MfaPolicy
from services.accounts.models import (
    FUNCTION_GROUP_LABELS,
    ROLE_LABELS,
    FunctionGroup,
    Role,
    Team,
    User,
)
from services.visits.models import default_visit_type


class Named(BaseModel):
    """A person or team, by id and name."""

    id: int
    name: str


class PersonOut(BaseModel):
    id: int
    name: str
    role: Role
    role_label: str
    team: Named | None
    on_duty: bool


class Contact(BaseModel):
    """A person, with the phone to call them on."""

    id: int
    name: str
    phone: str | None


class SecondFactorState(BaseModel):
    on: bool
    required: bool
    set_up_first: bool  # the second factor is to be set up before anything else


class MeOut(PersonOut):
    username: str
    phone: str | None
    function_group: FunctionGroup | None
    function_group_label: str | None
    default_visit_type: str
    manager: Contact | None
    can: dict[str, bool]  # a flag per capability (services/accounts/capabilities.py)
    must_change_password: bool
    second_factor: SecondFactorState


def team_json(team: Team | None) -> dict | None:
    return None if team is None else {"id": team.id, "name": team.name}


def person_json(user: User) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role,
        "role_label": ROLE_LABELS[Role(user.role)],
        "team": team_json(user.team),
        "on_duty": user.on_duty,
    }


def me_json(user: User, mfa_policy: MfaPolicy) -> dict:
    group = FunctionGroup(user.function_group) if user.function_group else None
    manager = user.manager
    return {
        **person_json(user),
        "username": user.username,
        "phone": user.phone,
        "function_group": group,
        "function_group_label": FUNCTION_GROUP_LABELS.get(group),
        "default_visit_type": default_visit_type(group),  # what visit planning starts with
        "manager": None
        if manager is None
        else {"id": manager.id, "name": manager.name, "phone": manager.phone},
        "can": capabilities(user.role),  # the screens and actions the PWA offers
        # a password someone else chose: the PWA asks for a new one before anything else
        "must_change_password": user.must_change_password,
        # the second factor: on, or to be set up before anything else ("enrol")
        "second_factor": {
            "on": user.totp_enabled_at is not None,
            "required": mfa_policy.required_for(user),
            "set_up_first": mfa_policy.step_for(user) == "enrol",  # the server's word on it
        },
    }
