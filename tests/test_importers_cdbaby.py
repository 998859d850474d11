"""CD Baby digital accounting reports: tab-separated .txt, USD, ten-decimal subtotals."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from stored import stored_lines

from royalty.ingest import import_path
from royalty.store.models import EarningLine, Release, Statement, Track

FIXTURES = Path(__file__).parent / "fixtures"
MAIN_FILE = FIXTURES / "cdbaby_2023-10.txt"
ISO_FILE = FIXTURES / "cdbaby_2024-01_iso.txt"


def file_subtotal(path: Path) -> Decimal:
    with path.open(encoding="utf-8", newline="") as f:
        return sum((Decimal(r["Subtotal"]) for r in csv.DictReader(f, delimiter="\t")), Decimal(0))


def test_report_with_us_dates_and_ten_decimal_subtotals(engine):
    expected = Decimal("6.2234231665")
    assert file_subtotal(MAIN_FILE) == expected

    result = import_path(engine, MAIN_FILE)

    assert result.status == "imported", result.message
    assert result.format == "cdbaby"
    assert (result.rows, result.stored) == (24, 24)
    assert result.totals == {"USD": "6.2234231665"}  # USD although the file never says so
    assert result.period == ["2023-07", "2023-08"]
    lines = stored_lines(engine)
    assert sum(Decimal(v["amount"]) for v in lines.values()) == expected
    assert {v["currency"] for v in lines.values()} == {"USD"}
    assert {v["reporting_month"] for v in lines.values()} == {202310}

    first = lines[2]
    assert first["amount"] == "0.0998269974"  # all ten decimals, as text
    assert first["amount_nano"] == 99_826_997  # nano-units round half-even past nine
    assert first["usage_month"] == 202307  # "7/31/2023 12:00:00 AM"
    assert (first["store"], first["platform"], first["kind"]) == (
        "Amazon Prime IN",
        "Amazon Music",
        "stream",
    )
    assert (first["isrc"], first["title"], first["territory"]) == (
        "USX9P2300011",
        "Northbound",
        "IN",
    )
    # the barcode is written with literal quotes; a leading zero survives
    assert (first["upc"], first["release"]) == ("884501723416", "Northbound Static")
    assert lines[6]["upc"] == "0634479158212"

    # Transaction Type decides the kind; the partner decides the platform
    assert (lines[7]["platform"], lines[7]["kind"]) == ("iTunes", "download")  # Apple iTunes
    assert (lines[8]["platform"], lines[8]["kind"]) == ("Amazon (downloads)", "download")
    assert (lines[9]["platform"], lines[9]["kind"]) == ("YouTube", "stream")  # Audio Tier
    assert lines[10]["platform"] == "YouTube"  # Youtube Content ID
    assert (lines[11]["platform"], lines[11]["kind"], lines[11]["quantity"]) == (
        "SoundExchange",
        "other",
        0,
    )  # Royalty
    assert lines[18]["platform"] == "Tencent Music"
    assert lines[22]["platform"] == "VK / UMA"
    kinds = [v["kind"] for v in lines.values()]
    assert (kinds.count("stream"), kinds.count("download"), kinds.count("other")) == (19, 3, 2)

    # a zero-quantity correction keeps its negative money
    assert (lines[23]["quantity"], lines[23]["amount"]) == (0, "-0.0132004455")
    assert lines[23]["usage_month"] == 202308


def test_iso_dated_report_with_placeholder_codes(engine):
    assert file_subtotal(ISO_FILE) == Decimal("3.57")

    result = import_path(engine, ISO_FILE)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (11, 11)
    assert result.totals == {"USD": "3.57"}
    assert result.period == ["2024-01", "2024-01"]
    lines = stored_lines(engine)
    assert {v["reporting_month"] for v in lines.values()} == {202402, 202403}

    # "-----" means no code: tracks and releases are known by their titles instead
    with engine.connect() as conn:
        tracks = conn.execute(select(Track.isrc, Track.title)).all()
        releases = conn.execute(select(Release.upc, Release.title)).all()
    assert sorted(tracks) == [("", "Glass Orchard"), ("", "Northbound"), ("", "Static Bloom")]
    assert releases == [("", "Northbound Static")]
    assert lines[7]["territory"] == "ZZ"  # "-----" country: unknown, not a made-up code

    # the en-dash in a partner name survives and still finds its platform
    assert lines[3]["store"] == "iTunes - Apple Music – US"
    assert (lines[3]["platform"], lines[3]["kind"]) == ("Apple Music", "stream")
    assert (lines[12]["platform"], lines[12]["kind"]) == ("iTunes", "download")  # iTunes-Canada
    assert lines[10]["amount"] == "0.0"
    assert {v["artist"] for v in lines.values()} == {"Juniper Vale"}


def test_reimporting_the_same_report_adds_nothing(engine):
    assert import_path(engine, MAIN_FILE).status == "imported"

    again = import_path(engine, MAIN_FILE)

    assert again.status == "duplicate"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EarningLine)).scalar_one() == 24
        assert conn.execute(select(func.count()).select_from(Statement)).scalar_one() == 1
