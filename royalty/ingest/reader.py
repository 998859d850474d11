"""Bytes of a statement -> the tables in it, whatever container holds them.

The container is decided here, before any layout is known: a ZIP archive's members are each
opened as a statement of their own (what they may unpack to is measured first by ``archive``;
macOS metadata, hidden files and other suffixes are noted as skipped, so the result can say
so), a workbook (XLSX, XLS) is read by ``spreadsheet``, anything else is a delimited text table
(``delimited``). ``Source``, ``Table`` and ``Tables`` are what every one of those readers
takes and gives.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

import pandas as pd

from royalty.errors import StatementError
from royalty.ingest import archive

CHUNK_ROWS = 50_000
"""Rows read (and normalized and stored) at a time: bounds memory; larger chunks cost memory
without saving time (``benchmarks/import_benchmark.py`` measures both)."""
SNIFF_BYTES = 256 * 1024


@dataclass
class Source:
    """A statement's bytes, in memory (browser upload) or on disk (command line)."""

    name: str
    opener: Callable[[], BinaryIO]
    size: int

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Source:
        return cls(name=name, opener=lambda: io.BytesIO(data), size=len(data))

    @classmethod
    def from_path(cls, path: str | PurePath, name: str | None = None) -> Source:
        import os

        p = str(path)
        return cls(
            name=name or os.path.basename(p), opener=lambda: open(p, "rb"), size=os.path.getsize(p)
        )

    def head(self, n: int = SNIFF_BYTES) -> bytes:
        with self.opener() as f:
            return f.read(n)


@dataclass
class Table:
    """One table found in a source: its header, where it starts, and how to read its rows."""

    name: str
    header: list[str]
    header_row: int
    encoding: str
    delimiter: str
    chunks: Callable[..., Iterator[pd.DataFrame]]
    """``chunks()`` yields frames of text rows, each indexed by its row in the file (the line,
    or the sheet's row, blank ones counted); ``chunks(careful=True)`` reads a text file with
    the slower reader that accepts padded rows (see ``delimited.IrregularRows``);
    ``chunks(columns={...})`` may leave out the other columns (a text table's fast reader
    does: a second pass over a file, such as a layout's ``scan``, parses what it reads)."""
    rows_hint: int | None = None
    """About how many rows the table has (from the size of its first rows): for planning."""
    preamble: tuple[tuple[str, ...], ...] = ()
    """The rows above the header, split into cells as the header is (``FileFacts.preamble``)."""


class Tables(list):
    """The tables found in a source, with ``notes``: what of it was skipped, and why (an
    archive's members that are no statements), so that the result can say so."""

    def __init__(self, tables: Iterator[Table] | list[Table] = (), notes: list[str] | None = None):
        super().__init__(tables)
        self.notes: list[str] = list(notes or [])

    def skipped(self, shown: int = 10) -> str:
        """``'readme.pdf (not a CSV, ...), __MACOSX/._a.csv (macOS metadata)'``."""
        text = ", ".join(self.notes[:shown])
        more = len(self.notes) - shown
        return text + (f" and {more:,} more" if more > 0 else "")


def distinct_columns(name: str, header: list[str], used: Iterable[str]) -> None:
    """Each column a layout reads is named once in the header (ignoring case, as layouts match
    names): with two, which one holds the amount is anyone's guess."""
    for column in dict.fromkeys(used):
        places = [i + 1 for i, cell in enumerate(header) if cell.lower() == column.lower()]
        if len(places) > 1:
            many = "two" if len(places) == 2 else f"{len(places)}"
            where = ", ".join(map(str, places[:-1])) + f" and {places[-1]}"
            raise StatementError(
                name,
                f"has {many} columns named {column!r} (columns {where}); rename or remove the "
                f"extra {'one' if len(places) == 2 else 'ones'} and import it again",
            )


# --- entry point -------------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
MEMBER_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".zip")


def _skipped_because(name: str) -> str | None:
    """Why an archive member is not read, or ``None`` when it is. Names are read as paths with
    either slash (``..\\..\\x.csv`` is ``x.csv``); members are never written to disk by them."""
    parts = name.replace("\\", "/").split("/")
    base = parts[-1]
    if "__MACOSX" in parts or base.startswith("._"):
        return "macOS metadata"
    if base.startswith(".") and base not in (".", ".."):
        return "a hidden file"
    if not base.lower().endswith(MEMBER_SUFFIXES):
        return "not a CSV, TSV, TXT, XLSX or ZIP file"
    return None


