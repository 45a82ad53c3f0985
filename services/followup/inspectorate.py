"""Serious incidents and the Inspectie SZW / Nederlandse Arbeidsinspectie (§9, Arbowet art. 9):
"De leidinggevende meldt het incident telefonisch aan de Inspectie SZW via 0800 - 5151 en dient
daarna ook schriftelijk melding te maken via de website van de SZW" — the phone report at the
latest 24 hours after the incident, then the written report. Two duties, recorded apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.limits import Limit

REFERENCE = Limit(100)  # the Inspectorate's report number


LIMIT = timedelta(hours=24)
PHONE = "0800-5151"
# The protocol gives no term for the written report ("daarna"); three days after the phone
# report keeps it close to the call while the facts are fresh, and past a weekend.
WRITTEN_WITHIN = timedelta(days=3)
WRITTEN_REMIND_BEFORE = timedelta(days=1)
# The states of a report still to be made.
PENDING = ("open", "overdue")


@dataclass(frozen=True)
class InspectorateState:
    required: bool
    deadline: datetime | None
    state: str  # not_required | open | overdue | reported | reported_late
    seconds_left: int | None


def inspectorate_state(
    serious: bool, occurred_at: datetime, reported_at: datetime | None, now: datetime
) -> InspectorateState:
    """The phone report."""
    if not serious:
        return InspectorateState(False, None, "not_required", None)
    deadline = occurred_at + LIMIT
    if reported_at is not None:
        return InspectorateState(
            True, deadline, "reported" if reported_at <= deadline else "reported_late", None
        )
    left = int((deadline - now).total_seconds())
    return InspectorateState(True, deadline, "open" if left > 0 else "overdue", left)


def written_state(
    serious: bool, phoned_at: datetime | None, written_at: datetime | None, now: datetime
) -> tuple[str, datetime | None]:
    """(state, due): not_required | waiting (no phone report yet) | open | overdue | reported."""
    if not serious:
        return "not_required", None
    if phoned_at is None:  # the written report follows the call ("daarna")
        return "waiting", None
    due = phoned_at + WRITTEN_WITHIN
    if written_at is not None:
        return "reported", due
    return ("open" if now < due else "overdue"), due
