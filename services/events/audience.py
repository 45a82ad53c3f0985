"""Audience keys: how an event names its addressees (which keys a user listens to, and
whom a key reaches, depend on the organisation: accounts/audience.py)."""

from __future__ import annotations


def user_key(user_id: int) -> str:
    return f"user:{user_id}"


def team_key(team_id: int) -> str:
    return f"team:{team_id}"


def role_key(role: str) -> str:  # a Role is a str
    return f"role:{role}"
