"""Shopify sales export: a shop's own merch sales, in the currency the person importing says.

Expected totals are summed with Decimal from the fixture's text, and also written out.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from stored import stored_line_list

from royalty.importers import ImportOptions
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
SALES = FIXTURES / "shopify_2019-q4_sales.csv"
GBP = ImportOptions(currency="GBP")


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def test_sales_export_in_the_chosen_currency(engine):
    rows = file_rows(SALES)
    expected = Decimal("112.9")
    assert sum((Decimal(r["Net sales"]) for r in rows), Decimal(0)) == expected
    # what a buyer paid, shipping and taxes included, is not the shop's income
    assert sum((Decimal(r["Total sales"]) for r in rows), Decimal(0)) == Decimal("142.65")

    result = import_path(engine, SALES, GBP)

    assert result.status == "imported", result.message
    assert result.format == "shopify"
    assert (result.rows, result.stored) == (9, 6)  # the three shipping rows earn nothing
    assert result.totals == {"GBP": "112.9"}
    assert result.period == ["2019-10", "2019-12"]
    lines = {line["row_number"]: line for line in stored_line_list(engine)}
    assert set(lines) == {2, 4, 6, 7, 9, 10}
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected
    assert {(x["kind"], x["store"], x["platform"]) for x in lines.values()} == {
        ("physical", "Shopify", "Shopify")
    }
    assert {x["currency"] for x in lines.values()} == {"GBP"}
    assert {x["artist"] for x in lines.values()} == {"Unknown artist"}
    assert [lines[n]["usage_month"] for n in sorted(lines)] == [
        201910,
        201910,
        201911,
        201911,  # 23:48 on 30 November in Portland: the shop's November, December in UTC
        201912,
        201912,
    ]

    lp = lines[2]
    assert (lp["release"], lp["quantity"], lp["amount"], lp["territory"]) == (
        "Night Ferries – LP",
        1,
        "25",
        "GB",
    )
    assert (lines[4]["quantity"], lines[4]["amount"]) == (2, "32.4")  # after a 10% discount
    assert (lines[9]["quantity"], lines[9]["amount"]) == (-1, "-25")  # the LP came back
    # a till sale ships nowhere: the buyer's country; a product without a name: its SKU
    assert lines[6]["territory"] == "GB"
    assert (lines[7]["release"], lines[7]["territory"]) == ("QT-041-LP-CLR", "US")
    assert lines[10]["territory"] == "IE"


def test_the_currency_must_be_chosen(engine):
    result = import_path(engine, SALES)

    assert result.status == "error"
    assert "does not say its currency" in result.message and "--currency" in result.message
    assert counts(engine) == (0, 0)


def test_the_artist_the_person_names(engine):
    result = import_path(engine, SALES, ImportOptions(currency="EUR", artist="Velvet Orchard"))

    assert result.status == "imported", result.message
    assert result.totals == {"EUR": "112.9"}
    assert {x["artist"] for x in stored_line_list(engine)} == {"Velvet Orchard"}


def test_a_shipping_row_with_net_sales_keeps_its_money(engine, tmp_path):
    text = SALES.read_text(encoding="utf-8")
    row = ",,,,,0,0,0,0,0,6.5,0,6.5"
    assert text.count(row) == 1
    odd = tmp_path / "shopify_sales.csv"
    odd.write_text(text.replace(row, ",,,,,0,1.5,0,0,1.5,6.5,0,8"), encoding="utf-8")

    result = import_path(engine, odd, GBP)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (9, 7)
    assert result.totals == {"GBP": "114.4"}
    shipping = {x["row_number"]: x for x in stored_line_list(engine)}[3]
    assert (shipping["kind"], shipping["amount"]) == ("other", "1.5")


def _with_total_row(tmp_path: Path, said: str) -> Path:
    header = SALES.read_text(encoding="utf-8").splitlines()[0].split(",")
    cells = ["" for _ in header]
    cells[header.index("Order ID")] = "Total"
    for column, value in (("Net sales", said), ("Total sales", "142.65"), ("Shipping", "29.75")):
        cells[header.index(column)] = value
    path = tmp_path / "shopify_with_total.csv"
    path.write_text(SALES.read_text(encoding="utf-8") + ",".join(cells) + "\n", "utf-8")
    return path


def test_a_total_row_is_checked_and_not_stored(engine, tmp_path):
    result = import_path(engine, _with_total_row(tmp_path, "112.90"), GBP)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (10, 6)
    assert result.totals == {"GBP": "112.9"}


def test_a_total_row_that_does_not_add_up_names_the_row(engine, tmp_path):
    result = import_path(engine, _with_total_row(tmp_path, "142.65"), GBP)

    assert result.status == "error"
    assert "row 11" in result.message and "'Net sales'" in result.message
    assert "142.65" in result.message and "112.9" in result.message
    assert counts(engine) == (0, 0)
