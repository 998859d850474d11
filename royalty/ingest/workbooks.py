"""Limits on what an XLSX workbook makes its reader allocate, checked before it is read.

Why this module exists: a 2 KB workbook with one cell at XFD1048576 makes calamine (the Rust
reader behind python-calamine) allocate the whole 17-billion-cell grid, and the process aborts,
which no ``except`` can catch. So after the directory checks of ``archive`` (with the same
budget), every part of an XLSX is inflated here, trusting neither its declared size nor its
checksum, and each worksheet's XML is scanned for the cells calamine would place: rows x columns
of the grid it allocates must stay within a cell budget (``MAX_CELLS``, which ``xls`` keeps for
XLS workbooks too).
"""

from __future__ import annotations

import html
import operator
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from royalty.errors import StatementError
from royalty.formatting import size_text
from royalty.ingest import archive as containers

MAX_XML_BYTES = 1_000_000_000
"""One part of a workbook: a sheet of ``MAX_CELLS`` cells as Excel writes it is about this."""
MAX_CELLS = 25_000_000
"""Cells of the grid calamine allocates for a sheet (rows x columns from A1 to the farthest
cell), at 32 bytes each plus the text: about 2.5 GB of memory for a full sheet of text. A full
Excel sheet (1,048,576 rows) of 23 columns fits."""


SHEET_PARTS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/", "xl/macrosheets/")


def raw_blocks(f: BinaryIO, info: zipfile.ZipInfo, label: str) -> Iterator[bytes]:
    """A workbook part inflated here, as calamine's own unzipping would: from its compressed
    bytes, whatever size the directory declares. More bytes than declared, fewer, or a wrong
    checksum: damaged."""
    f.seek(info.header_offset)
    local = f.read(containers.LOCAL_HEADER.size)
    if len(local) != containers.LOCAL_HEADER.size or local[:4] != b"PK\x03\x04":
        raise containers.damaged(label, f"its part {info.filename} cannot be found")
    name_length, extra_length = containers.LOCAL_HEADER.unpack(local)[-2:]
    f.seek(info.header_offset + containers.LOCAL_HEADER.size + name_length + extra_length)
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, produced, crc = info.compress_size, 0, 0
    try:
        while left > 0 and not (inflate is not None and inflate.eof):
            data = f.read(min(left, containers.BLOCK))
            if not data:
                raise containers.damaged(label, f"its part {info.filename} is cut short")
            left -= len(data)
            while data:  # at most BLOCK bytes out at a time, however well it packs
                if inflate is None:
                    piece, rest = data, b""
                else:
                    piece = inflate.decompress(data, containers.BLOCK)
                    rest = b"" if inflate.eof else inflate.unconsumed_tail
                    if not piece and len(rest) == len(data):
                        raise containers.damaged(label, f"its part {info.filename} is corrupt")
                data = rest
                produced += len(piece)
                if produced > info.file_size:
                    raise containers.damaged(
                        label, f"its part {info.filename} unpacks to more than its stated size"
                    )
                crc = zlib.crc32(piece, crc)
                if piece:
                    yield piece
    except zlib.error as exc:
        raise containers.damaged(label, f"its part {info.filename} is corrupt") from exc
    if produced != info.file_size:
        raise containers.damaged(
            label, f"its part {info.filename} unpacks to less than its stated size"
        )
    if crc != info.CRC:
        raise containers.damaged(label, "its checksum does not match")


