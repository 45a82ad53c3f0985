"""What becomes of one device's push after an attempt: a small pure rule.

An alarm must not be lost to one flaky push, and must not arrive after its TTL either: an
urgent push that the push service did not take (timeout, 5xx, 429) is tried again quickly at
first, then every minute, while its TTL lasts. A normal push is tried once."""

from __future__ import annotations

from datetime import datetime, timedelta

GONE = {404, 410}  # the push service says this subscription no longer exists
RETRYABLE = {0, 429}  # 0: no answer (timeout, connection refused); and every 5xx
# Not an HTTP status: the server itself would not connect there (services/push/endpoints.py:
# not an allowed push service, or its name resolves to an internal address). Never retried.
REFUSED = -1
RETRY_DELAYS = (2, 5, 15, 30, 60)  # seconds before attempt 2, 3, 4, 5; then every 60


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt."""
    return timedelta(seconds=RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1])


def outcome_of(
    status: int, *, urgent: bool, attempts: int, created_at: datetime, ttl: int, now: datetime
) -> tuple[str, datetime | None]:
    """(state, next try) of a delivery after its `attempts`-th attempt answered `status`."""
    if 200 <= status < 300:
        return "accepted", None
    if status in GONE:
        return "gone", None
    if status == REFUSED:
        return "failed", None
    if not (status in RETRYABLE or status >= 500) or not urgent:
        return "failed", None
    next_try = now + retry_delay(attempts)
    if next_try >= created_at + timedelta(seconds=ttl):
        return "expired", None
    return "pending", next_try
