"""The scratch data of SQLite loads: files beside the database, and what killed loads left.

The bulk writer (``royalty.store.bulk``) stages rows in scratch SQLite files that ADBC fills
from Arrow arrays. They live beside the database (``royalty-scratch/<pid>/``; in the temporary
folder for an in-memory database), not in the temporary folder, for two reasons: a full disk
is then the database's disk, which is the one the person has to free; and a process killed in
the middle of a load leaves its folder where the next load into the same database finds it,
so ``remove_leftovers`` can delete it once its process is gone. This module owns that folder:
where it is, one file in it, and the clean-up.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import BigInteger, Engine, Integer, Table

from royalty.background import Worker
from royalty.store.db import database_file
from royalty.store.diskfull import disk_full

SCRATCH_FOLDER = "royalty-scratch"
"""Folder of scratch data beside the database: one sub-folder per process, named by its pid."""
LEGACY_PREFIX = "royalty-load-"
"""Scratch folders of earlier versions, straight in the temporary folder."""
LEGACY_AGE = 24 * 3600
"""Seconds after which such a folder, no longer written, is a leftover."""


@dataclass
class Leftovers:
    """Scratch data of loads that never ended (a killed process), now removed."""

    folders: int
    size: int
    """Bytes."""
    where: Path


class ScratchFile:
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
            self.delete()
            if isinstance(exc, Exception):
                raise disk_full(exc, root) from exc
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
        data = arrow_table(table, rows)
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
            raise disk_full(exc, self.root) from exc

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

    def delete(self) -> None:
        """Its folder removed, and the folders above it once empty (best effort)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        _remove_if_empty(self.folder.parent)


def arrow_table(table: Table, rows: pd.DataFrame) -> pa.Table:
    """The rows as Arrow, as the drivers take them (PostgreSQL's ``COPY`` CSV is written from
    the same table)."""
    columns = list(rows.columns)
    arrays = [_arrow_array(rows[name], _arrow_type(table, name)) for name in columns]
    return pa.Table.from_arrays(arrays, names=columns)


def _arrow_array(values: pd.Series, kind: pa.DataType) -> pa.Array:
    """One column as Arrow: numpy integers as they are, without pandas' per-frame checks."""
    if kind == pa.int64() and values.dtype == np.int64:
        return pa.array(values.to_numpy(), type=kind)
    return pa.array(values, type=kind, from_pandas=True)


def _arrow_type(table: Table, name: str) -> pa.DataType:
    """Integers stay integers; everything else (exact amounts included) is text."""
    return pa.int64() if isinstance(table.c[name].type, Integer | BigInteger) else pa.string()


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
            raise disk_full(exc, root) from exc
    raise AssertionError("unreachable")


def _remove_if_empty(folder: Path) -> None:
    """This process's scratch folder, and the folder of all of them, once nothing is in them."""
    for empty in (folder, folder.parent):
        try:
            empty.rmdir()
        except OSError:
            return


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
