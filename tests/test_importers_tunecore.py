"""TuneCore sales reports: the 21-column CSV, the 24-column variant, and a spreadsheet re-save.

Expected totals are summed with Decimal straight from each fixture's text, and also written out,
so a change in either the fixture or the importer shows up to the last digit.
"""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
from sqlalchemy import func, select
from stored import stored_lines

from royalty.ingest import import_path
from royalty.store.models import EarningLine, Release, Statement

FIXTURES = Path(__file__).parent / "fixtures"

GBP_FILE = FIXTURES / "tunecore_2024-02_gbp.csv"
USD_24_FILE = FIXTURES / "tunecore_2025-06_usd_24col.csv"


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def file_totals(path: Path) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for row in file_rows(path):
        totals[row["Currency"]] = totals.get(row["Currency"], Decimal(0)) + Decimal(
            row["Total Earned"]
        )
    return totals


def stored_totals(lines: dict[int, dict]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines.values():
        totals[line["currency"]] = totals.get(line["currency"], Decimal(0)) + Decimal(
            line["amount"]
        )
    return totals


def line_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()


def test_21_column_report_in_a_gbp_account(engine):
    expected = {"GBP": Decimal("19.661824")}
    assert file_totals(GBP_FILE) == expected

    result = import_path(engine, GBP_FILE)

    assert result.status == "imported", result.message
    assert result.format == "tunecore"
    assert (result.rows, result.stored, result.skipped) == (22, 22, 0)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    assert result.period == ["2023-11", "2023-12"]
    lines = stored_lines(engine)
    assert len(lines) == 22
    assert stored_totals(lines) == expected
    assert sum(line["amount_nano"] for line in lines.values()) == 19_661_824_000
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
    assert (statement.first_month, statement.last_month) == (202311, 202312)
    assert statement.source == "TuneCore"

    # "1,200" units; the account-currency amount, and the store's own amount and rate beside it
    first = lines[2]
    assert first["quantity"] == 1200
    assert (first["amount"], first["currency"]) == ("3.009420", "GBP")
    assert (first["source_amount"], first["source_currency"], first["fx_rate"]) == (
        "3.824400",
        "USD",
        "0.7869",
    )
    assert (first["usage_month"], first["reporting_month"]) == (202312, 202402)
    assert (first["platform"], first["kind"], first["territory"]) == ("Spotify", "stream", "GB")
    assert (first["isrc"], first["title"]) == ("USTCZ2300101", "Tidewater")
    assert (first["upc"], first["artist"]) == ("859771234561", "Marsh Lights")

    # the artist's own ISRC and UPC win over TuneCore's; leading zeros stay
    ferry = next(v for v in lines.values() if v["title"] == "Ferry Bells")
    assert ferry["isrc"] == "GBKQU2300045"
    harbour = next(v for v in lines.values() if v["title"] == "Harbour Lights")
    assert harbour["upc"] == "0725543123459"

    # paid in the account currency: no conversion, an empty rate stays empty
    amazon = lines[7]
    assert (amazon["store"], amazon["platform"]) == ("Amazon Music", "Amazon Music")
    assert (amazon["source_currency"], amazon["fx_rate"]) == ("GBP", None)

    # an album download has no song: it belongs to the release, not to a track
    album = lines[10]
    assert (album["kind"], album["platform"], album["amount"]) == ("download", "iTunes", "5.59")
    assert (album["isrc"], album["title"]) == (None, None)
    assert (album["upc"], album["release"]) == ("859771234561", "Low Country Hymns")

    assert lines[19]["platform"] == "Amazon Music"  # "Amazon Unlimited"
    kinds = [line["kind"] for line in lines.values()]
    assert (kinds.count("download"), kinds.count("stream")) == (3, 19)
    territories = {line["territory"] for line in lines.values()}
    assert territories == {"GB", "US", "SE", "FR", "DE", "NO", "IE", "CA", "AE", "JP"}


def test_24_column_variant_with_commission_and_youtube_videos(engine):
    expected = {"USD": Decimal("25.551419")}
    assert file_totals(USD_24_FILE) == expected

    result = import_path(engine, USD_24_FILE)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (15, 15)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    assert result.period == ["2025-03", "2025-04"]
    lines = stored_lines(engine)
    assert stored_totals(lines) == expected
    assert {line["reporting_month"] for line in lines.values()} == {202506}
    assert {line["artist"] for line in lines.values()} == {"Aurélie Noor"}

    # "Country of Sale" (lower-case "of") is the same column
    assert [lines[n]["territory"] for n in (2, 3, 6)] == ["FR", "BE", "MA"]

    # rows naming a YouTube video are Content ID claims, whatever Sales Type says
    videos = {n for n, line in lines.items() if line["kind"] == "video"}
    assert videos == {7, 8, 14}
    assert {lines[n]["platform"] for n in videos} == {"YouTube"}
    assert lines[7]["amount"] == "0.673920"  # Net Sales 0.84240 less Commission 0.168480
    assert (lines[6]["platform"], lines[6]["kind"]) == ("YouTube", "stream")  # YouTube Music

    deezer = lines[5]
    assert (deezer["source_amount"], deezer["source_currency"], deezer["fx_rate"]) == (
        "2.00640",
        "EUR",
        "1.0812",
    )
    assert deezer["amount"] == "2.169320"
    mistral = lines[4]
    assert (mistral["title"], mistral["isrc"]) == ("Mistral", "FRX202500031")
    assert [lines[n]["kind"] for n in (9, 15)] == ["download", "download"]
    assert lines[15]["platform"] == "Qobuz"


def test_reimporting_the_same_report_adds_nothing(engine):
    first = import_path(engine, GBP_FILE)
    assert first.status == "imported", first.message
    before = line_count(engine)

    again = import_path(engine, GBP_FILE)

    assert again.status == "duplicate"
    assert again.format == "tunecore"
    assert line_count(engine) == before == 22
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Statement)).scalar_one() == 1


