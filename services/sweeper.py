"""Runs the time-driven rules (escalation steps) every second in the background.

The timers themselves are rows with a due time, claimed by conditional updates, so this loop
holds no state: stopping, restarting or running it in several processes changes nothing about
what fires, only how soon after its due time."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Sweeper:
    def __init__(self, tasks: list[Callable[[], object]], interval: float):
        self.tasks = tasks
        self.interval = interval
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
        for task in self.tasks:
            try:
                task()
            except Exception:  # one failing rule must not stop the others from firing
                log.exception("sweep task %s failed", getattr(task, "__name__", task))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sweep_once()
