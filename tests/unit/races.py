"""Helpers for race tests: two "processes" (each with its own engine, as two gunicorn workers
would have) in two threads, and ways to make their critical sections overlap for certain
rather than by luck. On PostgreSQL they really run side by side; on SQLite the second writer
queues behind the first (BEGIN IMMEDIATE), so the same tests check that nothing changed there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from services.clock import FakeClock
from services.db import Database
from services.events.log import EventLog
from tests.conftest import ON_POSTGRES


def at_once_in_two_processes(url: str, work, other=None) -> list:
    """Run work(database) in two threads released together, each with its own engine, as two
    worker processes would be (the second runs `other` when given); returns their results in
    that order. What either raised is raised here, so a failure cannot pass unseen."""
    processes, start = [Database(url), Database(url)], threading.Barrier(2)
    results: list = [None, None]
    failures: list[BaseException] = []

    def run(index: int, database: Database, task) -> None:
        start.wait()
        try:
            results[index] = task(database)
        except BaseException as failure:
            failures.append(failure)

    threads = [
        threading.Thread(target=run, args=(i, p, task))
        for i, (p, task) in enumerate(zip(processes, (work, other or work), strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for p in processes:
        p.dispose()
    if failures:
        raise failures[0]
    return results


class Rendezvous:
    """A point inside a unit of work where each of two threads waits for the other, at most
    `timeout` seconds. Where nothing keeps them apart, both are then in their critical
    sections at the same moment, for certain; where a lock keeps the second out, the first
    goes on alone after the timeout and the second passes at once (the barrier is broken).
    Each thread meets once; later calls pass."""

    def __init__(self, timeout: float = 1.0):
        self._barrier = threading.Barrier(2, timeout=timeout)
        self._met: set[int] = set()
        self.together = False  # whether both were there at once

    def __call__(self, *_args, **_kwargs) -> None:
        if threading.get_ident() in self._met:
            return
        self._met.add(threading.get_ident())
        try:
            self._barrier.wait()
            self.together = True
        except threading.BrokenBarrierError:
            pass


def meeting_at(patch: pytest.MonkeyPatch, owner, name: str, meet: Rendezvous, *, when=None) -> None:
    """Make `owner.name` meet the other thread first (only for calls where `when(*args,
    **kwargs)` holds, when given)."""
    real = getattr(owner, name)

    def met_first(*args, **kwargs):
        if when is None or when(*args, **kwargs):
            meet()
        return real(*args, **kwargs)

    patch.setattr(owner, name, met_first)


def logging(kind: str):
    """For `meeting_at`'s `when`: a log helper's call `(session, row, now, kind, ...)` of `kind`."""
    return lambda *args, **_: args[3] == kind


class MeetingClock(FakeClock):
    """A fake clock whose every reading of the time is a rendezvous: the seam for a use case
    that has no other between what it checks and what it writes."""

    def __init__(self, meet: Rendezvous):
        super().__init__()
        self.meet = meet

    def now(self):
        self.meet()
        return super().now()


def two_sweepers(
    url: str, sweep: Callable[[Database], int], *, hold_at=(EventLog, "record")
) -> tuple[list[int], list[bool]]:
    """Two processes sweep at once. Both have read the same row as due before either opens its
    writing unit of work (they meet there), and the one that claims it holds its lock at
    `hold_at` (inside that unit of work) until the other's sweep has returned — for up to
    two seconds on PostgreSQL, where the other must not wait for it; SQLite's second writer
    does wait, by design. Returns the sweeps' results, sorted, and for each hold whether the
    other had finished meanwhile."""
    meet, finished, held = Rendezvous(), threading.Event(), []
    owner, name = hold_at
    real = getattr(owner, name)

    def holding(*args, **kwargs):
        if not held:
            held.append(finished.wait(2.0 if ON_POSTGRES else 0))
        return real(*args, **kwargs)

    def run(database: Database) -> int:
        try:
            return sweep(database)
        finally:
            finished.set()

    with pytest.MonkeyPatch.context() as patch:
        meeting_at(patch, Database, "uow", meet)
        patch.setattr(owner, name, holding)
        results = at_once_in_two_processes(url, run)
    assert meet.together, "both sweepers should have found the row due"
    return sorted(results), held
