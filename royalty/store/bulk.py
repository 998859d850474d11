"""Many rows into the database inside one transaction, as fast as each backend allows.

On SQLite, most of a large load through ``executemany`` is Python handing values to the
driver one by one, while copying the same rows inside SQLite is cheap. So on SQLite rows are
first written to a scratch SQLite file by the ADBC driver, which binds them straight from
Arrow arrays in C (in a thread of its own that runs without the GIL while the caller prepares
the next batch), and ``flush`` copies them into
the real tables with one ``INSERT ... SELECT`` per table, inside the caller's transaction: the
load is still all or nothing, and the scratch file is deleted when the transaction ends.
Scratch files live beside the database (``royalty-scratch/<pid>/``; in the temporary folder
for an in-memory database), so that what a killed process left behind is found and removed by
the next load (``remove_leftovers``), and a full disk is the database's disk.
PostgreSQL (psycopg) gets ``COPY ... FROM STDIN`` with CSV that pyarrow writes; any other
driver ``executemany`` in batches. (On PostgreSQL most of a load's time is its per-row foreign
key checks; ``benchmarks/import_benchmark.py`` gives the figures.)
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import BigInteger, Connection, Engine, Integer, Table
from sqlalchemy.exc import DBAPIError

from royalty.background import Worker
from royalty.store.db import database_file, lock_for_writing

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
SCRATCH_FOLDER = "royalty-scratch"
"""Folder of scratch data beside the database: one sub-folder per process, named by its pid."""
LEGACY_PREFIX = "royalty-load-"
"""Scratch folders of earlier versions, straight in the temporary folder."""
LEGACY_AGE = 24 * 3600
"""Seconds after which such a folder, no longer written, is a leftover."""


class DiskFull(OSError):
    """The disk holding ``path`` (the database, its scratch folder, SQLite's temporary folder;
    None: the database server's) had no room left, ``free`` bytes when it failed."""

    def __init__(self, path: Path | None, free: int | None = None) -> None:
        self.path, self.free = path, free
        where = "the database server" if path is None else str(path)
        super().__init__(errno.ENOSPC, "no space left on the disk", where)


@dataclass
class Leftovers:
    """Scratch data of loads that never ended (a killed process), now removed."""

    folders: int
    size: int
    """Bytes."""
    where: Path


@contextmanager
def bulk_transaction(
    engine: Engine, *, waiting: Callable[[float], None] | None = None
) -> Iterator[Connection]:
    """One transaction for a bulk load, without SQLite's per-row foreign key lookups.

    One load writes at a time: the transaction starts by taking the write lock, waiting for
    another load that holds it (``waiting`` is told, see ``db.lock_for_writing``).

    The loader takes every id from rows it has just read or inserted in this same transaction,
    so SQLite re-checking five foreign keys on each of a million lines and summaries only costs
    time. SQLite ignores the pragma inside a transaction, so it is set
    before the transaction begins and restored after it ends; PostgreSQL checks as always.
    Scratch files a ``Writer`` attached are detached and deleted once the transaction is over.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        full: DiskFull | None = None
        try:
            with conn.begin():
                lock_for_writing(conn, waiting)
                try:
                    yield conn
                finally:  # before the transaction ends, no copy may still use the connection
                    for writer in conn.info.pop(WRITERS, []):
                        writer.copier.stop()
        except DBAPIError as exc:  # rolled back; which disk is full, before scratch data goes
            full = _database_full(engine, exc)
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
            shutil.rmtree(scratch.folder, ignore_errors=True)
            _remove_if_empty(scratch.folder.parent)
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
        self.scratch: _Scratch | None = None
        self.full: deque[_Scratch] = deque()
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
                _copy_in(self.conn, table, rows)
            else:
                _executemany(self.conn, table, rows)
            return
        if self.scratch is None:
            self.scratch = _Scratch(scratch_root(self.conn.engine))
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
        self.copier.join()

    def seal(self) -> None:
        """Start copying everything appended so far, in the background (``flush`` waits)."""
        if self.scratch is not None:
            self.full.append(self.scratch)
            self.scratch = None
        while self.full:
            self.copier.submit(self._copy, self.full.popleft())

    def flush(self) -> None:
        """Copy what SQLite staged into the real tables (in the order it was appended)."""
        self.seal()
        self.copier.join()

    def _copy(self, scratch: _Scratch) -> None:
        scratch.close()
        scratch.alias = f"{SCRATCH}_{self.conn.info[SCRATCH].index(scratch)}"
        self.conn.exec_driver_sql(f"ATTACH DATABASE ? AS {scratch.alias}", (str(scratch.path),))
        for name, columns in scratch.tables.items():
            listed = ", ".join(columns)
            self.conn.exec_driver_sql(
                f"INSERT INTO main.{name} ({listed}) SELECT {listed} FROM {scratch.alias}.{name} "
                "ORDER BY rowid"
            )


class _Scratch:
    """A scratch SQLite file filled through ADBC, one table per target table.

    Batches are written in order by one background thread; ``close`` waits for them and
    raises the first error any of them met.
    """

    def __init__(self, root: Path) -> None:
        import adbc_driver_sqlite.dbapi as adbc

        self.root = root
        self.folder = _new_folder(root)
        self.path = self.folder / "rows.sqlite"
        self.adbc: adbc.Connection | None = None
        try:
            self.adbc = adbc.connect(str(self.path), autocommit=True)
            with self.adbc.cursor() as cursor:  # a scratch copy: no journal, no syncing to disk
                cursor.execute("PRAGMA journal_mode=OFF")
                cursor.execute("PRAGMA synchronous=OFF")
        except BaseException as exc:  # Ctrl-C too: nobody else knows of the folder yet
            if self.adbc is not None:
                self.adbc.close()
            shutil.rmtree(self.folder, ignore_errors=True)
            _remove_if_empty(self.folder.parent)
            if isinstance(exc, Exception):
                raise _full(exc, root) from exc
            raise
        self.tables: dict[str, list[str]] = {}
        self.alias: str | None = None
        """Its name while attached to the loading connection."""
        self.worker = Worker("scratch-writer")
        self.rows = 0

    def append(self, table: Table, rows: pd.DataFrame) -> None:
        columns = list(rows.columns)
        known = self.tables.setdefault(table.name, columns)
        if known != columns:
            raise ValueError(f"rows for {table.name} changed columns: {columns} != {known}")
        data = _arrow_table(table, rows)
        if self.adbc is None:
            raise ValueError("rows appended to a scratch file already copied")
        self.worker.submit(self._write, table.name, data)
        self.rows += len(rows)

    def written(self) -> bool:
        """Whether every batch appended so far is in the file (or failed: ``close`` says)."""
        return self.worker.idle()

    def _write(self, name: str, data: pa.Table) -> None:
        try:
            self._ingest(name, data)
        except Exception as exc:
            raise _full(exc, self.root) from exc

    def _ingest(self, name: str, data: pa.Table) -> None:
        if self.adbc is None:  # pragma: no cover - close() waits for every batch first
            raise ValueError("scratch file closed")
        with self.adbc.cursor() as cursor:
            cursor.adbc_ingest(name, data, mode="create_append")

    def close(self) -> None:
        """Wait until every batch is written (raising the first error), then close the file."""
        try:
            self.worker.join()
        finally:
            self.discard()

    def discard(self) -> None:
        """Stop writing (batches not started are dropped) and close; never raises."""
        self.worker.stop()
        if self.adbc is not None:
            self.adbc.close()
            self.adbc = None


def scratch_root(engine: Engine) -> Path:
    """Where loads into this database put their scratch data (one sub-folder per process)."""
    database = database_file(engine)
    base = database.parent if database is not None else Path(tempfile.gettempdir())
    return base / SCRATCH_FOLDER


def _new_folder(root: Path) -> Path:
    """A folder of its own for one scratch file, in this process's folder (made when needed;
    another thread's load may remove it when it finds it empty, hence the second try)."""
    mine = root / str(os.getpid())
    for tried in range(2):
        try:
            mine.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix="load-", dir=mine))
        except FileNotFoundError:
            if tried:
                raise
        except OSError as exc:
            raise _full(exc, root) from exc
    raise AssertionError("unreachable")


