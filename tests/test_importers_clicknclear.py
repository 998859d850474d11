"""ClicknClear reports: rows without a header, typed by their first cells (T totals, S sales).

Totals are summed with Decimal straight from each fixture's text (the last cell of each sale
row), and also written out, so a change in either the fixture or the importer shows up to the
last digit.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_lines

from royalty import importers
from royalty.importers import clicknclear
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement, StatementTotal

FIXTURES = Path(__file__).parent / "fixtures"
USD_FILE = FIXTURES / "clicknclear_2024-q2_usd.csv"
GBP_FILE = FIXTURES / "clicknclear_2023-q4_gbp_crlf.csv"


def file_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f) if row]


def sale_totals(path: Path) -> dict[str, Decimal]:
    """Per currency, the amount due of every sale row: its last cell; its currency is the 11th
    cell of a master sale, the 10th of a publishing sale."""
    totals: dict[str, Decimal] = {}
    for row in file_rows(path):
        if row[0] == "S":
            currency = row[10] if row[1] == "M" else row[9]
            totals[currency] = totals.get(currency, Decimal(0)) + Decimal(row[-1])
    return totals


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def test_master_and_publishing_sales_in_usd(engine):
    expected = {"USD": Decimal("42.6012")}  # masters 24.3721, publishing 18.2291
    assert sale_totals(USD_FILE) == expected

    result = import_path(engine, USD_FILE)

    assert result.status == "imported", result.message
    assert result.format == "clicknclear"
    # 10 rows: 3 total rows (master, publishing, a producer-fee one counting no sales), 7 sales
    assert (result.rows, result.stored, result.skipped) == (10, 7, 0)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    assert result.totals == {"USD": "42.6012"}
    assert result.period == ["2024-04", "2024-06"]
    lines = stored_lines(engine)
    assert sorted(lines) == [2, 3, 4, 5, 7, 8, 9]  # the total rows 1, 6 and 10 are not lines
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected["USD"]
    assert sum(x["amount_nano"] for x in lines.values()) == 42_601_200_000
    assert {x["currency"] for x in lines.values()} == {"USD"}
    assert {r: x["kind"] for r, x in lines.items()} == {
        2: "other", 3: "other", 4: "other", 5: "other", 7: "sync", 8: "sync", 9: "sync",
    }  # fmt: skip
    assert {r: x["usage_month"] for r, x in lines.items()} == {
        2: 202404, 3: 202405, 4: 202406, 5: 202406, 7: 202404, 8: 202405, 9: 202406,
    }  # fmt: skip
    for line in lines.values():
        assert line["usage_month_end"] == line["usage_month"]
        assert line["reporting_month"] == 202406  # the end of the reporting period
        assert (line["store"], line["platform"], line["quantity"]) == ("ClicknClear",) * 2 + (1,)

    master = lines[2]
    assert (master["artist"], master["title"]) == (
        "Juniper Vale, The Marrow Lights",
        "Paper Lanterns",
    )
    assert (master["isrc"], master["upc"], master["territory"]) == (
        "QZHN92400101", "00860012345671", "US",
    )  # fmt: skip
    assert (master["amount"], master["currency"]) == ("7.2916", "USD")
    assert lines[4]["amount"] == "0.0000"  # refunded in full: a line, of nothing
    assert lines[5]["territory"] == "GB"
    publishing = lines[9]
    assert (publishing["artist"], publishing["title"], publishing["territory"]) == (
        "Juniper Vale", "Glasshouse", "CA",
    )  # fmt: skip
    assert publishing["amount"] == "8.7500"
    assert publishing["isrc"] == ""  # its code is an ISWC (a work), not an ISRC
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
        total = conn.execute(select(StatementTotal)).one()
    assert (statement.layout, statement.source) == ("clicknclear", "ClicknClear")
    assert (statement.first_month, statement.last_month) == (202404, 202406)
    assert (total.currency, total.amount, total.lines) == ("USD", "42.6012", 7)


def test_gbp_report_with_crlf_and_a_balance_brought_forward(engine):
    """The balance brought forward (3.5000 and 1.2501 here) was earned in earlier reports:
    it is checked as part of the total due, never stored."""
    expected = {"GBP": Decimal("29.9786")}  # masters 22.0207, publishing 7.9579
    assert sale_totals(GBP_FILE) == expected
    assert b"\r\n" in GBP_FILE.read_bytes()

    result = import_path(engine, GBP_FILE)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (7, 5)
    assert result.totals == {"GBP": "29.9786"}
    lines = stored_lines(engine)
    assert sorted(lines) == [2, 3, 4, 6, 7]
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected["GBP"]
    assert {r: (x["usage_month"], x["kind"]) for r, x in lines.items()} == {
        2: (202310, "other"), 3: (202311, "other"), 4: (202312, "other"),
        6: (202310, "sync"), 7: (202312, "sync"),
    }  # fmt: skip
    assert {x["reporting_month"] for x in lines.values()} == {202312}
    assert lines[4]["territory"] == "AU"
    assert lines[7]["artist"] == "Sable & the Ferrymen"


def test_two_reports_in_two_currencies(engine):
    assert import_path(engine, USD_FILE).status == "imported"
    assert import_path(engine, GBP_FILE).status == "imported"
    totals: dict[str, Decimal] = {}
    with engine.connect() as conn:
        for currency, amount in conn.execute(select(EarningLine.currency, EarningLine.amount)):
            totals[currency] = totals.get(currency, Decimal(0)) + Decimal(amount)
    assert totals == {"USD": Decimal("42.6012"), "GBP": Decimal("29.9786")}
    assert totals == {**sale_totals(USD_FILE), **sale_totals(GBP_FILE)}


TOTAL_ROW = "T,M,2024-04-01T00:00:00.000Z,2024-06-30T23:59:59.999Z,4,USD,12.3400,24.3721,36.71"


@pytest.mark.parametrize(
    ("wrong", "column", "words"),
    [
        (TOTAL_ROW.replace("24.3721", "24.3712"), "Amounts Due To Rightsholder",
         "the master total row says 24.3712 USD is due, but its sales add up to 24.3721"),
        (TOTAL_ROW.replace(",4,USD", ",5,USD"), "Number of Sales Of this Income Type",
         "the master total row says 5 sales in USD, but the report has 4"),
        (TOTAL_ROW.replace("36.71", "36.17"), "Total Due To Rightsholder",
         "the master total row says 36.17 USD is due in all, but its balance brought forward "
         "and amount due add up to 36.7121"),
    ],
    ids=["amount due", "number of sales", "total due"],
)  # fmt: skip
def test_a_total_row_that_does_not_add_up_names_the_row(engine, tmp_path, wrong, column, words):
    text = USD_FILE.read_text(encoding="utf-8")
    assert TOTAL_ROW in text
    bad = tmp_path / "report.csv"
    bad.write_text(text.replace(TOTAL_ROW, wrong), encoding="utf-8")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert f"row 1, column '{column}'" in result.message, result.message
    assert words in result.message
    assert counts(engine) == (0, 0)


@pytest.mark.parametrize(
    ("old", "new", "row", "column", "words"),
    [
        (",US,USD,25.0000,0.0000,4.1666,20.8334,10.4167,70.00,7.2916",
         ",US,GBP,25.0000,0.0000,4.1666,20.8334,10.4167,70.00,7.2916",
         2, "Currency", "no total row of the report counts master sales in GBP"),
        ("\nS,P,2024-05-17", "\nX,P,2024-05-17", 8, "Row Type", "'X' is not a ClicknClear row type"),
        ("\nS,P,2024-05-17", "\nS,Q,2024-05-17", 8, "Income Type", "'Q' is not a ClicknClear income"),
        ("\nS,P,2024-05-17", "\nS,PR,2024-05-17", 8, "Income Type", "is a producer-fee sale"),
        (",65.00,5.4139\n", ",65.00,5.4139,0.5\n", 5, "Amount Due to Rightsholder",
         "its last filled cell is cell 19, but a ClicknClear master sale row has 18 cells"),
        (",65.00,5.4139\n", ",5.4139\n", 5, "Amount Due to Rightsholder",
         "its last filled cell is cell 17"),
        (",65.00,5.4139\n", ",65.00,5,4139\n", 5, "Amount Due to Rightsholder", "cell 19"),
        (",70.00,8.7500\n", ",70.00,8.75 USD\n", 9, "Amount Due to Rightsholder",
         "is not an amount of money: '8.75 USD'"),
    ],
    ids=["currency", "row type", "income type", "producer fee sale", "extra cell",
         "missing cell", "decimal comma", "amount"],
)  # fmt: skip
def test_a_row_the_spec_does_not_describe_is_an_error_naming_it(
    engine, tmp_path, old, new, row, column, words
):
    text = USD_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    bad = tmp_path / "report.csv"
    bad.write_text(text.replace(old, new), encoding="utf-8")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert f"row {row}, column '{column}'" in result.message, result.message
    assert words in result.message
    assert counts(engine) == (0, 0)


def test_the_first_row_recognizes_the_layout_and_no_other_fixture_is_taken():
    """A file without a header is recognized by its first row; no other layout's file is."""
    for path in sorted(FIXTURES.iterdir()):
        if not path.is_file() or path.suffix.lower() not in (".csv", ".tsv", ".txt"):
            continue
        first = next(
            csv.reader(path.read_text(encoding="utf-8", errors="replace").splitlines()), []
        )
        names = clicknclear.headerless(first)
        if path.name.startswith("clicknclear_"):
            assert names is not None, path.name
            assert importers.headerless_columns(first) == names
            assert importers.detect(names)[0] is clicknclear.LAYOUT
        else:
            assert (names, importers.headerless_columns(first)) == (None, None), path.name


