"""XLSX rows read a column at a time give every cell the text the cell-by-cell reader gives it.

The cell-by-cell reader (``spreadsheet.COLUMNS_AT_ONCE = False``) is the reference: each
workbook here is read both ways and compared cell by cell, header and row numbers included.
The workbooks hold what makes columns hard: numbers whose text fastexcel would cut at nine
decimals, numbers among text and text among numbers, booleans, dates, times and durations,
error cells, empty rows and columns, titles above the header, merged cells, several sheets,
very wide sheets, 1904 dates.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zipfile
from decimal import Decimal

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from royalty.ingest import import_bytes, sheetcells, spreadsheet
from royalty.ingest.reader import Source, Table
from royalty.ingest.spreadsheet import cell_text

DK = [
    "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
    "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld",
    "Earnings (USD)",
]  # fmt: skip


def dk_cells(amount: object, n: int = 0) -> list[object]:
    return [dt.datetime(2024, 3, 8), "2024-01", "Spotify", "Inés Solà", f"Track {n}",
            f"QZNWX24{n:05d}", 195920977126, 10 + n % 7, 100, "Song", "US", 0, amount]  # fmt: skip


def known(cells: list[str]) -> bool:
    return {"Store", "Earnings (USD)"} <= set(cells) or "Name" in cells


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes, *, columns: bool) -> list[tuple[Table, pd.DataFrame]]:
    spreadsheet.COLUMNS_AT_ONCE = columns
    try:
        tables = spreadsheet.tables(Source.from_bytes("book.xlsx", data), known)
        return [(t, pd.concat(list(t.chunks()))) for t in tables]
    finally:
        spreadsheet.COLUMNS_AT_ONCE = True


@pytest.fixture
def no_cellwise(monkeypatch):
    """Fail when a sheet is read cell by cell: the test is about the column reader."""

    def refuse(*args, **kwargs):
        raise AssertionError("read cell by cell")

    monkeypatch.setattr(spreadsheet._Cellwise, "rows", refuse)
    monkeypatch.setattr(spreadsheet._Cellwise, "sheets", refuse)


def assert_same(data: bytes) -> list[tuple[Table, pd.DataFrame]]:
    """Both readers give the same tables, headers, header rows and cells."""
    cellwise = read(data, columns=False)
    columns = read(data, columns=True)
    assert [t.name for t, _ in columns] == [t.name for t, _ in cellwise]
    for (a, rows_a), (b, rows_b) in zip(columns, cellwise, strict=True):
        assert (a.header, a.header_row, a.rows_hint) == (b.header, b.header_row, b.rows_hint)
        assert list(rows_a.columns) == list(rows_b.columns)
        assert rows_a.shape == rows_b.shape
        # each row named by its row in the sheet, as errors say it (empty rows counted)
        assert list(rows_a.index) == list(rows_b.index)
        assert a.preamble == b.preamble
        differ = [
            (r, c, rows_a.iat[r, c], rows_b.iat[r, c])
            for r in range(rows_a.shape[0])
            for c in range(rows_a.shape[1])
            if rows_a.iat[r, c] != rows_b.iat[r, c]
        ]
        assert differ == []
        assert [str(t) for t in rows_a.dtypes] == [str(t) for t in rows_b.dtypes]
    return columns


# --- every kind of cell ----------------------------------------------------------------------------

NUMBERS = [0.1, 0.30000000000000004, 1 / 3, 12.345678901234, 0.000123456789012, 1e-07, 5e-324,
           123456789012345.6, 1e15, 1e16, 1e22, -0.0, -2.5, 7.0, 100, 195920977126,
           1.7976931348623157e308, 0.1234567891]  # fmt: skip


def kitchen_sink() -> bytes:
    """A title and a blank row above the header, a blank first column, each column one kind
    of cell, a blank row among the rows, a note far to the right of one row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B1"] = "Statement for Inés Solà, 2024"
    sheet.merge_cells("B1:E1")
    sheet["B2"] = "Total"
    sheet["C2"] = 1234.567890123
    header = ["Name", "Number", "Boolean", "Date", "DateTime", "Time", "Duration", "Error",
              "Digits as text", "Mixed", "Sparse"]  # fmt: skip
    for j, name in enumerate(header):
        sheet.cell(row=4, column=2 + j, value=name)
    rng = random.Random(3)
    mixed = ["N/A", 0.123456789012, "12", True, "", "1e5", 3.0, "0.1000", -0.5, "pending"]
    row = 5
    for i in range(60):
        if i == 30:
            row += 1  # a blank row
        cells = [
            f"Track {i}",
            NUMBERS[i % len(NUMBERS)],
            i % 3 == 0,
            dt.date(2024, 1 + i % 12, 1 + i % 28),
            dt.datetime(2024, 3, 1, i % 24, i % 60, i % 60, (i * 1000) % 1_000_000),
            dt.time(i % 24, (i * 7) % 60, i % 60),
            dt.timedelta(hours=i * 5, minutes=i),
            "#DIV/0!" if i % 4 == 0 else "#N/A" if i % 4 == 1 else None,
            f"{rng.randrange(10**11):012d}",
            mixed[i % len(mixed)],
            rng.random() if i % 9 == 0 else None,
        ]
        for j, value in enumerate(cells):
            if value is not None:
                sheet.cell(row=row, column=2 + j, value=value)
        row += 1
    sheet.cell(row=12, column=20, value="a note far to the right")
    return saved(book)


