"""A phone that keeps raising through a restart, and the workers of a gunicorn master: shared by
the rolling-reload test (tests/live/test_restart.py) and the bench that measures the same
window on both shapes (bench/rolling_reload.py)."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import requests

RAISE_EVERY = 0.02  # seconds between the phone's tries


def worker_pids(master: int) -> set[int]:
    return {int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()}


class Raiser:
    """A phone that keeps raising (the same alarm: idempotent) and notes when each try was
    answered, or failed."""

    def __init__(self, http: requests.Session, base: str):
        self.http, self.base = http, base
        self.body = {"client_id": str(uuid.uuid4())}
        self.tries: list[tuple[float, float, bool]] = []  # sent, answered, ok
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        while not self._stop.is_set():
            sent = time.monotonic()
            try:
                answer = self.http.post(f"{self.base}/api/alarms", json=self.body, timeout=10)
                ok = answer.status_code in (200, 201)
            except requests.RequestException:
                ok = False
            self.tries.append((sent, time.monotonic(), ok))
            time.sleep(RAISE_EVERY)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()

    def longest_unanswered(self) -> float:
        """The longest time during which a raise sent could not be answered: from a try that
        failed or was slow to the next answered one, counted from when it was sent."""
        longest, since = 0.0, None
        for sent, answered, ok in self.tries:
            if not ok:
                since = sent if since is None else since
                continue
            start = sent if since is None else since
            longest, since = max(longest, answered - start), None
        return longest
