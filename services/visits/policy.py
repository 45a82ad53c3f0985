"""Overdue escalation as data. At the expected end the worker is asked "Alles goed?"; after
the grace the buddy and on-duty colleagues are alerted; ten minutes later the manager and the
coordinator. A register match shortens the grace. Shifts check in at an interval that follows
the risk."""
from __future__ import annotations

from datetime import datetime, timedelta

from services.errors import Invalid

DEFAULT_OVERDUE_POLICY = {"grace_minutes": 5, "register_grace_minutes": 2,
                          "manager_after_minutes": 10}
SHIFT_INTERVAL_MINUTES = {"laag": 120, "verhoogd": 60, "hoog": 30, "niet_gaan": 30}
OK_EXTENSION_MINUTES = 15
DEFAULT_VISIT_MINUTES = 45  # when the worker gives no expected duration


def validate_overdue_policy(policy: dict) -> dict:
    """Minutes: a grace of 1–60 (with a register match no longer than without), and the
    manager 1–120 minutes after that."""
    keys = set(DEFAULT_OVERDUE_POLICY)
    if set(policy) != keys or not all(isinstance(policy[k], int) for k in keys):
        raise Invalid("Het beleid voor te late bezoeken is onvolledig.",
                      {"overdue": "grace_minutes, register_grace_minutes, manager_after_minutes"})
    if not (1 <= policy["register_grace_minutes"] <= policy["grace_minutes"] <= 60
            and 1 <= policy["manager_after_minutes"] <= 120):
        raise Invalid("Kies een wachttijd van 1 tot 60 minuten (korter bij een registermatch) "
                      "en de leidinggevende 1 tot 120 minuten later.",
                      {"overdue": "buiten bereik"})
    return dict(policy)


def overdue_steps(policy: dict, register_match: bool) -> list[dict]:
    """The snapshot stored with a visit at check-in: minutes after the due time, and who."""
    grace = policy["register_grace_minutes" if register_match else "grace_minutes"]
    return [{"after_minutes": 0, "targets": ["worker"]},
            {"after_minutes": grace, "targets": ["buddy", "team_on_duty"]},
            {"after_minutes": grace + policy["manager_after_minutes"],
             "targets": ["manager", "coordinator"]}]


def next_step_at(steps: list[dict], fired: int, due_at: datetime,
                 minute: timedelta) -> datetime | None:
    if fired >= len(steps):
        return None
    return due_at + steps[fired]["after_minutes"] * minute
