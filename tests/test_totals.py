"""The one checker of a statement's own total rows (``importers.totals``): how near a total
must be, what it covers, what the error names, and that total rows are dropped as such.

The layouts' own total rows (Apple's footer, Traxsource's summary block, ...) are tested with
each layout; here a small layout shows the checker alone, and every layout that has total
rows is shown to drop them as ``total row``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from royalty.importers import ImportOptions, Layout
from royalty.importers.totals import (
    TotalRows,
    agrees_as_printed,
    agrees_as_spreadsheet,
    agrees_exactly,
    cells,
    currency_named,
)
from royalty.ingest import import_bytes, import_path, preview
from royalty.ingest.reader import Source

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("printed", "exact", "lines", "size", "ok"),
    [
        # rounded to the cent (Traxsource's Period Total)
        ("498.67", "498.665080", 163, "498.665080", True),
        ("498.66", "498.665080", 163, "498.665080", False),
        ("498.68", "498.665080", 163, "498.665080", False),
        # a spreadsheet's float sum, and the same sum rounded to 8 decimals (Labelworx)
        ("424.1077764579039", "424.107776457904358998", 1308, "424.107776457904358998", True),
        ("424.10777646", "424.107776457904358998", 1308, "424.107776457904358998", True),
        ("424.10777656", "424.107776457904358998", 1308, "424.107776457904358998", False),
        # a line of 0.000001 missing from a total printed to nine decimals shows
        ("202.960013368", "202.960014368", 2232, "202.960014368", False),
        ("202.9600144", "202.960014368", 2232, "202.960014368", True),
        # a whole number is rounded to the unit
        ("10", "10", 3, "10", True),
        ("10", "10.4", 3, "10.4", True),
        ("10", "10.6", 3, "10.6", False),
    ],
)
def test_a_printed_total_agrees_with_the_exact_sum_within_its_own_rounding(
    printed, exact, lines, size, ok
):
    assert (
        agrees_as_printed(Decimal(printed), Decimal(exact), lines=lines, size=Decimal(size)) is ok
    )


def test_a_total_agrees_exactly_or_as_a_spreadsheet_writes_it():
    exact = Decimal("4.872")
    assert agrees_as_spreadsheet(Decimal("4.872"), exact)
    assert agrees_as_spreadsheet(Decimal("4.8720"), exact)
    assert agrees_as_spreadsheet(Decimal("4.87"), exact)  # rounded to the cents it shows
    assert agrees_as_spreadsheet(Decimal("4.872000000000001"), exact)  # a binary sum's last digit
    assert agrees_as_spreadsheet(Decimal("202.9600144"), Decimal("202.960014368"))
    assert not agrees_as_spreadsheet(Decimal("4.88"), exact)
    assert not agrees_as_spreadsheet(Decimal("5"), exact)  # a whole number is no rounding of pence
    assert not agrees_as_spreadsheet(Decimal("4.8720000000001"), exact)
    assert not agrees_as_spreadsheet(Decimal("-4.872"), exact)


def test_a_total_the_file_prints_in_full_agrees_only_exactly():
    exact = Decimal("40.56")
    assert agrees_exactly(Decimal("40.560"), exact)
    assert not agrees_exactly(Decimal("40.6"), exact)
    assert not agrees_exactly(Decimal("40.560000000000001"), exact, lines=10, size=exact)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GBP", "GBP"),
        ("Euro", "EUR"),
        ("US Dollars", "USD"),
        ("  us  dollars ", "USD"),
        ("XYZ", None),
        ("Dollars", None),  # Canadian, Australian, ...: not said
        ("", None),
    ],
)
def test_currency_named(text, code):
    assert currency_named(text) == code


# --- the checker in a layout of its own --------------------------------------------------------

TOTALS = TotalRows(
    find=lambda data: data["store"].str.strip() == "Total",
    says=cells("amount", "quantity", name_in="store"),
    tolerance=agrees_exactly,
)
LAYOUT = Layout(
    name="totals-test",
    source="Totals test",
    title="A test table with total rows",
    signature=("Month", "Store", "Units", "Money"),
    columns={"usage_month": "Month", "store": "Store", "quantity": "Units", "amount": "Money"},
    currency="USD",
    prepare=TOTALS.drop,
    scan=TOTALS.scan,
)
OPTIONS = ImportOptions(layouts=(LAYOUT,))
LINES = ["2024-01,Spotify,10,1.25", "2024-01,Tidal,3,0.50", "2024-02,Spotify,7,0.75"]


def table(*rows: str) -> bytes:
    return ("Month,Store,Units,Money\n" + "\n".join(rows) + "\n").encode()


def test_a_total_that_agrees_is_dropped_as_a_total_row(engine):
    result = import_bytes(engine, "t.csv", table(*LINES, ",Total,20,2.50"), OPTIONS)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.dropped) == (4, 3, 1)
    assert result.dropped_because == {"total row": 1}
    assert result.totals == {"USD": "2.5"}


def test_a_total_above_the_lines_covers_the_whole_file(engine):
    result = import_bytes(engine, "t.csv", table(",Total,20,2.50", *LINES), OPTIONS)
    assert (result.status, result.stored) == ("imported", 3), result.message

    wrong = import_bytes(engine, "w.csv", table(",Total,0,0", *LINES), OPTIONS)
    assert wrong.status == "error"  # nothing above it: not a total of no lines
    assert "row 2, column 'Money'" in wrong.message


def test_a_total_that_does_not_agree_names_its_row_column_and_both_figures(engine):
    result = import_bytes(engine, "t.csv", table(*LINES, ",Total,20,2.05"), OPTIONS)

    assert result.status == "error"
    assert "row 5, column 'Money'" in result.message
    assert "the 'Total' row says 2.05 but the statement's 3 lines add up to 2.5" in result.message


def test_units_are_counted_exactly(engine):
    result = import_bytes(engine, "t.csv", table(*LINES, ",Total,21,2.50"), OPTIONS)

    assert result.status == "error"
    assert "row 5, column 'Units'" in result.message
    assert "says 21 units but the statement's 3 lines count 20" in result.message


def test_subtotals_cover_the_lines_since_the_total_row_above_them(engine):
    rows = [*LINES[:2], ",Total,13,1.75", LINES[2], ",Total,7,0.75", ",Total,20,2.50"]
    result = import_bytes(engine, "t.csv", table(*rows), OPTIONS)
    assert result.status == "imported", result.message
    assert (result.stored, result.dropped_because) == (3, {"total row": 3})

    first = import_bytes(engine, "a.csv", table(*rows[:2], ",Total,13,1.57", *rows[3:]), OPTIONS)
    assert first.status == "error"
    assert "row 4" in first.message and "add up to 2.5 (1.75 above it)" in first.message

    second = import_bytes(engine, "b.csv", table(*rows[:4], ",Total,7,0.57", rows[5]), OPTIONS)
    assert second.status == "error"
    assert "row 6" in second.message and "says 0.57" in second.message
    assert "add up to 2.5 (0.75 since the total row above it)" in second.message


def test_the_total_is_read_in_the_files_own_number_style(engine):
    data = (
        b"Month;Store;Units;Money\n2024-01;Spotify;10;1,25\n2024-01;Tidal;3;0,5\n;Total;13;1,75\n"
    )

    result = import_bytes(engine, "t.csv", data, OPTIONS)

    assert result.status == "imported", result.message
    assert (result.stored, result.totals) == (2, {"USD": "1.75"})


def test_a_preview_reads_no_whole_file_and_checks_no_total():
    shown = preview(Source.from_bytes("t.csv", table(*LINES, ",Total,0,9.99")), OPTIONS)

    assert shown.error is None
    assert len(shown.rows) == 3  # the total row is still no line


# --- every layout with total rows drops them as such -------------------------------------------

STUDIO = ImportOptions(period=(202609, 202610))


@pytest.mark.parametrize(
    ("fixture", "options", "stored", "total_rows"),
    [
        ("apple_itunes_2024-01_au_fiscal.txt", None, 10, 3),  # Total_Rows, _Amount, _Units
        ("youtube_studio_table_data.csv", STUDIO, 5, 1),
        ("traxsource_2024-05_statement.csv", None, 8, 15),  # the summary block, note included
        ("zebralution_2024-Q2_rs_excel.csv", None, 11, 1),  # Excel's sum row
        ("labelworx_2024-Q1_gbp.csv", None, 12, 3),  # the sum, the GBP sum, the conversion
    ],
)
def test_each_layouts_total_rows_are_dropped_as_total_rows(
    engine, fixture, options, stored, total_rows
):
    result = import_path(engine, FIXTURES / fixture, options)

    assert result.status == "imported", result.message
    assert result.stored == stored
    assert result.dropped_because.get("total row") == total_rows
