"""`make serve`: the production shape on one machine. PostgreSQL and Redis from Debian's
packages (installed when absent), their data kept under the instance folder so the next start
finds it; the app's setup (migrate, the demo municipality, the logins); then gunicorn with
WEB_CONCURRENCY gevent workers (3 unless set) sharing live events through Redis, on
HOST:PORT (127.0.0.1:5000) as `make run` listens.

Ctrl-C, SIGTERM or a closed terminal stops gunicorn gracefully (its workers close their
websockets with 1012 and finish the requests in flight; a second Ctrl-C makes it quick), then
Redis and PostgreSQL. `kill -HUP $(cat instance/gunicorn.pid)` tries a rolling reload."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

from ops.servers import PG_USER, Postgres, Redis

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "veldwacht"


def instance_folder() -> Path:
    """The instance folder, enterable by PostgreSQL's own user when we are root (the cluster
    runs as that user): ours gets the execute bit for others only (it cannot be listed, and
    the keys in it are 0600); a parent we do not own is only named."""
    instance = Path(os.environ.get("VELDWACHT_INSTANCE_PATH") or ROOT / "instance").resolve()
    instance.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        mode = instance.stat().st_mode
        if not mode & stat.S_IXOTH:
            instance.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
        for parent in instance.parents:
            if not parent.stat().st_mode & stat.S_IXOTH:
                raise SystemExit(
                    f"PostgreSQL's user {PG_USER} cannot enter {parent}: `chmod o+x {parent}`, "
                    "or set VELDWACHT_INSTANCE_PATH to a folder it can reach"
                )
    return instance


def port_of(variable: str, default: int) -> int:
    """The port from `variable`; refused when something already listens on it (a second
    `make serve`, or servers a killed one left behind)."""
    port = int(os.environ.get(variable) or default)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(
                f"Port {port} is in use: another `make serve`, or servers left by one that was "
                f"killed. Stop them, or set {variable} to another port."
            ) from None
    return port


def setup(env: dict) -> None:
    """Migrate, seed the demo municipality when the database is empty, print the logins."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "setup"], cwd=ROOT, env=env, check=True
    )


def gunicorn_command(bind: str, *options: str) -> list[str]:
    """The app under gunicorn with its settings (app/gunicorn_conf.py), listening on `bind`."""
    config = str(ROOT / "app/gunicorn_conf.py")
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", config, "--bind", bind]
    return [*gunicorn, *options, "app:create_app()"]


def run_gunicorn(env: dict, bind: str, pid_file: Path) -> int:
    """gunicorn until it exits. In a session of its own, so the terminal's Ctrl-C comes to us
    and gunicorn is sent SIGTERM, its graceful stop, rather than SIGINT, its quick one."""
    command = gunicorn_command(bind, "--pid", str(pid_file))
    gunicorn = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    asked = []

    def stop(signum, frame):
        gunicorn.send_signal(signal.SIGINT if asked else signal.SIGTERM)
        asked.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    return gunicorn.wait()


def interrupt(signum, frame):
    raise KeyboardInterrupt  # before gunicorn runs: stop what was started, as for Ctrl-C


def main() -> int:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
    instance = instance_folder()
    pg_port = port_of("VELDWACHT_PG_PORT", 5433)
    redis_port = port_of("VELDWACHT_REDIS_PORT", 6380)
    bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '5000'}"
    with contextlib.ExitStack() as started:
        postgres = Postgres(instance / "postgres", pg_port).start()
        started.callback(postgres.stop)
        redis = Redis(instance / "redis", redis_port).start()
        started.callback(redis.stop)
        env = {
            **os.environ,
            "VELDWACHT_INSTANCE_PATH": str(instance),
            "DATABASE_URL": postgres.create_database(DATABASE),
            "REDIS_URL": redis.url,
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY") or "3",
        }
        try:
            setup(env)
        except subprocess.CalledProcessError as failed:
            return failed.returncode
        pid_file = instance / "gunicorn.pid"
        print(
            f"\nVeldwacht: open http://{bind} (Ctrl-C stops)\n"
            f"  {env['WEB_CONCURRENCY']} gevent workers, PostgreSQL on port {pg_port} "
            f"(data in {postgres.folder}), Redis on port {redis_port}\n"
            f"  rolling reload: kill -HUP $(cat {pid_file})\n",
            flush=True,
        )
        code = run_gunicorn(env, bind, pid_file)
        print("\nVeldwacht: gunicorn stopped; stopping Redis and PostgreSQL", flush=True)
        return code


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
