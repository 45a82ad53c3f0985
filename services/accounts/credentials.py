"""What a password and an alarm PIN must be.

Passwords follow NIST SP 800-63B: long (at least 12 characters, up to 200), no composition
rules, and refused when they are common, a dictionary word or pattern, or made of the
person's own name — zxcvbn knows the lists of leaked and common passwords, words and
keyboard patterns; the Dutch words a colleague would reach for first are added here.

A PIN is typed under stress with one thumb: 4 to 6 digits, not one a bystander or a thief
would try first (a repeated digit, a run, a repeated pair, the most common PINs), and the
duress PIN not the alarm PIN."""

from __future__ import annotations

from itertools import pairwise

from zxcvbn import zxcvbn

from services.errors import Invalid, Text
from services.limits import Limit

PASSWORD = Limit(200, min=12)
# zxcvbn's estimate of the guesses needed: 10^10 is its top score, "very unguessable"; its
# score 3 (10^8) still lets through "Gemeente2026!!" and "Welkom01!Welkom".
MIN_GUESSES_LOG10 = 10
# What a Dutch municipal password is made of, so zxcvbn weighs it as a guess.
DUTCH_GUESSES = (
    "wachtwoord",
    "welkom",
    "gemeente",
    "veldwacht",
    "geheim",
    "zomer",
    "winter",
    "voorjaar",
    "najaar",
    "maandag",
    "januari",
    "nederland",
    "ajax",
    "feyenoord",
)

PIN = Limit(6, min=4)  # digits of a PIN chosen now
PIN_ENTRY = Limit(8, min=4)  # digits a PIN field takes: PINs chosen before this rule too
# The most chosen four-digit PINs after runs and repeats (DataGenetics' study of 3.4 million).
COMMON_PINS = frozenset({"1004", "2000", "2001", "6969", "1122", "1313", "2580", "0852"})


def password_problem(
    password: str, *, personal: tuple[str, ...] = (), context: tuple[str, ...] = ()
) -> Text | None:
    """Why `password` is refused, in the user's words; None when it is good. `personal`: the
    person's username and name, refused inside it; `context`: words a guesser tries first
    (the organisation's name), weighed by zxcvbn."""
    if len(password) < PASSWORD.min:
        return Text("Kies een wachtwoord van minstens {min} tekens.", min=PASSWORD.min)
    if len(password) > PASSWORD.max:
        return Text("Een wachtwoord is hoogstens {max} tekens.", max=PASSWORD.max)
    names = _words(personal)
    if any(name in password.lower() for name in names):
        return Text("Gebruik je naam of gebruikersnaam niet in je wachtwoord.")
    guesses = [*names, *_words(context), *DUTCH_GUESSES]
    if zxcvbn(password[:100], user_inputs=guesses)["guesses_log10"] < MIN_GUESSES_LOG10:
        return Text(
            "Dit wachtwoord is te makkelijk te raden (veelgebruikt, een woord of een patroon). "
            "Een zin van een paar woorden is sterk en makkelijk te onthouden."
        )
    return None


def _words(values: tuple[str, ...]) -> list[str]:
    return [word for value in values for word in value.lower().split() if len(word) > 2]


def check_password(
    password: str, *, personal: tuple[str, ...] = (), context: tuple[str, ...] = ()
) -> None:
    if problem := password_problem(password, personal=personal, context=context):
        raise Invalid(problem, {"new_password": problem})


def pin_problem(pin: str) -> Text | None:
    """Why `pin` is refused as an alarm or duress PIN; None when it will do."""
    if not (pin.isascii() and pin.isdigit() and PIN.min <= len(pin) <= PIN.max):
        return Text("Een pincode is {min} tot {max} cijfers.", **PIN.published())
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if len(steps) == 1 and steps <= {-1, 0, 1}:
        return Text("Kies geen herhaald cijfer of oplopende of aflopende reeks.")
    if len(set(pin[0::2])) == 1 and len(set(pin[1::2])) == 1:  # 1212, 343434
        return Text("Kies geen herhaald paar cijfers.")
    if pin in COMMON_PINS or pin[: len(pin) // 2] * 2 == pin:  # 1122 is common, 123123 too
        return Text("Deze pincode wordt veel gekozen; kies een andere.")
    return None


def check_pins(pin: str, duress_pin: str) -> None:
    for field, value in (("pin", pin), ("duress_pin", duress_pin)):
        if problem := pin_problem(value):
            raise Invalid(problem, {field: problem})
    if pin == duress_pin:
        raise Invalid(
            "De dwang-pincode moet anders zijn dan je pincode.",
            {"duress_pin": "gelijk aan pincode"},
        )
