"""Garbage-collector policy for a process that holds thousands of long-lived connections.

Each open websocket is a few hundred Python objects that live for hours. A full collection
walks all of them: about 140 ms with 2,000 phones connected, measured, and the whole gevent
worker stands still meanwhile, alarms included. So objects that have survived a minute are
frozen (moved out of the collector's generations: no longer scanned), and once an hour they
are thawed and collected in full, which reclaims the cycles of connections that closed.
Acyclic garbage is freed by reference counting at once, frozen or not."""

from __future__ import annotations

import gc
import time

FREEZE_EVERY = 60.0
FULL_COLLECT_EVERY = 3600.0


class GcPolicy:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        gc.freeze()  # what the app created while starting lives as long as the process
        self._frozen_at = self._collected_at = clock()

    def maintain(self) -> None:
        """Called every sweep; does its work only when due."""
        now = self._clock()
        if now - self._collected_at >= FULL_COLLECT_EVERY:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._collected_at = self._frozen_at = now
        elif now - self._frozen_at >= FREEZE_EVERY:
            gc.freeze()
            self._frozen_at = now
