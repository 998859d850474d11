"""Many rows into the database inside one transaction, as fast as each backend allows.

On SQLite, most of a large load through ``executemany`` is Python handing values to the
driver one by one, while copying the same rows inside SQLite is cheap. So on SQLite rows are
first written to a scratch SQLite file by the ADBC driver, which binds them straight from
Arrow arrays in C (in a thread of its own that runs without the GIL while the caller prepares
the next batch), and ``flush`` copies them into
the real tables with one ``INSERT ... SELECT`` per table, inside the caller's transaction: the
load is still all or nothing, and the scratch file is deleted when the transaction ends.
Scratch files live beside the database, so that a full disk is the database's disk and what a
killed load left is found again (``royalty.store.scratch``); ``royalty.store.diskfull`` names
the disk that was full when a load failed.
PostgreSQL (psycopg) gets one ``COPY ... FROM STDIN`` per table kept open across batches
(``royalty.store.pgcopy``): the server stores one batch while the caller prepares the next.
The line and summary tables have no foreign keys there (``docs/scale.md``: a trigger per
row per key cost most of a load's time); the loader checks the ids it wrote once per load
(``royalty.store.references``). Any other driver gets ``executemany`` in batches.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Connection, Engine, Table
from sqlalchemy.exc import DBAPIError

from royalty.background import Worker
from royalty.store.db import lock_for_writing
from royalty.store.diskfull import DiskFull, database_full
from royalty.store.pgcopy import CopyStream
from royalty.store.scratch import ScratchFile, scratch_root

BATCH_ROWS = 50_000
"""Rows converted to Python values at a time by ``executemany``: bounds memory."""
SCRATCH = "royalty_scratch"
"""Prefix of the scratch databases attached while a load copies them."""
WRITERS = "royalty_writers"
"""Writers whose background copies use the connection (stopped when the transaction ends)."""
SEGMENT_ROWS = 200_000
"""Rows staged in the first scratch segments when the writer does not know what to expect."""
MIN_SEGMENT_ROWS = 25_000
"""Fewer rows are not worth a scratch file of their own."""
MAX_SEGMENTS = 8
"""Scratch files one transaction attaches at most; the last one takes whatever remains."""


@contextmanager
def bulk_transaction(
    engine: Engine,
    *,
    waiting: Callable[[float], None] | None = None,
    beside_imports: bool = False,
) -> Iterator[Connection]:
    """One transaction for a bulk load, without per-row foreign key lookups.

    The transaction starts by taking the write lock, waiting for a writer that holds it
    (``waiting`` is told, see ``db.lock_for_writing``). On PostgreSQL an import runs
    ``beside_imports``: other imports go on at the same time, and it locks each artist it
    writes (``db.lock_artists``) before reading what is stored for that artist.

    The loader takes every id from rows it has just read or inserted in this same transaction,
    so re-checking the foreign keys of each of a million lines and summaries only costs time:
    SQLite's are switched off for the load (the pragma is ignored inside a transaction, so it
    is set before the transaction begins and restored after it ends), and PostgreSQL's line
    and summary tables have none. Scratch files a ``Writer`` attached are detached and
    deleted once the transaction is over; a ``COPY`` still open is ended (or stopped, after
    an error) before it ends.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        full: DiskFull | None = None
        try:
            with conn.begin():
                lock_for_writing(conn, waiting, shared=beside_imports)
                failed: BaseException | None = None
                try:
                    yield conn
                except BaseException as exc:
                    failed = exc
                    raise
                finally:  # before the transaction ends, no copy may still use the connection
                    writers = conn.info.pop(WRITERS, [])
                    for writer in writers:
                        writer.copier.stop()
                        if failed is not None:
                            writer.abort(failed)
                    if failed is None:
                        for writer in writers:
                            writer.end_copy()
        except DBAPIError as exc:  # rolled back; which disk is full, before scratch data goes
            full = database_full(engine, exc)
            if full is None:
                raise
            raise full from exc
        except DiskFull as exc:  # writing scratch data
            full = exc
            raise
        finally:
            if sqlite:
                _end_sqlite_load(conn)
                if full is not None:
                    _give_back_room(conn)


def _end_sqlite_load(conn: Connection) -> None:
    """Scratch files detached and deleted (whatever fails), foreign keys checked again."""
    conn.rollback()
    detached = True
    for scratch in conn.info.pop(SCRATCH, []):
        scratch.discard()
        try:
            if scratch.alias:
                conn.exec_driver_sql(f"DETACH DATABASE {scratch.alias}")
        except DBAPIError:
            detached = False
        finally:
            scratch.delete()
    if not detached:  # still attached to a deleted file: the pool must not hand it out again
        conn.invalidate()
        return
    conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    conn.commit()


def _give_back_room(conn: Connection) -> None:
    """After a full disk: the write-ahead log the rolled-back load filled, truncated (SQLite
    would reuse it, but until then it holds the disk's room). Best effort."""
    with contextlib.suppress(Exception):
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.commit()


