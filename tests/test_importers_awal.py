"""AWAL / The Orchard statements: upper-case CSVs, on their own and inside ZIP archives.

The ZIPs are written here with ``zipfile`` from the plain CSV fixtures, so the zipped and the
plain import must agree line for line and to the last digit.
"""

from __future__ import annotations

import csv
import zipfile
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_line_list as stored_lines

from royalty.importers.awal import kind_of
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
JAN = FIXTURES / "awal_2024-01_gbp.csv"
FEB = FIXTURES / "awal_2024-02_gbp.csv"
BELIEVE = FIXTURES / "believe_2024-06_usd.csv"

JAN_TOTAL = Decimal("86.7905474485")
FEB_TOTAL = Decimal("123.559406138275")


def file_total(path: Path) -> Decimal:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(
            (Decimal(r["NET SHARE ACCOUNT CURRENCY"]) for r in csv.DictReader(f)), Decimal(0)
        )


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def line_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()


def test_plain_csv(engine):
    assert file_total(JAN) == JAN_TOTAL

    result = import_path(engine, JAN)

    assert result.status == "imported", result.message
    assert result.format == "awal"
    assert result.encoding == "utf-8-sig"
    assert (result.rows, result.stored, result.skipped) == (11, 11, 0)
    assert result.totals == {"GBP": "86.7905474485"}
    assert result.period == ["2023-10", "2023-11"]
    lines = stored_lines(engine)
    assert sum(Decimal(x["amount"]) for x in lines) == JAN_TOTAL
    # nano-units are rounded half-even per line (these amounts carry up to 13 decimals)
    per_line = [
        int((Decimal(x["amount"]) * 10**9).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
        for x in lines
    ]
    assert [x["amount_nano"] for x in lines] == per_line
    assert sum(per_line) == 86_790_547_448
    assert sum(x["quantity"] for x in lines) == 76557
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
    assert (statement.source, statement.first_month, statement.last_month) == (
        "AWAL / The Orchard",
        202310,
        202311,
    )

    # a US Spotify line: paid in dollars, converted at the statement's own rate
    us = lines[1]
    assert (us["usage_month"], us["reporting_month"]) == (202311, 202401)
    assert (us["amount"], us["currency"], us["source_currency"], us["fx_rate"]) == (
        "6.178886123200",
        "GBP",
        "USD",
        "0.7871",
    )
    assert (us["platform"], us["kind"], us["territory"], us["quantity"]) == (
        "Spotify",
        "stream",
        "US",
        9310,
    )
    assert (us["isrc"], us["title"], us["release"], us["upc"]) == (
        "GBKPL2300101",
        "Harbour Lights",
        "Harbour Lights",
        "5056167100218",
    )
    # "feat." on the track credit: still the band's line
    assert {x["artist"] for x in lines} == {"Fenwick & The Tide"}
    assert lines[2]["title"] == "Slipway"
    # kinds from TRANSACTION TYPE
    assert [(x["store"], x["kind"]) for x in lines[6:10]] == [
        ("YouTube", "video"),  # Video Streams
        ("YouTube", "video"),  # UGC Revenue
        ("TikTok", "video"),  # UGC Revenue
        ("iTunes", "download"),  # Downloads
    ]
    # an adjustment for an earlier month
    assert (lines[10]["usage_month"], lines[10]["quantity"], lines[10]["amount"]) == (
        202310,
        -210,
        "-0.51247350",
    )


def test_same_data_zipped_stores_the_same_lines(engine, tmp_path):
    archive = write_zip(
        tmp_path / "AWAL_statement_January_2024.zip", {"awal_2024-01_gbp.csv": JAN.read_bytes()}
    )

    result = import_path(engine, archive)

    assert result.status == "imported", result.message
    assert result.format == "awal"
    assert (result.rows, result.stored) == (11, 11)
    assert result.totals == {"GBP": "86.7905474485"}
    zipped = stored_lines(engine)
    assert sum(Decimal(x["amount"]) for x in zipped) == JAN_TOTAL
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
    assert statement.file_name == "AWAL_statement_January_2024.zip"
    assert statement.layout == "awal"
    # line for line what the plain CSV gives (row numbers are the CSV's own)
    assert zipped[1]["row_number"] == 3
    assert (zipped[1]["amount"], zipped[1]["fx_rate"]) == ("6.178886123200", "0.7871")


def test_plain_then_zipped_adds_nothing(engine, tmp_path):
    assert import_path(engine, JAN).status == "imported"
    archive = write_zip(tmp_path / "statements.zip", {"awal_2024-01_gbp.csv": JAN.read_bytes()})

    result = import_path(engine, archive)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.skipped) == (11, 0, 11)
    assert line_count(engine) == 11


