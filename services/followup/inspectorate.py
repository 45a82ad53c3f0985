"""Serious incidents and the Inspectie SZW / Nederlandse Arbeidsinspectie (§9, Arbowet art. 9):
report at once, at the latest 24 hours after the incident — by phone, then in writing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

LIMIT = timedelta(hours=24)
PHONE = "0800-5151"
HOW = {"telefonisch": "Telefonisch (0800-5151)", "schriftelijk": "Schriftelijk (website)",
       "telefonisch_en_schriftelijk": "Telefonisch en schriftelijk"}


@dataclass(frozen=True)
class InspectorateState:
    required: bool
    deadline: datetime | None
    state: str  # not_required | open | overdue | reported | reported_late
    seconds_left: int | None


def inspectorate_state(serious: bool, occurred_at: datetime, reported_at: datetime | None,
                       now: datetime) -> InspectorateState:
    if not serious:
        return InspectorateState(False, None, "not_required", None)
    deadline = occurred_at + LIMIT
    if reported_at is not None:
        return InspectorateState(True, deadline,
                                 "reported" if reported_at <= deadline else "reported_late", None)
    left = int((deadline - now).total_seconds())
    return InspectorateState(True, deadline, "open" if left > 0 else "overdue", left)