def test_every_kind_of_cell_reads_the_same_both_ways():
    data = kitchen_sink()
    [(table, rows)] = assert_same(data)
    assert table.header_row == 3
    assert table.header[:3] == ["", "Name", "Number"]
    number = rows["Number"].tolist()
    assert number[0] == "0.1" and number[2] == "0.3333333333333333"
    assert "12.345678901234" in number and "1e-07" in number and "1000000000000000.0" in number
    assert rows["Boolean"].iloc[0] == "TRUE"
    assert rows["Date"].iloc[0] == "2024-01-01"
    assert rows["Mixed"].iloc[:4].tolist() == ["N/A", "0.123456789012", "12", "TRUE"]
    assert rows["Digits as text"].str.fullmatch("[0-9]{12}").all()


def test_the_kitchen_sink_is_read_a_column_at_a_time(monkeypatch):
    """No part of it needs the cell-by-cell reader (which ``assert_same`` uses as reference)."""
    data = kitchen_sink()
    calls = []
    original = spreadsheet._Cellwise.rows
    monkeypatch.setattr(
        spreadsheet._Cellwise, "rows", lambda self, name: calls.append(name) or original(self, name)
    )
    read(data, columns=True)
    assert calls == []


def test_a_1904_workbook_reads_its_dates_the_same_both_ways(no_cellwise):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"date_1904": True, "in_memory": True})
    sheet = book.add_worksheet()
    formats = [book.add_format({"num_format": f}) for f in ("yyyy-mm-dd", "hh:mm:ss", "[h]:mm")]
    sheet.write_row(0, 0, ["Name", "Date", "Time", "Duration"])
    for i, serial in enumerate([0, 0.25, 1, 1.5, 366, 45000.123456, 2.000011574]):
        sheet.write_string(i + 1, 0, f"r{i}")
        for j, f in enumerate(formats):
            sheet.write_number(i + 1, j + 1, serial, f)
    book.close()
    [(_, rows)] = read(out.getvalue(), columns=True)
    assert rows["Date"].tolist()[:3] == ["00:00:00", "06:00:00", "1904-01-02"]


