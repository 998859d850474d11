"""PostgreSQL's write locks: imports of different artists run at the same time, every other
writer runs alone.

Each writing transaction first takes the advisory lock ``IMPORT_LOCK``: imports share it,
every other writer (statement removal with its orphans, the sample, saved layouts) holds it
alone, so nothing an import keeps in memory (dimension ids, what is stored already) is
removed under it. Inside the shared lock an import holds one lock per artist it writes
(``lock_artists``), taken when it first meets the artist in its file and before it reads what
is stored for that artist: an artist's tracks, releases and lines are written by one import
at a time, so the overlap check (``royalty.ingest.identity``) and the dimension ids
(``royalty.ingest.dimensions``) stay right, while an import of another artist's file goes on.

Artists are locked by a hash of their name into ``ARTIST_LOCKS`` keys, so one import holds a
bounded number of locks however many artists its file names (two artists that share a key
only wait for each other). Waits go through PostgreSQL's lock queue (``take``): a writer
waiting for the imports is not overtaken by new ones, and two imports each waiting for an
artist the other holds are found by the server's deadlock detector; the one it stops raises
``LockCycle`` and its import starts again from the beginning (its transaction rolled back).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

ARTIST_LOCKS = 1024
"""Keys the artists' names are hashed into."""
ARTIST_SPACE = 0x726F79
"""First key of the two-key advisory locks that stand for artists (b"roy")."""
LOCK_NOT_AVAILABLE = "55P03"
DEADLOCK = "40P01"


class LockCycle(Exception):
    """Two imports each waited for an artist the other one held; PostgreSQL stopped this one
    (its transaction is rolled back: the import can start again)."""


def artist_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % ARTIST_LOCKS


def lock_artists(
    conn: Connection,
    names: Iterable[str],
    held: set[int],
    waiting: Callable[[float], None] | None,
    limit: float,
) -> None:
    """Hold the lock of every artist in ``names`` (``held``: the keys this transaction holds,
    updated). One round trip tries all new keys; those another import holds are waited for
    one by one, in key order."""
    wanted = sorted({artist_key(n) for n in names} - held)
    if not wanted:
        return
    listed = ", ".join(str(k) for k in wanted)
    got = conn.exec_driver_sql(
        f"SELECT k, pg_try_advisory_xact_lock({ARTIST_SPACE}, k) "
        f"FROM unnest(ARRAY[{listed}]::int[]) AS k"
    ).all()
    held.update(int(k) for k, ok in got if ok)
    for key in (int(k) for k, ok in got if not ok):
        take(conn, f"pg_advisory_xact_lock({ARTIST_SPACE}, {key})", waiting, limit, tried=True)
        held.add(key)


def take(
    conn: Connection,
    lock: str,
    waiting: Callable[[float], None] | None,
    limit: float,
    *,
    tried: bool = False,
) -> None:
    """Take the advisory lock ``lock`` (a call such as ``pg_advisory_xact_lock(1)``), waiting
    in the server's queue (see ``patiently``); ``tried``: its ``pg_try_`` form already failed."""
    try_lock = lock.replace("pg_advisory", "pg_try_advisory", 1)
    if not tried and conn.exec_driver_sql(f"SELECT {try_lock}").scalar():
        return
    patiently(conn, lambda: conn.exec_driver_sql(f"SELECT {lock}"), waiting, limit, waited=True)


def patiently(
    conn: Connection,
    run: Callable[[], object],
    waiting: Callable[[float], None] | None,
    limit: float,
    *,
    waited: bool = False,
) -> None:
    """``run`` a statement that may wait for another transaction's lock, in steps of
    ``WAIT_REPORT_EVERY`` seconds: ``waiting`` is told the seconds waited when the wait starts
    (at once when ``waited``) and after each step. ``DatabaseBusy`` after ``limit`` seconds;
    ``LockCycle`` when the server found a cycle of waits.

    Each step runs inside a savepoint with a ``lock_timeout``, so a step that ends without the
    lock leaves the transaction as it was.
    """
    from royalty.store import db

    started = time.monotonic()
    if waited and waiting is not None:
        waiting(0.0)
    while True:
        left = limit - (time.monotonic() - started)
        if left <= 0:
            raise db.DatabaseBusy(limit)
        step = max(1, int(min(db.WAIT_REPORT_EVERY, left) * 1000))
        savepoint = conn.begin_nested()
        try:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {step}")
            run()
        except DBAPIError as exc:
            savepoint.rollback()
            code = getattr(exc.orig, "sqlstate", None)
            if code == DEADLOCK:
                raise LockCycle(str(exc.orig)) from exc
            if code != LOCK_NOT_AVAILABLE:
                raise
            if waiting is not None:
                waiting(time.monotonic() - started)
            waited = True
            continue
        conn.exec_driver_sql("SET LOCAL lock_timeout = DEFAULT")
        savepoint.commit()
        return
