"""Overdue escalation as data. At the expected end the worker is asked "Alles goed?"; after
the grace the buddy and on-duty colleagues are alerted; ten minutes later the manager and the
coordinator. A register match shortens the grace. Shifts check in at an interval that follows
the risk."""
from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_OVERDUE_POLICY = {"grace_minutes": 5, "register_grace_minutes": 2,
                          "manager_after_minutes": 10}
SHIFT_INTERVAL_MINUTES = {"laag": 120, "verhoogd": 60, "hoog": 30, "niet_gaan": 30}
OK_EXTENSION_MINUTES = 15
DEFAULT_VISIT_MINUTES = 45  # when the worker gives no expected duration


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
