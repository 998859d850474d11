"""Money that must never be silently wrong: each file here once imported with a wrong total.

Every test builds its hostile file itself. The rule behind them: an import either stores
lines whose sum is the file's exact total, or stores nothing and names the file, row and
column of the cell that is wrong.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_line_list

from royalty.ingest import import_bytes
from royalty.money import EXACT, decimal_text, exact_add
from royalty.store.models import EarningLine, Statement, StatementTotal

HEADER = [
    "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
    "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld",
    "Earnings (USD)",
]  # fmt: skip
EARNINGS = "Earnings (USD)"


def dk_row(amount: str, n: int = 0, title: str | None = None, upc: str = "195920977126") -> str:
    return "\t".join(
        ["2024-03-08", "2024-01", "Spotify", "Inés Solà", title or f"Track {n % 40}",
         f"QZNWX24{n % 40:05d}", upc, str(10 + n % 7), "100", "Song",
         ("US", "GB", "DE", "ES")[n % 4], "0", amount]
    )  # fmt: skip


def dk_file(amounts: list[str], **kwargs) -> bytes:
    lines = ["\t".join(HEADER), *(dk_row(a, i, **kwargs) for i, a in enumerate(amounts))]
    return ("\n".join(lines) + "\n").encode()


def cents(n: int) -> list[str]:
    return [f"0.0{1 + i % 9}{i % 10}31" for i in range(n)]


FIXTURES = Path(__file__).parent / "fixtures"


def nothing_stored(engine) -> bool:
    with engine.connect() as conn:
        return all(
            conn.execute(select(func.count()).select_from(t)).scalar_one() == 0
            for t in (Statement, EarningLine, StatementTotal)
        )


# --- 1. one number style per file -------------------------------------------------------------


def test_one_decimal_comma_cell_among_decimal_points_is_an_error_naming_it(engine):
    amounts = cents(20)
    amounts[7] = "12,5"

    result = import_bytes(engine, "dk.tsv", dk_file(amounts))

    assert result.status == "error"
    assert result.message.startswith(f"dk.tsv, row 9, column '{EARNINGS}': is not an amount")
    assert "decimal point" in result.message and "'12,5'" in result.message
    assert nothing_stored(engine)


@pytest.mark.parametrize("cell", ["12,5", "1 234,56", "1.234,56", "0,5"])
def test_a_stray_style_deep_in_a_large_file_is_named_not_read(engine, cell):
    amounts = cents(130_000)
    amounts[30_000] = cell  # row 30,002 of the file: inside the first chunk
    amounts[100_000] = cell  # and in a later one

    result = import_bytes(engine, "dk130k.tsv", dk_file(amounts))

    assert result.status == "error", result.message
    assert f"row 30002, column '{EARNINGS}'" in result.message
    assert repr(cell) in result.message
    assert nothing_stored(engine)


def test_a_stray_style_only_in_a_later_chunk_blames_that_cell(engine):
    amounts = cents(130_000)
    amounts[100_000] = "12,5"

    result = import_bytes(engine, "dk130k.tsv", dk_file(amounts))

    assert result.status == "error"
    assert f"row 100002, column '{EARNINGS}'" in result.message
    assert "'12,5'" in result.message
    assert nothing_stored(engine)


def test_a_file_written_with_decimal_commas_throughout_imports_exactly(engine):
    amounts = [a.replace(".", ",") for a in cents(60_000)]
    expected = exact_add(Decimal(a.replace(",", ".")) for a in amounts)

    result = import_bytes(engine, "dk_resaved_de.tsv", dk_file(amounts))

    assert result.status == "imported", result.message
    assert Decimal(result.totals["USD"]) == expected
    with engine.connect() as conn:
        nano = conn.execute(select(func.sum(EarningLine.amount_nano))).scalar_one()
    assert nano == int(expected * 10**9)


def test_a_point_among_decimal_commas_is_an_error_naming_it(engine):
    amounts = [a.replace(".", ",") for a in cents(30)]
    amounts[3] = "11.40087830"

    result = import_bytes(engine, "dk_de.tsv", dk_file(amounts))

    assert result.status == "error"
    assert f"row 5, column '{EARNINGS}'" in result.message
    assert "'11.40087830'" in result.message and "decimal comma" in result.message
    assert nothing_stored(engine)


def test_thousands_groups_are_read_only_where_they_are_groups(engine):
    result = import_bytes(engine, "dk.tsv", dk_file(["1,234.50", "0.25", "1,250"]))

    assert result.status == "imported", result.message
    assert result.totals == {"USD": "2484.75"}


def test_amounts_too_large_for_sums_are_refused_not_overflowed(engine):
    result = import_bytes(engine, "dk_huge.tsv", dk_file(["999999999.99"] * 20))

    assert result.status == "error"
    assert "add up to more than 9,223,372,036" in result.message
    assert "Traceback" not in result.message and "OperationalError" not in result.message
    assert nothing_stored(engine)


def test_quantities_follow_the_file_style_too(engine):
    data = dk_file(cents(3)).replace(b"\t10\t100\t", b"\t12,5\t100\t", 1)

    result = import_bytes(engine, "dk_qty.tsv", data)

    assert result.status == "error"
    assert "row 2, column 'Quantity'" in result.message and "'12,5'" in result.message


# --- 2. every digit the file gives ------------------------------------------------------------


def test_totals_keep_every_digit_the_file_gives(engine):
    amounts = ["1058.582748109012345678901234", "0." + "0" * 39 + "1", "0.5"]
    expected = Decimal("1059.0827481090123456789012340000000000000001")

    result = import_bytes(engine, "dk40.tsv", dk_file(amounts))

    assert result.status == "imported", result.message
    assert Decimal(result.totals["USD"]) == expected
    assert result.totals["USD"] == "1059.0827481090123456789012340000000000000001"
    with engine.connect() as conn:
        stored_total = conn.execute(select(StatementTotal.amount)).scalar_one()
        lines = conn.execute(select(EarningLine.amount).order_by(EarningLine.row_number)).all()
        nano = conn.execute(select(func.sum(EarningLine.amount_nano))).scalar_one()
    assert stored_total == "1059.0827481090123456789012340000000000000001"
    assert [a for (a,) in lines] == amounts  # each line's exact text, as the file gave it
    # pages sum nano-units: each line rounded half-even at the 9th decimal, as documented
    assert nano == 1058_582748109 + 0 + 500_000_000
    assert "pages count 1059.082748109" in result.message


def test_exact_arithmetic_never_rounds_at_28_digits():
    a, b = Decimal("1" + "0" * 40), Decimal("0." + "0" * 45 + "3")
    assert decimal_text(exact_add([a, b])) == "1" + "0" * 40 + "." + "0" * 45 + "3"
    assert EXACT.add(a, b) - a == b


# --- 3. stray quotes ----------------------------------------------------------------------------


def test_a_stray_quote_in_a_tab_file_is_an_error_naming_the_row_where_it_opens(engine):
    amounts = cents(4_325)
    lines = [dk_row(a, i) for i, a in enumerate(amounts)]
    lines[9] = dk_row(amounts[9], 9, title='"Night Ferry')  # file row 11
    lines[109] = dk_row(amounts[109], 109, title='Quayside"')  # file row 111
    data = ("\n".join(["\t".join(HEADER), *lines]) + "\n").encode()

    result = import_bytes(engine, "dk_quotes.tsv", data)

    assert result.status == "error"
    assert result.message.startswith("dk_quotes.tsv, row 11, column 'Title': a quote opens")
    assert "'\"Night Ferry'" in result.message
    assert nothing_stored(engine)


def test_quotes_inside_a_tab_cell_are_text_and_whole_cell_quotes_are_removed(engine):
    amounts = cents(4)
    lines = [
        dk_row(amounts[0], 0, title='"Heroes" (Live)'),
        dk_row(amounts[1], 1, title='"Quayside"'),
        dk_row(amounts[2], 2, title='Quayside"'),
        dk_row(amounts[3], 3, title='"Say ""when"""'),
    ]
    data = ("\n".join(["\t".join(HEADER), *lines]) + "\n").encode()

    result = import_bytes(engine, "dk_titles.tsv", data)

    assert result.status == "imported", result.message
    assert result.rows == result.stored == 4
    assert [line["title"] for line in stored_line_list(engine)] == [
        '"Heroes" (Live)',
        "Quayside",
        'Quayside"',
        'Say "when"',
    ]


