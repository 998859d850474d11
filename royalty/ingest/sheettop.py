"""What the XML of an XLSX sheet says that its columns read by fastexcel cannot: its first rows
as calamine reads them cell by cell, which columns hold cells of which type, whether dates
count from 1904.

Why this module exists: which row is the header (and what lies above it) is decided from the
first rows of a sheet as the text a person sees, before the column reader (``sheetcells``) is
told where the rows start; calamine reads a whole sheet or nothing, so ``first_rows`` reads a
workbook whose sheet ends after them (``sheetparts`` keeps that XML while the sheet is checked).
And a column of text that looks like numbers may hold numbers, which only the cells' types in
the XML tell (``columns_holding``): one search per column, none per cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from typing import BinaryIO

from royalty.ingest import workbooks
from royalty.ingest.delimited import HEADER_SEARCH_ROWS

TOP_ROWS = HEADER_SEARCH_ROWS + 1
"""Rows read before the header is known: the header search's, and the row after them."""
HEAD_BYTES = 64 << 20
"""XML of the first rows kept at most; a sheet whose first rows are larger is read whole."""
KINDS = {"b": b't="b"', "d": b't="d"'}
"""Cell types text cannot tell apart (booleans, dates written as ISO text), by their ``t`` as
the fast scan of ``workbooks`` requires cells to be written (``<c r="A1" ...``)."""
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?dimension\b[^>]*>")
_DATE1904 = re.compile(rb"\bdate1904\s*=\s*[\"'](?:1|true)[\"']")
_LETTERS = re.compile(rb'<c r="([A-Z]+)')
_R = re.compile(rb"(?:^|\s)r\s*=\s*(?:\"([0-9]+)\"|'([0-9]+)')")


def row_number(attributes: bytes) -> int | None:
    """A row tag's ``r``, when it gives one."""
    r = _R.search(attributes)
    return int(r.group(1) or r.group(2)) if r else None


def without_range(prefix: bytes) -> bytes:
    """A sheet's XML before its rows, without the range it declares (the whole sheet's, not
    that of the rows read with it)."""
    return _DIMENSION.sub(b"", prefix, count=1)


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


def first_rows(data: bytes, sheet: str) -> list[list[object]]:
    """A sheet's first ``TOP_ROWS`` rows of cell values from A1, as calamine reads them.
    Raises what calamine raises."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)[:TOP_ROWS]


def _cells_pattern(columns: set[int], after_row: int, kind: str) -> re.Pattern[bytes]:
    letters = b"|".join(workbooks.column_letters(c + 1).encode() for c in sorted(columns))
    rows = workbooks.greater(str(after_row), "0123456789").encode()
    if kind == "b":  # booleans
        what = rb"""(?=[^>]*?\bt\s*=\s*["']b["'])"""
    else:  # a value of any type but text
        what = rb"""(?![^>]*?\bt\s*=\s*["'](?:s|str|inlineStr)["'])"""
    return re.compile(rb'<c r="(?:' + letters + rb")0*" + rows + rb'"' + what + rb"[^>]*(?<!/)>")


def holding_in(pieces: Iterable[bytes], columns: set[int], after_row: int, kind: str) -> set[int]:
    """Which of ``columns`` (0-based) hold, below row ``after_row`` (1-based), a cell of
    ``kind`` (``"b"``: a boolean; ``"other"``: a value that is not text: a number, date,
    boolean or error, or an empty cell tag written open and closed), in a sheet's XML cut
    between tags."""
    found: set[int] = set()
    left = set(columns)
    for piece in pieces:
        at = 0
        while left:
            cell = _cells_pattern(left, after_row, kind).search(piece, at)
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
