"""Disclosure summaries: one row per platform, a period given by the header or the person.

Totals are checked against sums of the fixtures' own text with Decimal, and written out.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_line_list

from royalty import importers
from royalty.importers import ImportOptions
from royalty.importers.disclosure import currency_in, period_in
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement, StatementTotal

FIXTURES = Path(__file__).parent / "fixtures"
GBP_FILE = FIXTURES / "disclosure_2024-25_gbp.csv"
USD_FILE = FIXTURES / "disclosure_service_plays_usd.csv"
EUR_FILE = FIXTURES / "disclosure_2024_eur_decimal_comma.csv"

YEAR = (202407, 202506)


def stored_lines(engine) -> dict[str, dict]:
    return {line["store"]: line for line in stored_line_list(engine)}


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def test_platform_streams_income_gbp_with_a_total_row(engine):
    result = import_path(
        engine, GBP_FILE, ImportOptions(period=YEAR, currency="GBP", artist="The Wrens")
    )

    assert result.status == "imported", result.message
    assert result.format == "disclosure"
    # a title line and a blank line sit above the header; the Total row is not a platform
    assert (result.rows, result.stored) == (9, 8)
    assert result.totals == {"GBP": "6378.19"}
    assert result.period == ["2024-07", "2025-06"]
    lines = stored_lines(engine)
    assert set(lines) == {
        "Spotify", "Apple Music", "Amazon Music", "YouTube Music", "Deezer", "Tidal",
        "SoundCloud", "Other",
    }  # fmt: skip
    assert sum(Decimal(x["amount"]) for x in lines.values()) == Decimal("6378.19")
    assert sum(x["amount_nano"] for x in lines.values()) == 6_378_190_000_000
    assert sum(x["quantity"] for x in lines.values()) == 1_753_043
    spotify = lines["Spotify"]
    assert (spotify["quantity"], spotify["amount"], spotify["currency"]) == (
        1_204_331,
        "3871.22",
        "GBP",
    )
    assert (spotify["row_number"], lines["Other"]["row_number"]) == (4, 11)
    for line in lines.values():
        assert (line["usage_month"], line["usage_month_end"]) == YEAR
        assert line["reporting_month"] is None
        assert (line["kind"], line["artist"]) == ("stream", "The Wrens")
        assert (line["track_id"], line["release_id"]) == (None, None)
    assert (lines["Tidal"]["platform"], lines["YouTube Music"]["platform"]) == ("TIDAL", "YouTube")
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
        total = conn.execute(select(StatementTotal)).one()
    assert (statement.layout, statement.source) == ("disclosure", "Disclosure summary")
    assert (statement.first_month, statement.last_month) == YEAR
    assert (total.currency, total.amount, total.lines) == ("GBP", "6378.19", 8)


def test_currency_in_the_header_wins_over_the_chosen_one(engine):
    result = import_path(engine, GBP_FILE, ImportOptions(period=YEAR, currency="USD"))
    assert result.status == "imported", result.message
    assert result.totals == {"GBP": "6378.19"}
    assert {x["artist"] for x in stored_lines(engine).values()} == {"Unknown artist"}


def test_service_plays_revenue_usd_variant(engine):
    result = import_path(engine, USD_FILE, ImportOptions(period=(202401, 202412)))

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (6, 6)
    assert result.totals == {"USD": "456.26"}
    lines = stored_lines(engine)
    assert sum(Decimal(x["amount"]) for x in lines.values()) == Decimal("456.26")
    assert sum(x["quantity"] for x in lines.values()) == 217_023
    assert (lines["YouTube"]["quantity"], lines["YouTube"]["amount"]) == (40310, "27.9")
    # a summary counts plays: every line is a stream, even on TikTok
    assert {x["kind"] for x in lines.values()} == {"stream"}
    assert lines["TikTok"]["platform"] == "TikTok"
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {(202401, 202412)}


def test_period_and_currency_from_the_header_decimal_comma(engine):
    """``Streams (Jan 2024 – Dec 2024)`` and ``Earnings (€)``: nothing needs to be chosen."""
    result = import_path(engine, EUR_FILE)

    assert result.status == "imported", result.message
    assert result.totals == {"EUR": "2302.41"}
    assert result.period == ["2024-01", "2024-12"]
    lines = stored_lines(engine)
    # "412.880" streams and "1.402,79" euros
    assert (lines["Spotify"]["quantity"], lines["Spotify"]["amount"]) == (412_880, "1402.79")
    assert (lines["Amazon Music"]["amount"], lines["Qobuz"]["quantity"]) == ("118.9", 1902)
    assert sum(x["quantity"] for x in lines.values()) == 620_481
    assert sum(Decimal(x["amount"]) for x in lines.values()) == Decimal("2302.41")
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {(202401, 202412)}


def test_missing_period_is_a_clear_error_and_stores_nothing(engine):
    result = import_path(engine, GBP_FILE, ImportOptions(currency="GBP", artist="The Wrens"))

    assert result.status == "error"
    assert result.message.startswith(str(GBP_FILE))
    assert "does not say which months it covers" in result.message
    assert "--period 2024-07..2025-06" in result.message
    assert "Period field" in result.message
    assert counts(engine) == (0, 0)


def test_total_row_that_does_not_add_up_names_the_row(engine, tmp_path):
    bad = tmp_path / "summary.csv"
    bad.write_text(
        GBP_FILE.read_text().replace('Total,"1,753,043","6,378.19"', 'Total,"1,753,043","6,378.91"')
    )

    result = import_path(engine, bad, ImportOptions(period=YEAR))

    assert result.status == "error"
    assert "row 12" in result.message and "'Income (GBP)'" in result.message
    assert "6,378.91" in result.message and "6378.19" in result.message
    assert counts(engine) == (0, 0)


def test_total_row_with_wrong_streams_names_the_row(engine, tmp_path):
    bad = tmp_path / "summary.csv"
    bad.write_text(GBP_FILE.read_text().replace('"1,753,043"', '"1,735,043"'))

    result = import_path(engine, bad, ImportOptions(period=YEAR))

    assert result.status == "error"
    assert "row 12" in result.message and "'Streams'" in result.message
    assert "1,753,043" in result.message
    assert counts(engine) == (0, 0)


def test_no_currency_anywhere_asks_for_one(engine, tmp_path):
    plain = tmp_path / "summary.csv"
    plain.write_text("Platform,Streams,Earnings ($)\nSpotify,1000,3.10\nApple Music,200,1.45\n")

    result = import_path(engine, plain, ImportOptions(period=YEAR))
    assert result.status == "error"
    assert "--currency" in result.message
    assert counts(engine) == (0, 0)

    chosen = import_path(engine, plain, ImportOptions(period=YEAR, currency="CAD"))
    assert chosen.status == "imported", chosen.message
    assert chosen.totals == {"CAD": "4.55"}


def test_unknown_layout_message_lists_the_new_layouts(engine, tmp_path):
    odd = tmp_path / "notes.csv"
    odd.write_text("Date,Note\n2024-01-01,hello\n")
    result = import_path(engine, odd)
    assert result.status == "error"
    for title in ("Believe", "AWAL / The Orchard", "Disclosure summary"):
        assert title in result.message
    assert "Disclosure summary" in importers.known_layouts()


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (["Platform", "Streams", "Income (GBP)"], True),
        (["Service", "Plays", "Revenue (USD)"], True),
        (["DSP", "Listens", "Earnings"], True),
        (["Platform", "Streams", "Income per stream (GBP)"], False),
        (["song", "listeners", "streams", "saves"], False),
        (["Platform", "Income (GBP)"], False),
    ],
)
def test_recognized_headers(header, found):
    detected = importers.detect(header)
    assert (detected is not None and detected[0].name == "disclosure") is found


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Income (GBP)", "GBP"),
        ("Revenue (USD)", "USD"),
        ("Earnings (€)", "EUR"),
        ("Income £", "GBP"),
        ("Earnings ($)", None),
        ("Income", None),
        ("TOTAL INCOME", None),
    ],
)
def test_currency_in(cell, code):
    assert currency_in(cell) == code


@pytest.mark.parametrize(
    ("cell", "period"),
    [
        ("Streams (Jan 2024 – Dec 2024)", (202401, 202412)),
        ("Streams 2024-07..2025-06", (202407, 202506)),
        ("Income 2023 (GBP)", (202301, 202312)),
        ("Income (GBP)", None),
        ("Streams", None),
    ],
)
def test_period_in(cell, period):
    assert period_in(cell) == period


def test_the_total_row_is_checked_against_every_platform_row_however_the_file_is_read(
    engine, monkeypatch
):
    """A summary is checked as one table, even when the reader hands it out in pieces."""
    from royalty.ingest import delimited, import_bytes

    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 64)  # a few rows a piece
    rows = [f"Platform {i},{1000 + i},{i}.25" for i in range(20)]
    total = sum(Decimal(f"{i}.25") for i in range(20))
    data = "\n".join(["Platform,Streams,Income (GBP)", *rows, f"Total,,{total}"]) + "\n"
    result = import_bytes(
        engine, "summary.csv", data.encode(), ImportOptions(period=(202407, 202506))
    )
    assert (result.status, result.stored) == ("imported", 20), result.message
    assert Decimal(result.totals["GBP"]) == total == Decimal("195")
    one = import_bytes(
        engine, "one.csv", b"Platform,Streams,Income (GBP)\nTidal,10,0.03\n",
        ImportOptions(period=(202301, 202312)),
    )  # fmt: skip
    assert one.message.endswith("1 line stored (0.03 GBP)")
