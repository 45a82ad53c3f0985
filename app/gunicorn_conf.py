"""Gunicorn settings. gevent gives each websocket a greenlet instead of an OS thread, so
thousands of idle phones cost little memory. With the embedded default (SQLite and the
in-process broker) there must be exactly one worker; several need REDIS_URL (scale-out)."""

import os

worker_class = "gevent"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
worker_connections = int(os.environ.get("VELDWACHT_MAX_CONNECTIONS", "5000"))
timeout = 30
graceful_timeout = 10
accesslog = "-" if os.environ.get("VELDWACHT_ACCESS_LOG") else None
