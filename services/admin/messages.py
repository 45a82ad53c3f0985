"""What organisation administration tells other packages, as messages on the bus
(events/bus.py): follow-up subscribes. Not the notifications people get."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonLeft:
    """`user_id` was deactivated; `successor_id` (their nearest active manager, or None) takes
    over what was still theirs to do; `actor_id` is the administrator who did it."""

    user_id: int
    successor_id: int | None
    actor_id: int
