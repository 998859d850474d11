"""The sample statements in data/ and the first-run loader (royalty.sample).

The sample is what every new user sees first, so it must import cleanly on both backends,
reconcile to the cent (to the last digit the files give), load exactly once, and look like a
real small act's income: two full years, several distributors, published-range rates.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from royalty import analytics, ingest, sample, settings
from royalty.sample import (
    ensure_sample_data,
    has_sample_data,
    has_statements,
    is_sample_only,
    load_sample_data,
    remove_sample_data,
    sample_files,
    sample_removed,
)
from royalty.store import rollup, statements
from royalty.store.db import make_engine
from royalty.store.models import (
    Artist,
    EarningLine,
    Platform,
    Release,
    Statement,
    StatementTotal,
    Store,
    Territory,
    Track,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = settings.SAMPLE_DATA_DIR
FIXTURES = Path(__file__).parent / "fixtures"

# The money column of each sample layout, read here with the csv module (not the importers) so
# the totals the import reports are checked against an independent reading of the files.
MONEY = {
    "distrokid": ("\t", "Earnings (USD)", None),
    "tunecore": (",", "Total Earned", "Currency"),
    "cdbaby": ("\t", "Subtotal", None),
    "bandcamp": (",", "net amount", "currency"),
}


def file_totals(path: Path) -> dict[str, Decimal]:
    raw = path.read_bytes()
    body = raw.decode("utf-16") if raw.startswith(b"\xff\xfe") else raw.decode("utf-8")
    layout = path.name.split("_")[0]
    sep, amount, currency = MONEY[layout]
    totals: dict[str, Decimal] = {}
    for row in csv.DictReader(io.StringIO(body, newline=""), delimiter=sep):
        if layout == "bandcamp" and row["item type"] == "payout":
            continue  # money moved to the bank, not income
        code = row[currency] if currency else "USD"
        totals[code] = totals.get(code, Decimal(0)) + Decimal(row[amount])
    return totals


def line_count(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count(Statement.id))).scalar_one(),
            conn.execute(select(func.count(EarningLine.id))).scalar_one(),
        )


def test_sample_folder_has_the_four_layouts_and_a_readme():
    names = [p.name for p in sample_files()]
    assert names == [
        "bandcamp_2024.csv", "bandcamp_2025.csv", "cdbaby_2024.txt", "cdbaby_2025.txt",
        "distrokid_2024.tsv", "distrokid_2025.tsv", "tunecore_2024_gbp.csv",
        "tunecore_2025_gbp.csv",
    ]  # fmt: skip
    assert (DATA / "README.md").is_file()
    # small enough that the first run imports in seconds
    assert sum(p.stat().st_size for p in sample_files()) < 8_000_000
    assert sum(p.read_bytes().count(b"\n") for p in sample_files()) < 60_000


def test_generator_reproduces_the_shipped_files(tmp_path: Path):
    """data/ is exactly the generator's output, so the sample's SHA-256 values are stable."""
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sample_data.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for path in sample_files():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_sample_imports_reconciles_and_looks_real(engine):
    """One load per backend (a load takes seconds), then every check on it."""
    results = load_sample_data(engine)
    check_every_file_imported_and_reconciles(engine, results)
    check_totals_are_exact(engine)
    check_two_years_of_a_real_band(engine)
    check_per_stream_rates_are_within_published_averages(engine)


def check_every_file_imported_and_reconciles(engine, results) -> None:
    assert [r.status for r in results] == ["imported"] * 8, [r.message for r in results]
    assert {r.format for r in results} == {"distrokid", "tunecore", "cdbaby", "bandcamp"}
    with engine.connect() as conn:
        for result, path in zip(results, sample_files(), strict=True):
            expected = file_totals(path)
            # what the import reports, what it recorded, and what the lines add up to
            assert {c: Decimal(v) for c, v in result.totals.items()} == expected, path.name
            recorded = dict(
                conn.execute(
                    select(StatementTotal.currency, StatementTotal.amount).where(
                        StatementTotal.statement_id == result.statement_id
                    )
                ).all()
            )
            assert {c: Decimal(v) for c, v in recorded.items()} == expected, path.name
            for currency, total in expected.items():
                amounts = (
                    conn.execute(
                        select(EarningLine.amount).where(
                            EarningLine.statement_id == result.statement_id,
                            EarningLine.currency == currency,
                        )
                    )
                    .scalars()
                    .all()
                )
                assert sum(map(Decimal, amounts)) == total, path.name
            assert result.skipped == 0, path.name  # no distributor overlaps another file


def check_totals_are_exact(engine) -> None:
    """Pinned totals of the shipped sample, and the integer sums SQL aggregates with."""
    with engine.connect() as conn:
        by_currency = dict(
            conn.execute(
                select(EarningLine.currency, func.sum(EarningLine.amount_nano)).group_by(
                    EarningLine.currency
                )
            ).all()
        )
    expected = {}
    for path in sample_files():
        for currency, total in file_totals(path).items():
            expected[currency] = expected.get(currency, Decimal(0)) + total
    assert expected == {"GBP": Decimal("7587.558211"), "USD": Decimal("3052.5560188216")}
    assert set(by_currency) == {"USD", "GBP"}
    # GBP (TuneCore, Bandcamp) has at most 6 decimals: the integer nano sum is exact.
    assert Decimal(by_currency["GBP"]) / 10**9 == expected["GBP"]
    # USD includes CD Baby's 10-decimal subtotals, rounded to nano per line (half a nano each).
    lines = line_count(engine)[1]
    assert abs(Decimal(by_currency["USD"]) - expected["USD"] * 10**9) <= Decimal(lines) / 2


def check_two_years_of_a_real_band(engine) -> None:
    with engine.connect() as conn:
        months = conn.execute(
            select(
                func.count(func.distinct(EarningLine.usage_month)),
                func.min(EarningLine.usage_month),
                func.max(EarningLine.usage_month),
            )
        ).one()
        assert tuple(months) == (24, 202401, 202512)
        layouts = set(conn.execute(select(Statement.layout)).scalars())
        assert layouts == {"distrokid", "tunecore", "cdbaby", "bandcamp"}
        artists = set(conn.execute(select(Artist.name)).scalars())
        assert artists == {"The Paper Lanterns", "Wren Okafor"}
        countries = conn.execute(
            select(func.count(func.distinct(EarningLine.territory)))
        ).scalar_one()
        assert countries >= 20
        isrcs = set(conn.execute(select(Track.isrc).where(Track.isrc != "")).scalars())
        assert len(isrcs) == 11
        kinds = set(conn.execute(select(EarningLine.kind).distinct()).scalars())
        assert kinds == {"stream", "download", "video", "physical"}
        negatives = conn.execute(
            select(Statement.layout, func.count(EarningLine.id))
            .join(Statement, Statement.id == EarningLine.statement_id)
            .where(EarningLine.amount_nano < 0)
            .group_by(Statement.layout)
        ).all()
        # two DistroKid corrections and two Bandcamp refunds (an LP and a digital album)
        assert dict(negatives) == {"distrokid": 2, "bandcamp": 2}


def per_stream_usd(conn, platform: str) -> Decimal:
    nano, plays = conn.execute(
        select(func.sum(EarningLine.amount_nano), func.sum(EarningLine.quantity))
        .join(Platform, Platform.id == EarningLine.platform_id)
        .where(
            Platform.name == platform,
            EarningLine.kind == "stream",
            EarningLine.currency == "USD",
        )
    ).one()
    return Decimal(nano) / 10**9 / Decimal(plays)


def check_per_stream_rates_are_within_published_averages(engine) -> None:
    with engine.connect() as conn:
        spotify = per_stream_usd(conn, "Spotify")
        apple = per_stream_usd(conn, "Apple Music")
        tidal = per_stream_usd(conn, "TIDAL")
        youtube = per_stream_usd(conn, "YouTube")
    # Published Spotify averages: $0.00251 (one DistroKid artist 2017-23) to $0.00437 (DMN 2019);
    # Duetti's 2024 figure is $0.0030, The Trichordist's $0.0033-0.0040.
    assert Decimal("0.00251") <= spotify <= Decimal("0.00437"), spotify
    assert Decimal("0.0049") <= apple <= Decimal("0.0080"), apple  # $0.00494-0.00783
    assert Decimal("0.0083") <= tidal <= Decimal("0.0128"), tidal  # $0.00829-0.0128
    assert Decimal("0.0010") <= youtube <= Decimal("0.0048"), youtube
    assert spotify < apple < tidal


def test_ensure_sample_data_loads_once_and_recognises_the_sample(engine):
    assert not has_statements(engine)
    assert not is_sample_only(engine)  # nothing stored is not "sample only"

    first = ensure_sample_data(engine)
    assert first is not None
    assert [r.status for r in first] == ["imported"] * 8
    loaded = line_count(engine)
    assert loaded[0] == 8 and loaded[1] == sum(r.stored for r in first)
    assert has_statements(engine)
    assert is_sample_only(engine)

    assert ensure_sample_data(engine) is None  # a second start does nothing
    again = load_sample_data(engine)  # even a forced reload adds nothing
    assert [r.status for r in again] == ["duplicate"] * 8
    assert line_count(engine) == loaded

    own = ingest.import_path(engine, FIXTURES / "distrokid_2023-02.tsv")
    assert own.status == "imported", own.message
    assert not is_sample_only(engine)
    assert ensure_sample_data(engine) is None


def test_missing_sample_folder_is_an_error_result_not_an_exception(engine, tmp_path: Path):
    results = load_sample_data(engine, tmp_path / "nowhere")
    assert len(results) == 1
    assert results[0].status == "error"
    assert "no sample statements" in results[0].message
    assert not has_statements(engine)


# --- removing the sample -----------------------------------------------------------------------

OWN = FIXTURES / "distrokid_2023-02.tsv"
OWN_TOTAL = Decimal("8.54545271")
"""The fixture's Earnings (USD) column added up by hand (16 rows, one a -0.00218760 correction)."""


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def rollup_rows(engine) -> dict[str, set[int]]:
    """Statement ids each summary table holds rows for."""
    with engine.connect() as conn:
        return {
            t.name: set(conn.execute(select(t.c.statement_id).distinct()).scalars())
            for t in rollup.TABLES
        }


