"""Workbooks to tables: an XLSX measured (``workbooks.check_workbook``) before it is read, an
XLS read in a child process with limits (``xls``), cells turned into the text a person sees.

An XLSX sheet's first rows are read cell by cell (``sheettop``) to find its header, and the
rows below it a column at a time (``sheetcells``), into the same text, in parts while the rest
of the sheet is still measured (``sheetparts``); a sheet whose cells need it is read cell by
cell whole, as an XLS always is. Imported by ``reader`` when a workbook comes, so a text
import never loads the spreadsheet libraries; chunk size is ``reader``'s, the header search is
the one text tables use (``delimited``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import pyarrow as pa

from royalty.errors import StatementError
from royalty.ingest import (
    archive,
    delimited,
    reader,
    sheetparts,
    sheettop,
    workbooks,
    xls,
)

COLUMNS_AT_ONCE = True
"""Read XLSX rows below the header a column at a time (``sheetcells``); False reads every
sheet cell by cell, as all workbooks once were (``benchmarks/xlsx_benchmark.py`` times both)."""


def cell_text(value: object) -> str:
    """Spreadsheet cells -> the text a person sees; integral numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if hasattr(value, "isoformat"):  # a date, or a time of day alone
        return value.isoformat()
    return str(value)


@dataclass
class _Sheet:
    name: str
    top: list[list[object]]
    """Its first rows (``sheettop.TOP_ROWS``), cell values from A1."""
    below: Callable[[int], _Cells | sheetparts.Body]
    """The rows below a header row (0-based): cell values, or columns of text."""


@dataclass
class _Cells:
    rows: list[list[object]]
    width: int
    """Cells of each row of the sheet (from column A to its last)."""


def _workbook_sheets(
    source: reader.Source, budget: archive.Budget, is_header: Callable[[list[str]], bool]
) -> list[_Sheet]:
    """The sheets of a workbook. An XLSX is measured first (``workbooks.check_workbook``) and
    read here, its sheets' rows in parts while they are measured (``sheetparts``); anything
    else (XLS) in a child process (``xls``)."""
    if not source.head(4).startswith(reader.ZIP_MAGIC):
        return _whole(xls.read_ole_workbook(source.name, source.opener, source.size))
    readers: dict[str, sheetparts.SheetReader] = {}
    book = sheetparts.Book(source.opener)

    def watch(part: str, name: str | None) -> sheetparts.SheetReader | None:
        if not COLUMNS_AT_ONCE or name is None:
            return None
        readers[part] = sheetparts.SheetReader(book, part, name, is_header)
        return readers[part]

    try:
        extents = workbooks.check_workbook(source.name, source.opener, source.size, budget, watch)
        for part, sheet in readers.items():
            sheet.finish(extents[part])
        with source.opener() as f:
            data = f.read()
        cellwise = _Cellwise(source.name, data)
        by_name = {sheet.name: sheet for sheet in readers.values()}
        order = cellwise.sheet_names()
        if not (
            COLUMNS_AT_ONCE and all(by_name.get(n) and by_name[n].top is not None for n in order)
        ):
            return _whole(cellwise.sheets())
        sheets = []
        for name in order:
            sheet, bodies = by_name[name], {}
            if sheet.header_row is not None:
                bodies[sheet.header_row] = sheet.body(sheet.header_row)
            sheets.append(_Sheet(name, sheet.top or [], _below(name, bodies, cellwise)))
        return sheets
    finally:
        book.close()


def _below(
    name: str, bodies: dict[int, sheetparts.Body | None], cellwise: _Cellwise
) -> Callable[[int], _Cells | sheetparts.Body]:
    """The rows below a header row: read in parts when they were, else cell by cell."""

    def read(header_row: int) -> _Cells | sheetparts.Body:
        body = bodies.get(header_row)
        return body if body is not None else _cells(cellwise.rows(name), header_row)

    return read


def _whole(sheets: list[tuple[str, list[list[object]]]]) -> list[_Sheet]:
    return [
        _Sheet(name, rows[: sheettop.TOP_ROWS], lambda k, rows=rows: _cells(rows, k))
        for name, rows in sheets
    ]


def _cells(rows: list[list[object]], header_row: int) -> _Cells:
    return _Cells(rows[header_row + 1 :], max(map(len, rows), default=0))


