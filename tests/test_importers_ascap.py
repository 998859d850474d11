"""ASCAP statements: the domestic and the international CSV, songwriting income only.

Expected totals are summed with Decimal straight from each fixture's text (padding stripped),
and also written out, so a change in either the fixture or the importer shows to the last digit.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from stored import stored_lines

from royalty import analytics, importers
from royalty.analytics import Filters
from royalty.importers import ImportOptions
from royalty.ingest import import_bytes, import_path
from royalty.money import parse_amounts
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
DOMESTIC = FIXTURES / "ascap_domestic_2025-q4_writer.csv"
INTERNATIONAL = FIXTURES / "ascap_international_2026-03_writer.csv"
WRITER = "MAREN ELLISON HOLT"


def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def file_total(path: Path, column: str) -> Decimal:
    return sum((Decimal(row[column].strip()) for row in file_rows(path)), Decimal(0))


def stored_total(lines: dict[int, dict]) -> dict[str, Decimal]:
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


def test_domestic_statement(engine):
    expected = Decimal("8.70318")
    assert file_total(DOMESTIC, "Dollars") == expected

    result = import_path(engine, DOMESTIC)

    assert result.status == "imported", result.message
    assert result.format == "ascap_domestic"
    assert (result.rows, result.stored, result.skipped, result.dropped) == (11, 11, 0, 0)
    assert result.totals == {"USD": "8.70318"}
    lines = stored_lines(engine)
    assert len(lines) == 11
    assert stored_total(lines) == {"USD": expected}
    assert sum(line["amount_nano"] for line in lines.values()) == 8_703_180_000

    # the zero padding and its leading space are gone; a negative adjustment stays negative
    assert [lines[n]["amount"] for n in (2, 9, 11)] == ["0.00398", "8.24500", "-0.00029"]
    # songwriting income: a performance, even when Spotify paid for it
    assert {line["kind"] for line in lines.values()} == {"performance"}
    assert (lines[2]["store"], lines[2]["platform"]) == ("SPOTIR", "Spotify")
    assert {line["platform"] for line in lines.values()} == {
        "Spotify", "Apple Music", "Amazon Music", "YouTube", "WXRV-FM", "ASCAP",
        "SIRIUS XM RADIO",
    }  # fmt: skip
    assert lines[10]["store"] == "ASCAP"  # no music user named: ASCAP itself
    assert {line["artist"] for line in lines.values()} == {WRITER}
    assert {line["territory"] for line in lines.values()} == {"US"}
    assert (lines[2]["title"], lines[2]["quantity"]) == ("LANTERN SONG", 14)
    assert {line["title"] for line in lines.values()} == {
        "LANTERN SONG", "TIN BELL", "HARBOUR OF SALT",
    }  # fmt: skip

    # usage: the performance dates, else the performance quarter, else the distribution's
    spans = {n: (line["usage_month"], line["usage_month_end"]) for n, line in lines.items()}
    assert spans[2] == spans[5] == (202501, 202503)  # 1Q2025
    assert spans[6] == spans[8] == (202504, 202506)  # 2Q2025
    assert spans[9] == (202502, 202502)  # 02/01/2025 .. 02/28/2025 on the radio line
    assert spans[11] == (202410, 202412)  # the adjustment, for 4Q2024
    assert spans[12] == (202510, 202512)  # no performance quarter: distribution 2025 Q4
    assert {line["reporting_month"] for line in lines.values()} == {202510}
    assert result.period == ["2024-10", "2025-12"]
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
    assert (statement.layout, statement.source) == ("ascap_domestic", "ASCAP")


def test_international_statement(engine):
    expected = Decimal("0.5635")
    assert file_total(INTERNATIONAL, "$ Amount") == expected

    result = import_path(engine, INTERNATIONAL)

    assert result.status == "imported", result.message
    assert result.format == "ascap_international"
    assert (result.rows, result.stored) == (6, 6)
    assert result.totals == {"USD": "0.5635"}
    lines = stored_lines(engine)
    assert stored_total(lines) == {"USD": expected}
    assert sum(line["amount_nano"] for line in lines.values()) == 563_500_000

    # the foreign society that collected is the store; PRS lands on its platform
    assert [lines[n]["store"] for n in range(2, 8)] == [
        "GEMA", "KODA", "PRS", "SACEM", "SOCAN", "STIM",
    ]  # fmt: skip
    assert lines[4]["platform"] == "PRS for Music"
    assert [lines[n]["territory"] for n in range(2, 8)] == ["DE", "DK", "GB", "FR", "CA", "SE"]
    # Television, Radio, Download - musical works, Other royalties: all the performing right
    assert {line["kind"] for line in lines.values()} == {"performance"}
    # MM-DD-YYYY performance dates; without them, the distribution date
    spans = {n: (line["usage_month"], line["usage_month_end"]) for n, line in lines.items()}
    assert spans == {
        2: (202501, 202506), 3: (202501, 202503), 4: (202407, 202412),
        5: (202401, 202412), 6: (202603, 202603), 7: (202404, 202406),
    }  # fmt: skip
    assert {line["reporting_month"] for line in lines.values()} == {202603}
    assert lines[7]["amount"] == "-0.00400"  # STIM's adjustment
    assert {line["artist"] for line in lines.values()} == {WRITER}


def test_the_artist_name_given_files_the_lines_under_it(engine):
    result = import_path(engine, INTERNATIONAL, ImportOptions(artist="The Hollow Pines"))
    assert result.status == "imported", result.message
    assert {line["artist"] for line in stored_lines(engine).values()} == {"The Hollow Pines"}


def with_footer(path: Path, tmp_path: Path, dollars: str) -> Path:
    """The statement as a spreadsheet leaves it: a Total row under the lines."""
    header = header_of(path)
    cells = ["Total" if name == "DistributionYear" else "" for name in header]
    cells[header.index("Dollars")] = dollars
    target = tmp_path / path.name
    footer = ",".join(f'"{c}"' for c in cells)
    target.write_text(path.read_text(encoding="utf-8") + footer + "\n", encoding="utf-8")
    return target


def test_a_total_row_is_checked_and_not_stored(engine, tmp_path):
    result = import_path(engine, with_footer(DOMESTIC, tmp_path, "8.70318"))

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.dropped) == (12, 11, 1)
    assert result.dropped_because == {"total row": 1}
    assert result.totals == {"USD": "8.70318"}
    assert 13 not in stored_lines(engine)


def test_a_total_row_that_does_not_add_up_names_the_row(engine, tmp_path):
    result = import_path(engine, with_footer(DOMESTIC, tmp_path, " 00000000000000008.73018"))

    assert result.status == "error"
    assert "row 13" in result.message and "column 'Dollars'" in result.message
    assert "8.73018" in result.message and "8.70318" in result.message
    assert counts(engine) == (0, 0)


def test_premium_dollars_are_refused_naming_the_row(engine, tmp_path):
    rows = DOMESTIC.read_text(encoding="utf-8").split("\n")
    cells = rows[6].split('","')
    premium = cells.index(" 00000000000000000.00000", 30)  # Premium Credits, then Dollars
    cells[premium + 1] = " 00000000000000000.00054"
    rows[6] = '","'.join(cells)
    bad = tmp_path / "premium.csv"
    bad.write_text("\n".join(rows), encoding="utf-8")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "row 7" in result.message and "column 'Premium Dollars'" in result.message
    assert "0.00054" in result.message
    assert counts(engine) == (0, 0)


def test_reimporting_the_statement_adds_nothing(engine):
    assert import_path(engine, DOMESTIC).status == "imported"
    again = import_path(engine, DOMESTIC)
    assert again.status == "duplicate"
    assert counts(engine) == (11, 1)


@pytest.mark.parametrize(
    ("path", "layout"), [(DOMESTIC, "ascap_domestic"), (INTERNATIONAL, "ascap_international")]
)
def test_each_header_is_its_own_layout(path, layout):
    detected = importers.detect(header_of(path))
    assert detected is not None and detected[0].name == layout


DK_HEADER = (
    "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage\t"
    "Song/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)"
)


def test_performance_royalties_never_count_as_streams(engine):
    """The same artist's recordings (DistroKid) and songs (ASCAP): Spotify paid both, but
    only the recording's streams make a per-stream rate."""
    recordings = "\n".join([
        DK_HEADER,
        "2025-04-08\t2025-02\tSpotify\tMaren Holt\tLantern Song\tQZTST2500001\t195900000001\t"
        "10000\t100\tSong\tUS\t0\t30.00",
        "2025-04-08\t2025-02\tApple Music\tMaren Holt\tTin Bell\tQZTST2500002\t195900000001\t"
        "2000\t100\tSong\tUS\t0\t14.00",
    ]) + "\n"  # fmt: skip
    assert import_bytes(engine, "dk.tsv", recordings.encode()).status == "imported"
    f = Filters(artist="Maren Holt", period=(202410, 202512))
    before = analytics.overview(engine, f, "USD")

    songs = import_path(engine, DOMESTIC, ImportOptions(artist="Maren Holt"))

    assert songs.status == "imported", songs.message
    after = analytics.overview(engine, f, "USD")
    assert (after.total_streams, after.stream_income) == (12_000, Decimal("44.00"))
    assert (before.total_streams, before.stream_income) == (12_000, Decimal("44.00"))
    assert after.income_per_stream == before.income_per_stream
    assert after.total_income == Decimal("52.70318")  # 44.00 + the statement's 8.70318
    kinds = dict(zip(after.by_kind["kind"], after.by_kind["income"], strict=True))
    assert kinds == {"stream": Decimal("44.00"), "performance": Decimal("8.70318")}
    spotify = analytics.platform_table(engine, f, "USD", min_streams=1).set_index("platform")
    assert spotify.loc["Spotify", "streams"] == 10_000
    assert spotify.loc["Spotify", "income_per_stream"] == Decimal("0.003")  # 30.00 / 10,000
    assert spotify.loc["Spotify", "income"] > Decimal("30.00")  # the song's share is income


def test_zero_padding_is_not_size():
    """ASCAP pads every amount to 17 digits; ten digits of value are still too many."""
    padded = [" 00000000000000000.00262", "-00000000000000000.00029", " 00000000000.06500"]
    parsed = parse_amounts(pd.Series(padded), decimal_comma=False)
    assert not parsed.bad.any()
    assert parsed.nano.tolist() == [2_620_000, -290_000, 65_000_000]
    too_big = parse_amounts(pd.Series(["1234567890.5", "0001234567890.5"]), decimal_comma=False)
    assert too_big.bad.tolist() == [True, True]
