"""Runs the time-driven rules (escalation steps) every second in the background.

The timers themselves are rows with a due time, claimed under their row locks (SKIP LOCKED on
PostgreSQL; SQLite has one writer at a time), so this loop holds no state and every worker
runs it: stopping, restarting or running it in several processes changes nothing about what
fires, only how soon after its due time, and no sweeper waits for another."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Sweeper:
    """`ready` says whether the rules may run yet (the schema is migrated); it is asked before
    each sweep until it first says yes."""

    def __init__(
        self,
        tasks: list[Callable[[], object]],
        interval: float,
        ready: Callable[[], bool] = lambda: True,
    ):
        self.tasks = tasks
        self.interval = interval
        self._ready = ready
        self._is_ready = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None and self.interval > 0:
            self._thread = threading.Thread(target=self._run, name="sweeper", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join(timeout=5)
            self._thread = None

    def sweep_once(self) -> None:
        if not self._is_ready:
            try:
                self._is_ready = self._ready()
            except Exception:  # no database yet, or no migration table: not ready either
                self._is_ready = False
            if not self._is_ready:
                return
        for task in self.tasks:
            try:
                task()
            except Exception:  # one failing rule must not stop the others from firing
                log.exception("sweep task %s failed", getattr(task, "__name__", task))

    def _run(self) -> None:
        # A sweep starts every `interval`, not `interval` after the last one ended: a busy
        # sweep (many steps due at once) must not push every later timer back by its length.
        elapsed = 0.0
        while not self._stop.wait(max(0.0, self.interval - elapsed)):
            started = time.monotonic()
            self.sweep_once()
            elapsed = time.monotonic() - started


def every(seconds: float, task: Callable[[], object]) -> Callable[[], object]:
    """Run `task` at most once per `seconds`: a reminder due tomorrow does not need looking for
    every second, and each look costs the alarm path a little."""
    last = float("-inf")

    def run():
        nonlocal last
        if time.monotonic() - last >= seconds:
            last = time.monotonic()
            return task()

    return run


def every_until_done(seconds: float, task: Callable[[], bool]) -> Callable[[], None]:
    """Like `every`, for a task that does a bounded batch and says whether more is due: then it
    runs again at the next sweep, so a backlog drains a batch a sweep instead of holding the
    other rules (alarms) back for the length of it all."""
    last, more = float("-inf"), False

    def run():
        nonlocal last, more
        if more or time.monotonic() - last >= seconds:
            last, more = time.monotonic(), False
            more = bool(task())

    return run