Headerless = Callable[[list[str]], list[str] | None]
"""A text file's first row -> the names of its columns, for layouts whose files have no header
row (``Layout.headerless``); None when no layout writes such a row."""
Known = tuple[Callable[[list[str]], bool], Headerless | None]
"""What the layouts recognize: a header row, and the first row of a file without one."""


def open_tables(
    source: Source,
    is_header: Callable[[list[str]], bool],
    headerless: Headerless | None = None,
) -> Tables:
    """All tables in a source whose header a known layout recognizes, or (``headerless``) whose
    first row one does when no row of a text file is a header.

    Raises ``StatementError`` for empty, binary, damaged or oversized files; returns no tables
    when the file is readable but no table in it is in a known layout. ``Tables.notes`` names
    the members of an archive that were skipped, and why.
    """
    tables = Tables()
    _open(source, (is_header, headerless), tables, archive.Budget(), source.name, 0)
    return tables


def _open(
    source: Source,
    known: Known,
    out: Tables,
    budget: archive.Budget,
    top: str,
    depth: int,
) -> bool:
    """``open_tables`` for a source ``depth`` archives deep inside the file named ``top``.
    True when it was an archive (whose members are then each imported or noted as skipped)."""
    is_header, headerless = known
    if source.size == 0:
        raise StatementError(source.name, "is empty (0 bytes)")
    head = source.head(8)
    lower = source.name.lower()
    if head.startswith(ZIP_MAGIC) or lower.endswith((".xlsx", ".xlsm", ".zip")):
        return _open_zip(source, known, out, budget, top, depth)
    if head.startswith(OLE_MAGIC) or lower.endswith((".xls", ".ods")):
        from royalty.ingest import spreadsheet  # only when a workbook comes (and no cycle)

        out.extend(spreadsheet.tables(source, is_header, budget))
        return False
    from royalty.ingest import delimited  # here, not above: it imports ``Table`` from here

    table = delimited.text_table(source, is_header, headerless)
    if table:
        out.append(table)
    return False


def _open_zip(
    source: Source,
    known: Known,
    out: Tables,
    budget: archive.Budget,
    top: str,
    depth: int,
) -> bool:
    lower = source.name.lower()
    kind = "spreadsheet" if lower.endswith((".xlsx", ".xlsm")) else "ZIP archive"
    with source.opener() as f, archive.open_zip(source.name, f, source.size, kind) as zf:
        infos = zf.infolist()
        workbook = any(i.filename.startswith("xl/") for i in infos)
        if not workbook:
            if lower.endswith((".ods", ".odt")) and any(i.filename == "content.xml" for i in infos):
                raise StatementError(
                    source.name, "is an OpenDocument file; save it as XLSX or CSV and import that"
                )
            if depth >= archive.MAX_NESTING:
                raise StatementError(
                    source.name,
                    f"is a ZIP archive inside {'another' if depth == 1 else f'{depth} others'}; "
                    f"this app reads archives at most {archive.MAX_NESTING} deep. Unzip the "
                    "outer ones first",
                )
            _read_members(source, zf, known, out, budget, top, depth)
    if workbook:
        from royalty.ingest import spreadsheet

        out.extend(spreadsheet.tables(source, known[0], budget))
    return not workbook


def _read_members(
    source: Source,
    zf: zipfile.ZipFile,
    known: Known,
    out: Tables,
    budget: archive.Budget,
    top: str,
    depth: int,
) -> None:
    """Each member of an archive read as a statement of its own, or noted as skipped."""
    archive.count_members(source.name, zf, budget)
    members = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        label = f"{source.name} › {info.filename}"
        why = _skipped_because(info.filename)
        if why:
            out.notes.append(f"{_within(label, top)} ({why})")
        else:
            members.append((label, info))
    if not members:
        raise StatementError(source.name, "is a ZIP archive with no CSV, TSV, TXT or XLSX inside")
    archive.check_members(source.name, source.size, members, budget)
    for label, info in members:
        spool = archive.unpack(zf, info, label, budget)
        found = len(out)
        was_archive = _open(
            Source(label, spool.open, spool.size), known, out, budget, top, depth + 1
        )
        if len(out) == found and not was_archive:
            out.notes.append(f"{_within(label, top)} (not in a statement layout this app knows)")


def _within(label: str, top: str) -> str:
    """A member's label without the name of the file it came in (the message names that)."""
    return label[len(top) + 3 :] if label.startswith(f"{top} › ") else label
