"""Workbooks to tables: an XLSX measured (``workbooks.check_workbook``) before calamine reads
it, an XLS read in a child process with limits (``xls``), cells turned into the text a person
sees.

Imported by ``reader`` when a workbook comes, so a text import never loads the spreadsheet
libraries; chunk size is ``reader``'s, the header search is the one text tables use
(``delimited``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import datetime

import pandas as pd

from royalty.errors import StatementError
from royalty.ingest import archive, delimited, reader, workbooks, xls


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


def _workbook_sheets(
    source: reader.Source, budget: archive.Budget
) -> list[tuple[str, list[list[object]]]]:
    """(sheet name, rows of cell values from A1) of a workbook. An XLSX is measured first
    (``workbooks.check_workbook``) and read here; anything else (XLS) in a child process
    (``xls``)."""
    if not source.head(4).startswith(reader.ZIP_MAGIC):
        return xls.read_ole_workbook(source.name, source.opener, source.size)
    workbooks.check_workbook(source.name, source.opener, source.size, budget)
    from python_calamine import CalamineWorkbook

    try:
        with source.opener() as f:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(f.read()))
        return [
            (name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        ]
    except Exception as exc:  # calamine raises its own error types (damaged zip, not a workbook)
        raise _unreadable(source.name, exc) from exc
    except BaseException as exc:  # a panic in the Rust reader arrives as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        raise _unreadable(source.name, exc) from exc


def _unreadable(name: str, exc: BaseException) -> StatementError:
    return StatementError(
        name, f"is a damaged or truncated spreadsheet and cannot be opened ({exc})"
    )


def tables(
    source: reader.Source,
    is_header: Callable[[list[str]], bool],
    budget: archive.Budget | None = None,
) -> list[reader.Table]:
    sheets = _workbook_sheets(source, budget or archive.Budget())
    tables = []
    for sheet_name, rows in sheets:
        text_rows = [
            [cell_text(v) for v in row] for row in rows[: delimited.HEADER_SEARCH_ROWS + 1]
        ]
        found = delimited.find_header(source.name, text_rows, is_header, "")
        if found is None:
            continue
        header_row, _, header = found

        def chunks(
            careful: bool = False, rows=rows, header_row=header_row, header=header
        ) -> Iterator[pd.DataFrame]:
            body: list[list[str]] = []
            numbers: list[int] = []  # each row's row in the sheet, empty rows counted
            given = False
            # one chunk of text at a time, not the sheet
            for number, row in enumerate(rows[header_row + 1 :], start=header_row + 2):
                if any(v not in (None, "") for v in row):
                    cells = [cell_text(v) for v in row[: len(header)]]
                    body.append(cells + [""] * (len(header) - len(cells)))
                    numbers.append(number)
                    if len(body) == reader.CHUNK_ROWS:
                        yield pd.DataFrame(body, columns=header, index=numbers, dtype=str)
                        body, numbers, given = [], [], True
            if body or not given:
                yield pd.DataFrame(body, columns=header, index=numbers, dtype=str)

        label = source.name if len(sheets) == 1 else f"{source.name} › {sheet_name}"
        rows_hint = len(rows) - header_row - 1
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
