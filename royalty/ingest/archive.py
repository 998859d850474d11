"""Limits on what a container may unpack to, checked before anything is unpacked.

Why this module exists: a container's size says nothing about what is inside it, and the upload
limit only sees the outside. A 2 MB ZIP can hold gigabytes of blank lines; a 2 KB workbook with
one cell at XFD1048576 makes calamine (the Rust reader behind python-calamine) allocate the
whole 17-billion-cell grid, and the process aborts, which no ``except`` can catch; an archive
can hold ten thousand members, or itself nested a thousand deep. So every container is measured
here first, and each problem is a ``StatementError`` naming the file, never a crash:

* **ZIP archives**: the end-of-directory record (member count, directory size) is read before
  ``zipfile`` builds its member list; then, from the directory, password protection, the
  compression method, the total unpacked size and the packing ratio; then, while each member is
  unpacked, the same limits on the bytes really produced and the member's checksum (declared
  sizes can lie). Members are unpacked once, into memory when small, else into an anonymous
  temporary file (``tempfile.TemporaryFile``: no name on disk, so nothing is left behind even
  on ``kill -9``), read by independent ``os.pread`` readers. Archives inside archives are read
  two levels deep, all levels sharing one budget.
* **Workbooks**: an XLSX is measured by ``workbooks`` with the same budget and the checks here;
  an XLS is read in a child process with limits (``xls``).
"""

from __future__ import annotations

import errno
import io
import os
import struct
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from royalty.errors import StatementError
from royalty.formatting import size_text

MAX_MEMBERS = 1_000
"""Files one import may unpack, all archive levels together. A year of monthly statements per
distributor is a few dozen; 10,000 tiny members took four minutes to import."""
MAX_DIRECTORY_BYTES = 4 << 20
"""Size of an archive's list of contents: room for 1,000 members with long names, and a bound
on what ``zipfile`` parses (its member list costs about 400 bytes per entry)."""
MAX_UNPACKED_BYTES = 2_000_000_000
"""Bytes one import may unpack, all levels together: 15 million rows of the widest DistroKid
export. Larger exports import from the unzipped files, which are streamed, never unpacked."""
MAX_RATIO = 100
"""How many times smaller a member may be packed (once it unpacks to more than ``RATIO_FLOOR``).
Statements pack 6-15 to 1 (a 1M-row DistroKid TSV: 6.6 to 1, an XLSX sheet: 12 to 1); a bomb
of blank lines packs 1,000 to 1. Apache POI refuses workbooks past the same ratio."""
RATIO_FLOOR = 10_000_000
"""Below this a member is never refused for its ratio: small files of repeated rows pack well."""
MAX_NESTING = 2
"""ZIP archives read one inside the other: an archive of zipped months is read, one more level
is refused rather than followed (each level is a new budget of work for a few bytes)."""
MAX_COLUMNS = 1_000
"""Columns of a sheet or cells of a text row. The widest statement layout has 52."""

SPOOL_IN_MEMORY = 16 << 20
"""A member up to this size is kept in memory (``IN_MEMORY_TOTAL`` for all of them)..."""
IN_MEMORY_TOTAL = 64 << 20
"""...larger ones, or once the members kept add up to this, go to an anonymous temporary file."""
BLOCK = 1 << 20


@dataclass
class Budget:
    """What one import has unpacked so far, across every archive level."""

    members: int = 0
    unpacked: int = 0
    in_memory: int = 0


def too_large(label: str, size: int, before: int = 0) -> StatementError:
    """``size``: what this archive unpacks; ``before``: what the import unpacked before it."""
    what = (
        f"brings what this import unpacks to {size_text(before + size)}"
        if before
        else f"unpacks to {size_text(size)}"
    )
    return StatementError(
        label,
        f"{what}; this app unpacks at most {size_text(MAX_UNPACKED_BYTES)} from one file. "
        "Unzip it and import the files inside (royalty import FOLDER)",
    )


