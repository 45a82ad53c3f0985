"""Who a sign-in through the municipality's own identity provider is (single sign-on, OpenID
Connect; the protocol itself is app/oidc.py's).

The provider vouches for a person; Veldwacht decides who that is here, by one claim of the
provider's (configured: `preferred_username`, `email`, …) against one field of its own people
(username or e-mail). Only an existing, active person is matched: an unknown one is never
created, for a role given by a sign-in would give the register's personal data to whoever the
provider lets in. A claim that names two people (a shared e-mail address) names nobody rather
than a guess. An e-mail address the provider itself calls unverified names nobody either.

A municipality that signs its staff in this way can switch the local password off for roles
(those who read aggressors' details, say), so that a leaver whose account is closed at the
provider cannot come back in with a password."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.accounts.models import User
from services.accounts.signin import normalised

FIELDS = ("username", "email")  # the person's field a claim is matched against


class Refusal(StrEnum):
    """Why a sign-in through the provider names nobody here (the login screen says it)."""

    UNKNOWN = "unknown"  # no person with that name or address, or the claim is missing
    INACTIVE = "inactive"  # the person was deactivated (has left)
    AMBIGUOUS = "ambiguous"  # more than one person has that address


def claimed(claims: Mapping[str, object], claim: str) -> str | None:
    """The value of `claim` as it is matched (trimmed, lower case), or None when the provider
    did not give it, or gave an e-mail address it says is not verified."""
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        return None
    if claim == "email" and claims.get("email_verified") is False:
        return None
    return value.strip().lower()


def choose(candidates: Sequence[User]) -> User | Refusal:
    """The one person the claim names, or why there is none."""
    if not candidates:
        return Refusal.UNKNOWN
    if len(candidates) > 1:
        return Refusal.AMBIGUOUS
    if not candidates[0].active:
        return Refusal.INACTIVE
    return candidates[0]


def find_person(
    session: Session, claims: Mapping[str, object], *, claim: str, field: str
) -> User | Refusal:
    """The active person the provider's `claims` name by `claim`, matched against `field`."""
    if field not in FIELDS:
        raise ValueError(f"unknown field {field!r}")
    value = claimed(claims, claim)
    if value is None:
        return Refusal.UNKNOWN
    if field == "username":
        where = User.username == normalised(value)
    else:  # addresses are kept as they were typed: compared without regard to case
        where = func.lower(User.email) == value
    return choose(session.scalars(select(User).where(where).limit(2)).all())


def password_login_allowed(role: str, off_for: frozenset[str]) -> bool:
    """Whether a person of `role` may still log in with a local password."""
    return role not in off_for