def test_a_1904_workbook_compared_with_the_cell_by_cell_reader():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"date_1904": True, "in_memory": True})
    sheet = book.add_worksheet()
    formats = [book.add_format({"num_format": f}) for f in ("yyyy-mm-dd", "hh:mm:ss.000", "[h]:mm")]
    sheet.write_row(0, 0, ["Name", "Date", "Time", "Duration"])
    for i, serial in enumerate([0, 0.25, 1, 1.5, 366, 45000.123456, 2.000011574]):
        sheet.write_string(i + 1, 0, f"r{i}")
        for j, f in enumerate(formats):
            sheet.write_number(i + 1, j + 1, serial, f)
    book.close()
    assert_same(out.getvalue())


def test_several_sheets_each_with_its_own_header_row():
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Read me"
    notes["A1"] = "This workbook has two statements"
    first = book.create_sheet("Q1")
    first.append(DK)
    for n in range(5):
        first.append(dk_cells(0.01 * n + 0.000000001, n))
    second = book.create_sheet("Q2 (with a title)")
    second.append(["Royalties, second quarter"])
    second.append([])
    second.append(DK)
    for n in range(5):
        second.append(dk_cells(1.5 + n, n))
    tables = assert_same(saved(book))
    assert [(t.name, t.header_row) for t, _ in tables] == [
        ("book.xlsx › Q1", 0),
        ("book.xlsx › Q2 (with a title)", 2),
    ]


def test_merged_header_cells_and_a_second_table_below():
    """A summary table above the statement, a header cell merged over two columns, notes in a
    table of their own below the rows: the rows below the header are all read, as before."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Summary", "Streams", "Earnings"])
    sheet.append(["Spotify", 1200, 3.25])
    sheet.append(["Deezer", 80, 0.2])
    sheet.append([])
    sheet.append(["Name", "Store", "Earnings (USD)", None, "Comment"])
    sheet.merge_cells("C5:D5")
    for i in range(10):
        sheet.append([f"r{i}", "Spotify", 0.1 * i, f"part {i}", None])
    sheet.append([])
    sheet.append(["Notes", "Earnings are in USD"])
    sheet.append(["Paid", dt.datetime(2024, 4, 30)])
    [(table, rows)] = assert_same(saved(book))
    assert table.header_row == 4 and table.header[:5] == [
        "Name",
        "Store",
        "Earnings (USD)",
        "",
        "Comment",
    ]
    assert rows["Name"].tolist()[-2:] == ["Notes", "Paid"]


def test_a_very_wide_sheet():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", *(f"Column {j}" for j in range(1, 400))])
    for i in range(50):
        sheet.append(
            [f"row {i}", *((j * 0.1 + i) if (i + j) % 3 else f"t{j}" for j in range(1, 400))]
        )
    [(table, rows)] = assert_same(saved(book))
    assert len(table.header) == 400 and rows.shape == (50, 400)


def test_booleans_among_numbers_stay_booleans(no_cellwise):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Amount"])
    for i, value in enumerate([1.5, True, 0.25, False, 1.0, 0]):
        sheet.append([f"r{i}", value])
    data = saved(book)
    [(_, rows)] = read(data, columns=True)
    assert rows["Amount"].tolist() == ["1.5", "TRUE", "0.25", "FALSE", "1", "0"]


def test_booleans_among_numbers_the_same_both_ways():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Amount", "Flag"])
    for i, value in enumerate([1.5, True, 0.25, False, 1.0, 0]):
        sheet.append([f"r{i}", value, i % 2 == 0])
    assert_same(saved(book))


def test_text_that_reads_like_numbers_keeps_its_digits(no_cellwise):
    """UPCs with a leading zero, long IDs: text cells, whatever they look like."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "UPC", "ID"])
    for i in range(20):
        sheet.append([f"r{i}", f"0{725543123459 + i}", f"{1234567890123456 + i}"])
    [(_, rows)] = read(saved(book), columns=True)
    assert rows["UPC"].iloc[0] == "0725543123459"
    assert rows["ID"].iloc[0] == "1234567890123456"


