"""A team's policy for visits that run over, as data and small pure functions.

At the expected end the worker is asked "Alles goed?"; after a grace that follows the risk
level (a *hoog* visit is looked for sooner than a *laag* one) the buddy and on-duty colleagues
are alerted; a fixed time later the manager and the coordinator. A register match never waits
longer than the *hoog* grace. The steps are copied into the visit at check-in, so a change
cannot alter a visit under way."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.checklists.scoring import LEVELS
from services.errors import Invalid

DEFAULT_OVERDUE_POLICY = {
    "grace_minutes": {"laag": 10, "verhoogd": 5, "hoog": 2, "niet_gaan": 2},
    "manager_after_minutes": 5,
}


def validate_overdue_policy(policy: dict) -> dict:
    """Minutes: a grace of 1–60 per risk level, never longer for a higher level, and the
    manager 1–120 minutes after that."""
    grace = policy.get("grace_minutes") if isinstance(policy, dict) else None
    if not (
        isinstance(grace, dict)
        and set(policy) == set(DEFAULT_OVERDUE_POLICY)
        and set(grace) == set(LEVELS)
        and all(_minutes(v) for v in [*grace.values(), policy["manager_after_minutes"]])
    ):
        raise Invalid(
            "Het beleid voor te late bezoeken is onvolledig.",
            {"overdue": "grace_minutes per risiconiveau ({levels}), manager_after_minutes"},
            levels=", ".join(LEVELS),
        )
    by_level = [grace[level] for level in LEVELS]
    if not (
        all(1 <= g <= 60 for g in by_level)
        and by_level == sorted(by_level, reverse=True)
        and 1 <= policy["manager_after_minutes"] <= 120
    ):
        raise Invalid(
            "Kies per risiconiveau een wachttijd van 1 tot 60 minuten (bij hoger risico "
            "niet langer dan bij lager) en de leidinggevende 1 tot 120 minuten later.",
            {"overdue": "buiten bereik"},
        )
    return {
        "grace_minutes": {level: grace[level] for level in LEVELS},
        "manager_after_minutes": policy["manager_after_minutes"],
    }


def _minutes(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def grace_minutes(policy: dict, level: str, register_match: bool) -> int:
    grace = policy["grace_minutes"][level]
    return min(grace, policy["grace_minutes"]["hoog"]) if register_match else grace


def overdue_steps(policy: dict, level: str, register_match: bool) -> list[dict]:
    """The snapshot stored with a visit at check-in: minutes after the due time, and who."""
    grace = grace_minutes(policy, level, register_match)
    return [
        {"after_minutes": 0, "targets": ["worker"]},
        {"after_minutes": grace, "targets": ["buddy", "team_on_duty"]},
        {
            "after_minutes": grace + policy["manager_after_minutes"],
            "targets": ["manager", "coordinator"],
        },
    ]


def next_step_at(
    steps: list[dict], fired: int, due_at: datetime, minute: timedelta
) -> datetime | None:
    if fired >= len(steps):
        return None
    return due_at + steps[fired]["after_minutes"] * minute
