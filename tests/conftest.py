"""Fixtures in three layers: a migrated, seeded template database (built once per run and
copied per test), the Flask app and its test client, and a live gunicorn+gevent server for
websocket, push and browser tests."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from app import create_app
from app.runtime import runtime
from ops.servers import Postgres, Redis, free_port
from services.accounts.models import User
from services.clock import FakeClock
from services.db import Database
from services.demo import DEMO_PASSWORD, seed_demo_municipality
from services.events.log import EVENT_ORDER_LOCK
from services.migrate import upgrade_to_head
from tests.fakes import RecordingPushTransport

ROOT = Path(__file__).resolve().parent.parent

# The headers of a browser's websocket handshake (the key is RFC 6455's sample).
WS_UPGRADE = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}


# The suite runs on the embedded default, and again (`make test`) on the production shape:
# VELDWACHT_TEST_BACKEND=postgresql starts a throwaway PostgreSQL cluster and Redis server.
BACKEND = os.environ.get("VELDWACHT_TEST_BACKEND", "sqlite")
ON_POSTGRES = BACKEND == "postgresql"
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about SQLite's own write lock or file")


@dataclass
class Backend:
    """Where this run's databases live: a folder of SQLite files, or a PostgreSQL cluster with
    a Redis server beside it."""

    postgres: Postgres | None = None
    redis: Redis | None = None
    _count: itertools.count = field(default_factory=itertools.count)

    def template(self, folder: Path) -> str:
        """A migrated, seeded database to copy: a SQLite file's URL or a template database."""
        url = self._new_database(folder, "seeded")
        upgrade_to_head(url)
        db = Database(url)
        with db.uow() as uow:  # at the fake clock's moment, so its dates hold in every test
            seed_demo_municipality(uow.session, now=FakeClock().now())
        db.dispose()
        return url

    def copy(self, template: str, folder: Path) -> str:
        """A database of a test's own, as the template is; returns its URL."""
        if self.postgres is None:
            shutil.copy(template.removeprefix("sqlite:///"), folder / "veldwacht.db")
            return f"sqlite:///{folder / 'veldwacht.db'}"
        return self._new_database(folder, "t", template=template.rsplit("/", 1)[1])

    def empty(self, folder: Path) -> str:
        """The URL of a new database with nothing in it, not even the schema (where a restore
        goes): a SQLite file not yet made, or an empty PostgreSQL database."""
        if self.postgres is None:
            return f"sqlite:///{folder / f'empty{next(self._count)}.db'}"
        return self._new_database(folder, "empty")

    def _new_database(self, folder: Path, prefix: str, template: str | None = None) -> str:
        if self.postgres is None:
            return f"sqlite:///{folder / 'veldwacht.db'}"
        return self.postgres.create_database(f"{prefix}{next(self._count)}", template=template)

    def env(self, url: str) -> dict:
        """The server settings for a database of this backend (several workers on PostgreSQL;
        each database its own Redis namespace, as separate instances would have)."""
        if self.redis is None:
            return {}
        return {
            "DATABASE_URL": url,
            "REDIS_URL": self.redis.url,
            "VELDWACHT_REDIS_PREFIX": url.rsplit("/", 1)[1],
            "WEB_CONCURRENCY": "2",
        }


@pytest.fixture(scope="session")
def backend(tmp_path_factory):
    if not ON_POSTGRES:
        yield Backend()
        return
    with throwaway_postgres() as postgres:
        redis = Redis(postgres.folder.parent / "redis", free_port()).start()
        try:
            yield Backend(postgres=postgres, redis=redis)
        finally:
            redis.stop()


@contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster of its own. Not under pytest's folder: PostgreSQL runs as a user of
    its own, who may not enter that."""
    folder = Path(tempfile.mkdtemp(prefix="veldwacht-test-"))
    os.chmod(folder, 0o755)
    postgres = Postgres(folder / "pg", free_port(), throwaway=True).start()
    try:
        yield postgres
    finally:
        postgres.stop(mode="immediate")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory, backend) -> str:
    return backend.template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def db_url(tmp_path, template_db, backend) -> str:
    return backend.copy(template_db, tmp_path)


@pytest.fixture
def instance(tmp_path, db_url) -> Path:
    return tmp_path


@pytest.fixture
def push_transport() -> RecordingPushTransport:
    return RecordingPushTransport()


@pytest.fixture
def app(instance, db_url, backend, push_transport):
    app = create_app(app_config(instance, db_url, backend, PUSH_TRANSPORT=push_transport))
    yield app
    runtime_of(app).close()


def app_config(instance: Path, db_url: str, backend: Backend, **overrides) -> dict:
    env = backend.env(db_url)
    return {
        "INSTANCE_PATH": str(instance),
        "TESTING": True,
        "DATABASE_URL": db_url,
        "REDIS_URL": env.get("REDIS_URL"),
        "REDIS_PREFIX": env.get("VELDWACHT_REDIS_PREFIX", "veldwacht"),
        "PUSH_ALLOW_HTTP": False,
        "GC_POLICY": False,
        **overrides,
    }


def runtime_of(app):
    with app.app_context():
        return runtime()


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, username: str, remember: bool = False):
    response = client.post(
        "/api/auth/login",
        json={"username": username, "password": DEMO_PASSWORD, "remember": remember},
    )
    assert response.status_code == 200, response.get_json()
    return response


@pytest.fixture
def clients(app):
    """Logged-in test clients by username, made (and logged in) on first use."""

    class Clients(dict):
        def __missing__(self, username):
            self[username] = app.test_client()
            login(self[username], username)
            return self[username]

    return Clients()


def user_id(app, username: str) -> int:
    with runtime_of(app).db.reader() as uow:
        return uow.session.scalar(select(User.id).where(User.username == username))


def user_id_at(db_url: str, username: str) -> int:
    """A user's id in a live server's database."""
    database = Database(db_url)
    try:
        with database.reader() as uow:
            return uow.session.scalar(select(User.id).where(User.username == username))
    finally:
        database.dispose()


# ---- live server -------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    instance: Path
    log: Path
    db_url: str

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"

    def session(self, username: str) -> requests.Session:
        """A logged-in HTTP session (cookies kept), as a browser would hold one."""
        http = requests.Session()
        response = http.post(
            f"{self.url}/api/auth/login", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.text
        return http


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ServerProcess:
    """A gunicorn+gevent server of our own, in its own process group (so it can be killed
    with its worker, as a crash would), on a copy of the template database."""

    live: LiveServer
    process: subprocess.Popen
    port: int
    env: dict

    def kill(self) -> None:
        """SIGKILL to the master and its worker at once: no shutdown code runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def restart(self) -> None:
        """A new server on the same port and database, as after a crash."""
        self.process = _start_gunicorn(self.live.instance, self.port, self.env, self.live.log)
        _wait_until_up(self.live.url, self.process, self.live.log)


LIVE_ENV = {
    "VELDWACHT_PUSH_ALLOW_HTTP": "1",
    "VELDWACHT_HEARTBEAT_SECONDS": "1",
    "VELDWACHT_WS_PING_SECONDS": "5",
    "VELDWACHT_VISIT_MINUTE_SECONDS": "1",
    "VELDWACHT_LEARNING_MIN_RESPONDENTS": "2",  # two colleagues make a team picture
}


def start_server(
    instance: Path, template_db: str, backend: Backend, db_url: str | None = None, **env
) -> ServerProcess:
    """A server of our own on a copy of the template database, or on `db_url` (a second
    server on the same database: another worker, addressable on its own port)."""
    db_url = db_url or backend.copy(template_db, instance)
    port = _free_port()
    server_env = {**os.environ, "VELDWACHT_INSTANCE_PATH": str(instance), **LIVE_ENV}
    server_env.pop("DATABASE_URL", None)
    server_env.update({**backend.env(db_url), **env})
    log = instance / "server.log"
    process = _start_gunicorn(instance, port, server_env, log)
    live = LiveServer(url=f"http://127.0.0.1:{port}", instance=instance, log=log, db_url=db_url)
    server = ServerProcess(live=live, process=process, port=port, env=server_env)
    try:
        _wait_until_up(live.url, process, log)
    except BaseException:
        server.stop()
        raise
    return server


def _start_gunicorn(instance: Path, port: int, env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "app/gunicorn_conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory, template_db, backend):
    server = start_server(tmp_path_factory.mktemp("live"), template_db, backend)
    try:
        yield server
    finally:
        # Killed, not stopped: a graceful stop waits out the sockets the suite left open
        # (up to 30 s), and what a stop does is tested on servers of their own.
        server.kill()


@pytest.fixture
def live_server(shared_server):
    """The server the live tests share; one that has exited is said with its log, rather than
    as a refused connection in every test after it."""
    if shared_server.process.poll() is not None:
        raise RuntimeError(f"the shared server exited:\n{shared_server.live.log.read_text()}")
    return shared_server.live


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()}")
        try:
            if requests.get(f"{url}/healthz", timeout=5).ok:
                return
        except (requests.ConnectionError, requests.Timeout):  # a cold first import is slow
            time.sleep(0.1)
    raise RuntimeError(f"server did not start:\n{log.read_text()}")


@contextmanager
def write_lock_held(db_url: str):
    """Another process holds what the app's safety writes wait for, as a backup or a long
    transaction would: SQLite's single write lock, or PostgreSQL's lock under which event ids
    are given (every safety write records an event)."""
    if not ON_POSTGRES:
        holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None, timeout=0)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    with psycopg.connect(db_url) as holder:  # a transaction, rolled back on leaving
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (EVENT_ORDER_LOCK,))
        yield
        holder.rollback()


# ---- service layer ------------------------------------------------------------------------


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


def user_by_name(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))
