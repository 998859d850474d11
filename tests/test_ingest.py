"""The import's promises, on every backend: idempotent, all-or-nothing, exact, overlap-aware.

Statements are built here row by row so each test shows exactly what the file says; expected
totals are summed with Decimal from the same text.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from stored import stored_line_list

from royalty import ingest
from royalty.importers.base import ImportOptions
from royalty.ingest import delimited, identity, import_bytes, reader
from royalty.store import bulk, rollup, rollup_sums
from royalty.store.models import (
    Artist,
    EarningLine,
    Release,
    Statement,
    StatementTotal,
    Store,
    Track,
)

DK_HEADER = (
    "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage"
    "\tSong/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)"
)
UPC = "195920977126"


def dk_row(
    month: str,
    amount: str,
    *,
    store: str = "Spotify",
    title: str = "Tin Roof Psalm",
    isrc: str = "QZPLR2280031",
    quantity: str = "10",
    country: str = "US",
    song_album: str = "Song",
) -> str:
    return "\t".join(
        ["2023-02-08", month, store, "Cold Harbor Choir", title, isrc, UPC, quantity, "100",
         song_album, country, "0", amount]
    )  # fmt: skip


def dk_file(rows: list[str]) -> bytes:
    return ("\r\n".join([DK_HEADER, *rows]) + "\r\n").encode("ascii")


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def stored_amounts(engine) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(select(EarningLine.amount).order_by(EarningLine.id)).scalars().all()
        )


def stored_total(engine, currency: str = "USD") -> Decimal:
    with engine.connect() as conn:
        amounts = conn.execute(
            select(EarningLine.amount).where(EarningLine.currency == currency)
        ).scalars()
        return sum((Decimal(a) for a in amounts), Decimal(0))


def nano_total(engine, currency: str = "USD") -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.coalesce(func.sum(EarningLine.amount_nano), 0)).where(
                EarningLine.currency == currency
            )
        ).scalar_one()


def assert_nothing_stored(engine) -> None:
    for model in (Statement, StatementTotal, EarningLine, Artist, Store, Track, Release):
        assert count(engine, model) == 0, model.__name__


HALF_YEAR = [
    dk_row("2022-01", "1.41536244"),
    dk_row("2022-02", "0.31278150", country="GB"),
    dk_row("2022-03", "0.40148900", store="Apple Music", title="Lamplighter", isrc="QZPLR2280032"),
    dk_row("2022-04", "0.00040035", store="Snap", quantity="0"),
    dk_row("2022-05", "0.02187500", store="Facebook", country="OU"),
    dk_row("2022-05", "0.02187500", store="Facebook", country="OU"),  # the same line twice
    dk_row("2022-06", "-0.00218760", quantity="0"),
]
SECOND_HALF = [
    dk_row("2022-07", "1.57201050"),
    dk_row("2022-09", "0.06071208", store="Deezer", country="FR"),
    dk_row("2022-12", "0.13105442", store="Tidal", country="NO"),
]


def resaved(row: str) -> str:
    """What a spreadsheet round trip does to a row: trailing zeros of the amount go."""
    *cells, amount = row.split("\t")
    whole, _, frac = amount.partition(".")
    frac = frac.rstrip("0")
    return "\t".join([*cells, f"{whole}.{frac}" if frac else whole])


# --- idempotence -------------------------------------------------------------------------------


def test_the_same_bytes_twice_is_a_duplicate_and_adds_nothing(engine):
    data = dk_file(HALF_YEAR)

    first = import_bytes(engine, "dk_2022-h1.tsv", data)
    again = import_bytes(engine, "renamed copy.tsv", data)

    assert first.status == "imported", first.message
    assert (first.rows, first.stored, first.skipped) == (7, 7, 0)
    assert again.status == "duplicate"
    assert again.format == "distrokid"
    assert "already imported" in again.message and "dk_2022-h1.tsv" in again.message
    assert (again.rows, again.stored) == (0, 0)
    assert count(engine, EarningLine) == 7
    assert count(engine, Statement) == 1


def test_identical_rows_inside_one_file_all_count(engine):
    row = dk_row("2022-05", "0.02187500", store="Facebook", country="OU")
    result = import_bytes(engine, "three.tsv", dk_file([row, row, row]))

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.skipped) == (3, 3, 0)
    assert result.totals == {"USD": "0.065625"}
    assert stored_total(engine) == Decimal("0.06562500")
    with engine.connect() as conn:
        occurrences = conn.execute(select(EarningLine.occurrence)).scalars().all()
    assert sorted(occurrences) == [0, 1, 2]


# --- overlapping exports -----------------------------------------------------------------------


@pytest.mark.parametrize("chunk_rows", [250_000, 2], ids=["one chunk", "chunks of 2 rows"])
def test_a_resaved_overlapping_export_adds_only_the_new_lines(engine, monkeypatch, chunk_rows):
    """Jan-Jun, then Jan-Dec re-saved by a spreadsheet (``0.3127815`` for ``0.31278150``)."""
    monkeypatch.setattr(reader, "CHUNK_ROWS", chunk_rows)
    first = import_bytes(engine, "dk_jan-jun.tsv", dk_file(HALF_YEAR))
    whole_year = [resaved(r) for r in HALF_YEAR + SECOND_HALF]
    assert whole_year[1].endswith("\t0.3127815")  # the spelling really changed

    second = import_bytes(engine, "dk_jan-dec.tsv", dk_file(whole_year))

    assert first.status == second.status == "imported", second.message
    assert (second.rows, second.stored, second.skipped) == (10, 3, 7)
    assert "7 lines already stored from an earlier DistroKid statement were skipped" in (
        second.message
    )
    # the second file's own total is what it says; the database holds each line once
    assert second.totals == {"USD": "3.93537269"}
    assert first.totals == {"USD": "2.17159569"}
    assert stored_total(engine) == Decimal("3.93537269")
    assert nano_total(engine) == 3_935_372_690
    assert count(engine, EarningLine) == 10
    with engine.connect() as conn:
        skipped = conn.execute(
            select(Statement.lines_stored, Statement.lines_skipped).where(
                Statement.file_name == "dk_jan-dec.tsv"
            )
        ).one()
    assert tuple(skipped) == (3, 7)


def test_a_line_reported_once_more_than_before_is_new(engine):
    """Two identical lines stored; the next export has three: the third is a new earning."""
    row = dk_row("2022-05", "0.02187500", store="Facebook", country="OU")
    import_bytes(engine, "two.tsv", dk_file([row, row]))

    result = import_bytes(engine, "three.tsv", dk_file([resaved(row)] * 3))

    assert (result.stored, result.skipped) == (1, 2)
    assert stored_total(engine) == Decimal("0.065625")


def test_the_same_lines_from_another_distributor_are_not_skipped(engine):
    """Overlap is per distributor: a TuneCore line never hides a DistroKid one."""
    import_bytes(engine, "dk.tsv", dk_file(HALF_YEAR[:1]))
    tunecore = tunecore_file([("2022-01-01", "Spotify", "1.41536244", "USD")])

    result = import_bytes(engine, "tc.csv", tunecore)

    assert (result.status, result.stored, result.skipped) == ("imported", 1, 0)


# --- all or nothing ----------------------------------------------------------------------------


def test_a_bad_amount_in_the_last_chunk_stores_nothing(engine, monkeypatch):
    monkeypatch.setattr(reader, "CHUNK_ROWS", 4)
    rows = [dk_row(f"2022-{m:02d}", f"0.{m:02d}000001") for m in range(1, 12)]
    rows.append(dk_row("2022-12", "12,5O"))  # a letter O: row 13 of the file, chunk 3 of 3

    result = import_bytes(engine, "dk_bad_last.tsv", dk_file(rows))

    assert result.status == "error"
    assert result.message == (
        "dk_bad_last.tsv, row 13, column 'Earnings (USD)': is not an amount of money: '12,5O'"
    )
    assert_nothing_stored(engine)
    # and the file, once fixed, imports (nothing of the failed attempt is in the way)
    rows[-1] = dk_row("2022-12", "0.12000001")
    fixed = import_bytes(engine, "dk_bad_last.tsv", dk_file(rows))
    assert (fixed.status, fixed.stored) == ("imported", 12)
    assert fixed.totals == {"USD": "0.78000012"}


def test_a_reconcile_mismatch_raises_and_stores_nothing(engine, monkeypatch):
    real_append = bulk.Writer.append

    def corrupting_append(writer, table, rows):
        if table.name == "earning_line":
            rows = rows.copy()
            rows.loc[0, "amount"] = "0.41536244"  # one line stored a unit short
            rows.loc[0, "amount_nano"] = 415_362_440
        real_append(writer, table, rows)

    monkeypatch.setattr(bulk.Writer, "append", corrupting_append)

    result = import_bytes(engine, "dk.tsv", dk_file(HALF_YEAR))

    assert result.status == "error"
    assert result.message == (
        "dk.tsv: does not reconcile in USD: the file sums to 2.17159569 in 7 lines, the "
        "database would hold 1.17159569 in 7; nothing was stored"
    )
    assert_nothing_stored(engine)


# --- money -------------------------------------------------------------------------------------

TC_HEADER = (
    "Sales Period,Posted Date,Store Name,Country Of Sale,Artist,Release Type,Release Title,"
    "Song Title,Label,UPC,Optional UPC,TC Song ID,Optional ISRC,Sales Type,# Units Sold,"
    "Per Unit Price,Net Sales,Net Sales Currency,Exchange Rate,Total Earned,Currency"
)


def tunecore_file(rows: list[tuple[str, str, str, str]]) -> bytes:
    """(sales period, store, total earned, currency) rows of a TuneCore report."""
    lines = [TC_HEADER]
    for period, store, amount, currency in rows:
        lines.append(
            f"{period},2024-02-01,{store},GB,Marsh Lights,Album,Low Country Hymns,Tidewater,"
            f"Marsh Lights,859771234561,,USTCZ2300101,,Streaming,3,0.001,{amount},{currency},,"
            f"{amount},{currency}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_mixed_currencies_are_totalled_per_currency(engine):
    data = tunecore_file(
        [
            ("2023-11-01", "Spotify", "3.009420", "GBP"),
            ("2023-11-01", "Spotify", "2.658230", "USD"),
            ("2023-12-01", "Deezer", "0.120001", "GBP"),
            ("2023-12-01", "Tidal", "0.333333333333", "EUR"),
            ("2023-12-01", "Spotify", "-0.500000", "USD"),
        ]
    )

    result = import_bytes(engine, "tc_mixed.csv", data)

    assert result.status == "imported", result.message
    assert result.totals == {"EUR": "0.333333333333", "GBP": "3.129421", "USD": "2.15823"}
    assert stored_total(engine, "GBP") == Decimal("3.129421")
    assert stored_total(engine, "USD") == Decimal("2.15823")
    assert stored_total(engine, "EUR") == Decimal("0.333333333333")
    assert nano_total(engine, "EUR") == 333_333_333
    with engine.connect() as conn:
        totals = dict(conn.execute(select(StatementTotal.currency, StatementTotal.lines)).all())
    assert totals == {"EUR": 1, "GBP": 2, "USD": 2}
    assert "3.129421 GBP" in result.message and "2.15823 USD" in result.message


def test_negative_adjustments_are_valid_lines(engine):
    rows = [
        dk_row("2022-06", "-0.00218760", quantity="0"),
        dk_row("2022-06", "-1.50000000", quantity="0"),
        dk_row("2022-06", "0.50000000"),
    ]

    result = import_bytes(engine, "dk_adjust.tsv", dk_file(rows))

    assert result.status == "imported", result.message
    assert result.stored == 3
    assert result.totals == {"USD": "-1.0021876"}
    assert stored_amounts(engine) == ["-0.00218760", "-1.50000000", "0.50000000"]
    assert nano_total(engine) == -1_002_187_600


# --- DistroKid album rows and releases ------------------------------------------------------


def test_distrokid_album_rows_belong_to_the_release_not_to_a_track(engine):
    rows = [
        dk_row("2022-11", "0.69300000", store="iTunes Songs", title="Lamplighter",
               isrc="QZPLR2280032", quantity="1"),
        dk_row("2022-11", "3.49300000", store="iTunes", title="Cold Harbor Choir EP", isrc="",
               quantity="1", song_album="Album"),
    ]  # fmt: skip

    result = import_bytes(engine, "dk_album.tsv", dk_file(rows))

    assert result.status == "imported", result.message
    with engine.connect() as conn:
        lines = conn.execute(
            select(EarningLine.row_number, EarningLine.kind, EarningLine.track_id, Release.title)
            .join(Release, Release.id == EarningLine.release_id)
            .order_by(EarningLine.row_number)
        ).all()
        tracks = conn.execute(select(Track.title)).scalars().all()
        releases = conn.execute(select(Release.upc, Release.title)).all()
    assert tracks == ["Lamplighter"]  # no track named after the album
    assert [tuple(r) for r in releases] == [(UPC, "Cold Harbor Choir EP")]
    song, album = lines
    assert (song.kind, song.title) == ("download", "Cold Harbor Choir EP")
    assert song.track_id is not None
    assert (album.kind, album.track_id, album.title) == ("download", None, "Cold Harbor Choir EP")


def test_quoted_csv_source_type_album_rows_too(engine):
    header = (
        '"Date Inserted","Reporting Date","Sale Month","Store","Artist","Title","ISRC","UPC",'
        '"Quantity","Team Percentage","Source Type","Country of Sale",'
        '"Songwriter Royalties Withheld (USD)","Earnings (USD)","Recoup (USD)"'
    )
    album = (
        '"2026-03-25","2026-03-25","2026-02","iTunes","Tést Ärtist","Néon Nights","",'
        '"198880045560","1","50","Album","FR","0.00000","3.496500000000",""'
    )
    song = (
        '"2026-03-25","2026-03-25","2026-02","Spotify","Tést Ärtist","Néon Skyline",'
        '"QZWFV2498201","198880045560","3","50","Song","FR","0.00000","0.011000000000",""'
    )
    data = "\r\n".join([header, song, album]).encode("utf-8")

    result = import_bytes(engine, "dk_quoted_album.csv", data)

    assert result.status == "imported", result.message
    with engine.connect() as conn:
        assert conn.execute(select(Track.title)).scalars().all() == ["Néon Skyline"]
        assert conn.execute(select(Release.title)).scalars().all() == ["Néon Nights"]


def test_next_statement_reuses_releases_and_tracks_already_stored(engine):
    def album(month: str) -> str:
        return dk_row(month, "3.49300000", store="iTunes", title="Cold Harbor Choir EP", isrc="",
                      quantity="1", song_album="Album")  # fmt: skip

    nov = dk_file([dk_row("2022-11", "1.00000000"), album("2022-11")])
    dec = dk_file([dk_row("2022-12", "2.00000000"), album("2022-12")])
    first = import_bytes(engine, "dk_nov.tsv", nov)
    second = import_bytes(engine, "dk_dec.tsv", dec)

    assert first.status == second.status == "imported", second.message
    assert count(engine, Release) == 1
    assert count(engine, Track) == 1
    assert count(engine, EarningLine) == 4


def test_an_album_row_names_a_release_first_seen_without_a_title(engine):
    songs = import_bytes(engine, "dk_oct.tsv", dk_file([dk_row("2022-10", "1.00000000")]))
    with engine.connect() as conn:
        assert conn.execute(select(Release.upc, Release.title)).one() == (UPC, "")

    album = dk_row("2022-11", "3.49300000", store="iTunes", title="Cold Harbor Choir EP", isrc="",
                   quantity="1", song_album="Album")  # fmt: skip
    albums = import_bytes(engine, "dk_nov.tsv", dk_file([album]))

    assert songs.status == albums.status == "imported", albums.message
    with engine.connect() as conn:
        assert conn.execute(select(Release.upc, Release.title)).one() == (
            UPC,
            "Cold Harbor Choir EP",
        )
        release_ids = set(conn.execute(select(EarningLine.release_id)).scalars())
    assert len(release_ids) == 1


def test_a_track_first_seen_without_a_release_gets_it_when_a_later_line_names_it(engine):
    no_upc = dk_row("2022-10", "1.00000000").replace(UPC, "")
    first = import_bytes(engine, "dk_oct.tsv", dk_file([no_upc]))
    with engine.connect() as conn:
        assert conn.execute(select(Track.title, Track.release_id)).one() == ("Tin Roof Psalm", None)

    # in one batch: a row without the UPC first, then one naming it
    later = dk_file([dk_row("2022-11", "2.00000000").replace(UPC, ""), dk_row("2022-12", "3")])
    second = import_bytes(engine, "dk_nov.tsv", later)

    assert first.status == second.status == "imported", second.message
    with engine.connect() as conn:
        track = conn.execute(select(Track.title, Track.release_id)).one()
        release = conn.execute(select(Release.id, Release.upc)).one()
    assert track == ("Tin Roof Psalm", release.id)
    assert release.upc == UPC


def test_a_new_track_takes_the_release_of_any_of_its_rows_in_the_batch(engine):
    rows = [dk_row("2022-11", "2.00000000").replace(UPC, ""), dk_row("2022-12", "3")]

    result = import_bytes(engine, "dk.tsv", dk_file(rows))

    assert result.status == "imported", result.message
    with engine.connect() as conn:
        release_id = conn.execute(select(Release.id)).scalar_one()
        assert conn.execute(select(Track.release_id)).scalar_one() == release_id


# --- summaries ---------------------------------------------------------------------------------


def _summaries(engine) -> dict[str, list[tuple]]:
    """Every summary row (without its id), in a stable order."""
    out = {}
    with engine.connect() as conn:
        for table in rollup.TABLES:
            columns = [c for c in table.c if c.name != "id"]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*columns))), key=repr)
    return out


@pytest.mark.parametrize("hash_values", [None, 3], ids=["hashed", "colliding"])
def test_summaries_summed_while_importing_equal_summing_the_stored_lines(
    engine, monkeypatch, hash_values
):
    """Every summary row, summed from the batches as they are stored, is exactly what
    ``GROUP BY`` over the stored lines gives: all fixture layouts (currencies, rates, albums,
    missing territories), rows split over batches, and an overlapping export; also when the
    hash that finds a key's running sums collides all the time (only 3 hash values)."""
    if hash_values:
        real_hash = rollup_sums.row_hash
        monkeypatch.setattr(rollup_sums, "row_hash", lambda keys: real_hash(keys) % hash_values)
    fixtures = Path(__file__).parent / "fixtures"
    imported = 0
    for path in sorted(fixtures.iterdir()):
        result = ingest.import_path(engine, path, ImportOptions(currency="USD"))
        imported += result.status == "imported"
    rows = [dk_row(f"2022-{m:02d}", f"0.{m:02d}31", country=c) for m in (1, 2, 3) for c in "ABC"]
    rows = [r.replace("\tA\t", "\t\t") for r in rows]  # no territory on some lines
    monkeypatch.setattr(reader, "CHUNK_ROWS", 2)
    first = import_bytes(engine, "dk_q1.tsv", dk_file(rows[:6]))
    overlap = import_bytes(engine, "dk_q1_full.tsv", dk_file(rows))
    assert (first.stored, overlap.stored, overlap.skipped) == (6, 3, 6), overlap.message
    assert imported >= 15

    summed_while_importing = _summaries(engine)
    rollup.rebuild(engine)

    assert summed_while_importing == _summaries(engine)
    assert all(summed_while_importing[t.name] for t in rollup.TABLES)