_COLUMN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def column_letters(column: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = _COLUMN_LETTERS[rest] + letters
    return letters


def column_number(letters: bytes) -> int:
    number = 0
    for c in letters:
        number = number * 26 + (c - 64)
    return number


def greater(value: str, alphabet: str) -> str:
    """A regex for numerals over ``alphabet`` (its symbols in ascending order; numerals over
    digits do not start with 0) greater than ``value``: longer ones, or as long and greater at
    the first symbol that differs. Nested, so that the regex engine gives up on the first
    symbol of a smaller numeral rather than trying every alternative."""
    low, high = alphabet[0], alphabet[-1]
    first = alphabet[1] if low == "0" else low

    def same_length(i: int) -> str | None:
        if i == len(value):
            return None
        options = []
        if value[i] != high:
            rest = len(value) - i - 1
            options.append(
                f"[{alphabet[alphabet.index(value[i]) + 1]}-{high}]"
                + (f"[{low}-{high}]{{{rest}}}" if rest else "")
            )
        deeper = same_length(i + 1)
        if deeper:
            options.append(re.escape(value[i]) + deeper)
        if not options:
            return None
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    longer = f"[{first}-{high}][{low}-{high}]{{{len(value)},}}"
    same = same_length(0)
    return f"(?:{longer}|{same})" if same else longer


_UNREFERENCED = re.compile(rb'<c(?:[>/\t\n\r]| (?!r="))')
"""A cell tag that does not start with its reference ``r="..."``."""
_PREFIXED = re.compile(rb":c[ >/\t\n\r]")
"""A cell tag with a namespace prefix (``<x:c``)."""
_ROW_NUMBERS = re.compile(rb'<row r="([0-9]{1,12})"')
_TAG = re.compile(
    rb"</(?:[A-Za-z_][\w.\-]*:)?(row)\s*>"
    rb"|<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
)
_R = re.compile(rb"(?:^|\s)r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"([A-Z]+)([0-9]+)")


_LONGEST_TAG = 1 << 20


@dataclass
class Extent:
    """How far a sheet's cells reach (1-based), and a cell that reaches each way."""

    rows: int = 0
    columns: int = 0
    row_ref: str = ""
    column_ref: str = ""
    ordered: bool = False
    """Every cell says where it is and every row tag is numbered, in ascending order (found
    by the fast scan): what a reader of only the first rows relies on."""

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def within_limits(self) -> bool:
        return self.columns <= containers.MAX_COLUMNS and self.cells <= MAX_CELLS

    def place(self, row: int, column: int) -> None:
        if row > self.rows:
            self.rows, self.row_ref = row, f"{column_letters(column)}{row}"
        if column > self.columns:
            self.columns, self.column_ref = column, f"{column_letters(column)}{row}"


Watcher = Callable[[bytes, "Extent"], None]  # a piece of XML the fast scan passed; extent so far
_PIECE_BYTES = 1 << 20  # XML scanned at a time: a few regex compilations each; one that fits
# the cache is scanned faster by the checks, the copies and the checksum that each read it


def _joined(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """Blocks joined into pieces of about ``_PIECE_BYTES``."""
    parts: list[bytes] = []
    for block in blocks:
        parts.append(block)
        if sum(map(len, parts)) >= _PIECE_BYTES:
            yield b"".join(parts)
            parts = []
    if parts:
        yield b"".join(parts)


def pieces(blocks: Iterator[bytes], exact: bool, label: str) -> Iterator[bytes]:
    """Blocks cut at their last ``<``, so that no tag is split between two pieces."""
    carry = b""
    for block in blocks if exact else _joined(blocks):
        data = carry + block
        cut = data.rfind(b"<")
        if cut < 0:  # no tag starts in it (``carry`` always starts with one)
            cut = len(data)
        if len(data) - cut > _LONGEST_TAG:
            if exact:
                raise StatementError(
                    label, "has an XML element longer than 1 MB; it is not a statement"
                )
            cut = len(data)
        carry = data[cut:]
        if cut:
            yield data[:cut]
    if carry:
        yield carry


class _Positional(Exception):
    """A sheet places cells by their order (no ``r="A1"`` first in each cell): scan exactly."""


def _fast_extent(blocks: Iterator[bytes], label: str, seen: Watcher | None = None) -> Extent:
    """An upper bound of the extent when every cell starts ``<c r="A1"``, as Excel and the
    common writers have it: searches that match only a cell tag without that start, or a cell
    farther right or lower than any seen so far, so that there is no Python work per cell.
    ``seen`` is given each piece of the XML once it is scanned, with the extent so far."""
    extent = Extent(ordered=True)
    farthest_row, strays = 0, 0
    for piece in pieces(blocks, False, label):
        # each a search for its literal start (``<c``, ``:c``), which the regex engine finds
        # faster than counting or ``in`` finds the same bytes
        if _UNREFERENCED.search(piece) or _PREFIXED.search(piece):
            raise _Positional
        rows = _ROW_NUMBERS.findall(piece)
        if rows:
            numbers = [farthest_row, *map(int, rows)]
            if extent.ordered and not all(map(operator.lt, numbers, numbers[1:])):
                extent.ordered = False
            farthest_row = max(numbers)
        at = 0  # each match is a cell farther right, or lower, than any before
        while found := re.compile(
            rb'<c r="(?:' + greater(column_letters(extent.columns), _COLUMN_LETTERS).encode()
            + rb"[0-9]|[A-Z]+0*" + greater(str(farthest_row), "0123456789").encode()
            + rb"(?![0-9]))"
        ).search(piece, at):  # fmt: skip
            ref = _REF.match(piece, found.start() + 6)
            assert ref is not None
            at = found.end()
            column, row = column_number(ref.group(1)), int(ref.group(2))
            if column > extent.columns:
                extent.columns = column
                if extent.columns > containers.MAX_COLUMNS:
                    return extent
            if row > farthest_row:  # below every row tag so far: rare; many, and scan exactly
                farthest_row = row
                strays += 1
                extent.ordered = False
                if strays > 64:
                    raise _Positional
        extent.rows = farthest_row
        if seen is not None:
            seen(piece, extent)
    return extent


def _exact_extent(blocks: Iterator[bytes], label: str) -> Extent:
    """Every ``<row>`` and ``<c>`` tag, placed the way calamine places cells: by ``r`` when it
    has one, else after the cell before it; self-closing cells hold nothing and are skipped."""
    extent = Extent()
    row, column = 0, 0  # 0-based, as calamine counts
    for piece in pieces(blocks, True, label):
        for tag in _TAG.finditer(piece):
            if tag.group(1):  # </row>
                row, column = row + 1, 0
                continue
            attributes = tag.group(3)
            if attributes.rstrip().endswith(b"/"):
                continue
            r = _R.search(attributes)
            ref = (r.group(1) if r.group(1) is not None else r.group(2)) if r else None
            if tag.group(2) == b"row":
                if ref and ref.isdigit():
                    row = int(ref) - 1
                continue
            place = _REF.fullmatch(ref) if ref else None
            if place:
                row_at, column_at = int(place.group(2)) - 1, column_number(place.group(1)) - 1
                column = column_at
            else:
                row_at, column_at = row, column
            extent.place(row_at + 1, column_at + 1)
            column += 1
    return extent


def sheet_extent(
    blocks: Callable[[], Iterator[bytes]], label: str, seen: Watcher | None = None
) -> Extent:
    """How far a worksheet's cells reach. The fast scan is an upper bound (it also counts empty
    self-closing cells and rows without cells); only when that bound is over the limits, or the
    sheet places cells by their order, is every tag read. ``seen`` is given the XML of the fast
    scan, piece by piece (when the exact scan follows, ``Extent.ordered`` is False)."""
    try:
        extent = _fast_extent(blocks(), label, seen)
        if extent.within_limits():
            return extent
    except _Positional:
        pass
    return _exact_extent(blocks(), label)


_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?sheet\s[^>]*>")
_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?Relationship\s[^>]*>")


def _attribute(tag: bytes, name: bytes) -> str | None:
    found = re.search(rb"\s" + re.escape(name) + rb"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", tag)
    if not found:
        return None
    value = found.group(1) if found.group(1) is not None else found.group(2)
    return html.unescape(value.decode("utf-8", "replace"))


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> sheet name, as far as the workbook says (for messages only)."""
    try:
        book = archive.getinfo("xl/workbook.xml")
        rels = archive.getinfo("xl/_rels/workbook.xml.rels")
        if book.file_size > 4 << 20 or rels.file_size > 4 << 20:
            return {}
        targets = {}
        for tag in _RELATIONSHIP.findall(archive.read(rels)):
            rid, target = _attribute(tag, b"Id"), _attribute(tag, b"Target")
            if rid and target:
                target = target.lstrip("/")
                targets[rid] = target if target.startswith("xl/") else f"xl/{target}"
        names = {}
        for tag in _SHEET.findall(archive.read(book)):
            name = _attribute(tag, b"name")
            rid = _attribute(tag, b"r:id") or _attribute(tag, b"relationships:id")
            if name and rid in targets:
                names[targets[rid]] = name
        return names
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return {}


def check_workbook(
    label: str,
    opener: Callable[[], BinaryIO],
    size: int,
    budget: containers.Budget,
    watch: Callable[[str, str | None], Watcher | None] | None = None,
) -> dict[str, Extent]:
    """Everything calamine would unpack and allocate for an XLSX, measured before it is called.

    Returns each sheet part's extent. Members that are not sheets are measured first, so that
    a ``Watcher`` (from ``watch(part, its sheet's name)``), handed a sheet's XML as it is
    scanned, may read it.

    Raises ``StatementError`` naming the workbook (and sheet) for a damaged, password-protected
    or oversized workbook, or a sheet whose cells reach farther than ``containers.MAX_COLUMNS`` columns or
    ``MAX_CELLS`` cells."""
    extents: dict[str, Extent] = {}
    with opener() as f, containers.open_zip(label, f, size, "spreadsheet") as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        infos.sort(key=lambda i: i.filename.startswith(SHEET_PARTS))  # sheets last
        for info in infos:
            if info.file_size > MAX_XML_BYTES:
                raise StatementError(
                    label,
                    f"has a part ({info.filename}) of {size_text(info.file_size)}; this app reads "
                    f"workbooks whose parts are at most {size_text(MAX_XML_BYTES)}. Save the "
                    "statement as CSV and import that",
                )
        containers.check_members(label, size, [(label, i) for i in infos], budget)
        sheets = sheet_names(archive)
        with opener() as raw:
            for info in infos:
                blocks = lambda info=info: raw_blocks(raw, info, label)  # noqa: E731
                if info.filename.startswith(SHEET_PARTS):
                    sheet = sheets.get(info.filename, info.filename)
                    seen = watch(info.filename, sheets.get(info.filename)) if watch else None
                    extent = sheet_extent(blocks, f"{label} › {sheet}", seen)
                    if not extent.within_limits():
                        raise _too_wide(f"{label} › {sheet}", extent)
                    extents[info.filename] = extent
                else:
                    for _ in blocks():
                        pass
                budget.unpacked += info.file_size
                if budget.unpacked > containers.MAX_UNPACKED_BYTES:
                    raise containers.too_large(
                        label, info.file_size, budget.unpacked - info.file_size
                    )
    return extents


def _too_wide(label: str, extent: Extent) -> StatementError:
    if extent.column_ref == extent.row_ref or extent.columns > containers.MAX_COLUMNS:
        where = f"has a cell at {extent.column_ref}"
    else:
        where = f"has cells as far as {extent.column_ref} and {extent.row_ref}"
    return StatementError(
        label,
        f"{where}, so it spans {extent.rows:,} rows by {extent.columns:,} columns; this app "
        f"reads sheets of at most {containers.MAX_COLUMNS:,} columns and {MAX_CELLS:,} cells. Delete what "
        "lies outside the statement (or copy the statement to a new workbook), save it and "
        "import it again",
    )