def test_removing_the_sample_leaves_exactly_the_users_statement(engine):
    assert [r.status for r in load_sample_data(engine)] == ["imported"] * 8
    own = ingest.import_path(engine, OWN)
    assert own.status == "imported", own.message
    assert own.stored == 16
    assert file_totals(OWN) == {"USD": OWN_TOTAL}
    vocabulary = (count(engine, Platform), count(engine, Store), count(engine, Territory))
    assert has_sample_data(engine) and not is_sample_only(engine)

    assert remove_sample_data(engine) == 8

    with engine.connect() as conn:
        assert list(conn.execute(select(Statement.id)).scalars()) == [own.statement_id]
        lines = conn.execute(
            select(func.count(EarningLine.id), func.sum(EarningLine.amount_nano))
        ).one()
        assert tuple(lines) == (16, 8_545_452_710)
        totals = conn.execute(
            select(StatementTotal.statement_id, StatementTotal.currency, StatementTotal.amount)
        ).all()
        assert [(t[0], t[1], Decimal(t[2])) for t in totals] == [
            (own.statement_id, "USD", OWN_TOTAL)
        ]
        # no sample artist, track or release survives; the fixture's are all still used
        assert set(conn.execute(select(Artist.name)).scalars()) == {"Cold Harbor Choir"}
        orphan_tracks = conn.execute(
            select(func.count(Track.id)).where(
                Track.id.not_in(
                    select(EarningLine.track_id).where(EarningLine.track_id.is_not(None))
                )
            )
        ).scalar_one()
        assert orphan_tracks == 0
        orphan_releases = conn.execute(
            select(func.count(Release.id)).where(
                Release.id.not_in(
                    select(EarningLine.release_id).where(EarningLine.release_id.is_not(None))
                ),
                Release.id.not_in(select(Track.release_id).where(Track.release_id.is_not(None))),
            )
        ).scalar_one()
        assert orphan_releases == 0
        titles = set(conn.execute(select(Track.title)).scalars())
        assert titles == {"Tin Roof Psalm", "Lamplighter", "Undertow (feat. Mira Sol)"}
    # the summaries hold the user's statement only, and sum to the lines
    assert rollup_rows(engine) == {t.name: {own.statement_id} for t in rollup.TABLES}
    with engine.connect() as conn:
        for table in rollup.TABLES:
            assert conn.execute(select(func.sum(table.c.amount_nano))).scalar_one() == 8_545_452_710
    # shared vocabulary stays
    assert (count(engine, Platform), count(engine, Store), count(engine, Territory)) == vocabulary

    overview = analytics.overview(engine, analytics.Filters(), "USD")
    assert overview.total_income == OWN_TOTAL
    assert analytics.artists(engine) == ["Cold Harbor Choir"]

    assert not has_sample_data(engine) and sample_removed(engine)
    assert ensure_sample_data(engine) is None
    assert count(engine, Statement) == 1
    assert remove_sample_data(engine) == 0  # nothing left to remove

    again = load_sample_data(engine)  # the user asks for it back
    assert [r.status for r in again] == ["imported"] * 8
    assert not sample_removed(engine)
    assert count(engine, Statement) == 9
    both = analytics.overview(engine, analytics.Filters(artist="Cold Harbor Choir"), "USD")
    assert both.total_income == OWN_TOTAL


