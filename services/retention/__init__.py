"""Retention and anonymisation (docs/retention.md): how long each kind of data is kept
(`policy`), what is due and what is done with it per kind (`incidents`, `register`,
`positions`, `events`; the audit trail purges itself), run in bounded batches (`sweep`)."""

from services.retention.policy import RetentionPolicy
from services.retention.sweep import KINDS, Batch, Due, preview, sweep_round, sweep_until_done

__all__ = ["KINDS", "Batch", "Due", "RetentionPolicy", "preview", "sweep_round", "sweep_until_done"]