class Writer:
    """Appends DataFrames to tables in ``conn``'s transaction; ``flush`` before reading them.

    Call it inside ``bulk_transaction`` (which cleans up the SQLite scratch files).

    On SQLite a long load is staged in segments, each a scratch file of its own: once a segment
    is full and written, a background thread copies it into the real tables on ``conn`` (SQLite
    runs without the GIL), so copying overlaps with the rest of the load and ``flush`` is left
    with the last segment only. Whoever uses ``conn`` meanwhile calls ``wait`` first. SQLite attaches at most ten databases at once, and a
    file cannot be detached before the transaction ends, so segments are few: told how many
    rows to expect (``expect``), each segment takes half of what remains, so the last ones,
    copied at the end, are small; otherwise segments double in size.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.copying: CopyStream | None = None
        """PostgreSQL: the ``COPY`` appends go to, open until something else needs ``conn``."""
        self.scratch: ScratchFile | None = None
        self.full: deque[ScratchFile] = deque()
        """Segments no longer appended to and not yet copied, oldest first."""
        self.staged_rows = 0
        """Rows in the segments before the current one."""
        self.expected_rows: int | None = None
        self.copier = Worker("scratch-copier", backlog=MAX_SEGMENTS, inline=_one_thread(conn))
        """Copies full segments on ``conn`` while the caller goes on; ``wait`` before using it."""
        conn.info.setdefault(WRITERS, []).append(self)

    def append(self, table: Table, rows: pd.DataFrame) -> None:
        if rows.empty:
            return
        if not self.sqlite:
            if self.conn.dialect.driver == "psycopg":
                self._copy_in(table, rows)
            else:
                _executemany(self.conn, table, rows)
            return
        if self.scratch is None:
            self.scratch = ScratchFile(scratch_root(self.conn.engine))
            self.conn.info.setdefault(SCRATCH, []).append(self.scratch)
        self.scratch.append(table, rows)
        segments = len(self.conn.info[SCRATCH])
        if self.scratch.rows >= self._segment_rows() and segments < MAX_SEGMENTS:
            self.full.append(self.scratch)
            self.staged_rows += self.scratch.rows
            self.scratch = None
        while self.full and self.full[0].written():
            self.copier.submit(self._copy, self.full.popleft())

    def expect(self, rows: int | None) -> None:
        """About how many rows will be appended (a hint: any number may come)."""
        self.expected_rows = rows

    def _segment_rows(self) -> int:
        remaining = (self.expected_rows or 0) - self.staged_rows
        if remaining > 2 * MIN_SEGMENT_ROWS:
            return remaining // 2
        if self.expected_rows:
            return MIN_SEGMENT_ROWS
        return max(SEGMENT_ROWS, self.staged_rows)

    def wait(self) -> None:
        """Wait until no copy uses the connection (raising a copy's error): call it before
        using the connection yourself while rows are being appended."""
        self.end_copy()
        self.copier.join()

    def _copy_in(self, table: Table, rows: pd.DataFrame) -> None:
        columns = list(rows.columns)
        if self.copying is not None and not self.copying.takes(table, columns):
            self.end_copy()
        if self.copying is None:
            self.copying = CopyStream(self.conn, table, columns)
        self.copying.write(rows)

    def end_copy(self) -> None:
        """PostgreSQL: end the open ``COPY`` once the server has stored its rows."""
        copying, self.copying = self.copying, None
        if copying is not None:
            copying.end()

    def abort(self, error: BaseException) -> None:
        """Stop an open ``COPY`` after an error elsewhere (the transaction rolls back)."""
        copying, self.copying = self.copying, None
        if copying is not None:
            copying.abort(error)

    def seal(self) -> None:
        """Start copying everything appended so far, in the background (``flush`` waits)."""
        if self.scratch is not None:
            self.full.append(self.scratch)
            self.scratch = None
        while self.full:
            self.copier.submit(self._copy, self.full.popleft())

    def flush(self) -> None:
        """Copy what SQLite staged into the real tables (in the order it was appended); on
        PostgreSQL, end the open ``COPY``."""
        self.seal()
        self.wait()

    def _copy(self, scratch: ScratchFile) -> None:
        scratch.close()
        scratch.alias = f"{SCRATCH}_{self.conn.info[SCRATCH].index(scratch)}"
        self.conn.exec_driver_sql(f"ATTACH DATABASE ? AS {scratch.alias}", (str(scratch.path),))
        for name, columns in scratch.tables.items():
            listed = ", ".join(columns)
            self.conn.exec_driver_sql(
                f"INSERT INTO main.{name} ({listed}) SELECT {listed} FROM {scratch.alias}.{name} "
                "ORDER BY rowid"
            )


def _one_thread(conn: Connection) -> bool:
    """An in-memory SQLite database exists on one thread's connection only."""
    database = conn.engine.url.database or ""
    return database in ("", ":memory:") or "mode=memory" in str(conn.engine.url.query)


def _executemany(conn: Connection, table: Table, rows: pd.DataFrame) -> None:
    """executemany of plain tuples: the fastest path through a DB-API driver."""
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(rows.columns)}) "
        f"VALUES ({', '.join([marker] * len(rows.columns))})"
    )
    for start in range(0, len(rows), BATCH_ROWS):
        part = rows.iloc[start : start + BATCH_ROWS]
        columns = [_python_values(part[name]) for name in part.columns]
        conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _python_values(column: pd.Series) -> list[object]:
    """A column as the Python values the driver takes (None for missing, never NaN or NA)."""
    if column.dtype == np.int64:
        return column.to_numpy().tolist()
    return pa.array(column, from_pandas=True).to_pylist()
