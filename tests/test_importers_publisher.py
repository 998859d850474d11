"""A publisher's royalty statement: works, rights and sources, in one or several currencies
or in none the file states.

Expected totals are summed with Decimal straight from each fixture's text (its Total rows left
out), and also written out.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_lines

from royalty.importers import ImportOptions, publishing
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement
from royalty.vocabulary import PUBLISHING_KINDS

FIXTURES = Path(__file__).parent / "fixtures"
TWO_CURRENCIES = FIXTURES / "publisher_2024-h2_gbp_eur.csv"
NO_CURRENCY = FIXTURES / "publisher_2025-h1_no_currency.csv"
H2 = (202407, 202412)
H1 = (202501, 202506)


def file_totals(path: Path) -> dict[str, Decimal]:
    """Per currency cell, the works' amounts; a Total row (no Work ID) is not a work."""
    totals: dict[str, Decimal] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["Work ID"]:
                cur = row["Currency"]
                totals[cur] = totals.get(cur, Decimal(0)) + Decimal(row["Amount"])
    return totals


def stored_totals(lines: dict[int, dict]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines.values():
        totals[line["currency"]] = totals.get(line["currency"], Decimal(0)) + Decimal(
            line["amount"]
        )
    return totals


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def test_statement_in_two_currencies_with_a_total_for_each(engine):
    expected = {"GBP": Decimal("341.4642"), "EUR": Decimal("6.05")}
    assert file_totals(TWO_CURRENCIES) == expected

    result = import_path(engine, TWO_CURRENCIES, ImportOptions(period=H2))

    assert result.status == "imported", result.message
    assert result.format == "publisher"
    assert (result.rows, result.stored) == (10, 8)  # two Total rows checked, not stored
    assert result.dropped_because == {"total row": 2}
    assert result.totals == {"GBP": "341.4642", "EUR": "6.05"}
    lines = stored_lines(engine)
    assert set(lines) == set(range(2, 10))
    assert stored_totals(lines) == expected
    assert sum(line["amount_nano"] for line in lines.values()) == 347_514_200_000
    assert {(line["usage_month"], line["usage_month_end"]) for line in lines.values()} == {H2}

    # the right, as a CWR code or in words; never a stream, even when Spotify paid
    assert [lines[n]["kind"] for n in range(2, 10)] == [
        "performance", "mechanical", "mechanical", "sync", "performance", "mechanical",
        "performance", "sync",
    ]  # fmt: skip
    assert (lines[4]["store"], lines[4]["platform"]) == ("Spotify", "Spotify")
    assert (lines[2]["store"], lines[2]["platform"]) == ("PRS", "PRS for Music")
    assert lines[9]["store"] == "Publisher"  # no source named
    # an ISRC in Work ID is the recording's; an ISWC (Harbour of Salt) is not an ISRC
    assert (lines[4]["title"], lines[4]["isrc"]) == ("Tin Bell", "GBK7Q2400113")
    assert lines[5]["isrc"] == ""
    assert lines[8]["title"] == "Lantern Song, Reprise"
    assert {line["artist"] for line in lines.values()} == {
        "Odette Marlowe", "Odette Marlowe / Jonah Prescott-Lee",
    }  # fmt: skip


def test_a_total_that_does_not_add_up_names_its_row(engine, tmp_path):
    bad = tmp_path / "statement.csv"
    bad.write_text(TWO_CURRENCIES.read_text().replace("Total,,,,,6.05,EUR", "Total,,,,,6.5,EUR"))

    result = import_path(engine, bad, ImportOptions(period=H2))

    assert result.status == "error"
    assert "row 11" in result.message and "column 'Amount'" in result.message
    assert "6.5" in result.message and "6.05" in result.message
    assert counts(engine) == (0, 0)


def test_one_total_over_two_currencies_is_refused(engine, tmp_path):
    bad = tmp_path / "statement.csv"
    text = TWO_CURRENCIES.read_text().replace("Total,,,,,341.4642,GBP\nTotal,,,,,6.05,EUR\n", "")
    bad.write_text(text + "Total,,,,,347.5142,\n")

    result = import_path(engine, bad, ImportOptions(period=H2))

    assert result.status == "error"
    assert "row 10" in result.message and "several currencies (EUR, GBP)" in result.message
    assert counts(engine) == (0, 0)


def test_no_currency_stated_uses_the_chosen_one(engine):
    assert file_totals(NO_CURRENCY) == {"": Decimal("88.370")}

    unsaid = import_path(engine, NO_CURRENCY, ImportOptions(period=H1))
    assert unsaid.status == "error" and "--currency" in unsaid.message
    assert counts(engine) == (0, 0)

    result = import_path(engine, NO_CURRENCY, ImportOptions(period=H1, currency="EUR"))

    assert result.status == "imported", result.message
    assert result.totals == {"EUR": "88.37"}
    lines = stored_lines(engine)
    assert len(lines) == 5  # two identical rows are two lines
    assert stored_totals(lines) == {"EUR": Decimal("88.37")}
    assert [lines[n]["amount"] for n in (4, 5)] == ["19.335", "19.335"]
    # a work whose title begins with "Total" is a work: it has an id
    assert lines[6]["title"] == '"Total" (Live at the Lexington)'
    assert [lines[n]["kind"] for n in range(2, 7)] == [
        "performance", "mechanical", "performance", "performance", "performance",
    ]  # fmt: skip


def test_a_currency_column_that_names_none_says_nothing(engine, tmp_path):
    """The django-music-publisher sample writes ``Really`` in every Currency cell."""
    rows = NO_CURRENCY.read_text().splitlines()
    junk = tmp_path / "statement.csv"
    junk.write_text("\n".join([rows[0], *(r + "Really" for r in rows[1:])]) + "\n")

    result = import_path(engine, junk, ImportOptions(period=H1, currency="CAD"))

    assert result.status == "imported", result.message
    assert result.totals == {"CAD": "88.37"}


def test_a_cell_naming_no_currency_among_codes_is_an_error(engine, tmp_path):
    rows = TWO_CURRENCIES.read_text().splitlines()
    rows[5] = rows[5].replace(",EUR", ",tbc")
    bad = tmp_path / "statement.csv"
    bad.write_text("\n".join(rows[:-2]) + "\n")  # without the Total rows

    result = import_path(engine, bad, ImportOptions(period=H2, currency="EUR"))

    assert result.status == "error"
    assert "row 6" in result.message and "column 'Currency'" in result.message
    assert "'tbc'" in result.message.lower()
    assert counts(engine) == (0, 0)


def test_currency_symbols_and_names_name_the_currency(engine, tmp_path):
    rows = TWO_CURRENCIES.read_text().splitlines()
    text = "\n".join(r.replace(",GBP", ",£").replace(",EUR", ",Euro") for r in rows[:-2])
    symbols = tmp_path / "statement.csv"
    symbols.write_text(text + "\n", encoding="utf-8")

    result = import_path(engine, symbols, ImportOptions(period=H2, currency="USD"))

    assert result.status == "imported", result.message
    assert result.totals == {"GBP": "341.4642", "EUR": "6.05"}


def test_without_a_period_the_import_asks_for_one(engine):
    result = import_path(engine, TWO_CURRENCIES)
    assert result.status == "error"
    assert "does not say which months" in result.message and "--period" in result.message
    assert counts(engine) == (0, 0)


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (("PR",), "performance"),
        (("mr",), "mechanical"),
        (("SR",), "sync"),
        (("Public Performance",), "performance"),
        (("Broadcast - Radio",), "performance"),
        (("TV",), "performance"),
        (("Live concert",), "performance"),
        (("Reproduction",), "mechanical"),
        (("Mechanical - streaming",), "mechanical"),
        (("Synchronisation",), "sync"),
        (("TV sync licence",), "sync"),
        (("Other royalties",), "performance"),  # a society's line that says nothing
        (("", ""), "performance"),
        (("PR", "Download - musical works"), "performance"),  # the code first
        (("", "Synchronization fee"), "sync"),
        (("PRO",), "performance"),
    ],
)
def test_rights_in_the_statements_own_words(texts, kind):
    assert publishing.kind_of(*texts) == kind
    assert kind in PUBLISHING_KINDS
