"""A rolling reload without a gap (gunicorn's SIGHUP), wired in app/gunicorn_conf.py.

On SIGHUP gunicorn's master forks new workers and at once sends SIGTERM to the old ones, which
stop accepting within a second; a new worker needs about two seconds to import and build the
app. Left alone, that is a window in which a raise waits unanswered. So an old worker told to
stop keeps serving, its phones' websockets included, until the workers started after it have
announced they are ready (or `HANDOVER_MAX` has passed); only then does it close its
websockets with 1012 "service restart" and stop, and the phones reconnect to a new worker and
replay. When no newer worker exists (the whole server stops, or fewer workers are wanted), it
stops at once.

Readiness is a file per worker in a folder of the master's (`announce_ready`), since workers
share nothing else; which workers are newer is read from /proc (Linux)."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

HANDOVER_MAX = 20.0  # seconds; below gunicorn's graceful_timeout, after which it kills
POLL_SECONDS = 0.05


def _folder(master: int) -> Path:
    return Path(tempfile.gettempdir()) / f"veldwacht-workers-{master}"


def is_ready(master: int, worker: int) -> bool:
    """Whether `worker` of gunicorn's `master` has announced it is ready."""
    return (_folder(master) / str(worker)).exists()


def announce_ready() -> None:
    """This worker has loaded the app and is about to accept connections."""
    folder = _folder(os.getppid())
    folder.mkdir(mode=0o700, exist_ok=True)
    (folder / str(os.getpid())).touch()
    log.info("worker ready")


def withdraw() -> None:
    folder = _folder(os.getppid())
    (folder / str(os.getpid())).unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: other workers still run
        folder.rmdir()  # the last worker out (a stopping server) leaves nothing behind


def _started(pid: int) -> int | None:
    """When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])


def newer_siblings() -> set[int]:
    """The master's other workers that started after this one (the reload's new workers)."""
    master, me = os.getppid(), os.getpid()
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return set()
    mine = _started(me) or 0
    return {int(pid) for pid in children if int(pid) != me and (_started(int(pid)) or 0) > mine}


def wait_for_successors(sleep=time.sleep) -> float:
    """Block (cooperatively) until every newer worker is ready; returns the seconds waited."""
    started = time.monotonic()
    waiting, master = newer_siblings(), os.getppid()
    while waiting and time.monotonic() - started < HANDOVER_MAX:
        waiting = {pid for pid in waiting if not is_ready(master, pid)}
        waiting &= newer_siblings()  # a successor that died is not waited for
        if waiting:
            sleep(POLL_SECONDS)
    return time.monotonic() - started


def hand_over(worker) -> None:
    """SIGTERM's handler (in a greenlet): serve on until the successors are ready, then close
    the websockets with "reconnect" and let gunicorn stop this worker."""
    import gevent

    successors = newer_siblings()
    waited = wait_for_successors(sleep=gevent.sleep)
    log.info("worker stopping after a handover of %.2f s to %s", waited, sorted(successors))
    worker.wsgi.extensions["veldwacht"].stopping()
    worker.alive = False