def test_numbers_among_text_keep_every_digit(no_cellwise):
    """fastexcel's own text for a number keeps nine decimals; a column of text and numbers
    must still give each number its exact text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Earnings"])
    values = [0.000123456789012, "n/a", 1.123456789012345, 1.5e-10, 12345678.9, "0.1000"]
    for i, value in enumerate(values):
        sheet.append([f"r{i}", value])
    [(_, rows)] = read(saved(book), columns=True)
    assert rows["Earnings"].tolist() == [
        "0.000123456789012", "n/a", "1.123456789012345", "1.5e-10", "12345678.9", "0.1000",
    ]  # fmt: skip


def test_a_number_whose_text_is_its_value_is_written_without_an_exponent():
    """Among text, a number fastexcel writes exactly keeps that text: the same value as the
    cell-by-cell reader's ``1e-05`` or ``1000000000000000.0``, as a person would write it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Mixed"])
    for i, value in enumerate(["text", 1e-05, 1e15, 0.5]):
        sheet.append([f"r{i}", value])
    [(_, rows)] = read(saved(book), columns=True)
    assert rows["Mixed"].tolist() == ["text", "0.00001", "1000000000000000", "0.5"]
    assert [Decimal(v) for v in rows["Mixed"].iloc[1:]] == [Decimal("1e-05"), Decimal(10**15),
                                                            Decimal("0.5")]  # fmt: skip


# --- what a sheet holds that columns cannot say: read cell by cell ----------------------------------

SHEET_START = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData>'
)


def hand_made(rows: bytes) -> bytes:
    """A one-sheet workbook written from a template, its sheet XML replaced."""
    template = openpyxl.Workbook()
    template.active.title = "Sales"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved(template))) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = SHEET_START + rows + b"</sheetData></worksheet>"
            dst.writestr(info.filename, data)
    return out.getvalue()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_dates_written_as_iso_text_read_the_same():
    rows = '<row r="1">' + text_cell("A1", "Name") + text_cell("B1", "When") + "</row>"
    for i, iso in enumerate(["2024-03-01T00:00:00", "2024-03-01T13:05:00", "2024-03-01"], 2):
        rows += f'<row r="{i}">' + text_cell(f"A{i}", f"r{i}")
        rows += f'<c r="B{i}" t="d"><v>{iso}</v></c></row>'
    [(_, got)] = assert_same(hand_made(rows.encode()))
    assert got["When"].tolist() == ["2024-03-01 00:00:00", "2024-03-01 13:05:00", "2024-03-01"]


def test_rows_out_of_order_read_the_same():
    rows = '<row r="1">' + text_cell("A1", "Name") + text_cell("B1", "Earnings") + "</row>"
    for i in (40, 3, 2):
        rows += (
            f'<row r="{i}">' + text_cell(f"A{i}", f"r{i}") + f'<c r="B{i}"><v>0.{i}</v></c></row>'
        )
    [(_, got)] = assert_same(hand_made(rows.encode()))
    assert got["Name"].tolist() == ["r2", "r3", "r40"]


def test_a_date_among_text_reads_the_same():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "When"])
    for i, value in enumerate(["Total", dt.datetime(2024, 3, 1), "2024-03-01 00:00:00", 1.5]):
        sheet.append([f"r{i}", value])
    [(_, got)] = assert_same(saved(book))
    assert got["When"].tolist() == ["Total", "2024-03-01", "2024-03-01 00:00:00", "1.5"]


# --- the text of a column of one kind -----------------------------------------------------------------


