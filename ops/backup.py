"""Backup and restore of Veldwacht's database, for either engine (docs/backup.md).

SQLite: the online backup API copies a consistent snapshot while the server runs and writes
(WAL: the copy is one read transaction, writers do not wait for it); restore copies a backup
back with the same API. PostgreSQL: `pg_dump` in its custom format; restore with `pg_restore`
in one transaction, so a restore that fails leaves the database as it was.

A backup is written beside its destination under a temporary name and renamed into place once
complete and checked, so a half-written backup never lies under the name an operator expects.
A restore first checks that the file is a Veldwacht backup for this engine and that no
Veldwacht server is using the database, and only then touches it. Afterwards the event log
goes on far above the restored newest id (`_continue_event_ids`): phones remember the last
event id they saw, which may be one the lost database gave out after the backup.

Failures an operator can make or meet (a missing file, the wrong kind of file, an unreachable
database, a running server) are `BackupError` with a message that says what to do.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from contextlib import closing, contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ops.servers import _pg_bin
from services.db import engine_url, is_postgres
from services.events.models import Event

SQLITE, POSTGRES = "SQLite", "PostgreSQL"
_HEADERS = {SQLITE: b"SQLite format 3\x00", POSTGRES: b"PGDMP"}
_DESCRIBED = {SQLITE: "a SQLite backup", POSTGRES: "a PostgreSQL backup (pg_dump)"}
APPLICATION_NAME = "veldwacht"  # what the server's connections call themselves (services/db.py)
CONNECT_TIMEOUT = 10  # seconds: an unreachable database is an error soon, not a hung command
IN_USE_WAIT = 5  # seconds a restore waits for connections that are closing to be gone
# How far event ids jump after a restore: more events than an instance makes between two
# backups (a busy municipality makes thousands a day), few enough for PostgreSQL's integer ids
# to take two hundred restores.
EVENT_ID_JUMP = 10_000_000


class BackupError(Exception):
    """A backup or restore that cannot be done, and why, in words for the operator."""


def engine_of(database_url: str) -> str:
    if is_postgres(database_url):
        return POSTGRES
    if database_url.startswith("sqlite"):
        return SQLITE
    raise BackupError(f"Backups support SQLite and PostgreSQL only, not {safe(database_url)}.")


def safe(database_url: str) -> str:
    """The URL with its password hidden, to show."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def backup(database_url: str, path: str | os.PathLike) -> Path:
    """Write a backup of the database to `path` (replacing a file there only once the new one
    is complete); returns the path written."""
    target = Path(path).resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup file's name.")
    kind = engine_of(database_url)
    if kind == SQLITE:
        database = _sqlite_path(database_url, must_exist=True)
        if database == target:
            raise BackupError(f"{target} is the database itself; give the backup another name.")
    with _written_into_place(target) as partial:
        if kind == SQLITE:
            _sqlite_backup(database, partial)
        else:
            _pg_dump(database_url, partial)
    return target


def restore(database_url: str, path: str | os.PathLike) -> None:
    """Replace the database's contents with the backup at `path`. The server must be stopped:
    it keeps state of the database in memory (event ids, timers) that a restore would leave
    wrong. Refused, with the target untouched, when the file is not a Veldwacht backup for
    this engine or a Veldwacht server is still connected."""
    source = Path(path).resolve()
    kind = engine_of(database_url)
    found = kind_of_file(source)
    if found != kind:
        raise BackupError(
            f"{source} is {_DESCRIBED[found]}, but the database is {kind} "
            f"({safe(database_url)}). Restore a backup made from a {kind} database."
        )
    if kind == SQLITE:
        database = _sqlite_path(database_url, must_exist=False)
        if database == source:
            raise BackupError(f"{source} is the database itself, not a backup of it.")
        _sqlite_restore(source, database)
    else:
        _pg_restore(source, database_url)
    _continue_event_ids(database_url, source)


