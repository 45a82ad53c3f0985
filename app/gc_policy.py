"""Garbage-collector policy for a process that holds thousands of long-lived connections.

Each open websocket is a few hundred Python objects that live for hours. A full collection
walks all of them: about 140 ms with 2,000 phones connected, measured, and the whole gevent
worker stands still meanwhile, alarms included. So the objects of a connection are frozen
(moved out of the collector's generations: no longer scanned) as soon as it is live — at
most every FREEZE_AT_MOST seconds, the sweep freezes what a burst of connections left — after
a collection of the young generations, so little garbage is frozen with them. Once an hour
everything is thawed and collected in full, which reclaims the cycles of connections that
closed. Acyclic garbage is freed by reference counting at once, frozen or not."""

from __future__ import annotations

import gc
import time

FREEZE_AT_MOST = 1.0  # seconds between two freezes while connections open
FREEZE_EVERY = 60.0  # what else survives (caches, pools) is frozen at least this often
FULL_COLLECT_EVERY = 3600.0


class GcPolicy:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        gc.freeze()  # what the app created while starting lives as long as the process
        self._frozen_at = self._collected_at = clock()
        self._unfrozen_connections = False

    def connection_made(self) -> None:
        """A websocket went live; its objects are frozen now, or by the next sweep."""
        self._unfrozen_connections = True
        if self._clock() - self._frozen_at >= FREEZE_AT_MOST:
            self._freeze()

    def maintain(self) -> None:
        """Called every sweep; does its work only when due."""
        now = self._clock()
        if now - self._collected_at >= FULL_COLLECT_EVERY:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._collected_at = self._frozen_at = now
            self._unfrozen_connections = False
        elif self._unfrozen_connections or now - self._frozen_at >= FREEZE_EVERY:
            self._freeze()

    def _freeze(self) -> None:
        gc.collect(1)  # the young generations only: cheap, and their garbage is not frozen
        gc.freeze()
        self._frozen_at = self._clock()
        self._unfrozen_connections = False
