"""The first rows of each sheet of an XLSX, read by calamine cell by cell without reading the
rest.

Why this module exists: which row is the header (and what lies above it) is decided from the
first rows of a sheet as the text a person sees, before the reader of whole columns
(``sheetcells``) is told where the rows start; calamine reads a whole sheet or nothing. So
while ``workbooks`` scans a sheet's XML for its limits, ``Head`` keeps the XML up to the first
row past those rows, and ``top_rows`` reads a copy of the workbook whose sheets end there.
Kept only for sheets the scan found plain (every cell and row numbered, rows in order), so that
no cell of the first rows lies further on; any other sheet is read whole.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from royalty.ingest import workbooks
from royalty.ingest.delimited import HEADER_SEARCH_ROWS

TOP_ROWS = HEADER_SEARCH_ROWS + 1
"""Rows read before the header is known: the header search's, and the row after them."""
HEAD_BYTES = 64 << 20
"""XML of the first rows kept at most; a sheet whose first rows are larger is read whole."""
_ROW_TAG = re.compile(rb"<row(?=[\s/>])([^>]*)>")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?dimension\b[^>]*>")
_DATE1904 = re.compile(rb"\bdate1904\s*=\s*[\"'](?:1|true)[\"']")
_KINDS = {"b": b't="b"', "d": b't="d"'}
"""Cell types by their ``t`` as the fast scan of ``workbooks`` requires cells to be written
(``<c r="A1" ...``: quoted so, unspaced)."""


class Head:
    """A sheet's XML up to its ``TOP_ROWS``-th row, handed over piece by piece; and which cell
    types whose text says too little the sheet may hold (``t="b"``: booleans, ``t="d"``:
    dates as ISO text), by a search for the quoted letter anywhere (a false alarm only slows)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.cut = False
        self.too_large = False
        self.kinds: set[str] = set()
        self._next_row = 0

    def __call__(self, piece: bytes) -> None:
        for kind, quoted in _KINDS.items():
            if kind not in self.kinds and quoted in piece:
                self.kinds.add(kind)
        if self.cut or self.too_large:
            return
        for tag in _ROW_TAG.finditer(piece):
            r = workbooks.row_number(tag.group(1))
            row = r - 1 if r else self._next_row
            self._next_row = row + 1
            if row >= TOP_ROWS:
                self._keep(piece[: tag.start()])
                self.cut = True
                return
        self._keep(piece)

    def _keep(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > HEAD_BYTES:
            self.too_large, self.parts = True, []
        else:
            self.parts.append(piece)

    def xml(self) -> bytes | None:
        """The sheet as far as its first rows, closed; None when they were too large."""
        if self.too_large:
            return None
        xml = b"".join(self.parts)
        start = xml.find(b"<sheetData")
        if start > 0:  # the range a sheet declares is the whole sheet's: not this one's
            xml = _DIMENSION.sub(b"", xml[:start], count=1) + xml[start:]
        return xml + b"</sheetData></worksheet>" if self.cut else xml


def date1904(opener: Callable[[], BinaryIO]) -> bool:
    """Whether the workbook counts dates from 1904 (its serial 0 is 1904-01-01)."""
    with opener() as f, zipfile.ZipFile(f) as archive:
        try:
            book = archive.getinfo("xl/workbook.xml")
        except KeyError:
            return False
        if book.file_size > 4 << 20:
            return False
        return _DATE1904.search(archive.read(book)) is not None


def top_rows(
    opener: Callable[[], BinaryIO], heads: dict[str, bytes]
) -> dict[str, list[list[object]]]:
    """Each sheet's first ``TOP_ROWS`` rows of cell values from A1, as calamine gives them for
    the whole workbook: a copy whose sheet parts are ``heads`` (by part name), the rest as is.
    Raises what calamine raises."""
    from python_calamine import CalamineWorkbook

    out = io.BytesIO()
    with opener() as f, zipfile.ZipFile(f) as original, zipfile.ZipFile(out, "w") as copy:
        for info in original.infolist():
            if not info.is_dir():
                head = heads.get(info.filename)
                copy.writestr(info.filename, head if head is not None else original.read(info))
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    return {
        name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)[:TOP_ROWS]
        for name in book.sheet_names
    }


_LETTERS = re.compile(rb'<c r="([A-Z]+)')


def _cells_pattern(columns: set[int], after_row: int, kind: str) -> re.Pattern[bytes]:
    letters = b"|".join(workbooks.column_letters(c + 1).encode() for c in sorted(columns))
    rows = workbooks.greater(str(after_row), "0123456789").encode()
    if kind == "b":  # booleans
        what = rb"""(?=[^>]*?\bt\s*=\s*["']b["'])"""
    else:  # a value of any type but text
        what = rb"""(?![^>]*?\bt\s*=\s*["'](?:s|str|inlineStr)["'])"""
    return re.compile(rb'<c r="(?:' + letters + rb")0*" + rows + rb'"' + what + rb"[^>]*(?<!/)>")


def columns_holding(
    opener: Callable[[], BinaryIO], part: str, columns: set[int], after_row: int, kind: str
) -> set[int]:
    """Which of ``columns`` (0-based) of a sheet the scan found plain hold, below row
    ``after_row`` (1-based), a cell of ``kind``: ``"b"`` a boolean, ``"other"`` a value that is
    not text (a number, date, boolean or error; an empty cell tag written open and closed is
    counted too). One search over the sheet's XML per column found, none per cell."""
    found: set[int] = set()
    left = set(columns)
    with opener() as f, zipfile.ZipFile(f) as archive:
        info = archive.getinfo(part)
    with opener() as raw:
        blocks = workbooks.raw_blocks(raw, info, part)
        for piece in workbooks.pieces(blocks, False, part):
            at = 0
            while left:
                pattern = _cells_pattern(left, after_row, kind)
                cell = pattern.search(piece, at)
                if cell is None:
                    break
                letters = _LETTERS.match(cell.group(0))
                assert letters is not None
                column = workbooks.column_number(letters.group(1)) - 1
                left.discard(column)
                found.add(column)
                at = cell.end()
            if not left:
                break
    return found