def _continue_event_ids(database_url: str, source: Path) -> None:
    """Event ids only grow, and phones rely on it: a phone asks for the events after the last
    id it saw, and the server skips on its websocket what that replay covered. Ids the lost
    database gave out after the backup would be given again to new events, which a phone that
    saw the lost ones would then never get. So the restored log goes on at the newest id plus
    EVENT_ID_JUMP, with one event there that is addressed to no one (the restore, on record):
    new ids follow it, and each worker's relay starts from it."""
    engine = create_engine(engine_url(database_url))
    try:
        with engine.begin() as connection:
            newest = connection.scalar(select(func.coalesce(func.max(Event.id), 0)))
            mark = newest + EVENT_ID_JUMP
            connection.execute(
                insert(Event.__table__).values(
                    id=mark,
                    type="system.restored",
                    created_at=datetime.now(UTC),
                    urgent=False,
                    title="Database teruggezet uit een backup",
                    body=source.name,
                    data={"backup": source.name, "newest_restored_event": newest},
                    push_state=None,
                    push_always=False,
                )
            )
            if engine.dialect.name == "postgresql":  # SQLite's AUTOINCREMENT follows by itself
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :mark)"),
                    {"table": Event.__tablename__, "mark": mark},
                )
    except SQLAlchemyError as failure:
        raise BackupError(
            f"The backup was restored, but moving the event ids on failed: {failure}. "
            "Restore it again before starting the server."
        ) from None
    finally:
        engine.dispose()


def kind_of_file(path: Path) -> str:
    try:
        with open(path, "rb") as backup_file:
            head = backup_file.read(len(_HEADERS[SQLITE]))
    except FileNotFoundError:
        raise BackupError(f"Backup file {path} not found.") from None
    except OSError as failure:
        raise BackupError(f"Cannot read {path}: {failure.strerror}.") from None
    for kind, header in _HEADERS.items():
        if head.startswith(header):
            return kind
    raise BackupError(
        f"{path} is not a Veldwacht backup: neither a SQLite database nor a pg_dump archive "
        "in custom format (a plain-SQL dump is restored with psql, not with this command)."
    )