def _bits(draw_bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", draw_bits))[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.floats(), st.integers(0, 2**64 - 1).map(_bits)), max_size=50))
def test_numbers_text_is_cell_text(values):
    got = sheetcells.numbers_text(pa.array([*values, None], pa.float64())).to_pylist()
    assert got == [cell_text(v) for v in values] + [""]


def test_numbers_text_at_the_edges_of_each_notation():
    values = [1e-4, 9.999999999999999e-05, 1e15 - 1, 1e15, 1e16 - 2, 1e16, 1e21, 1e22, -0.0,
              123456789012345.6, 1234567890123456.7, float("nan"), float("inf")]  # fmt: skip
    got = sheetcells.numbers_text(pa.array(values, pa.float64())).to_pylist()
    assert got == [cell_text(v) for v in values]


# --- whole imports ------------------------------------------------------------------------------------


def dk_workbook(amounts: list[object], *, above: list[list[object]] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in above:
        sheet.append(row)
    sheet.append(DK)
    for n, amount in enumerate(amounts):
        sheet.append(dk_cells(amount, n))
    return saved(book)


def import_both(engine_factory, name: str, data: bytes):
    results = []
    for columns in (True, False):
        spreadsheet.COLUMNS_AT_ONCE = columns
        try:
            results.append(import_bytes(engine_factory(), name, data))
        finally:
            spreadsheet.COLUMNS_AT_ONCE = True
    return results


@pytest.fixture
def fresh_engines(tmp_path):
    from royalty.store.db import make_engine

    made = []

    def make():
        engine = make_engine(f"sqlite:///{tmp_path / f'{len(made)}.db'}")
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


def test_amounts_keep_every_digit_the_cell_holds(fresh_engines):
    amounts = [0.1, 0.000123456789012, 12.345678901234, 3.0, 1 / 3]
    fast, cellwise = import_both(fresh_engines, "dk.xlsx", dk_workbook(amounts))
    assert fast.status == "imported", fast.message
    assert (fast.totals, fast.rows) == (cellwise.totals, cellwise.rows)
    # the workbook holds 16 digits of each (as openpyxl writes them), read back exactly
    held = [float(f"{a:.16g}") for a in amounts]
    assert Decimal(fast.totals["USD"]) == sum(Decimal(repr(a)) for a in held)


@pytest.mark.parametrize(
    "above",
    [
        [],
        [[None], [None], [None]],  # empty rows first
        [["DistroKid statement"], ["Period", "2024-01"], [None]],  # a title and a preamble
    ],
)
def test_a_bad_cell_is_named_by_its_spreadsheet_row(fresh_engines, above):
    amounts = [0.5, 0.25, "twelve", 1.0]
    fast, cellwise = import_both(fresh_engines, "dk.xlsx", dk_workbook(amounts, above=above))
    row = len(above) + 1 + 3  # the header's row, then the third row below it
    assert fast.status == "error"
    assert fast.message == cellwise.message
    assert fast.message == (
        f"dk.xlsx, row {row}, column 'Earnings (USD)': is not an amount of money: 'twelve'"
    )


def test_a_bad_cell_among_lossy_numbers_is_named(fresh_engines):
    amounts = [0.123456789012, 0.5, "N/A", 0.000000000001]
    fast, cellwise = import_both(fresh_engines, "dk.xlsx", dk_workbook(amounts))
    assert fast.message == cellwise.message
    assert "row 4, column 'Earnings (USD)'" in fast.message and "'N/A'" in fast.message


# --- a sheet read in parts while it is checked ----------------------------------------------------


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of a few rows: the limits scan hands over 4 KB at a time, a part is 8 KB."""
    from royalty.ingest import archive, sheetparts, workbooks

    monkeypatch.setattr(archive, "BLOCK", 4096)
    monkeypatch.setattr(workbooks, "_PIECE_BYTES", 4096)
    monkeypatch.setattr(sheetparts, "PART_BYTES", 8192)
    parts = []
    original = sheetparts.sheetcells.read_part
    monkeypatch.setattr(
        sheetparts.sheetcells,
        "read_part",
        lambda *args: parts.append(args[3]) or original(*args),
    )
    return parts


def test_a_sheet_read_in_many_parts_reads_the_same(small_parts):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Statement"])
    sheet.append([])
    sheet.append(["Name", "Amount", "When", "Note"])
    for i in range(3000):
        if i % 500 == 7:
            sheet.append([])  # blank rows, some at the edge of a part
        amount = "N/A" if i == 2500 else (i * 0.000123456789012 if i % 7 else i)
        note = True if i % 997 == 0 else (f"{i:05d}" if i % 3 else None)
        sheet.append([f"r{i}", amount, dt.datetime(2024, 1, 1) + dt.timedelta(hours=i), note])
    [(table, rows)] = assert_same(saved(book))
    assert len(small_parts) > 5
    assert small_parts[0] == 3 and all(start is None for start in small_parts[1:])
    assert table.rows_hint == 3006 and len(rows) == 3000
    # the header is row 3; six blank rows (i % 500 == 7) come before r2500's
    assert rows.index[0] == 4 and rows.index[-1] == 3 + 3000 + 6
    assert rows.loc[rows["Name"] == "r2500"].index.tolist() == [3 + 2500 + 1 + 5]


@pytest.mark.parametrize("bad", [12, 550])
def test_a_bad_cell_in_any_part_is_named_by_its_sheet_row(fresh_engines, small_parts, bad):
    """Empty rows above the header and a sheet read in parts: an error names the sheet's row
    both in the first part (read from below its header) and in a later one (read between the
    rows of ``bounds``)."""
    amounts: list[object] = [round(0.01 * n, 2) for n in range(600)]
    amounts[bad] = "twelve"
    data = dk_workbook(amounts, above=[[None], [None], [None]])
    fast, cellwise = import_both(fresh_engines, "dk.xlsx", data)
    assert len(small_parts) > 5
    assert small_parts[0] == 4 and small_parts[-1] is None
    row = 3 + 1 + bad + 1  # three empty rows, the header, then the row of ``bad``
    assert fast.message == cellwise.message
    assert fast.message == (
        f"dk.xlsx, row {row}, column 'Earnings (USD)': is not an amount of money: 'twelve'"
    )


def test_only_the_columns_asked_for_are_read(small_parts):
    """``chunks(columns=...)`` gives those columns of the header, each cell the text of the
    whole read, each row named by its row in the sheet (empty rows left out as before)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Statement"])
    sheet.append([])
    sheet.append(["Name", "Amount", "When", "Note", "Flag"])
    for i in range(2000):
        if i % 400 == 3:
            sheet.append([])
        when = dt.datetime(2024, 1, 1) + dt.timedelta(hours=i)
        sheet.append([f"r{i}", i * 0.000123456789012, when, None if i % 5 else "x", i % 2 == 0])
    sheet.append([None, None, None, "only a note"])  # a row with none of the columns asked for
    [table] = spreadsheet.tables(Source.from_bytes("book.xlsx", saved(book)), known)
    whole = pd.concat(list(table.chunks()))
    some = pd.concat(list(table.chunks(columns={"Amount", "When", "Flag"})))
    assert list(some.columns) == ["Amount", "When", "Flag"]
    assert list(some.index) == list(whole.index)
    assert some.equals(whole[["Amount", "When", "Flag"]])
    assert whole.loc[whole.index[-1], "Note"] == "only a note"
    assert some.iloc[-1].tolist() == ["", "", ""]
    assert len(small_parts) > 1


def test_a_cell_outside_the_rows_of_its_part_reads_the_same(small_parts):
    """A cell written in a later row's tag but placed by its reference in an earlier row."""
    rows = '<row r="1">' + text_cell("A1", "Name") + text_cell("B1", "Earnings") + "</row>"
    for i in range(2, 800):
        rows += f'<row r="{i}">' + text_cell(f"A{i}", f"r{i}") + f'<c r="B{i}"><v>0.{i}</v></c>'
        if i == 795:
            rows += '<c r="C5"><v>7</v></c>'
        rows += "</row>"
    [(_, got)] = assert_same(hand_made(rows.encode()))
    assert got.iloc[3].tolist() == ["r5", "0.5", "7"]
    assert len(small_parts) > 1


def test_rows_far_apart_under_a_header_wider_than_them(small_parts):
    """Rows numbered with gaps (no tag for the rows between), the last header cells over no
    cell at all: parts meet at gaps, and the header's empty columns are empty text."""
    header = "".join(
        text_cell(f"{c}1", name)
        for c, name in zip("ABCDE", ["Name", "Earnings", "x", "y", "Note"], strict=True)
    )
    rows = f'<row r="1">{header}</row>'
    for n, i in enumerate(range(3, 9000, 7)):
        rows += (
            f'<row r="{i}">' + text_cell(f"A{i}", f"r{n}") + f'<c r="B{i}"><v>{n}.25</v></c></row>'
        )
    [(_, got)] = assert_same(hand_made(rows.encode()))
    assert len(small_parts) > 1
    assert got["Note"].eq("").all() and got["Earnings"].iloc[0] == "0.25"


def test_a_part_that_needs_the_cell_reader_early_in_a_long_sheet(small_parts, monkeypatch):
    """The check waits for the parts before it goes on; one that cannot be read a column at a
    time leaves the sheet to the cell reader, never an error."""
    from royalty.ingest import sheetparts

    handed = []  # parts handed to the readers (a part handed over after the failure may be
    original = sheetparts.SheetReader._hand_over  # dropped before a reader starts on it)

    def counted(reader, last):  # type: ignore[no-untyped-def]
        before = len(reader._parts)
        original(reader, last)
        handed.extend(range(len(reader._parts) - before))

    monkeypatch.setattr(sheetparts.SheetReader, "_hand_over", counted)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "When", "Earnings"])
    for i in range(3000):
        when = dt.datetime(2024, 3, 1) if i == 5 else f"week {i % 52}"
        sheet.append([f"r{i}", when, i * 0.01])
    [(_, got)] = assert_same(saved(book))
    assert got["When"].iloc[5] == "2024-03-01" and len(handed) >= 2 and small_parts


