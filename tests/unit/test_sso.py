"""Who a sign-in through the municipality's identity provider is: an existing, active person
named by the configured claim, matched to their username or e-mail address; nobody else, and
nobody is made."""

import pytest
from sqlalchemy import func, select

from services.accounts.models import Role, User
from services.accounts.sso import (
    Refusal,
    choose,
    claimed,
    find_person,
    password_login_allowed,
)
from tests.conftest import user_by_name


def test_the_claim_is_read_trimmed_and_in_lower_case():
    assert claimed({"preferred_username": " Sanne "}, "preferred_username") == "sanne"
    assert claimed({"email": "Sanne@Demodorp.example"}, "email") == "sanne@demodorp.example"


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {"preferred_username": ""},
        {"preferred_username": "   "},
        {"preferred_username": 42},
        {"preferred_username": ["sanne"]},
    ],
)
def test_a_missing_or_odd_claim_names_nobody(claims):
    assert claimed(claims, "preferred_username") is None


def test_an_address_the_provider_calls_unverified_names_nobody():
    assert claimed({"email": "sanne@x.example", "email_verified": False}, "email") is None
    assert claimed({"email": "sanne@x.example", "email_verified": True}, "email") is not None
    assert claimed({"email": "sanne@x.example"}, "email") is not None  # Entra sends none


def test_one_active_person_is_chosen_else_the_reason():
    active, gone = User(username="a", active=True), User(username="b", active=False)
    assert choose([active]) is active
    assert choose([]) is Refusal.UNKNOWN
    assert choose([gone]) is Refusal.INACTIVE
    assert choose([active, User(username="c", active=True)]) is Refusal.AMBIGUOUS


def test_matched_by_username(db):
    with db.reader() as uow:
        found = find_person(
            uow.session,
            {"preferred_username": "Sanne"},
            claim="preferred_username",
            field="username",
        )
        assert found.username == "sanne"
        assert (
            find_person(
                uow.session,
                {"preferred_username": "nieuw"},
                claim="preferred_username",
                field="username",
            )
            is Refusal.UNKNOWN
        )


def test_matched_by_e_mail_address_whatever_its_case(db):
    with db.uow() as uow:
        user_by_name(uow.session, "sanne").email = "Sanne.de.Vries@Demodorp.example"
    with db.reader() as uow:
        found = find_person(
            uow.session, {"email": "sanne.de.vries@demodorp.EXAMPLE"}, claim="email", field="email"
        )
        assert found.username == "sanne"


def test_an_address_two_people_share_names_nobody(db):
    with db.uow() as uow:
        user_by_name(uow.session, "sanne").email = "team@demodorp.example"
        user_by_name(uow.session, "anouk").email = "team@demodorp.example"
    with db.reader() as uow:
        found = find_person(
            uow.session, {"email": "team@demodorp.example"}, claim="email", field="email"
        )
    assert found is Refusal.AMBIGUOUS


def test_a_deactivated_person_is_refused_and_nobody_is_created(db):
    with db.uow() as uow:
        user_by_name(uow.session, "mohammed").active = False
        before = uow.session.scalar(select(func.count()).select_from(User))
    with db.uow() as uow:
        found = find_person(
            uow.session, {"sub": "x", "upn": "mohammed"}, claim="upn", field="username"
        )
        assert found is Refusal.INACTIVE
        find_person(uow.session, {"upn": "nieuw"}, claim="upn", field="username")
    with db.reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(User)) == before


def test_an_unknown_field_is_a_mistake(db):
    with db.reader() as uow, pytest.raises(ValueError):
        find_person(uow.session, {"upn": "sanne"}, claim="upn", field="phone")


def test_password_login_is_off_for_the_roles_named_only():
    off = frozenset({Role.LEIDINGGEVENDE, Role.COORDINATOR})
    assert not password_login_allowed(Role.LEIDINGGEVENDE, off)
    assert password_login_allowed(Role.MEDEWERKER, off)
    assert password_login_allowed(Role.BEHEERDER, frozenset())