@contextmanager
def _written_into_place(target: Path):
    """A temporary file beside `target` (mode 0600: a backup holds personal data), renamed to
    `target` when the block completes and removed when it fails."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as failure:
        raise BackupError(
            f"Cannot write the backup in {target.parent}: {failure.strerror}."
        ) from None
    os.close(descriptor)
    partial = Path(name)
    try:
        yield partial
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a crash
        finally:
            os.close(directory)
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()


# ---- SQLite ------------------------------------------------------------------------------


def _sqlite_path(database_url: str, must_exist: bool) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"{safe(database_url)} is not a SQLite database file.")
    path = Path(database).resolve()
    if must_exist and not path.is_file():
        raise BackupError(f"Database file {path} not found (DATABASE_URL {database_url}).")
    return path


def _sqlite_backup(database: Path, partial: Path) -> None:
    try:
        # mode=rw, never created; not read-only, whose connection would leave -wal and -shm
        # files of the backup's user behind, which a server running as another cannot open
        with (
            closing(sqlite3.connect(f"{database.as_uri()}?mode=rw", uri=True)) as live,
            closing(sqlite3.connect(partial)) as copy,
        ):
            live.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
            _check_sqlite(copy, partial)
    except sqlite3.Error as failure:
        raise BackupError(f"Backup of {database} failed: {failure}.") from None


def _sqlite_restore(source: Path, database: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as backup_db:
            _check_sqlite(backup_db, source)
            with closing(sqlite3.connect(database, isolation_level=None, timeout=0)) as target:
                _refuse_sqlite_in_use(target, database)
                backup_db.backup(target)
                target.execute("PRAGMA journal_mode=WAL")  # as the server keeps it
    except sqlite3.Error as failure:
        raise BackupError(f"Restore into {database} failed: {failure}.") from None


def _check_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    """A complete, undamaged Veldwacht database, or BackupError."""
    try:
        (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as failure:
        raise BackupError(f"{path} is not a usable Veldwacht database: {failure}.") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged (SQLite's check: {verdict}).")
    if revision is None:
        raise BackupError(f"{path} is not a Veldwacht database (no schema version).")


def _refuse_sqlite_in_use(target: sqlite3.Connection, database: Path) -> None:
    """Every connection to a database in WAL mode (the server's) holds a shared lock for as
    long as it is open, so leaving WAL mode is refused while any is: the sign that a server
    is still running on it."""
    try:
        target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as failure:
        if "locked" not in str(failure):
            raise
        raise BackupError(
            f"{database} is in use: stop the Veldwacht server (every worker) before restoring."
        ) from None


# ---- PostgreSQL --------------------------------------------------------------------------


def _libpq(database_url: str) -> tuple[str, dict]:
    """The URL as libpq reads it (no `+psycopg`), without its password, and the environment
    that carries the password instead (never on a command line, where `ps` shows it)."""
    url = make_url(engine_url(database_url))
    env = {**os.environ, "PGCONNECT_TIMEOUT": str(CONNECT_TIMEOUT)}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return plain.render_as_string(hide_password=False), env


def _pg_program(name: str) -> str:
    found = _pg_bin(name) or shutil.which(name)  # the newest installed: it reads older servers
    if not found:
        raise BackupError(
            f"{name} not found: install Debian's postgresql-client "
            "(the server's major version or newer)."
        )
    return found


def _run(command: list[str], env: dict, what: str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, env=env, stderr=subprocess.PIPE, text=True, **kwargs)
    if done.returncode != 0:
        message = done.stderr.strip() or f"exit status {done.returncode}"
        raise BackupError(f"{what} failed: {message}")
    return done


def _pg_dump(database_url: str, partial: Path) -> None:
    url, env = _libpq(database_url)
    command = [_pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", url]
    with open(partial, "wb") as out:
        _run(command, env, f"Backup of {safe(database_url)}", stdout=out)
    _check_archive(partial, env)


def _check_archive(path: Path, env: dict) -> None:
    """A complete pg_dump archive of a Veldwacht database, or BackupError."""
    listing = _run(
        [_pg_program("pg_restore"), "--list", str(path)],
        env,
        f"Reading {path}",
        stdout=subprocess.PIPE,
    )
    if " alembic_version " not in listing.stdout:
        raise BackupError(f"{path} is not a Veldwacht database (no schema version).")


def _pg_restore(source: Path, database_url: str) -> None:
    url, env = _libpq(database_url)
    _check_archive(source, env)
    _refuse_pg_in_use(url, env)
    command = [
        _pg_program("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "-d",
        url,
        str(source),
    ]
    _run(command, env, f"Restore into {safe(database_url)} (nothing was changed)")


def _refuse_pg_in_use(url: str, env: dict) -> None:
    """Refused while a Veldwacht server is connected; connections that are closing (this
    command's own app, just stopped) are waited for a moment."""
    import psycopg  # only where PostgreSQL is used

    deadline = time.monotonic() + IN_USE_WAIT
    try:
        with psycopg.connect(
            url, password=env.get("PGPASSWORD"), connect_timeout=CONNECT_TIMEOUT, autocommit=True
        ) as conn:
            while True:
                (servers,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND application_name = %s AND pid <> pg_backend_pid()",
                    (APPLICATION_NAME,),
                ).fetchone()
                if not servers or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
    except psycopg.Error as failure:
        raise BackupError(f"Cannot reach the database: {str(failure).strip()}") from None
    if servers:
        raise BackupError(
            f"The database is in use by {servers} Veldwacht connection(s): stop the Veldwacht "
            "server (every worker) before restoring."
        )