class _Cellwise:
    """calamine's cell-by-cell reader over the whole workbook, opened when first needed."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data
        self.book: object | None = None

    def _open(self):  # type: ignore[no-untyped-def]
        from python_calamine import CalamineWorkbook

        if self.book is None:
            self.book = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
        return self.book

    def rows(self, sheet: str) -> list[list[object]]:
        try:
            return self._open().get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except (
            Exception
        ) as exc:  # calamine raises its own error types (damaged zip, not a workbook)
            raise _unreadable(self.name, exc) from exc
        except BaseException as exc:  # a panic in the Rust reader arrives as pyo3's PanicException
            if type(exc).__name__ != "PanicException":
                raise
            raise _unreadable(self.name, exc) from exc

    def sheet_names(self) -> list[str]:
        try:
            return list(self._open().sheet_names)
        except Exception as exc:
            raise _unreadable(self.name, exc) from exc
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":
                raise
            raise _unreadable(self.name, exc) from exc

    def sheets(self) -> list[tuple[str, list[list[object]]]]:
        return [(name, self.rows(name)) for name in self.sheet_names()]


def _unreadable(name: str, exc: BaseException) -> StatementError:
    return StatementError(
        name, f"is a damaged or truncated spreadsheet and cannot be opened ({exc})"
    )


def _cell_chunks(rows: list[list[object]], header: list[str], first: int) -> Iterator[pd.DataFrame]:
    """Rows of cell values, one chunk of text at a time (not the sheet); empty rows left out,
    each indexed by its row in the sheet (``first`` that of ``rows[0]``, empty rows counted)."""
    body: list[list[str]] = []
    numbers: list[int] = []
    given = False
    for number, row in enumerate(rows, start=first):
        if any(v not in (None, "") for v in row):
            cells = [cell_text(v) for v in row[: len(header)]]
            body.append(cells + [""] * (len(header) - len(cells)))
            numbers.append(number)
            if len(body) == reader.CHUNK_ROWS:
                yield pd.DataFrame(body, columns=header, index=numbers, dtype=str)
                body, numbers, given = [], [], True
    if body or not given:
        yield pd.DataFrame(body, columns=header, index=numbers, dtype=str)


class _Columns:
    """The rows of a body that hold a cell, each column's text written once, when first read
    (a layout's ``scan`` and the import read the same columns)."""

    def __init__(self, body: sheetparts.Body) -> None:
        self.body = body
        self.keep = body.filled()  # None: no column, so no row either
        self.numbers = body.numbers[:0] if self.keep is None else body.numbers.filter(self.keep)
        self.texts: dict[int, pa.ChunkedArray] = {}

    def text(self, column: int) -> pa.ChunkedArray:
        if column not in self.texts:
            self.texts[column] = (
                pa.chunked_array([], pa.string())
                if self.keep is None
                else self.body.text(column).filter(self.keep)
            )
        return self.texts[column]


def _column_chunks(
    rows: _Columns, header: list[str], columns: Collection[str] | None
) -> Iterator[pd.DataFrame]:
    """Rows of text, one chunk at a time, each indexed by its row in the sheet; with
    ``columns``, only the header's columns of those names."""
    kept = [i for i, name in enumerate(header) if columns is None or name in columns]
    table = pa.Table.from_arrays(
        [*(rows.text(i) for i in kept), rows.numbers], names=[*map(str, kept), "row"]
    )
    for start in range(0, max(table.num_rows, 1), reader.CHUNK_ROWS):
        part = table.slice(start, reader.CHUNK_ROWS)
        chunk = part.drop_columns(["row"]).to_pandas()
        chunk.columns = [header[i] for i in kept]
        chunk.index = pd.Index(part.column("row").to_numpy(), dtype="int64")
        yield chunk


def tables(
    source: reader.Source,
    is_header: Callable[[list[str]], bool],
    budget: archive.Budget | None = None,
) -> list[reader.Table]:
    sheets = _workbook_sheets(source, budget or archive.Budget(), is_header)
    tables = []
    for sheet in sheets:
        text_rows = [[cell_text(v) for v in row] for row in sheet.top]
        found = delimited.find_header(source.name, text_rows, is_header, "")
        if found is None:
            continue
        header_row, _, header = found
        below = sheet.below(header_row)
        if isinstance(below, sheetparts.Body):
            header = header + [""] * (len(below.columns) - len(header))
            rows_hint = below.height
            filled = _Columns(below)

            def chunks(
                careful: bool = False, columns=None, rows=filled, header=header
            ) -> Iterator[pd.DataFrame]:
                return _column_chunks(rows, header, columns)
        else:
            header = header + [""] * (below.width - len(header))
            rows_hint = len(below.rows)

            def chunks(
                careful: bool = False,
                columns=None,
                rows=below.rows,
                header=header,
                first=header_row + 2,
            ) -> Iterator[pd.DataFrame]:
                return _cell_chunks(rows, header, first)

        label = source.name if len(sheets) == 1 else f"{source.name} › {sheet.name}"
        preamble = tuple(_preamble_row(row) for row in text_rows[:header_row])
        tables.append(
            reader.Table(label, header, header_row, "xlsx", "", chunks, rows_hint, preamble)
        )
    return tables


def _preamble_row(cells: list[str]) -> tuple[str, ...]:
    """A row above the header as its cells, bounded as a header's are: those up to its last
    filled one, at most ``archive.MAX_COLUMNS``."""
    cells = [c.strip() for c in cells[: archive.MAX_COLUMNS]]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)