def _bomb(label: str, unpacked: int, packed: int) -> StatementError:
    return StatementError(
        label,
        f"unpacks to {size_text(unpacked)} from {size_text(packed)} "
        f"({unpacked / max(packed, 1):,.0f} to 1); statements pack at most about {MAX_RATIO} to 1, "
        "so this is refused as a ZIP bomb",
    )


def damaged(label: str, why: str) -> StatementError:
    return StatementError(label, f"is damaged ({why})")


# --- ZIP directories ---------------------------------------------------------------------------

_END = struct.Struct("<4s4H2LH")
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def _directory_size(f: BinaryIO, size: int) -> tuple[int, int] | None:
    """(members, bytes of the directory) from the end record, as ``zipfile`` will read them;
    ``None`` when there is no end record (``zipfile`` then says the archive is damaged)."""
    start = max(0, size - _END.size - 0xFFFF)
    f.seek(start)
    tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        return None
    *_, members, directory, offset, _ = _END.unpack_from(tail, at)
    if members == 0xFFFF or 0xFFFFFFFF in (directory, offset):  # ZIP64: the real ones follow
        here = start + at - _END64_LOCATOR.size
        if here >= 0:
            f.seek(here)
            locator = f.read(_END64_LOCATOR.size)
            if len(locator) == _END64_LOCATOR.size and locator[:4] == b"PK\x06\x07":
                f.seek(_END64_LOCATOR.unpack(locator)[2])
                record = f.read(_END64.size)
                if len(record) == _END64.size and record[:4] == b"PK\x06\x06":
                    members, directory = _END64.unpack(record)[7:9]
    return members, directory


def _too_many(label: str, members: int) -> StatementError:
    return StatementError(
        label,
        f"holds {members:,} files; this app reads at most {MAX_MEMBERS:,} from one archive. "
        "Unzip it and import the folder (royalty import FOLDER)",
    )


@contextmanager
def open_zip(label: str, f: BinaryIO, size: int, kind: str) -> Iterator[zipfile.ZipFile]:
    """``zipfile.ZipFile`` over ``f``, once its end record shows a list of contents of a sane
    size (``zipfile`` reads all of it into objects of about 400 bytes per member first).

    Raises ``StatementError`` for a damaged archive or one of more than ``MAX_MEMBERS``."""
    found = _directory_size(f, size)
    if found is not None:
        members, directory = found
        if members > MAX_MEMBERS:
            raise _too_many(label, members)
        if directory > MAX_DIRECTORY_BYTES:
            raise StatementError(
                label,
                f"has a list of contents of {size_text(directory)}; this app reads archives of "
                f"at most {MAX_MEMBERS:,} files",
            )
    f.seek(0)
    try:
        archive = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error,
            NotImplementedError) as exc:  # fmt: skip
        raise StatementError(
            label, f"is a damaged or truncated {kind} and cannot be opened"
        ) from exc
    with archive:
        if len(archive.infolist()) > MAX_MEMBERS:
            raise _too_many(label, len(archive.infolist()))
        yield archive


def count_members(label: str, archive: zipfile.ZipFile, budget: Budget) -> None:
    """An archive's members, counted against the import's budget (all levels together)."""
    budget.members += len(archive.infolist())
    if budget.members > MAX_MEMBERS:
        raise StatementError(
            label,
            f"brings the files in this import to {budget.members:,}; this app reads at most "
            f"{MAX_MEMBERS:,} from one file. Unzip it and import the folder (royalty import "
            "FOLDER)",
        )


