"""Fixtures in three layers: a migrated, seeded template database (built once per run and
copied per test), the Flask app and its test client, and a live gunicorn+gevent server for
websocket, push and browser tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from app import create_app
from app.runtime import runtime
from services.accounts.models import User
from services.clock import FakeClock
from services.db import Database
from services.demo import DEMO_PASSWORD, seed_demo_municipality
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


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "veldwacht.db"
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    db = Database(url)
    with db.uow() as uow:  # at the fake clock's moment, so its dates hold in every test
        seed_demo_municipality(uow.session, now=FakeClock().now())
    db.dispose()
    return path


@pytest.fixture
def instance(tmp_path, template_db) -> Path:
    shutil.copy(template_db, tmp_path / "veldwacht.db")
    return tmp_path


@pytest.fixture
def push_transport() -> RecordingPushTransport:
    return RecordingPushTransport()


@pytest.fixture
def app(instance, push_transport):
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{instance / 'veldwacht.db'}",
            "PUSH_TRANSPORT": push_transport,
            "PUSH_ALLOW_HTTP": False,
            "GC_POLICY": False,
        }
    )
    yield app
    runtime_of(app).close()


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


# ---- live server -------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    instance: Path
    log: Path

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
}


def start_server(instance: Path, template_db: Path, **env) -> ServerProcess:
    shutil.copy(template_db, instance / "veldwacht.db")
    port = _free_port()
    server_env = {**os.environ, "VELDWACHT_INSTANCE_PATH": str(instance), **LIVE_ENV, **env}
    server_env.pop("DATABASE_URL", None)
    log = instance / "server.log"
    process = _start_gunicorn(instance, port, server_env, log)
    live = LiveServer(url=f"http://127.0.0.1:{port}", instance=instance, log=log)
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
def live_server(tmp_path_factory, template_db):
    server = start_server(tmp_path_factory.mktemp("live"), template_db)
    try:
        yield server.live
    finally:
        server.stop()


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


# ---- service layer ------------------------------------------------------------------------


@pytest.fixture
def db(instance):
    database = Database(f"sqlite:///{instance / 'veldwacht.db'}")
    yield database
    database.dispose()


def user_by_name(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))
