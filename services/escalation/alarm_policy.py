"""Escalation policies as data: who is alerted, and after how long without acknowledgement.

A policy is a list of steps `{"after_seconds": n, "targets": [...]}`, `after_seconds` counted
from the raise. The policy in force is copied into the alarm when it is raised, so a change
made during an alarm cannot alter that alarm's course."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.errors import Invalid

# Who a target kind means; resolved against the organisation in audience.py.
TARGET_KINDS = {
    "team_on_duty": "dienstdoende collega's van het team",
    "buddy": "de collega die meegaat op het huidige bezoek",
    "manager": "de leidinggevende",
    "coordinator": "de agressiecoördinator",
    "other_managers": "de leidinggevenden van de andere teams",
    "all_on_duty": "iedereen die in dienst is",
}

DEFAULT_ALARM_POLICY: list[dict] = [
    {"after_seconds": 0, "targets": ["team_on_duty", "buddy", "manager"]},
    {"after_seconds": 60, "targets": ["coordinator", "other_managers"]},
    {"after_seconds": 120, "targets": ["all_on_duty"]},
]


def validate_policy(steps: list[dict]) -> list[dict]:
    """A usable policy: at least one step, the first at once, times increasing, known targets."""
    if not steps:
        raise Invalid("Een escalatiebeleid heeft minstens één stap.", {"steps": "leeg"})
    previous = -1
    for number, step in enumerate(steps, start=1):
        after, targets = step.get("after_seconds"), step.get("targets")
        if not isinstance(after, int) or after <= previous or (number == 1 and after != 0):
            raise Invalid(
                "Stap 1 gaat direct; elke volgende stap later dan de vorige.",
                {f"steps.{number}.after_seconds": "ongeldig"},
            )
        if not targets or not set(targets) <= TARGET_KINDS.keys():
            raise Invalid(
                "Onbekende ontvangers in het escalatiebeleid.",
                {f"steps.{number}.targets": "ongeldig"},
            )
        previous = after
    return [{"after_seconds": s["after_seconds"], "targets": list(s["targets"])} for s in steps]


def next_step_due(snapshot: list[dict], fired: int, raised_at: datetime) -> datetime | None:
    """When the next step is due, given how many have fired; None when the policy is done."""
    if fired >= len(snapshot):
        return None
    return raised_at + timedelta(seconds=snapshot[fired]["after_seconds"])
