"""Bandcamp sales reports: UTF-16 label export with buyer details, and a short UTF-8 export."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import SQLModel
from stored import stored_lines

from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
LABEL_FILE = FIXTURES / "bandcamp_2023-q1_label.csv"
ARTIST_FILE = FIXTURES / "bandcamp_2022-12_artist_utf8.csv"
BUYER_COLUMNS = (
    "buyer name", "buyer email", "buyer phone", "buyer note", "ship to name", "ship to street",
    "ship to street 2", "ship to city", "ship to zip", "city",
)  # fmt: skip


def file_rows(path: Path, encoding: str) -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def file_totals(rows: list[dict[str, str]]) -> dict[str, Decimal]:
    """Per-currency ``net amount``, payouts left out: they move money, they do not earn it."""
    totals: dict[str, Decimal] = {}
    for r in rows:
        if r["item type"] != "payout":
            totals[r["currency"]] = totals.get(r["currency"], Decimal(0)) + Decimal(r["net amount"])
    return totals


def test_utf16_label_report(engine):
    rows = file_rows(LABEL_FILE, "utf-16")
    expected = {
        "AUD": Decimal("10.95"),
        "EUR": Decimal("58.67"),
        "GBP": Decimal("20.09"),
        "JPY": Decimal("954"),
        "USD": Decimal("27.98"),
    }
    assert file_totals(rows) == expected

    result = import_path(engine, LABEL_FILE)

    assert result.status == "imported", result.message
    assert (result.format, result.encoding) == ("bandcamp", "utf-16")
    assert (result.rows, result.stored) == (22, 20)  # the two payout rows are not income
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    assert result.period == ["2023-01", "2023-03"]  # the April payout does not stretch it
    lines = stored_lines(engine)
    assert sorted(lines) == [n for n in range(2, 23) if n != 17]
    stored: dict[str, Decimal] = {}
    for v in lines.values():
        stored[v["currency"]] = stored.get(v["currency"], Decimal(0)) + Decimal(v["amount"])
    assert stored == expected
    assert {v["store"] for v in lines.values()} == {"Bandcamp"}
    assert {v["platform"] for v in lines.values()} == {"Bandcamp"}
    assert {v["artist"] for v in lines.values()} == {
        "Marsh Lights",
        "Juniper Vale",
        "Unknown artist",
    }

    album = lines[2]  # "1/3/23 9:14am"
    assert (album["usage_month"], album["reporting_month"]) == (202301, 202301)
    assert (album["kind"], album["amount"], album["currency"]) == ("download", "7.08", "USD")
    assert (album["release"], album["upc"], album["title"]) == (
        "Low Country Hymns",
        "196925310045",
        None,
    )
    assert album["territory"] == "US"
    track = lines[3]
    assert (track["kind"], track["title"], track["isrc"]) == (
        "download",
        "Tidewater",
        "GBKQU2300044",
    )
    assert (track["amount"], track["currency"], track["territory"]) == ("0.51", "GBP", "GB")

    assert (lines[4]["kind"], lines[4]["amount"]) == ("physical", "14.32")  # cassette + shipping
    vinyl = lines[5]
    assert (vinyl["kind"], vinyl["quantity"], vinyl["territory"]) == ("physical", 2, "DE")
    assert (vinyl["amount"], vinyl["currency"]) == ("57.06", "EUR")
    assert lines[8]["kind"] == "download"  # bundle
    assert (lines[10]["amount"], lines[10]["territory"]) == ("0.85", "IE")  # collected for Bandcamp

    # refunds and reversals count against sales, each against what was refunded
    assert (lines[11]["kind"], lines[11]["amount"]) == ("download", "-7.08")  # ALBUM DIGI
    assert lines[11]["release"] == "Low Country Hymns"
    assert (lines[14]["kind"], lines[14]["amount"]) == ("physical", "-14.32")  # CASSETTE
    reversal = lines[16]
    assert (reversal["kind"], reversal["amount"], reversal["title"]) == (
        "download",
        "-0.51",
        "Tidewater",
    )
    adjustment = lines[19]
    assert (adjustment["kind"], adjustment["amount"], adjustment["territory"]) == (
        "other",
        "0.32",
        "ZZ",
    )
    assert (lines[21]["amount"], lines[21]["currency"], lines[21]["territory"]) == (
        "954",
        "JPY",
        "JP",
    )
    kinds = [v["kind"] for v in lines.values()]
    assert (kinds.count("download"), kinds.count("physical"), kinds.count("other")) == (15, 4, 1)
    territories = {v["territory"] for v in lines.values()}
    assert territories == {"US", "GB", "DE", "NL", "CA", "IE", "AU", "BE", "JP", "ZZ"}


def test_no_buyer_data_reaches_the_database(engine):
    rows = file_rows(LABEL_FILE, "utf-16")
    personal = {r[c] for r in rows for c in BUYER_COLUMNS if len(r[c]) >= 5}
    assert {"Priya Raman", "priya.raman@example.net", "1418 Alder St"} <= personal

    assert import_path(engine, LABEL_FILE).status == "imported"

    stored_text: list[str] = []
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                stored_text.extend(v for v in row if isinstance(v, str))
    assert stored_text  # the check below looks at something
    leaked = {p for p in personal for text in stored_text if p in text}
    assert leaked == set()


def test_short_utf8_report_without_country(engine):
    rows = file_rows(ARTIST_FILE, "utf-8")
    expected = {"EUR": Decimal("24.16"), "GBP": Decimal("13.98")}
    assert file_totals(rows) == expected

    result = import_path(engine, ARTIST_FILE)

    assert result.status == "imported", result.message
    assert (result.encoding, result.rows, result.stored) == ("utf-8", 10, 9)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    assert result.period == ["2022-11", "2023-01"]
    lines = stored_lines(engine)
    assert 9 not in lines  # the payout
    assert {v["territory"] for v in lines.values()} == {"ZZ"}  # no country column: unknown
    assert {v["artist"] for v in lines.values()} == {"Aurélie Noor"}
    assert (lines[2]["amount"], lines[2]["title"], lines[2]["kind"]) == (
        "6.22",
        "Dunes",
        "download",
    )
    assert (lines[6]["kind"], lines[6]["release"]) == ("physical", "Sel et Sable")
    assert (lines[7]["quantity"], lines[7]["amount"]) == (2, "1.42")
    assert (lines[8]["kind"], lines[8]["amount"], lines[8]["quantity"]) == ("download", "-6.28", 0)


def test_reimporting_the_same_report_adds_nothing(engine):
    assert import_path(engine, LABEL_FILE).status == "imported"

    again = import_path(engine, LABEL_FILE)

    assert again.status == "duplicate"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EarningLine)).scalar_one() == 20
        assert conn.execute(select(func.count()).select_from(Statement)).scalar_one() == 1