def _remove_if_empty(folder: Path) -> None:
    """This process's scratch folder, and the folder of all of them, once nothing is in them."""
    for empty in (folder, folder.parent):
        try:
            empty.rmdir()
        except OSError:
            return


def _database_full(engine: Engine, exc: DBAPIError) -> DiskFull | None:
    """``DiskFull`` when the database says a disk is full, else None. SQLite says "database or
    disk is full" both for the database's disk and for its temporary folder's (big statements
    spill there): the one with less room is the one."""
    if getattr(exc.orig, "sqlstate", None) == "53100":  # PostgreSQL's disk_full
        return DiskFull(None)
    text = str(exc.orig).lower()
    if "database or disk is full" not in text and "no space left on device" not in text:
        return None
    temporary = Path(tempfile.gettempdir())
    database = database_file(engine)
    places = [
        (free_bytes(p), p) for p in ([temporary] if database is None else [database, temporary])
    ]
    free, path = min(places, key=lambda place: -1 if place[0] is None else place[0])
    return DiskFull(path, free)


def free_bytes(path: Path) -> int | None:
    """Room left on the disk holding ``path`` (or its nearest existing folder)."""
    for folder in (path, *path.parents):
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            continue
    return None


def _full(exc: Exception, folder: Path) -> Exception:
    """``DiskFull`` when ``exc`` says the disk is full (an OSError, or SQLite's message through
    ADBC, whose own rollback then fails too as SQLite already rolled back); else ``exc``."""
    text = str(exc).lower()
    full = (
        (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT))
        or "database or disk is full" in text
        or "no space left on device" in text
        or "cannot rollback - no transaction is active" in text
    )
    return DiskFull(folder, free_bytes(folder)) if full else exc


