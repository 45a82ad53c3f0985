"""The collector policy freezes a connection's objects as it goes live, survivors at least each
minute, and thaws for a full collection hourly."""

import gc
import weakref

from app.gc_policy import GcPolicy


class Ticks:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Node:
    """Stands in for a closed connection's objects, which refer to each other."""


def test_frozen_cycles_are_skipped_until_the_hourly_full_collection():
    ticks = Ticks()
    try:
        policy = GcPolicy(clock=ticks)
        node = Node()
        node.self = node  # a cycle: only the collector can reclaim it
        alive = weakref.ref(node)
        ticks.now = 30
        policy.maintain()
        frozen_before = gc.get_freeze_count()
        ticks.now = 61
        policy.maintain()  # a minute old: frozen, out of the collector's scans
        assert gc.get_freeze_count() > frozen_before
        del node
        gc.collect()
        assert alive() is not None  # frozen: a normal collection does not walk it
        ticks.now = 3700
        policy.maintain()
        assert alive() is None  # the hourly thaw-and-collect reclaimed it
        assert gc.get_freeze_count() > 0  # and froze the survivors again
    finally:
        gc.unfreeze()


def test_a_new_connection_is_frozen_at_once_or_by_the_next_sweep():
    ticks = Ticks()
    try:
        policy = GcPolicy(clock=ticks)
        ticks.now = 5
        first = [Node() for _ in range(100)]  # a connection's objects
        before = gc.get_freeze_count()
        policy.connection_made()  # the last freeze was 5 s ago: frozen now
        assert gc.get_freeze_count() >= before + 100
        ticks.now = 5.5
        second = [Node() for _ in range(100)]
        before = gc.get_freeze_count()
        policy.connection_made()  # frozen half a second ago: left to the sweep
        assert gc.get_freeze_count() == before
        ticks.now = 6
        policy.maintain()  # a second later, not a minute
        assert gc.get_freeze_count() >= before + 100
        del first, second
    finally:
        gc.unfreeze()