@pytest.mark.parametrize("careful", [False, True])
def test_a_stray_quote_in_a_comma_file_would_swallow_rows_and_is_an_error(careful):
    from royalty.ingest import reader

    rows = ["Month,Store,Title,Amount"] + [f"2024-01,Spotify,Song {i},0.01" for i in range(50)]
    rows[5] = '2024-01,Spotify,"Night Ferry,0.01'
    rows[30] = '2024-01,Spotify,Quayside",0.01'
    source = reader.Source.from_bytes("q.csv", ("\n".join(rows) + "\n").encode())
    (table,) = reader.open_tables(source, lambda cells: cells[:2] == ["Month", "Store"])

    with pytest.raises(reader.StatementError) as caught:
        list(table.chunks(careful=careful))

    assert str(caught.value).startswith("q.csv, row 6, column 'Title': a quote opens")


@pytest.mark.parametrize("repeat", [1, 20_000])
def test_a_stray_quote_in_a_column_no_layout_maps_is_still_an_error(engine, repeat):
    """The import reads only the columns its layout maps, so a quote left open in another
    column (Zebralution's order number) is not in any cell it looks at: the rows it would
    swallow are counted against the file's lines, and the careful reader names the cell."""
    header, *rows = (FIXTURES / "zebralution_2024-Q1_rs.csv").read_text().splitlines()
    rows = [row.replace('"', "") for row in rows] * repeat  # no other quote to pair with
    rows[2] = rows[2].replace(";BWR011;", ';"BWR011;')  # file row 4
    rows[5] = rows[5].replace(";BWR011;", ';BWR011";')  # closes it, 28 cells in all
    data = ("\r\n".join([header, *rows]) + "\r\n").encode()

    result = import_bytes(engine, "zeb_quote.csv", data)

    assert result.status == "error"
    assert result.format == "zebralution"
    assert result.message.startswith("zeb_quote.csv, row 4, column 'Label Order-Nr': a quote")
    assert nothing_stored(engine)


