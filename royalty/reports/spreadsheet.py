"""CSV and XLSX writers for typed tables and the line export.

Spreadsheets are where statement text is most dangerous (formulas), so every text cell goes
through ``safe.text`` while amounts and counts are written as numbers (XLSX) or plain number
text (CSV): a negative amount stays a number. xlsxwriter also gets ``strings_to_formulas`` off,
so even a text cell that slipped through could not become a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from royalty.money import decimal_text
from royalty.reports import safe
from royalty.reports.table import Fact, Table

XLSX_MAX_ROWS = 1_048_576
"""Excel's row limit per sheet; longer line exports continue on "Lines 2", "Lines 3" ..."""

NUMBER_FORMATS = {
    "int": "#,##0",
    "money": "#,##0.00##",
    "rate": "0.000000##",
    "share": "0.0%",
    "percent": "+0.0%;-0.0%;0.0%",
    "amount": "#,##0.00######",
}
CSV_BOM = "\ufeff"
"""Excel reads a UTF-8 CSV as UTF-8 only with a byte-order mark (accented names otherwise break)."""


# --- CSV ---------------------------------------------------------------------------------------


def _csv_value(value: object, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "text":
        return safe.text(str(value))
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def csv_rows(
    header: Iterable[str], kinds: list[str], chunks: Iterable[Iterable[tuple]]
) -> Iterator[bytes]:
    """Encoded CSV, one bytes block per chunk (header first, with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(CSV_BOM)
    writer.writerow([safe.text(h) for h in header])
    text_columns = [i for i, k in enumerate(kinds) if k == "text"]
    for chunk in chunks:
        for row in chunk:
            values = ["" if v is None else v for v in row]
            for i in text_columns:
                values[i] = safe.text(str(values[i]))
            writer.writerow(values)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if rest := buffer.getvalue():
        yield rest.encode("utf-8")


def table_csv(table: Table) -> bytes:
    """A typed table as CSV: exact decimal text for money and rates, fractions for shares."""
    kinds = [c.kind for c in table.columns]
    rows = [tuple(_csv_value(v, k) for v, k in zip(row, kinds, strict=True)) for row in table.rows]
    return b"".join(csv_rows([c.title for c in table.columns], ["plain"] * len(kinds), [rows]))


def facts_csv(facts: list[Fact]) -> bytes:
    rows = [(safe.text(f.label), _csv_value(f.value, f.kind)) for f in facts]
    return b"".join(csv_rows(["item", "value"], ["plain", "plain"], [rows]))


# --- XLSX --------------------------------------------------------------------------------------


class XlsxWriter:
    """One workbook: typed tables as sheets with number formats, then the (long) line export."""

    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "constant_memory": True,
            },
        )
        self.header = self.book.add_format({"bold": True, "bottom": 1, "bg_color": "#EEF1F5"})
        self.formats = {
            k: self.book.add_format({"num_format": v}) for k, v in NUMBER_FORMATS.items()
        }

    def close(self) -> None:
        self.book.close()

    def _write(self, sheet, row: int, col: int, value: object, kind: str) -> None:
        """Numbers as numbers with the kind's format; everything else as neutralized text."""
        if value is None or value == "":
            return
        if kind == "amount" and isinstance(value, str):
            value = Decimal(value)  # exact statement text -> the number it is
        if kind != "text" and safe.is_number(value):
            number = float(value) if isinstance(value, Decimal) else value
            sheet.write_number(row, col, number, self.formats.get(kind))
        else:
            sheet.write_string(row, col, safe.text(str(value)))

    def facts(self, name: str, facts: list[Fact]) -> None:
        sheet = self.book.add_worksheet(name)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 60)
        sheet.write_string(0, 0, "Item", self.header)
        sheet.write_string(0, 1, "Value", self.header)
        for i, fact in enumerate(facts, start=1):
            sheet.write_string(i, 0, safe.text(fact.label))
            self._write(sheet, i, 1, fact.value, fact.kind)
        sheet.freeze_panes(1, 0)

    def table(self, table: Table) -> None:
        sheet = self.book.add_worksheet(table.name)
        for j, column in enumerate(table.columns):
            width = 34 if column.kind == "text" else 16
            sheet.set_column(j, j, max(width, len(column.title) + 2))
            sheet.write_string(0, j, safe.text(column.title), self.header)
        for i, row in enumerate(table.rows, start=1):
            for j, (value, column) in enumerate(zip(row, table.columns, strict=True)):
                self._write(sheet, i, j, value, column.kind)
        sheet.freeze_panes(1, 0)
        if table.rows:
            sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)

    def lines(
        self, columns: list[tuple[str, str]], chunks: Iterable[list[tuple]], name: str = "Lines"
    ) -> None:
        """The line export; a new sheet every ``XLSX_MAX_ROWS - 1`` lines."""
        sheet, row, part = None, XLSX_MAX_ROWS, 1
        kinds = [k for _, k in columns]
        for chunk in chunks:
            for values in chunk:
                if row >= XLSX_MAX_ROWS:
                    sheet = self.book.add_worksheet(name if part == 1 else f"{name} {part}")
                    part += 1
                    for j, (title, kind) in enumerate(columns):
                        sheet.set_column(j, j, 28 if kind == "text" else 14)
                        sheet.write_string(0, j, title, self.header)
                    sheet.freeze_panes(1, 0)
                    row = 1
                for j, value in enumerate(values):
                    self._write(sheet, row, j, value, kinds[j])
                row += 1
        if sheet is None:  # no lines: still a sheet with the header, so the layout is stable
            sheet = self.book.add_worksheet(name)
            for j, (title, _) in enumerate(columns):
                sheet.write_string(0, j, title, self.header)