def random_workbook(seed: int) -> bytes:
    """Rows above a header, columns each of one kind of cell or of several, blank rows."""
    rng = random.Random(seed)
    values = {
        "number": lambda: rng.choice([rng.uniform(-1e3, 1e3), float(rng.randrange(10**6)),
                                      rng.random() * 10 ** rng.randrange(-12, 17), 1 / 3]),
        "text": lambda: rng.choice(["abc", "00123", "1e5", "0.1000", "N/A", "", " x ", "true",
                                    "2024-03-01 00:00:00", "12", "Ünïcödé"]),
        "date": lambda: rng.choice([dt.datetime(2024, 3, 1), dt.date(2023, 12, 31),
                                    dt.datetime(2024, 3, 1, 13, 5, 7, 123000), dt.time(4, 5, 6)]),
        "boolean": lambda: rng.random() < 0.5,
    }  # fmt: skip
    values["mixed"] = lambda: values[rng.choice(["number", "text", "boolean"])]()
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(rng.randrange(4)):
        sheet.append([rng.choice(["Title", None, 12.5]) for _ in range(rng.randrange(1, 4))])
    kinds = [rng.choice(list(values)) for _ in range(rng.randrange(1, 8))]
    sheet.append(["Name", *(f"c{j}" for j in range(len(kinds)))])
    for i in range(rng.randrange(1, 1500)):
        if rng.random() < 0.01:
            sheet.append([])
        else:
            sheet.append([f"r{i}", *(values[k]() if rng.random() > 0.1 else None for k in kinds)])
    return saved(book)


@pytest.mark.parametrize("seed", range(8))
def test_random_workbooks_read_the_same(small_parts, seed):
    assert_same(random_workbook(seed))