# --- 5. mixed encodings -------------------------------------------------------------------------


def test_a_file_mostly_utf8_with_latin1_rows_stops_at_the_first_such_row(engine):
    amounts = cents(200)
    lines = [dk_row(a, i, title="Café Noir").encode() for i, a in enumerate(amounts)]
    lines[150] = dk_row(amounts[150], 150, title="Café Noir").encode("latin-1")  # file row 152
    data = b"\n".join(["\t".join(HEADER).encode(), *lines]) + b"\n"

    result = import_bytes(engine, "dk_mixed.tsv", data)

    assert result.status == "error"
    assert result.message.startswith("dk_mixed.tsv, row 152: has text in two encodings")
    assert nothing_stored(engine)


def test_latin1_rows_first_and_utf8_later_are_caught_too(engine):
    amounts = cents(30)
    lines = [dk_row(a, i, title="Café Noir").encode("cp1252") for i, a in enumerate(amounts)]
    lines[20] = dk_row(amounts[20], 20, title="Café Noir").encode()
    data = b"\n".join(["\t".join(HEADER).encode(), *lines]) + b"\n"

    result = import_bytes(engine, "dk_mixed2.tsv", data)

    assert result.status == "error"
    assert "has text in two encodings" in result.message
    assert nothing_stored(engine)


def test_a_whole_latin1_file_still_imports_with_its_accents(engine):
    amounts = cents(30)
    data = dk_file(amounts, title="Café Noir").decode().encode("cp1252")

    result = import_bytes(engine, "dk_latin1.tsv", data)

    assert result.status == "imported", result.message
    assert {line["title"] for line in stored_line_list(engine)} == {"Café Noir"}


# --- 4. a spreadsheet re-save ------------------------------------------------------------------

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "distrokid_2024.tsv"


def excel_resave(text: str, *, month_to: str | None = None) -> bytes:
    """The rows as Excel saves a TSV opened and saved as CSV: commas, UPCs in scientific
    notation, amounts without trailing zeros."""
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    header = rows[0]
    upc, amount, month = (
        header.index("UPC"),
        header.index("Earnings (USD)"),
        header.index("Sale Month"),
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows[1:]:
        row = list(row)
        row[upc] = f"{int(row[upc]):.5E}"
        row[amount] = row[amount].rstrip("0").rstrip(".") if "." in row[amount] else row[amount]
        if month_to:
            row[month] = month_to
        writer.writerow(row)
    return out.getvalue().encode()


def income(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count(), func.coalesce(func.sum(EarningLine.amount_nano), 0))
        ).one()


def release_count(engine) -> int:
    from royalty.store.models import Release

    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Release)).scalar_one()


def test_an_excel_resave_of_a_stored_statement_adds_nothing(engine):
    original = SAMPLE.read_bytes()
    first = import_bytes(engine, "distrokid_2024.tsv", original)
    before, releases = income(engine), release_count(engine)

    again = import_bytes(engine, "distrokid_2024.csv", excel_resave(original.decode()))

    assert first.status == "imported" and again.status == "imported", again.message
    assert (again.stored, again.skipped) == (0, first.stored)
    assert income(engine) == before  # the year is not doubled
    assert release_count(engine) == releases


def test_a_resave_with_new_months_stores_only_those(engine):
    original = SAMPLE.read_text()
    import_bytes(engine, "distrokid_2024.tsv", original.encode())
    before = income(engine)
    header, *rows = original.splitlines()
    new_rows = [r.replace("\t2024-12\t", "\t2025-01\t") for r in rows if "\t2024-12\t" in r]
    combined = "\n".join([header, *rows, *new_rows]) + "\n"

    result = import_bytes(engine, "distrokid_2024_2025.csv", excel_resave(combined))

    assert result.status == "imported", result.message
    assert (result.stored, result.skipped) == (len(new_rows), len(rows))
    assert income(engine)[0] == before[0] + len(new_rows)


def test_resaved_lines_of_a_new_month_keep_their_release(engine):
    original = SAMPLE.read_text()
    import_bytes(engine, "distrokid_2024.tsv", original.encode())
    releases = release_count(engine)

    result = import_bytes(engine, "dk_2026-01.csv", excel_resave(original, month_to="2026-01"))

    assert result.status == "imported", result.message
    assert result.stored > 0
    assert release_count(engine) == releases
    upcs = {line["upc"] for line in stored_line_list(engine)}
    assert "" not in upcs


def test_a_resave_imported_first_then_the_original_is_refused_not_doubled(engine):
    original = SAMPLE.read_bytes()
    first = import_bytes(engine, "distrokid_2024.csv", excel_resave(original.decode()))
    before = income(engine)

    result = import_bytes(engine, "distrokid_2024.tsv", original)

    assert first.status == "imported", first.message
    assert result.status == "error"
    assert "every line of it is already stored" in result.message
    assert "distrokid_2024.csv" in result.message
    assert income(engine) == before
