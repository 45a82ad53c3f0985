"""A bench organisation: many teams of responders with device sessions and session cookies.

Logging 3,500 people in through the API would spend minutes in scrypt; instead the sessions
are created with the same service the login uses, and the cookie is signed with the server's
own session serializer, so the server sees exactly what a logged-in phone would send.

The server runs in either shape: the embedded default (SQLite in the instance folder, one
worker, the in-process broker) or the production one (`production_shape`: PostgreSQL and Redis
from Debian's packages, several workers); seeding is the same SQLAlchemy code on both."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from app.handover import is_ready
from bench.restarts import worker_pids
from ops.servers import Postgres, Redis, free_port
from services.accounts.models import Department, ManagedTeam, Organisation, Role, Team, User
from services.accounts.service import hash_password, open_device_session
from services.clock import SystemClock
from services.db import Database
from services.escalation.models import EscalationPolicy
from services.migrate import upgrade_to_head

# One step only, so a measurement is not mixed with escalation traffic.
BENCH_POLICY = [{"after_seconds": 0, "targets": ["team_on_duty", "manager"]}]


@dataclass
class BenchTeam:
    name: str
    manager: tuple[int, str]  # (user id, session cookie)
    workers: list[tuple[int, str]]

    @property
    def people(self) -> list[tuple[int, str]]:
        return [self.manager, *self.workers]


ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)

    def pick(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "max": ordered[-1],
    }


def save_results(name: str, results: dict) -> None:
    """Write bench/results/<name>.json (git ignores it) for comparing runs."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(results, indent=2))


def start_server(
    instance: Path, port: int, root: Path = ROOT, **env_extra: str
) -> subprocess.Popen:
    """gunicorn as in production on `instance`, running the code in `root` (another checkout:
    an earlier commit, to compare with); `env_extra` may name another database (DATABASE_URL)
    and more workers (WEB_CONCURRENCY). Returns once every worker is ready."""
    env = {**os.environ, "VELDWACHT_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    env.update(env_extra)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(root / "app/gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                wait_for_workers(server.pid, int(env.get("WEB_CONCURRENCY", "1")))
                return server
        except (requests.ConnectionError, requests.Timeout):  # a cold start can be slow
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def wait_for_workers(master: int, count: int, replacing: set[int] = frozenset()) -> set[int]:
    """Wait until `master` runs `count` workers, none of them in `replacing`, each of which has
    announced it is ready (the readiness files of app/handover.py); returns their pids."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pids = worker_pids(master)
        ready = all(is_ready(master, pid) for pid in pids)
        if len(pids) == count and ready and not pids & replacing:
            return pids
        time.sleep(0.05)
    raise RuntimeError(f"{count} workers were not ready within 60 s")


def new_instance(database_url: str | None = None) -> tuple[Path, Database, str]:
    """A fresh instance folder with a migrated database (SQLite in the folder, or the empty
    database at `database_url`) and the session key the server will read from it: (folder,
    database, secret key)."""
    instance = Path(tempfile.mkdtemp(prefix="veldwacht-bench-"))
    url = database_url or f"sqlite:///{instance / 'veldwacht.db'}"
    upgrade_to_head(url)
    secret = "bench-" + uuid.uuid4().hex
    (instance / "secret_key").write_text(secret)
    return instance, Database(url), secret


@dataclass
class ProductionShape:
    """PostgreSQL and Redis for bench servers with several workers."""

    postgres: Postgres
    redis: Redis
    workers: int

    def settings(self, name: str) -> dict[str, str]:
        """A new database `name` and the server settings for it (its own Redis namespace)."""
        return {
            "DATABASE_URL": self.postgres.create_database(name),
            "REDIS_URL": self.redis.url,
            "VELDWACHT_REDIS_PREFIX": f"{name}-{uuid.uuid4().hex[:8]}",
            "WEB_CONCURRENCY": str(self.workers),
        }


@contextmanager
def production_shape(workers: int = 2) -> Iterator[ProductionShape]:
    """A throwaway PostgreSQL cluster and Redis server from Debian's packages (installed when
    absent). The folder is a fresh one the cluster's own user may enter (ops/servers.py).
    Unlike the tests' cluster it syncs every commit to disk, as in production."""
    folder = Path(tempfile.mkdtemp(prefix="veldwacht-bench-pg-"))
    os.chmod(folder, 0o755)
    postgres = Postgres(folder / "pg", free_port()).start()
    redis = None
    try:
        redis = Redis(folder / "redis", free_port()).start()
        yield ProductionShape(postgres, redis, workers)
    finally:
        if redis is not None:
            redis.stop()
        postgres.stop(mode="immediate")
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class BenchServer:
    process: subprocess.Popen  # gunicorn's master
    port: int
    workers: int
    teams: dict[str, list[BenchTeam]]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"


@contextmanager
def bench_server(teams: dict[str, int], **settings: str) -> Iterator[BenchServer]:
    """A seeded server on a fresh instance: the embedded default, or the database, Redis and
    workers `settings` name (`ProductionShape.settings`). Its workers share the session key."""
    instance, db, secret = new_instance(settings.get("DATABASE_URL"))
    try:
        seeded = seed_bench(db, secret, teams)
        db.dispose()
        port = free_port()
        process = start_server(instance, port, SECRET_KEY=secret, **settings)
        try:
            yield BenchServer(process, port, int(settings.get("WEB_CONCURRENCY", "1")), seeded)
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def seed_bench(db: Database, secret_key: str, teams: dict[str, int]) -> dict[str, list[BenchTeam]]:
    """`teams`: prefix -> members per team (manager included), e.g. {"small": 26} repeated."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(_app_with_key(secret_key))
    password, clock = hash_password("bench"), SystemClock()
    result: dict[str, list[BenchTeam]] = {}
    with db.uow() as uow:
        session = uow.session
        org = Organisation(name="Benchgemeente")
        dept = Department(organisation=org, name="Bench")
        session.add_all([org, dept])
        for spec, size in teams.items():
            prefix, _, count = spec.partition("*")
            for number in range(int(count or 1)):
                team = Team(department=dept, name=f"{prefix}-{number}")
                session.add(team)
                session.flush()
                session.add(EscalationPolicy(team_id=team.id, alarm_steps=BENCH_POLICY))
                people = []
                for member in range(size):
                    user = User(
                        username=f"{prefix}-{number}-{member}",
                        name=f"Bench {member}",
                        role=Role.LEIDINGGEVENDE if member == 0 else Role.MEDEWERKER,
                        password_hash=password,
                        team_id=team.id,
                        on_duty=True,
                        active=True,
                    )
                    session.add(user)
                    session.flush()
                    token = open_device_session(session, clock, user, "bench")
                    people.append((user.id, serializer.dumps({"_user_id": token})))
                session.add(ManagedTeam(manager_id=people[0][0], team_id=team.id))
                result.setdefault(prefix, []).append(BenchTeam(team.name, people[0], people[1:]))
    return result


def _app_with_key(secret_key: str) -> Flask:
    app = Flask("bench")
    app.secret_key = secret_key
    return app
