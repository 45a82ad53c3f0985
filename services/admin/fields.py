"""What a person's, team's and department's fields may hold: the bounds the API's request
models and the PWA's forms share (published in the vocabulary's `limits`), and the shape of a
username, an e-mail address and a phone number, checked alike for a form and a CSV line."""

from __future__ import annotations

import re

from services.errors import Text
from services.limits import Limit

USERNAME = Limit(80, min=2)
NAME = Limit(200, min=1)
EMAIL = Limit(254)
PHONE = Limit(40)
TEAM_NAME = Limit(200, min=1)
DEPARTMENT_NAME = Limit(200, min=1)

# What an organisation's identity provider may name someone: lower case, digits, . _ @ -
USERNAME_SHAPE = re.compile(r"[a-z0-9][a-z0-9._@-]*\Z")
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+\Z")
PHONE_SHAPE = re.compile(r"\+?[0-9][0-9 ()-]*\Z")
PHONE_DIGITS = 6
LIST_SEPARATOR = "|"  # between the teams someone leads, in a CSV cell


def username_problem(username: str) -> Text | None:
    if not USERNAME.min <= len(username) <= USERNAME.max or not USERNAME_SHAPE.match(username):
        return Text(
            "Een gebruikersnaam is {min} tot {max} tekens: kleine letters, cijfers en . _ @ -",
            **USERNAME.published(),
        )
    return None


def name_problem(name: str, limit: Limit = NAME) -> Text | None:
    if not name:
        return Text("Vul een naam in.")
    if len(name) > limit.max:
        return Text("Een naam is hoogstens {max} tekens.", max=limit.max)
    return None


def email_problem(email: str | None) -> Text | None:
    if email and (len(email) > EMAIL.max or not EMAIL_SHAPE.match(email)):
        return Text("Geen geldig e-mailadres.")
    return None


def phone_problem(phone: str | None) -> Text | None:
    if not phone:
        return None
    digits = sum(c.isdigit() for c in phone)
    if len(phone) > PHONE.max or not PHONE_SHAPE.match(phone) or digits < PHONE_DIGITS:
        return Text("Geen geldig telefoonnummer: cijfers, spaties en + - ( ).")
    return None


def team_name_problem(name: str) -> Text | None:
    if LIST_SEPARATOR in name:
        return Text("Een teamnaam bevat geen |: dat scheidt teams in het personeelsbestand (CSV).")
    return name_problem(name, TEAM_NAME)