def test_every_stored_id_exists_though_sqlite_skips_checking_them_during_a_load(sqlite_engine):
    """Imports switch off SQLite's per-row foreign key checks for speed; every reference the
    import wrote must still exist, and the connection must check foreign keys again after."""
    fixtures = Path(__file__).parent / "fixtures"
    for path in sorted(fixtures.iterdir()):
        ingest.import_path(sqlite_engine, path, ImportOptions(currency="USD"))
    failed = import_bytes(sqlite_engine, "bad.tsv", dk_file([dk_row("2022-01", "oops")]))
    assert failed.status == "error"

    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.execute(select(func.count()).select_from(EarningLine)).scalar() > 200


def test_occurrences_count_equal_keys_before_each_across_batches():
    rng = np.random.default_rng(3)
    counts, seen = identity.Occurrences(), {}
    for _ in range(20):
        keys = rng.integers(0, 50, int(rng.integers(0, 200)))
        expected = []
        for key in keys.tolist():
            expected.append(seen.get(key, 0))
            seen[key] = seen.get(key, 0) + 1
        assert counts.occurrences(keys).tolist() == expected


def test_occurrences_of_distinct_batches_then_repeats_of_them():
    rng = np.random.default_rng(4)
    counts = identity.Occurrences()
    first = rng.integers(-(2**63), 2**63 - 1, 5_000, dtype=np.int64)
    second = rng.integers(-(2**63), 2**63 - 1, 5_000, dtype=np.int64)
    assert not counts.occurrences(first).any()  # every key new: no counting needed
    assert not counts.occurrences(second).any()
    again = np.concatenate([second[:3], first[:2], second[:1]])
    assert counts.occurrences(again).tolist() == [1, 1, 1, 1, 1, 2]
    assert counts.occurrences(first[:1]).tolist() == [2]