def check_members(
    label: str, size: int, members: list[tuple[str, zipfile.ZipInfo]], budget: Budget
) -> None:
    """What the directory says about the members to be read, before any is: password, method,
    sizes and ratios. ``members`` pairs each member's label with its entry."""
    total = 0
    for member_label, info in members:
        if info.flag_bits & 0x1:
            raise StatementError(member_label, "is password-protected; unzip it first")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            method = zipfile.compressor_names.get(info.compress_type, str(info.compress_type))
            raise StatementError(
                member_label,
                f"is compressed with a method this app does not read ({method}); unzip it, or "
                "zip it again with ordinary compression",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
            raise _bomb(member_label, info.file_size, info.compress_size)
        total += info.file_size
    if budget.unpacked + total > MAX_UNPACKED_BYTES:
        raise too_large(label, total, budget.unpacked)
    if total > RATIO_FLOOR and total > MAX_RATIO * size:
        raise _bomb(label, total, size)


# --- unpacking a member ------------------------------------------------------------------------


class _PRead(io.RawIOBase):
    """A reader of its own over a shared file descriptor: ``os.pread`` has no file position, so
    any number of readers (the header sniff, pyarrow, pandas) never disturb each other."""

    def __init__(self, fd: int, size: int, lock: threading.Lock) -> None:
        self._fd, self._size, self._pos, self._lock = fd, size, 0, lock

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = min(len(buffer), self._size - self._pos)
        if n <= 0:
            return 0
        if hasattr(os, "pread"):
            data = os.pread(self._fd, n, self._pos)
        else:  # pragma: no cover - platforms without pread share one position, so take turns
            with self._lock:
                os.lseek(self._fd, self._pos, os.SEEK_SET)
                data = os.read(self._fd, n)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


class Spool:
    """Bytes written once, then read by independent readers: in memory up to ``limit``, else in
    an anonymous temporary file (deleted when the last reader and this object are gone)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._memory: bytearray | None = bytearray()
        self._data = b""
        self._file: BinaryIO | None = None
        self._lock = threading.Lock()

    @property
    def in_memory(self) -> bool:
        return self._file is None

    def write(self, block: bytes) -> None:
        if self._file is None and self.size + len(block) > self.limit:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the spool
            self._file.write(self._memory or b"")
            self._memory = None
        if self._file is not None:
            self._file.write(block)
        else:
            assert self._memory is not None
            self._memory += block
        self.size += len(block)

    def finish(self) -> None:
        if self._file is not None:
            self._file.flush()
        else:
            self._data, self._memory = bytes(self._memory or b""), None

    def open(self) -> BinaryIO:
        if self._file is None:
            return io.BytesIO(self._data)
        raw = _PRead(self._file.fileno(), self.size, self._lock)
        return io.BufferedReader(raw, buffer_size=BLOCK)  # type: ignore[return-value]


def unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, budget: Budget) -> Spool:
    """One member's bytes, checked while they are produced: never more than its declared size
    or the import's budget, and its checksum (``zipfile`` compares it at the end)."""
    spool = Spool(min(SPOOL_IN_MEMORY, max(0, IN_MEMORY_TOTAL - budget.in_memory)))
    try:
        with archive.open(info) as member:
            while block := member.read(BLOCK):
                if spool.size + len(block) > info.file_size:
                    raise damaged(label, "it unpacks to more than its stated size")
                budget.unpacked += len(block)
                if budget.unpacked > MAX_UNPACKED_BYTES:
                    raise too_large(
                        label, spool.size + len(block), budget.unpacked - spool.size - len(block)
                    )
                spool.write(block)
    except zipfile.BadZipFile as exc:
        if "CRC" in str(exc):
            raise damaged(label, "its checksum does not match") from exc
        raise damaged(label, "its entry in the archive is inconsistent") from exc
    except (zlib.error, EOFError) as exc:
        raise damaged(label, "its compressed data is corrupt or cut short") from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StatementError(label, "cannot be unpacked: the disk is full") from exc
        raise
    if spool.size != info.file_size:
        raise damaged(label, "it unpacks to less than its stated size")
    spool.finish()
    if spool.in_memory:
        budget.in_memory += spool.size
    return spool
