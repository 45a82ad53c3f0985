"""Gunicorn settings. gevent gives each websocket a greenlet instead of an OS thread, so
thousands of idle phones cost little memory. With the in-process broker (no REDIS_URL) there
must be exactly one worker: a second would never hear the first one's events. With Redis
(and PostgreSQL), WEB_CONCURRENCY workers share them.

A worker that is told to stop (SIGHUP's rolling reload, SIGTERM) closes its websockets at once
with "reconnect" (1012), so its phones move to a running worker within a second and replay what
they missed, instead of waiting out the graceful timeout on a connection that never ends."""

import os

worker_class = "gevent"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
worker_connections = int(os.environ.get("VELDWACHT_MAX_CONNECTIONS", "5000"))
timeout = 30
graceful_timeout = 10  # for ordinary requests still running; websockets are closed at once
accesslog = "-" if os.environ.get("VELDWACHT_ACCESS_LOG") else None

if workers > 1 and not os.environ.get("REDIS_URL"):
    raise SystemExit("WEB_CONCURRENCY > 1 needs REDIS_URL: workers share live events through it")

STOP_CHECK_SECONDS = 0.05


def post_worker_init(worker):
    """Watch for the stop signal: gunicorn's gevent worker only notices it once a second and
    then waits for every open request, websockets included."""
    import gevent

    def close_connections_when_stopping():
        while worker.alive:
            gevent.sleep(STOP_CHECK_SECONDS)
        worker.wsgi.extensions["veldwacht"].stopping()

    gevent.spawn(close_connections_when_stopping)
