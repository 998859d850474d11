"""Spreadsheet exports of a report: the XLSX workbook and the CSV files.

The workbook has one sheet per table (Summary, Platforms, Tracks, Territories, Lines); the
default CSV is the line export, streamed chunk by chunk. A rates-only export has no line data
(every line carries an amount and a quantity) and its tables have no absolute columns.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine

from royalty.reports import lines
from royalty.reports.spreadsheet import XlsxWriter, csv_rows, facts_csv, table_csv
from royalty.reports.view import ReportData, facts, tables

CSV_TABLES = ("lines", "summary", "platforms", "tracks", "territories")


class RatesOnlyLines(ValueError):
    """Lines were asked for in a rates-only export."""

    def __init__(self) -> None:
        super().__init__(
            "a rates-only export has no statement lines (each line shows an amount); "
            "choose the summary, platforms, tracks or territories table"
        )


def write_xlsx(engine: Engine, data: ReportData, path: Path) -> Path:
    """The workbook at ``path`` (written in constant memory: lines never all in memory)."""
    book = XlsxWriter(path)
    try:
        book.facts("Summary", facts(data))
        for table in tables(data):
            book.table(table)
        if not data.rates_only:
            book.lines(list(lines.COLUMNS), lines.iter_lines(engine, data.filters))
    finally:
        book.close()
    return path


def xlsx_bytes(engine: Engine, data: ReportData) -> bytes:
    with tempfile.TemporaryDirectory(prefix="royalty-xlsx-") as tmp:
        path = write_xlsx(engine, data, Path(tmp) / "report.xlsx")
        return path.read_bytes()


def csv_chunks(engine: Engine, data: ReportData, table: str | None = None) -> Iterator[bytes]:
    """A CSV export block by block; ``table`` defaults to lines (platforms when rates-only)."""
    name = table or ("platforms" if data.rates_only else "lines")
    if name not in CSV_TABLES:
        raise ValueError(f"CSV table {name!r}: choose one of {', '.join(CSV_TABLES)}")
    if name == "lines":
        if data.rates_only:
            raise RatesOnlyLines()
        yield from csv_rows(
            [c for c, _ in lines.COLUMNS],
            [k for _, k in lines.COLUMNS],
            lines.iter_lines(engine, data.filters),
        )
        return
    if name == "summary":
        yield facts_csv(facts(data))
        return
    by_name = {t.name.lower(): t for t in tables(data)}
    yield table_csv(by_name[name])
