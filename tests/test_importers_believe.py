"""Believe sales reports: semicolons, quoted fields, decimal commas and day-first dates.

Expected totals are summed with Decimal straight from each fixture's text (decimal comma
undone by hand here, independently of the importer) and also written out, so a change in
either the fixture or the importer shows up to the last digit.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from stored import stored_lines

from royalty.ingest import import_path
from royalty.store.models import Statement

FIXTURES = Path(__file__).parent / "fixtures"
EUR_FILE = FIXTURES / "believe_2024-03_eur_decimal_comma.csv"
USD_FILE = FIXTURES / "believe_2024-06_usd.csv"


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def comma_decimal(text: str) -> Decimal:
    """``1.033,21614`` -> Decimal('1033.21614')."""
    return Decimal(text.replace(".", "").replace(",", "."))


def test_decimal_comma_report_with_day_first_dates(engine):
    rows = file_rows(EUR_FILE)
    expected = Decimal("1681.01961815")
    assert sum(comma_decimal(r["Net Revenue"]) for r in rows) == expected

    result = import_path(engine, EUR_FILE)

    assert result.status == "imported", result.message
    assert result.format == "believe"
    assert result.encoding == "utf-8-sig"
    assert (result.rows, result.stored, result.skipped) == (17, 17, 0)
    assert result.totals == {"EUR": "1681.01961815"}
    # 01/03/2024 is the first of March, not the third of January
    assert result.period == ["2024-02", "2024-03"]
    lines = stored_lines(engine)
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected
    assert sum(x["amount_nano"] for x in lines.values()) == 1_681_019_618_150
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
    assert (statement.source, statement.layout) == ("Believe", "believe")
    assert (statement.first_month, statement.last_month) == (202402, 202403)

    # thousands separators in a decimal-comma file: "312.400" plays and "1.033,21614000" euros
    first = lines[2]
    assert (first["quantity"], first["amount"], first["currency"]) == (
        312400,
        "1033.21614000",
        "EUR",
    )
    assert (first["usage_month"], first["reporting_month"]) == (202403, 202405)
    assert (first["artist"], first["title"], first["isrc"]) == (
        "Les Rivages",
        "Marée Basse",
        "FR9W12400101",
    )
    assert (first["release"], first["upc"], first["territory"]) == (
        "Marée Basse",
        "3614974123456",
        "FR",
    )
    # "15.000" is fifteen thousand streams, not fifteen
    assert (lines[3]["quantity"], lines[3]["amount"]) == (15000, "49.61025000")
    # a correction: negative plays and money, in the month it corrects
    assert (lines[18]["quantity"], lines[18]["amount"], lines[18]["usage_month"]) == (
        -1200,
        "-3.96882000",
        202402,
    )
    assert sum(x["quantity"] for x in lines.values()) == sum(
        int(r["Quantity"].replace(".", "")) for r in rows
    )
    assert sum(x["quantity"] for x in lines.values()) == 617307


def test_kinds_and_platforms(engine):
    result = import_path(engine, EUR_FILE)
    assert result.status == "imported", result.message
    by_store = {(x["store"], x["kind"], x["platform"]) for x in stored_lines(engine).values()}
    assert by_store == {
        ("Spotify", "stream", "Spotify"),
        ("Apple Music", "stream", "Apple Music"),
        ("Deezer", "stream", "Deezer"),
        ("Amazon Music Unlimited", "stream", "Amazon Music"),
        ("YouTube Music", "stream", "YouTube"),
        ("Tidal", "stream", "TIDAL"),
        # "Creation": the music used in people's videos
        ("YouTube Content ID", "video", "YouTube"),
        ("TikTok", "video", "TikTok"),
        ("Facebook / Instagram", "video", "Meta (Facebook/Instagram)"),
        ("iTunes", "download", "iTunes"),
        ("Qobuz", "download", "Qobuz"),
    }


def test_decimal_point_report_with_iso_dates(engine):
    rows = file_rows(USD_FILE)
    expected = Decimal("11.78673750")
    assert sum(Decimal(r["Net Revenue"]) for r in rows) == expected

    result = import_path(engine, USD_FILE)

    assert result.status == "imported", result.message
    assert result.format == "believe"
    assert (result.rows, result.stored) == (7, 7)
    assert result.totals == {"USD": "11.7867375"}
    assert result.period == ["2024-04", "2024-04"]
    lines = stored_lines(engine)
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected
    # "1,204" in a decimal-point file is a thousands separator
    assert (lines[2]["quantity"], lines[2]["amount"]) == (1204, "4.06494480")
    assert (lines[2]["usage_month"], lines[2]["reporting_month"]) == (202404, 202406)
    assert lines[6]["kind"] == "video"  # YouTube "Creation"
    assert (lines[7]["kind"], lines[7]["quantity"]) == ("download", 3)
    assert (lines[5]["platform"], lines[5]["store"]) == ("Amazon Music", "Amazon Prime Music")
    assert sum(x["quantity"] for x in lines.values()) == 10016


def test_same_file_twice_adds_nothing(engine):
    assert import_path(engine, USD_FILE).status == "imported"
    again = import_path(engine, USD_FILE)
    assert again.status == "duplicate"
    assert len(stored_lines(engine)) == 7


def test_one_reading_of_numbers_for_the_whole_file(engine, monkeypatch):
    """The first chunk only has amounts like ``1,250`` (a thousand and a quarter, or one and a
    quarter?); a later one shows decimal commas (``0,0038``). Every amount and count of the
    file is then read the comma way, the first chunk's too, never half one way and half the
    other."""
    from royalty.ingest import delimited, import_bytes

    header, first = EUR_FILE.read_text(encoding="utf-8-sig").splitlines()[:2]
    cells = first.split(";")

    def row(quantity: str, amount: str) -> str:
        return ";".join([*cells[:14], f'"{quantity}"', *cells[15:20], f'"{amount}"'])

    rows = [row("12.480", "1,250")] * 40 + [row("3", "0,0038")] * 40
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 2048)  # the two kinds in different chunks
    result = import_bytes(engine, "believe.csv", ("\n".join([header, *rows]) + "\n").encode())

    assert result.status == "imported", result.message
    assert Decimal(result.totals["EUR"]) == 40 * Decimal("1.250") + 40 * Decimal("0.0038")
    lines = stored_lines(engine)
    assert {line["quantity"] for line in lines.values()} == {12480, 3}


def test_decimal_commas_first_seen_deep_in_a_file_are_read_so_from_the_start(engine, monkeypatch):
    """The first chunk has no comma at all, so it says nothing; a later one shows decimal
    commas: the whole file is looked at before any row is read as money, and read that way
    in one pass (no import started over)."""
    from royalty.ingest import delimited, import_bytes, transaction

    header, first = EUR_FILE.read_text(encoding="utf-8-sig").splitlines()[:2]
    cells = first.split(";")

    def row(quantity: str, amount: str) -> str:
        return ";".join([*cells[:14], f'"{quantity}"', *cells[15:20], f'"{amount}"'])

    rows = [row("7", "2")] * 30 + [row("1.200", "0,0038")] * 30
    attempts = []
    real_import = transaction.FileImport

    def counting(*args, **kwargs):
        attempts.append(kwargs)
        return real_import(*args, **kwargs)

    monkeypatch.setattr(transaction, "FileImport", counting)
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 2048)
    result = import_bytes(engine, "believe.csv", ("\n".join([header, *rows]) + "\n").encode())

    assert result.status == "imported", result.message
    assert len(attempts) == 1
    assert Decimal(result.totals["EUR"]) == 30 * 2 + 30 * Decimal("0.0038")
    assert {line["quantity"] for line in stored_lines(engine).values()} == {7, 1200}
