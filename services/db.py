"""Engine, declarative base and the unit of work.

SQLite is the embedded default: WAL so readers never wait for the writer, and write
transactions start with BEGIN IMMEDIATE so two writers queue on the lock instead of one
failing halfway with "database is locked". Read-only work uses a plain deferred BEGIN.

Waiting for the write lock is cooperative: SQLite's own busy wait sleeps in C, which under
gevent freezes the whole worker (every request and websocket) while another process holds the
lock. So SQLite is told not to wait at all, and BEGIN IMMEDIATE is retried here with a sleep
that yields, until the unit of work's deadline; then `Busy` (503, try again).

PostgreSQL (psycopg 3, which yields to gevent while it waits on the server) has row locks: a
unit of work locks the rows it changes (`with_for_update`, a no-op on SQLite, which locked the
whole database already) and waits for another's lock at most its deadline (`lock_timeout`),
then `Busy` too. A server that cannot be reached, a deadlock or a serialization failure are
`Busy` as well: nothing was stored and the same request can be sent again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
from sqlalchemy import (
    DateTime,
    MetaData,
    Table,
    bindparam,
    cast,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLTimeoutError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from services.errors import Busy

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and gives them back aware (SQLite forgets the zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Veldwacht stores aware UTC times")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


WRITE_WAIT = 10.0  # seconds a write waits for the lock before answering "busy"
_RETRY_FIRST, _RETRY_MAX = 0.002, 0.05  # the cooperative wait between tries (doubling)


# Connections per worker: a request holds one for a few milliseconds; beyond this many at once
# a request waits (cooperatively) up to POOL_WAIT seconds for one, then answers busy.
POOL_SIZE, POOL_OVERFLOW, POOL_WAIT = 10, 20, 5
CONNECT_TIMEOUT = 3  # seconds: an unreachable server is an error soon, not a hung request


def engine_url(url: str) -> str:
    """`postgresql://` as operators write it, with the driver SQLAlchemy should use."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_postgres(url: str) -> bool:
    return engine_url(url).startswith("postgresql+")


def make_engine(url: str, *, background_checkpoints: bool = False) -> Engine:
    if url.startswith("sqlite"):
        # timeout 0: SQLite never sleeps in C; waiting is done cooperatively below
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 0})
        _tune_sqlite(engine, background_checkpoints)
        return engine
    engine = create_engine(
        engine_url(url),
        pool_pre_ping=True,  # a connection the server dropped (a restart) is replaced unseen
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=POOL_WAIT,
        connect_args={"connect_timeout": CONNECT_TIMEOUT, "application_name": "veldwacht"},
    )
    _tune_postgres(engine)
    return engine


# SQLSTATEs after which nothing was stored and the same request may simply be sent again:
# serialization failure, deadlock, lock wait timed out, server shutting down or starting.
_PG_TRY_AGAIN = {"40001", "40P01", "55P03", "57P01", "57P02", "57P03"}


def is_busy(error: BaseException) -> bool:
    """The database could not do the work now, and nothing was stored: SQLite's "database is
    locked", PostgreSQL's lock timeouts, deadlocks and unreachable server, a full pool."""
    if isinstance(error, SQLTimeoutError | DisconnectionError):
        return True
    raw = getattr(error, "orig", error)
    if isinstance(raw, sqlite3.OperationalError):
        return getattr(
            raw, "sqlite_errorcode", sqlite3.SQLITE_BUSY
        ) & 0xFF == sqlite3.SQLITE_BUSY and "locked" in str(raw)
    if isinstance(raw, psycopg.Error):
        # no SQLSTATE: the connection itself failed (refused, reset, timed out)
        return raw.sqlstate in _PG_TRY_AGAIN or (
            raw.sqlstate is None and isinstance(raw, psycopg.OperationalError)
        )
    return False