def test_progress_is_reported_per_batch_with_the_rows_to_expect(engine, monkeypatch):
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 2048)
    rows = [dk_row(f"2022-{1 + i % 12:02d}", f"0.{i:08d}") for i in range(400)]
    calls = []
    result = import_bytes(engine, "dk.tsv", dk_file(rows), progress=lambda *a: calls.append(a))
    assert result.rows == 400
    assert len(calls) > 3  # one per batch, not only at the end
    names, read, expected = zip(*calls, strict=True)
    assert set(names) == {"dk.tsv"}
    assert list(read) == sorted(read) and read[-1] == 400
    assert len(set(expected)) == 1 and abs(expected[0] - 400) <= 20


def _everything(engine) -> tuple[list[dict], dict[str, list[tuple]], list[tuple]]:
    with engine.connect() as conn:
        totals = sorted(
            tuple(r) for r in conn.execute(select(Statement.file_name, StatementTotal.currency,
                                                  StatementTotal.amount, StatementTotal.lines)
                                           .join(Statement))
        )  # fmt: skip
    return stored_line_list(engine), _summaries(engine), totals


def test_tiny_batches_and_segments_store_exactly_what_one_batch_does(engine, tmp_path, monkeypatch):
    """Every fixture layout through the whole pipeline at its finest: a few rows per batch,
    scratch segments of a few rows, each copied in the background, so batch and segment edges
    fall everywhere. Lines (in order), summaries and file totals equal a plain import's."""
    from royalty.store.db import make_engine

    fixtures = sorted((Path(__file__).parent / "fixtures").iterdir())
    OPTIONS = ImportOptions(currency="USD", period=(202407, 202506))
    plain = make_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    for path in fixtures:
        ingest.import_path(plain, path, OPTIONS)

    monkeypatch.setattr(reader, "CHUNK_ROWS", 3)
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 128)
    monkeypatch.setattr(delimited, "TYPICAL_LINE_BYTES", 1 << 30)  # 128 bytes for every file
    monkeypatch.setattr(bulk, "SEGMENT_ROWS", 4)
    monkeypatch.setattr(bulk, "MIN_SEGMENT_ROWS", 2)
    results = [ingest.import_path(engine, p, OPTIONS) for p in fixtures]
    assert [r.message for r in results if r.status != "imported"] == []

    assert _everything(engine) == _everything(plain)