def test_a_removed_sample_stays_removed_in_an_empty_database(engine):
    assert ensure_sample_data(engine) is not None
    assert remove_sample_data(engine) == 8
    assert not has_statements(engine)
    assert count(engine, Artist) == count(engine, Track) == count(engine, Release) == 0
    assert count(engine, EarningLine) == count(engine, StatementTotal) == 0
    assert rollup_rows(engine) == {t.name: set() for t in rollup.TABLES}
    assert not analytics.has_data(engine)

    assert ensure_sample_data(engine) is None  # the next start keeps it empty
    assert ensure_sample_data(engine) is None
    assert not has_statements(engine)

    loaded = load_sample_data(engine)
    assert [r.status for r in loaded] == ["imported"] * 8
    assert is_sample_only(engine) and not sample_removed(engine)
    check_totals_are_exact(engine)  # the reloaded sample is whole again


def test_a_failed_removal_changes_nothing(engine, monkeypatch: pytest.MonkeyPatch):
    load_sample_data(engine)
    before = (count(engine, Statement), count(engine, EarningLine), count(engine, Artist))
    summed = rollup_rows(engine)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    # fails after the statements, lines and summaries are deleted, before the artists
    monkeypatch.setattr(statements, "_still_used", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        remove_sample_data(engine)
    assert (count(engine, Statement), count(engine, EarningLine), count(engine, Artist)) == before
    assert rollup_rows(engine) == summed
    assert not sample_removed(engine)
    assert is_sample_only(engine)


def test_command_line_loads_and_removes_the_sample(tmp_path: Path, capsys) -> None:
    from royalty import cli

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert cli.main(["sample", "load", "--db", url]) == 0
    # marked as ``royalty import`` marks a file (issue 15: "[imported]" here, "[ok ]" there)
    assert capsys.readouterr().out.count("[ok ]") == len(sample.sample_files())
    assert cli.main(["sample", "remove", "--db", url]) == 0
    assert f"removed {len(sample.sample_files())} sample statement(s)" in capsys.readouterr().out
    engine = make_engine(url)
    assert not sample.has_statements(engine)
    assert sample.ensure_sample_data(engine) is None
    engine.dispose()