def _begin_immediate(conn, deadline: float) -> None:
    """BEGIN IMMEDIATE, retried with a yielding sleep while another connection writes."""
    pause = _RETRY_FIRST
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as failure:
            if not is_busy(failure) or time.monotonic() + pause > deadline:
                if is_busy(failure):
                    raise Busy() from failure
                raise
        time.sleep(pause)  # patched by gevent: other greenlets run meanwhile
        pause = min(pause * 2, _RETRY_MAX)


def _tune_sqlite(engine: Engine, background_checkpoints: bool) -> None:
    """WAL, and every commit synced to disk (FULL): an alarm survives a power loss before
    anyone is alerted to it. With `background_checkpoints` no commit copies the WAL into the
    database file (which at its threshold took a raise 100–200 ms): `Database.checkpoint`
    does, off the request path."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, see below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        if background_checkpoints:
            cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        options = conn.get_execution_options()
        if options.get("read_only", False):
            conn.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(conn, options.get("write_deadline", time.monotonic() + WRITE_WAIT))


def _raise_busy_for(failure: BaseException | None) -> None:
    """A unit of work the database could not do now is `Busy`, whichever statement met it."""
    if failure is not None and not isinstance(failure, Busy) and is_busy(failure):
        raise Busy() from failure


def _tune_postgres(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        options = conn.get_execution_options()
        if options.get("read_only", False):
            return
        # Row locks are waited for within the unit of work's deadline, never longer.
        wait = options.get("write_deadline", time.monotonic() + WRITE_WAIT) - time.monotonic()
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(wait * 1000))}")


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """Many rows into `table` (an alarm's recipients, an event's audience: a thousand for a big
    team) as one statement, which an alarm waits for before its first frame. The columns all
    rows share are bound once; the others go as arrays. On PostgreSQL: one array per column
    (`INSERT … SELECT … FROM unnest(…)`; psycopg's executemany would send a statement per row,
    each a wait through gevent's loop: 140 ms for a thousand rows, against 20 ms). On SQLite:
    one JSON array of rows (`… FROM json_each(?)`), which spares the per-row parameter work of
    executemany (a thousand rows: 6 ms → 1.5 ms)."""
    if not rows:
        return
    if len(rows) == 1:
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    shared = [c for c in columns if all(row[c] == rows[0][c] for row in rows[1:])]
    varying = [c for c in columns if c not in shared] or columns[:1]
    shared = [c for c in shared if c not in varying]
    values = {c: bindparam(f"shared_{c}", rows[0][c], type_=table.c[c].type) for c in shared}
    if session.bind.dialect.name == "postgresql":
        arrays = [
            cast(bindparam(f"rows_{c}", [row[c] for row in rows]), ARRAY(table.c[c].type))
            for c in varying
        ]
        source = func.unnest(*arrays).table_valued(*varying).render_derived()
        values |= {c: source.c[c] for c in varying}
    else:
        dialect = session.bind.dialect
        process = [table.c[c].type.bind_processor(dialect) or (lambda v: v) for c in varying]
        json_rows = json.dumps(
            [[p(row[c]) for p, c in zip(process, varying, strict=True)] for row in rows]
        )
        source = func.json_each(bindparam("rows", json_rows)).table_valued("value")
        values |= {c: func.json_extract(source.c.value, f"$[{i}]") for i, c in enumerate(varying)}
    session.execute(
        insert(table).from_select(
            columns, select(*(values[c] for c in columns)).select_from(source)
        )
    )


def lock_key(session: Session, scope: str, key: object) -> None:
    """Hold `key` of `scope` (a client id, an endpoint) until the commit, so that a
    check-then-insert on it is one at a time: the second of two concurrent requests waits,
    then finds the first one's row, as it would on SQLite, where writers are one at a time
    already (nothing is done there). A transaction-scoped advisory lock in PostgreSQL's
    two-key space, apart from the event log's single-key one; waited for within the unit
    of work's `lock_timeout`. Take it before the event log's lock, never after."""
    if session.bind.dialect.name == "postgresql":
        session.execute(
            select(func.pg_advisory_xact_lock(func.hashtext(scope), func.hashtext(str(key))))
        )


class _NoLock:
    def acquire(self, timeout: float = -1) -> bool:
        return True

    def release(self) -> None:
        pass


class UnitOfWork:
    """One business transaction. Callbacks registered with `after_commit` run only once the
    data is durable, which is how "persist, then publish" is enforced. A writing unit waits at
    most `wait` seconds for the write lock, then raises `Busy`."""

    def __init__(
        self,
        session_factory: sessionmaker,
        read_only: bool = False,
        write_lock=None,
        wait: float = WRITE_WAIT,
    ):
        self._factory = session_factory
        self._read_only = read_only
        self._write_lock = write_lock or _NoLock()
        self._wait = wait
        self._before_commit: list[Callable[[], None]] = []
        self._after_commit: list[Callable[[], None]] = []
        self._last: list[Callable[[], None]] = []
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        if self._read_only:
            self.session = self._factory()
            try:
                self.session.connection(execution_options={"read_only": True})
            except BaseException as failure:
                self.session.close()
                _raise_busy_for(failure)
                raise
            return self
        deadline = time.monotonic() + self._wait
        # other writers of this process queue here, cooperatively, within the same deadline
        if not self._write_lock.acquire(timeout=max(0.0, self._wait)):
            raise Busy()
        self.session = self._factory()
        try:
            self.session.connection(execution_options={"write_deadline": deadline})
        except BaseException as failure:
            self.session.close()
            self._write_lock.release()
            _raise_busy_for(failure)
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        committed = False
        try:
            if self._read_only:  # close() below ends the transaction; rollback() would
                _raise_busy_for(exc)  # expire what was read
            elif exc_type is None:
                try:
                    for callback in self._before_commit:
                        callback()
                    self.session.commit()
                except BaseException as failure:
                    self.session.rollback()
                    _raise_busy_for(failure)
                    raise
                committed = True
            else:
                self.session.rollback()
                _raise_busy_for(exc)
        finally:
            self.session.close()
            if not self._read_only:
                self._write_lock.release()
        if committed:  # told only after the data is durable and the lock is free
            for callback in self._after_commit + self._last:
                callback()

    def before_commit(self, callback: Callable[[], None]) -> None:
        """Run inside the transaction as its last work (the event log writes its events
        there, so that the lock that orders them is held only until the commit)."""
        self._before_commit.append(callback)

    def after_commit(self, callback: Callable[[], None], *, last: bool = False) -> None:
        """`last`: after every other callback, so that reactions (events/bus.py) start once
        this transaction's own events are out."""
        (self._last if last else self._after_commit).append(callback)


class Database:
    """The engine plus a factory of units of work; one per app instance."""

    def __init__(self, url: str, *, background_checkpoints: bool = False):
        """`background_checkpoints`: SQLite's WAL is copied into the database file only by
        `checkpoint`, which the server calls off its request path; else by the commit that
        fills it, as SQLite does by default."""
        self.url = url
        self.postgres = is_postgres(url)
        self.engine = make_engine(url, background_checkpoints=background_checkpoints)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite's busy wait sleeps in C, which under gevent would freeze the whole worker
        # while the lock holder cannot run; queueing writers on a (patched) Python lock first
        # keeps waiting cooperative. PostgreSQL has row locks and needs none of this.
        self._write_lock = threading.Lock() if url.startswith("sqlite") else None

    def uow(self, wait: float = WRITE_WAIT) -> UnitOfWork:
        """A writing unit of work; `wait` bounds how long it queues for the write lock."""
        return UnitOfWork(self.sessions, write_lock=self._write_lock, wait=wait)

    def reader(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, read_only=True)

    def checkpoint(self) -> None:
        """Copy SQLite's WAL into the database file without waiting for anyone (PASSIVE), on
        a connection of its own: callable from a native thread. Nothing on PostgreSQL."""
        if self.postgres:
            return
        conn = sqlite3.connect(self.engine.url.database, timeout=0)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    def dispose(self) -> None:
        self.engine.dispose()
