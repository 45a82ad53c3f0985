"""A visit's safety rules as data and small pure functions (the team's overdue policy is in
escalation/overdue_policy.py).

About five minutes before the end the worker is reminded, so that she extends in time instead
of setting off the escalation. Shifts check in at an interval that follows the risk."""

from __future__ import annotations

from datetime import datetime, timedelta

SHIFT_INTERVAL_MINUTES = {"laag": 120, "verhoogd": 60, "hoog": 30, "niet_gaan": 30}
OK_EXTENSION_MINUTES = 15
DEFAULT_VISIT_MINUTES = 45  # when the worker gives no expected duration
REMINDER_BEFORE_MINUTES = 5
REMINDER_FROM_MINUTES = 10  # a shorter stretch gets no reminder: it would come almost at once

# "Niet gaan": contact only with the manager's recorded permission (§6).
PERMISSION_LEVELS = ("niet_gaan",)
# The advice at these levels is "ga niet alleen": going alone is a decision to confirm.
NOT_ALONE_LEVELS = ("hoog", "niet_gaan")
# "Alles goed" here needs the alarm PIN, so that the duress PIN can say otherwise.
PIN_LEVELS = ("hoog", "niet_gaan")


def reminder_at(start: datetime, due_at: datetime, minute: timedelta) -> datetime | None:
    """When to remind the worker that the visit is about to end, if at all."""
    if due_at - start < REMINDER_FROM_MINUTES * minute:
        return None
    return due_at - REMINDER_BEFORE_MINUTES * minute


def needs_permission(level: str) -> bool:
    return level in PERMISSION_LEVELS


def alone_needs_confirmation(level: str, buddy_id: int | None) -> bool:
    return buddy_id is None and level in NOT_ALONE_LEVELS


def ok_needs_pin(level: str, register_match: bool) -> bool:
    return register_match or level in PIN_LEVELS