def remove_leftovers(engine: Engine) -> Leftovers | None:
    """Remove scratch data left by loads into this database that never ended (their process
    was killed): every process folder whose process is gone, and scratch folders of earlier
    versions in the temporary folder not written for a day. None when there was nothing."""
    root = scratch_root(engine)
    found: list[Path] = []
    with contextlib.suppress(OSError):  # no such folder: nothing was ever left
        found += [p for p in root.iterdir() if p.is_dir() and not _process_alive(p.name)]
    now = time.time()
    for legacy in Path(tempfile.gettempdir()).glob(LEGACY_PREFIX + "*"):
        try:
            if legacy.is_dir() and now - _last_written(legacy) > LEGACY_AGE:
                found.append(legacy)
        except OSError:
            continue
    sizes = [_size(folder) for folder in found]
    for folder in found:
        shutil.rmtree(folder, ignore_errors=True)
    _remove_if_empty(root / str(os.getpid()))
    held = [(folder, size) for folder, size in zip(found, sizes, strict=True) if size is not None]
    if not held:  # empty folders only (killed before it wrote anything): not worth a word
        return None
    where = root if any(folder.parent == root for folder, _ in held) else held[0][0].parent
    return Leftovers(folders=len(held), size=sum(size for _, size in held), where=where)


def _process_alive(name: str) -> bool:
    """Whether the process a scratch folder is named after still runs (unsure: yes)."""
    if not name.isdigit():
        return True  # not ours to remove
    pid = int(name)
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no harmless signal 0 elsewhere: keep it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _last_written(folder: Path) -> float:
    return max([folder.stat().st_mtime, *(p.stat().st_mtime for p in folder.rglob("*"))])


def _size(folder: Path) -> int | None:
    """Bytes in the files under ``folder``; None when it holds no file at all."""
    sizes = []
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                sizes.append(path.stat().st_size)
    return sum(sizes) if sizes else None


def _one_thread(conn: Connection) -> bool:
    """An in-memory SQLite database exists on one thread's connection only."""
    database = conn.engine.url.database or ""
    return database in ("", ":memory:") or "mode=memory" in str(conn.engine.url.query)


def _arrow_type(table: Table, name: str) -> pa.DataType:
    """Integers stay integers; everything else (exact amounts included) is text."""
    return pa.int64() if isinstance(table.c[name].type, Integer | BigInteger) else pa.string()


def _arrow_table(table: Table, rows: pd.DataFrame) -> pa.Table:
    schema = pa.schema([(name, _arrow_type(table, name)) for name in rows.columns])
    return pa.Table.from_pandas(rows, schema=schema, preserve_index=False)


def _copy_in(conn: Connection, table: Table, rows: pd.DataFrame) -> None:
    """PostgreSQL's ``COPY ... FROM STDIN`` of the rows as CSV, inside the caller's transaction.

    pyarrow writes the CSV in C: text always quoted (``""`` is an empty string), missing values
    as nothing at all, which ``COPY`` reads as NULL; much faster than executemany.
    """
    data = io.BytesIO()
    pa_csv.write_csv(_arrow_table(table, rows), data, pa_csv.WriteOptions(include_header=False))
    sql = f"COPY {table.name} ({', '.join(rows.columns)}) FROM STDIN WITH (FORMAT csv)"
    with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(data.getbuffer())


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
