"""Which disk was full when a load failed, and how much room it had left.

A full disk is the one failure of a load the person can fix themselves, so the message has to
name the right disk. The database, its scratch folder and SQLite's temporary folder (where
big statements spill) may each be on a disk of their own, and SQLite says "database or disk is
full" for all of them; ADBC, writing scratch data, words it differently again. This module
turns each of those errors into one ``DiskFull`` naming the disk.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from royalty.store.db import database_file


class DiskFull(OSError):
    """The disk holding ``path`` (the database, its scratch folder, SQLite's temporary folder;
    None: the database server's) had no room left, ``free`` bytes when it failed."""

    def __init__(self, path: Path | None, free: int | None = None) -> None:
        self.path, self.free = path, free
        where = "the database server" if path is None else str(path)
        super().__init__(errno.ENOSPC, "no space left on the disk", where)


def database_full(engine: Engine, exc: DBAPIError) -> DiskFull | None:
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
    device = _device(temporary)
    if database is not None and device is not None and _device(database) == device:
        # one disk: it is the database's (two readings of its free room, taken a moment
        # apart while other programs write, would name whichever was read last)
        return DiskFull(database, free_bytes(database))
    places = [
        (free_bytes(p), p) for p in ([temporary] if database is None else [database, temporary])
    ]
    free, path = min(places, key=lambda place: -1 if place[0] is None else place[0])
    return DiskFull(path, free)


def _device(path: Path) -> int | None:
    """The device of the disk holding ``path`` (or its nearest existing folder)."""
    for folder in (path, *path.parents):
        try:
            return os.stat(folder).st_dev
        except OSError:
            continue
    return None


def free_bytes(path: Path) -> int | None:
    """Room left on the disk holding ``path`` (or its nearest existing folder)."""
    for folder in (path, *path.parents):
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            continue
    return None


def disk_full(exc: Exception, folder: Path) -> Exception:
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