def test_zip_with_several_monthly_csvs(engine, tmp_path):
    assert file_total(FEB) == FEB_TOTAL
    archive = write_zip(
        tmp_path / "AWAL_Q1.zip",
        {
            "January 2024/awal_2024-01_gbp.csv": JAN.read_bytes(),
            "February 2024/awal_2024-02_gbp.csv": FEB.read_bytes(),
            "__MACOSX/January 2024/._awal_2024-01_gbp.csv": b"\x00\x05\x16\x07junk",
            "February 2024/._awal_2024-02_gbp.csv": b"\x00\x05\x16\x07junk",
            "Statement summary.pdf": b"%PDF-1.4 not a table",
        },
    )

    result = import_path(engine, archive)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (18, 18)
    assert result.totals == {"GBP": str(JAN_TOTAL + FEB_TOTAL)}
    assert result.totals == {"GBP": "210.349953586775"}
    assert result.period == ["2023-10", "2023-12"]
    lines = stored_lines(engine)
    assert sum(Decimal(x["amount"]) for x in lines) == JAN_TOTAL + FEB_TOTAL
    assert sum(x["quantity"] for x in lines) == 76557 + 51108
    by_artist: dict[str, Decimal] = {}
    for x in lines:
        by_artist[x["artist"]] = by_artist.get(x["artist"], Decimal(0)) + Decimal(x["amount"])
    # the compilation's product artist is "Various Artists": the track artist is used
    assert by_artist == {
        "Fenwick & The Tide": JAN_TOTAL + FEB_TOTAL - Decimal("3.47311360"),
        "Odile Marsh": Decimal("3.47311360"),
    }
    amazon = [x for x in lines if x["store"] == "Amazon Digital Music"]
    assert [(x["platform"], x["kind"], x["amount"]) for x in amazon] == [
        ("Amazon (downloads)", "download", "1.6830")
    ]


def test_zip_mixing_distributors_stores_nothing(engine, tmp_path):
    archive = write_zip(
        tmp_path / "mixed.zip",
        {"awal_2024-01_gbp.csv": JAN.read_bytes(), "zz_believe.csv": BELIEVE.read_bytes()},
    )

    result = import_path(engine, archive)

    assert result.status == "error"
    assert "mixed.zip › zz_believe.csv" in result.message
    assert "Believe" in result.message and "AWAL" in result.message
    assert line_count(engine) == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Statement)).scalar_one() == 0


def test_zip_without_statements_is_a_clear_error(engine, tmp_path):
    archive = write_zip(tmp_path / "photos.zip", {"cover.jpg": b"\xff\xd8\xff\xe0"})
    result = import_path(engine, archive)
    assert result.status == "error"
    assert "photos.zip" in result.message and "no CSV" in result.message


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Audio Streams", "stream"),
        ("Video Streams", "video"),
        ("UGC Revenue", "video"),
        ("Downloads", "download"),
        ("Physical Sales", "physical"),
        ("Neighbouring Rights Revenue", ""),
    ],
)
def test_kind_of(text, kind):
    assert kind_of(text) == kind


def test_spreadsheet_inside_a_zip(engine, tmp_path):
    """A statement re-saved as XLSX and zipped again reads as the same table, exact."""
    import io

    import openpyxl

    with JAN.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)  # every cell stays text, as the CSV wrote it
    data = io.BytesIO()
    book.save(data)
    archive = write_zip(
        tmp_path / "awal_xlsx.zip", {"Statement January 2024.xlsx": data.getvalue()}
    )

    result = import_path(engine, archive)

    assert result.status == "imported", result.message
    assert (result.format, result.rows, result.stored) == ("awal", 11, 11)
    assert result.totals == {"GBP": "86.7905474485"}
