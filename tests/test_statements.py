"""Statements under the user's control: listed with their counts and totals, each with a
reconciliation receipt, removable (one transaction, orphans included, every figure back to
what it was without that statement), on every backend and from the command line."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from release_figures import figures
from sqlalchemy import func, select
from test_ingest import dk_file, dk_row

from royalty.analytics.statements import receipt, statement_list
from royalty.cli import main
from royalty.ingest import import_bytes, import_path
from royalty.store.db import DatabaseBusy, lock_for_writing
from royalty.store.models import Artist, EarningLine, Release, Track
from royalty.store.statements import UnknownStatements, remove_statements

FIXTURES = Path(__file__).parent / "fixtures"
BANDCAMP = FIXTURES / "bandcamp_2022-12_artist_utf8.csv"
TUNECORE = FIXTURES / "tunecore_2024-02_gbp.csv"

LIST_KEYS = {
    "id", "file", "source", "layout", "period", "rows", "stored", "skipped", "dropped",
    "totals", "imported_at", "sha256",
}  # fmt: skip


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_every_statement_is_listed_with_its_counts_and_totals(engine):
    bandcamp = import_path(engine, BANDCAMP)
    tunecore = import_path(engine, TUNECORE)

    listed = statement_list(engine)

    assert [s.id for s in listed] == [tunecore.statement_id, bandcamp.statement_id]
    b = listed[1]
    assert (b.file, b.source, b.layout) == (BANDCAMP.name, "Bandcamp", "bandcamp")
    assert (b.rows, b.stored, b.skipped, b.dropped) == (10, 9, 0, 1)
    assert b.dropped_because == {"transfer": 1}
    assert b.totals == {"EUR": "24.16", "GBP": "13.98"}
    assert b.period == ["2022-11", "2023-01"]
    assert listed[0].reporting_period == ["2024-02", "2024-02"]
    assert len(b.sha256) == 64
    assert set(b.to_json()) >= LIST_KEYS


def test_a_receipt_checks_the_files_totals_against_the_stored_lines(engine):
    result = import_path(engine, BANDCAMP)

    found = receipt(engine, result.statement_id, lines=3)

    assert found is not None and found.reconciles
    eur, gbp = found.currencies
    assert (eur.currency, eur.file_total, eur.stored_total, eur.file_lines, eur.stored_lines) == (
        "EUR", "24.16", "24.16", 5, 5,
    )  # fmt: skip
    assert (gbp.file_total, gbp.stored_total, gbp.skipped_lines) == ("13.98", "13.98", 0)
    assert list(found.first_lines["row"]) == [2, 3, 4]
    assert found.first_lines["title"].iloc[0] == "Dunes"
    assert receipt(engine, 9999) is None


def test_a_receipt_after_an_overlap_names_the_skipped_lines(engine):
    rows = [dk_row(f"2023-0{m}", f"1.{m}0") for m in (1, 2, 3)]
    import_bytes(engine, "dk_part.tsv", dk_file(rows[:2]))
    full = import_bytes(engine, "dk_full.tsv", dk_file(rows))

    found = receipt(engine, full.statement_id)

    assert found is not None and found.reconciles
    (usd,) = found.currencies
    assert (usd.file_total, usd.file_lines) == ("3.6", 3)
    assert (usd.stored_total, usd.stored_lines) == ("1.3", 1)
    assert (usd.skipped_total, usd.skipped_lines) == ("2.3", 2)


def test_removing_a_statement_takes_back_exactly_what_it_added(engine, tmp_path):
    from royalty.store.db import make_engine

    alone = make_engine(f"sqlite:///{tmp_path / 'alone.db'}")
    import_path(alone, TUNECORE)
    expected = figures(alone)
    import_path(engine, TUNECORE)
    bandcamp = import_path(engine, BANDCAMP)
    assert figures(engine) != expected

    assert remove_statements(engine, [bandcamp.statement_id]) == [bandcamp.statement_id]

    after = figures(engine)
    # the database differs only by the statement ids and import times
    assert {k: v for k, v in after.items() if k != "statements"} == {
        k: v for k, v in expected.items() if k != "statements"
    }
    assert [s[2:] for s in after["statements"]] == [s[2:] for s in expected["statements"]]
    with engine.connect() as conn:  # the Bandcamp-only artist, her tracks and releases went
        assert conn.execute(select(Artist.name)).scalars().all() == ["Marsh Lights"]
    assert count(engine, Track) == count(alone, Track)
    assert count(engine, Release) == count(alone, Release)
    # and the same file imports again
    again = import_path(engine, BANDCAMP)
    assert again.status == "imported" and again.stored == 9


def test_removing_an_unknown_id_removes_nothing(engine):
    result = import_path(engine, BANDCAMP)
    lines = count(engine, EarningLine)

    with pytest.raises(UnknownStatements, match="no statement with id 4242"):
        remove_statements(engine, [result.statement_id, 4242])

    assert count(engine, EarningLine) == lines
    assert len(statement_list(engine)) == 1


def test_removing_while_an_import_writes_waits_then_gives_up_cleanly(sqlite_engine):
    engine = sqlite_engine
    result = import_path(engine, BANDCAMP)
    release = threading.Event()

    def hold_the_write_lock():
        with engine.connect() as conn, conn.begin():
            lock_for_writing(conn)
            release.wait(10)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    time.sleep(0.3)
    said: list[float] = []
    try:
        with pytest.raises(DatabaseBusy):
            remove_statements(engine, [result.statement_id], waiting=said.append, limit=1.0)
    finally:
        release.set()
        holder.join()
    assert said and said[0] < 1
    assert len(statement_list(engine)) == 1  # nothing removed
    assert remove_statements(engine, [result.statement_id]) == [result.statement_id]
    assert statement_list(engine) == []


def test_statements_on_the_command_line(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", "--db", url, str(BANDCAMP), str(TUNECORE)]) == 0
    capsys.readouterr()

    assert main(["statements", "--db", url, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["file"] for s in listed] == [TUNECORE.name, BANDCAMP.name]
    assert all(set(s) >= LIST_KEYS for s in listed)
    bandcamp_id = listed[1]["id"]

    assert main(["statements", "show", str(bandcamp_id), "--db", url, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["reconciles"] is True
    assert [c["stored_total"] for c in shown["currencies"]] == ["24.16", "13.98"]

    assert main(["statements", "show", str(bandcamp_id), "--db", url]) == 0
    text = capsys.readouterr().out
    assert "10 rows = 9 stored + 0 skipped (already stored) + 1 dropped (1 transfer)" in text
    assert "EUR: the file says 24.16 in 5 lines; stored 24.16 in 5 lines: reconciles" in text

    assert main(["statements", "remove", "999", "--db", url]) == 1
    assert "no statement with id 999; nothing was removed" in capsys.readouterr().err

    assert main(["--db", url, "statements", "remove", str(bandcamp_id), "--json"]) == 0
    removed = json.loads(capsys.readouterr().out)
    assert removed["removed"] == [bandcamp_id]
    assert removed["statements"][0]["file"] == BANDCAMP.name

    assert main(["statements", "--db", url]) == 0
    assert BANDCAMP.name not in capsys.readouterr().out


def test_a_release_that_only_lines_name_stays_while_a_statement_still_names_it(engine):
    """An album sale names its release and no track: removing one statement keeps the release
    that another statement's album sale still names, and removing that one too takes it."""
    album = {"title": "", "isrc": "", "song_album": "Album", "quantity": "1"}
    first = import_bytes(engine, "jan.tsv", dk_file([dk_row("2023-01", "7.00", **album)]))
    second = import_bytes(engine, "feb.tsv", dk_file([dk_row("2023-02", "7.00", **album)]))
    assert first.status == second.status == "imported"
    with engine.connect() as conn:
        named = conn.execute(select(EarningLine.release_id, EarningLine.track_id)).all()
    assert len(named) == 2 and all(r is not None and t is None for r, t in named)
    assert count(engine, Release) == 1 and count(engine, Track) == 0

    remove_statements(engine, [first.statement_id])

    assert count(engine, Release) == 1
    assert count(engine, Artist) == 1
    remove_statements(engine, [second.statement_id])
    assert (count(engine, Release), count(engine, Artist)) == (0, 0)


def test_a_track_and_its_artist_stay_while_another_statement_names_them(engine):
    first = import_bytes(engine, "jan.tsv", dk_file([dk_row("2023-01", "1.00")]))
    second = import_bytes(engine, "feb.tsv", dk_file([dk_row("2023-02", "2.00")]))
    tracks = count(engine, Track)

    remove_statements(engine, [second.statement_id])

    assert (count(engine, Track), count(engine, Artist)) == (tracks, 1)
    with engine.connect() as conn:
        kept = conn.execute(select(EarningLine.track_id)).scalars().all()
        assert conn.execute(select(Track.id)).scalars().all() == kept
    remove_statements(engine, [first.statement_id])
    assert (count(engine, Track), count(engine, Release), count(engine, Artist)) == (0, 0, 0)
