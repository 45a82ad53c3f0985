"""Aftercare for the victim (§11) as a schedule computed from the incident's time: a first talk
the same day, a second after one to three days, an evaluation after about four weeks, attention
during about three months. Each step is reminded a day before it is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from services.clock import MUNICIPAL_TIME, local_date
from services.limits import Limit

NOTES = Limit(2000)
ABSENCE_DAYS = Limit(3650)  # days of sick leave after the incident (the accident register's)


@dataclass(frozen=True)
class AftercareStep:
    key: str
    label: str
    from_day: int  # days after the incident's local date
    due_day: int


SCHEDULE = (
    AftercareStep("first_talk", "Eerste opvanggesprek", 0, 0),
    AftercareStep("second_talk", "Tweede gesprek (reconstructie, signalen)", 1, 3),
    AftercareStep("evaluation", "Evaluatiegesprek", 21, 28),
    AftercareStep("check_in", "Hoe gaat het nu? (nazorgperiode)", 49, 56),
    AftercareStep("close", "Afsluiting nazorgperiode (drie maanden)", 84, 91),
)
BY_KEY = {s.key: s for s in SCHEDULE}

# §11: signs of disturbed processing, looked for in the second talk.
SIGNS = {
    "vermijden_taken": "Vermijden van bepaalde taken en verantwoordelijkheden",
    "weigeren_taken": "Weigeren van bepaalde taken op een bepaald moment",
    "agressief_passief": "Agressief of passief gedrag naar collega's en bezoekers",
    "vermijden_sociaal": "Vermijden van sociale gebeurtenissen",
    "cynisme": "Cynische houding ten aanzien van bezoekers",
    "humor_depressief": "Verlies van gevoel voor humor of depressief gedrag",
}
REFERRALS = {
    "bedrijfsmaatschappelijk_werk": "Bedrijfsmaatschappelijk werker",
    "bedrijfsarts": "Bedrijfsarts",
}
REMIND_BEFORE = timedelta(days=1)
FIRST_REMINDER_AFTER = timedelta(hours=2)  # the report itself told the manager at once


def end_of(day: date) -> datetime:
    """Due "on a day" means by the end of it, in the municipality's time."""
    return datetime.combine(day, time(23, 59), tzinfo=MUNICIPAL_TIME)


def due_dates(occurred_at: datetime) -> dict[str, tuple[date, datetime, datetime]]:
    """step -> (first day it makes sense, due at the end of its last day (local time),
    when to remind: a day before, but not within two hours of the incident)."""
    day = local_date(occurred_at)
    result = {}
    for s in SCHEDULE:
        due = end_of(day + timedelta(days=s.due_day))
        remind = max(due - REMIND_BEFORE, occurred_at + FIRST_REMINDER_AFTER)
        result[s.key] = (day + timedelta(days=s.from_day), due, remind)
    return result