def test_next_months_report_reuses_releases_already_stored(engine, tmp_path):
    header, *rows = GBP_FILE.read_bytes().split(b"\r\n")
    december, november = tmp_path / "tunecore_dec.csv", tmp_path / "tunecore_nov.csv"
    december.write_bytes(b"\r\n".join([header, *rows[:14]]) + b"\r\n")
    november.write_bytes(b"\r\n".join([header, *rows[14:]]))

    assert import_path(engine, december).status == "imported"
    result = import_path(engine, november)

    assert result.status == "imported", result.message
    with engine.connect() as conn:
        upcs = conn.execute(select(Release.upc)).scalars().all()
    assert sorted(upcs) == ["0725543123459", "859771234561"]


NUMBER_COLUMNS = {"Per Unit Price", "Net Sales", "Exchange Rate", "Total Earned"}
DATE_COLUMNS = {"Sales Period", "Posted Date"}


def resave_as_xlsx(source: Path, target: Path) -> None:
    """What a manager's spreadsheet does: dates become dates, numbers and the UPC numbers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = file_rows(source)
    header = list(rows[0].keys())
    sheet.append(header)
    for row in rows:
        cells: list[object] = []
        for name in header:
            text = row[name]
            if text == "":
                cells.append(None)
            elif name in DATE_COLUMNS:
                cells.append(datetime.strptime(text, "%Y-%m-%d"))
            elif name in NUMBER_COLUMNS:
                cells.append(float(text))
            elif name in {"# Units Sold", "UPC"}:
                cells.append(int(text.replace(",", "")))
            else:
                cells.append(text)
        sheet.append(cells)
    workbook.save(target)


def test_report_resaved_as_xlsx_imports_with_the_same_exact_totals(engine, tmp_path):
    workbook = tmp_path / "TuneCore Feb 2024 (from manager).xlsx"
    resave_as_xlsx(GBP_FILE, workbook)

    result = import_path(engine, workbook)

    assert result.status == "imported", result.message
    assert result.encoding == "xlsx"
    assert (result.rows, result.stored) == (22, 22)
    assert {c: Decimal(v) for c, v in result.totals.items()} == {"GBP": Decimal("19.661824")}
    assert result.period == ["2023-11", "2023-12"]
    lines = stored_lines(engine)
    assert stored_totals(lines) == {"GBP": Decimal("19.661824")}
    # every line keeps the value the CSV gave, although the workbook held binary floats
    csv_amounts = [Decimal(r["Total Earned"]) for r in file_rows(GBP_FILE)]
    assert [Decimal(lines[n]["amount"]) for n in sorted(lines)] == csv_amounts
    first = lines[2]
    assert first["quantity"] == 1200
    assert first["upc"] == "859771234561"  # a number cell, read back without ".0" or exponent
    assert (first["usage_month"], first["reporting_month"]) == (202312, 202402)
    assert Decimal(first["source_amount"]) == Decimal("3.8244")
    assert lines[7]["fx_rate"] is None
