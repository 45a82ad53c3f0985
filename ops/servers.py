"""PostgreSQL, Redis and nginx from Debian's packages, started in a folder of our own: for
`make serve` (data kept under `instance/`) and for the test suite (throwaway, under a temporary
folder). Installs a package when its program is absent; CI starts with nothing running.

PostgreSQL refuses to run as root, so when we are root the cluster belongs to a system user of
its own (`veldwacht-pg`) and its programs run as that user."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PG_USER = "veldwacht-pg"
PACKAGES = {"postgres": "postgresql", "redis-server": "redis-server", "nginx": "nginx"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _apt_install(package: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, env=env)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else ""


def program(name: str) -> str:
    """The path of a server program, installing its Debian package when it is absent."""
    locate = _pg_bin if name == "postgres" else shutil.which
    path = locate(name) or (name == "nginx" and shutil.which("/usr/sbin/nginx"))
    if not path:
        _apt_install(PACKAGES[name])
        path = locate(name) or shutil.which(f"/usr/sbin/{name}")
    if not path:
        raise RuntimeError(f"{name} not found after installing {PACKAGES[name]}")
    return path


def _as_owner() -> dict:
    """Popen arguments that run a PostgreSQL program as the cluster's user when we are root."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
            check=True,
        )
    return {"user": PG_USER, "group": pwd.getpwnam(PG_USER).pw_gid}


def _wait_for_port(port: int, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start on port {port}")


@dataclass
class Postgres:
    """One cluster in `folder`, listening on loopback only, trusting local connections."""

    folder: Path
    port: int
    throwaway: bool = False  # tests: no fsync; a crash loses nothing we keep

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> Postgres:
        postgres = program("postgres")
        bin_dir = Path(postgres).parent
        owner = _as_owner()
        data = self.folder / "data"
        if owner:  # the folder must be the cluster user's, and reachable by it
            self.folder.mkdir(parents=True, exist_ok=True)
            os.chmod(self.folder, 0o755)
            shutil.chown(self.folder, user=PG_USER)
        if not (data / "PG_VERSION").exists():
            subprocess.run(
                [bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                check=True,
                capture_output=True,
                **owner,
            )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        if self.throwaway:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [
                bin_dir / "pg_ctl",
                "-w",
                "-D",
                data,
                "-o",
                options,
                "-l",
                self.folder / "pg.log",
                "start",
            ],
            check=True,
            capture_output=True,
            **owner,
        )
        _wait_for_port(self.port, "PostgreSQL")
        return self

    def stop(self, mode: str = "fast") -> None:
        bin_dir = Path(program("postgres")).parent
        subprocess.run(
            [bin_dir / "pg_ctl", "-D", self.folder / "data", "-m", mode, "-w", "stop"],
            capture_output=True,
            **_as_owner(),
        )

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (copied from `template` when given); returns its URL."""
        import psycopg  # only where PostgreSQL is used

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is None:
                copy = f" TEMPLATE {template}" if template else ""
                conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)


@dataclass
class Redis:
    folder: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        self.folder.mkdir(parents=True, exist_ok=True)
        # Nothing in Redis needs to survive it (presence and counters rebuild themselves).
        with open(self.folder / "redis.log", "ab") as log:
            self.process = self._spawn(log)
        _wait_for_port(self.port, "Redis")
        return self

    def _spawn(self, log) -> subprocess.Popen:
        return subprocess.Popen(
            [
                program("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
