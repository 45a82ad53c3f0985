"""Gunicorn settings. gevent gives each websocket a greenlet instead of an OS thread, so
thousands of idle phones cost little memory. With the in-process broker (no REDIS_URL) there
must be exactly one worker: a second would never hear the first one's events. With Redis
(and PostgreSQL), WEB_CONCURRENCY workers share them.

A worker that is told to stop (SIGHUP's rolling reload, SIGTERM) serves on until the workers
started after it are ready, then closes its websockets with "reconnect" (1012), so its phones
move to a running worker and replay what they missed, instead of waiting out the graceful
timeout on a connection that never ends (app/handover.py)."""

import importlib.util
import os
from pathlib import Path

worker_class = "gevent"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
worker_connections = int(os.environ.get("VELDWACHT_MAX_CONNECTIONS", "5000"))
timeout = 30
graceful_timeout = 30  # a handover (app/handover.py) and the requests still running
accesslog = "-" if os.environ.get("VELDWACHT_ACCESS_LOG") else None
# gunicorn's control socket is one path per user (~/.gunicorn): a second server on the machine
# (tests, `make serve` beside `make run`) would take it over. Signals do what we need.
no_control_socket = True

# Gunicorn's own lines in the app's format (app/logs.py), read by its path: importing `app`
# here would load the whole app, Flask, psycopg and redis into the master before gevent patches
# the workers.
_logs_spec = importlib.util.spec_from_file_location(
    "veldwacht_logs", Path(__file__).with_name("logs.py")
)
_logs = importlib.util.module_from_spec(_logs_spec)
_logs_spec.loader.exec_module(_logs)
logconfig_dict = _logs.gunicorn_logconfig(access=accesslog is not None)

if workers > 1 and not os.environ.get("REDIS_URL"):
    raise SystemExit("WEB_CONCURRENCY > 1 needs REDIS_URL: workers share live events through it")


def post_worker_init(worker):
    """SIGTERM (a reload's or a stop's) hands over instead of stopping at once (app/handover.py);
    this worker is ready once the app is loaded and warmed up, which is now."""
    import signal

    import gevent

    from app import handover
    from app.runtime import warm_up

    warm_up(worker.wsgi)
    handover.announce_ready()
    signal.signal(signal.SIGTERM, lambda *_: gevent.spawn(handover.hand_over, worker))


def worker_exit(server, worker):
    from app import handover

    handover.withdraw()
