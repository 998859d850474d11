"""Engine creation and the few dialect-specific details (SQLite pragmas, the write lock)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event

from royalty.settings import database_url
from royalty.store import models, schema  # noqa: F401  (models registers the tables)

BUSY_TIMEOUT_MS = 10_000
"""How long a statement waits for a lock before SQLite gives up (an import waits longer: see
``lock_for_writing``)."""
WAIT_STEP = 0.25
"""Seconds between tries for the write lock while another import holds it."""
WAIT_REPORT_EVERY = 30.0
"""Seconds between reports that an import is still waiting."""
WAIT_LIMIT = 600.0
"""Seconds an import waits for another one before it gives up."""
IMPORT_LOCK = 0x726F79616C7479
"""PostgreSQL advisory lock every writing transaction takes: imports share it, other writers
hold it alone (b"royalty")."""


class DatabaseBusy(Exception):
    """Another import kept the write lock for longer than ``limit`` (``WAIT_LIMIT``).

    Messages name the limit, not the time measured: on a busy machine the last attempt can
    end well past it, and "busy for over 4 seconds" after a 1-second limit reads as a fault.
    """

    def __init__(self, limit: float) -> None:
        self.limit = limit
        super().__init__(f"another import kept the database busy for over {limit:.0f} s")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: the others may wait
    cursor.execute("PRAGMA foreign_keys=ON")
    _wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.close()


def _wal(cursor: sqlite3.Cursor) -> None:
    """Write-ahead logging (readers never wait for the writer). Switching a new database to it
    takes an exclusive lock, and SQLite says "database is locked" at once, without waiting,
    when another connection is switching it or reading it at that moment: so, again, until
    the busy timeout (once the database is in WAL mode, the pragma needs no lock)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def make_engine(url: str | None = None, *, upgrade: bool = True) -> Engine:
    """Create an engine, with its schema created or upgraded to the newest version
    (idempotent, and safe when several processes start on one database at the same moment)."""
    resolved = database_url(url)
    engine = create_engine(resolved)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if not upgrade:  # ``royalty db status``: the database as it is
        return engine
    schema.ensure(engine)  # created, or upgraded in place, before anything reads it
    from royalty.store import rollup  # imports the bulk writer, which imports this module

    rollup.ensure(engine)  # back-fill at start: read paths never write
    from royalty.store import track_links

    track_links.ensure(engine)  # tracks linked by the rule this code has
    return engine


@contextmanager
def writing(
    engine: Engine, waiting: Callable[[float], None] | None = None, *, limit: float | None = None
) -> Iterator[Connection]:
    """One transaction that writes, after the write lock (see ``lock_for_writing``): what
    removals and settings use, so that they wait for an import instead of failing under it."""
    with engine.connect() as conn, conn.begin():
        lock_for_writing(conn, waiting, limit=limit)
        yield conn


def lock_for_writing(
    conn: Connection,
    waiting: Callable[[float], None] | None = None,
    *,
    limit: float | None = None,
    shared: bool = False,
) -> None:
    """Make ``conn``'s new transaction a writer, waiting for the writers it must not run beside.

    Call it first in the transaction. SQLite: ``BEGIN IMMEDIATE``, which takes the write lock
    at once: one writer at a time. PostgreSQL: the transaction-scoped advisory lock
    ``IMPORT_LOCK``, held alone by a writer, or ``shared`` by imports, which then lock each
    artist they write (``royalty.store.locks``). While another writer holds it, this waits,
    calls ``waiting`` with the seconds waited so far when it starts waiting and every
    ``WAIT_REPORT_EVERY`` seconds after, and raises ``DatabaseBusy`` after ``limit`` (default
    ``WAIT_LIMIT``) seconds.
    """
    limit = WAIT_LIMIT if limit is None else limit
    dialect = conn.dialect.name
    if dialect == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is None or raw.in_transaction:  # pragma: no cover - a caller's mistake
            raise RuntimeError("lock_for_writing must come first in its transaction")
        busy_ms = raw.execute("PRAGMA busy_timeout").fetchone()[0]
        raw.execute(f"PRAGMA busy_timeout={int(WAIT_STEP * 1000)}")

        def attempt() -> bool:
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                    raise
                return False
            return True

        try:
            _wait_for(attempt, waiting, limit, pause=0.0)  # the busy timeout is the pause
        finally:
            raw.execute(f"PRAGMA busy_timeout={busy_ms}")
    elif dialect == "postgresql":
        from royalty.store import locks

        kind = "_shared" if shared else ""
        lock = f"pg_advisory_xact_lock{kind}({IMPORT_LOCK})"
        locks.take(conn, lock, waiting, limit)


def lock_artists(
    conn: Connection,
    names: Iterable[str],
    held: set[int],
    waiting: Callable[[float], None] | None = None,
    *,
    limit: float | None = None,
) -> None:
    """Hold, in an import's transaction, the lock of each artist in ``names`` (PostgreSQL;
    SQLite's one writer holds the whole database already). ``held`` is the transaction's
    keys so far; see ``royalty.store.locks``."""
    if conn.dialect.name != "postgresql":
        return
    from royalty.store import locks

    limit = WAIT_LIMIT if limit is None else limit
    locks.lock_artists(conn, names, held, waiting, limit)


def _wait_for(
    attempt: Callable[[], bool],
    waiting: Callable[[float], None] | None,
    limit: float,
    pause: float,
) -> None:
    started = time.monotonic()
    reported: float | None = None
    while not attempt():
        waited = time.monotonic() - started
        if waited >= limit:
            raise DatabaseBusy(limit)
        if waiting is not None and (reported is None or waited - reported >= WAIT_REPORT_EVERY):
            waiting(waited)
            reported = waited
        if pause:
            time.sleep(pause)


def database_file(engine: Engine) -> Path | None:
    """The SQLite database's file, or None (an in-memory database, or another backend)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    if engine.url.query.get("uri"):
        if "mode=memory" in database or database.startswith("file::memory:"):
            return None
        database = database.removeprefix("file:").split("?", 1)[0]
    if database in ("", ":memory:") or "mode=memory" in str(engine.url.query):
        return None
    return Path(database).resolve()


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """One engine per URL per process."""
    return make_engine(url)