def test_sales_before_their_totals_read_in_many_blocks(engine, monkeypatch):
    """Rows of 18, 19 and 9 cells: when the first has as many cells as the widest (a publishing
    sale), the fast reader starts and hands the file over to the careful one at the first
    shorter row, however far down it is."""
    from royalty.ingest import delimited, import_bytes

    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 256)  # about one row a block
    rows = USD_FILE.read_text(encoding="utf-8").splitlines()
    publishing = [r for r in rows if r.startswith("S,P")]
    reordered = publishing + [r for r in rows if not r.startswith("S,P")]
    result = import_bytes(engine, "reordered.csv", ("\n".join(reordered) + "\n").encode())

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.totals) == (10, 7, {"USD": "42.6012"})
    assert {x["kind"] for r, x in stored_lines(engine).items() if r <= 3} == {"sync"}


def test_a_report_without_total_rows_is_its_sales(engine, tmp_path):
    """Total rows check a report; a report of sales alone has nothing to check them against."""
    sales = [
        line for line in USD_FILE.read_text(encoding="utf-8").splitlines(True) if line[0] == "S"
    ]
    plain = tmp_path / "sales.csv"
    plain.write_text("".join(sales), encoding="utf-8")

    result = import_path(engine, plain)

    assert result.status == "imported", result.message
    assert result.totals == {"USD": "42.6012"}
    assert result.stored == 7
    assert {x["reporting_month"] for x in stored_lines(engine).values()} == {None}
