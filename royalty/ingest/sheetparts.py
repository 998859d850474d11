"""An XLSX sheet read in parts while its limits are still being checked.

Why this module exists: the check of a sheet's limits (``workbooks``) reads its XML in Python
and the column reader (``sheetcells``) reads it again in Rust; one after the other they take
twice as long as either. So ``SheetReader`` watches the check: once it has the first rows it
finds the header (``sheettop``), then hands each run of checked rows (about ``PART_BYTES`` of
XML, cut between two rows) to a thread that reads them as a workbook of their own, while the
check goes on. A part is read only once the cells in it, and every member of the workbook that
is not a sheet, passed the check (``check_workbook`` checks those first), so it never makes the
reader allocate more than the check allows. A sheet whose parts cannot say its text (cells
outside their rows, a scan that found cells out of order, anything ``sheetcells`` refuses) is
read whole instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc

from royalty.ingest import sheetcells, sheettop, workbooks

PART_BYTES = 8 << 20
"""XML of rows read as one part at least (about 15,000 rows of a 15-column statement; the
larger, the more of the reading is left for after the check)."""
WAITING = 2
"""Parts handed over and not yet read, at most; the check waits for the reader beyond that."""
_ROW = re.compile(rb"<row(?=[\s/>])([^>]*)>")
_CLOSE = b"</sheetData></worksheet>"


def _shared(name: str) -> bool:
    """Whether a member goes with every part: the workbook's XML (shared strings, styles, its
    list of sheets), not its sheets, nor images and other binary members calamine never reads."""
    return name.endswith((".xml", ".rels")) and not name.startswith(workbooks.SHEET_PARTS)


class Book:
    """What the parts of one workbook share: its members that are not sheets (as a ZIP to
    which a sheet is added), whether it counts dates from 1904, the reading thread."""

    def __init__(self, opener: Callable[[], BinaryIO]) -> None:
        self.opener = opener
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlsx-parts")
        self._shared: bytes | None = None
        self.date1904 = False

    def shared(self) -> bytes:
        """Read when the first sheet is, once ``check_workbook`` has passed every other member."""
        if self._shared is None:
            out = io.BytesIO()
            with self.opener() as f, zipfile.ZipFile(f) as book, zipfile.ZipFile(out, "w") as z:
                for info in book.infolist():
                    if _shared(info.filename):
                        z.writestr(info.filename, book.read(info))
            self._shared = out.getvalue()
            self.date1904 = sheettop.date1904(lambda: io.BytesIO(self._shared or b""))
        return self._shared

    def with_sheet(self, part: str, xml: bytes) -> bytes:
        """The shared members and one sheet: a workbook calamine reads as it would the whole."""
        out = io.BytesIO()
        out.write(self.shared())
        with zipfile.ZipFile(out, "a") as z:
            z.writestr(part, xml)
        return out.getvalue()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class SheetReader:
    """Watches one sheet's check (``workbooks.check_workbook``'s ``watch``): keeps its first
    rows, finds its header, hands its rows over in parts; ``body`` gives them read."""

    def __init__(
        self, book: Book, part: str, name: str, is_header: Callable[[list[str]], bool]
    ) -> None:
        self.book, self.part, self.name, self.is_header = book, part, name, is_header
        self.top: list[list[object]] | None = None
        """The first rows (``sheettop.TOP_ROWS``), cell values from A1; None when unread."""
        self.header_row: int | None = None
        self.failed = False
        self._before: list[bytes] = []
        self._prefix: bytes | None = None  # the XML before the first row, without its range
        self._rows: list[bytes] = []  # rows not handed over yet
        self._size = 0
        self._next_row = 0
        self._parts: list[Future[sheetcells.Part]] = []

    # --- while the check runs ------------------------------------------------------------------

    def __call__(self, piece: bytes, extent: workbooks.Extent) -> None:
        if self.failed or (self.top is not None and self.header_row is None):
            return
        if not extent.within_limits():  # the check refuses the sheet: nothing to keep
            self._fail()
            return
        if self._prefix is None:
            first = _ROW.search(piece)
            if first is None:
                self._before.append(piece)
                if sum(map(len, self._before)) > sheettop.HEAD_BYTES:
                    self._fail()
                return
            self._prefix = sheettop.without_range(b"".join(self._before) + piece[: first.start()])
            piece = piece[first.start() :]
        start = self._size
        self._rows.append(piece)
        self._size += len(piece)
        if self.top is None:
            cut = self._past_top(piece)
            if cut is None:
                if self._size > sheettop.HEAD_BYTES:
                    self._fail()
                return
            self._find_header(b"".join(self._rows)[: start + cut] + _CLOSE)
            if self.header_row is None:
                self._rows, self._size = [], 0
                return
        if self._size >= max(PART_BYTES, 4 * len(self.book.shared())):
            self._hand_over(last=False)

    def _fail(self) -> None:
        """The sheet is read whole (or refused): what was kept is dropped."""
        self.failed = True
        self._before, self._rows, self._size = [], [], 0

    def _past_top(self, piece: bytes) -> int | None:
        """Where in ``piece`` the first row past the first rows starts, if it does."""
        for tag in _ROW.finditer(piece):
            r = sheettop.row_number(tag.group(1))
            row = r - 1 if r else self._next_row
            self._next_row = row + 1
            if row >= sheettop.TOP_ROWS:
                return tag.start()
        return None

    def _find_header(self, rows: bytes) -> None:
        """The first rows read cell by cell (``rows``: the XML from the first row, closed), and
        the header among them."""
        from royalty.ingest import delimited
        from royalty.ingest.spreadsheet import cell_text

        try:
            book = self.book.with_sheet(self.part, (self._prefix or b"") + rows)
            self.top = sheettop.first_rows(book, self.name)
        except Exception:  # calamine's errors: the reader of the whole workbook says them
            self._fail()
            return
        except BaseException as exc:  # a panic in the Rust reader (pyo3's PanicException)
            if type(exc).__name__ != "PanicException":
                raise
            self._fail()
            return
        text_rows = [[cell_text(v) for v in row] for row in self.top]
        found = delimited.find_header(self.name, text_rows, self.is_header, "")
        self.header_row = found[0] if found else None

    def _hand_over(self, last: bool) -> None:
        """The rows kept so far (all when ``last``, else up to the start of the last row) to the
        reading thread."""
        data = b"".join(self._rows)
        if last:
            end = data.rfind(b"</sheetData>")
            if end < 0:
                self._fail()
                return
            rows, rest = data[:end], b""
        else:
            starts = [m.start() for m in _ROW.finditer(data, max(0, len(data) - (1 << 20)))]
            cut = starts[-1] if starts else 0
            if cut == 0:
                return
            rows, rest = data[:cut], data[cut:]
        self._rows, self._size = ([rest], len(rest)) if rest else ([], 0)
        while len(waiting := [f for f in self._parts if not f.done()]) >= WAITING:
            wait(waiting, return_when=FIRST_COMPLETED)
        # a part the column reader cannot say: the sheet is read whole. The part handed over
        # last is not looked at yet, so that how many parts are read before the check stops
        # does not depend on how fast the readers were (one part read in vain at most)
        if any(f.done() and (f.cancelled() or f.exception()) for f in self._parts[:-1]):
            self._fail()
            return
        assert self.header_row is not None
        if self._parts:
            start = None
            try:
                above, below = sheetcells.bounds(*sheetcells.row_numbers(rows))
            except sheetcells.Cellwise:
                self._fail()
                return
        else:
            start, above, below = self.header_row + 1, b"", b""
        xml = (self._prefix or b"") + above + rows + below + _CLOSE
        self._parts.append(
            self.book.pool.submit(
                sheetcells.read_part, self.book.with_sheet(self.part, xml), self.name, rows,
                start, self.book.date1904,
            )
        )  # fmt: skip

    # --- once the check has passed ---------------------------------------------------------------

    def finish(self, extent: workbooks.Extent) -> None:
        """After the check: the last rows handed over; for a sheet of few rows, its first rows
        read."""
        if self.failed or not extent.ordered:
            self._fail()
            return
        if self.top is None:
            if self._prefix is None:  # no rows at all
                self.top = []
                return
            self._find_header(b"".join(self._rows))
        if self.header_row is not None and not self.failed:
            self._hand_over(last=True)

    def body(self, header_row: int) -> Body | None:
        """The rows below ``header_row`` as columns of text, or None: read the sheet whole."""
        if self.failed or header_row != self.header_row or not self._parts:
            return None
        try:
            parts = [f.result() for f in self._parts]
        except Exception:  # ``Cellwise``, fastexcel's errors: the whole sheet's reader decides
            return None
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":
                raise
            return None
        return _joined(parts, header_row)


@dataclass
class Body:
    """The rows below a header; each column from column A, in the parts it was read in."""

    columns: list[list[sheetcells.Column | None]]
    """Each column's parts (None: the part has no cell in it), each part as long as in
    ``heights``: the rows of the parts (empty ones too, not those between two parts, which
    have no row tag and no cell)."""
    heights: list[int]
    height: int
    """Rows of the sheet below the header, to its last cell."""
    numbers: pa.Array
    """Each row's row in the sheet (1-based, as a spreadsheet shows it): errors name it."""

    def text(self, column: int) -> pa.ChunkedArray:
        """A column's cells as text (``""`` past the columns read)."""
        parts = self.columns[column] if column < len(self.columns) else [None] * len(self.heights)
        return pa.chunked_array(
            [
                _empty(h) if c is None else sheetcells.as_text(c)
                for c, h in zip(parts, self.heights, strict=True)
            ],
            pa.string(),
        )

    def filled(self) -> pa.ChunkedArray | None:
        """Which rows hold a cell that is not empty (None: no column at all)."""
        rows = None
        for parts in self.columns:
            here = pa.chunked_array(
                [pa.repeat(False, h) if c is None else sheetcells.filled(c)
                 for c, h in zip(parts, self.heights, strict=True)],
                pa.bool_(),
            )  # fmt: skip
            rows = here if rows is None else pc.or_(rows, here)
        return rows


def _empty(rows: int) -> pa.Array:
    return pa.nulls(rows, pa.string()).fill_null("")


def _joined(parts: list[sheetcells.Part], header_row: int) -> Body:
    width = max(max(p.columns, default=-1) + 1 for p in parts)
    columns = [[p.columns.get(j) for p in parts] for j in range(width)]
    end = parts[-1].first + parts[-1].height
    numbers = pa.concat_arrays(
        [pa.array(range(p.first + 1, p.first + p.height + 1), pa.int64()) for p in parts]
    )
    return Body(columns, [p.height for p in parts], end - header_row - 1, numbers)
