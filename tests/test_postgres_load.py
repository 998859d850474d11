"""The bulk load path as PostgreSQL runs it: one streaming ``COPY`` per table, no per-row
foreign keys, imports of different artists beside each other.

Text that ``COPY`` could misread (tabs, line ends, backslashes, quotes, ``\\N``, accents) and
numbers at the edges (huge, negative, NULL) come back exactly, on both backends. On
PostgreSQL: the line and summary tables have no foreign keys and the lines no primary key;
two imports of different artists hold their transactions at the same time and lose nothing;
two that each wait for an artist the other holds are untangled; a removal waits for imports.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from bigfiles import _benchmark, write_distrokid
from conftest import PG_URL
from sqlalchemy import Engine, func, inspect, select, text
from sqlmodel import SQLModel
from stored import stored_line_list
from test_concurrency import together

from royalty.ingest import delimited, import_bytes, import_path, transaction
from royalty.money import EXACT
from royalty.store import locks, references
from royalty.store.bulk import Writer, bulk_transaction
from royalty.store.db import DatabaseBusy, lock_for_writing, make_engine
from royalty.store.models import SQLITE_ONLY, Artist, EarningLine, Statement, Track
from royalty.store.statements import remove_statements


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """An empty PostgreSQL database with the schema (as ``engine`` makes it)."""
    if PG_URL is None:
        pytest.skip("no PostgreSQL server configured")
    eng = make_engine(PG_URL)
    SQLModel.metadata.drop_all(eng)
    SQLModel.metadata.create_all(eng)
    yield eng
    eng.dispose()


HEADER = ["Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
          "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld",
          "Earnings (USD)"]  # fmt: skip
NAMES = [
    "Tab\there", "Back\\slash\\", "\\N", 'Say "hi", twice', "'single' quotes",
    "Comma, inside", "Zoë Ødegård – 東京 🎸", "NULL", "\\.", "a|b;c", "Trailing\\",
]  # fmt: skip
"""Artist names and titles ``COPY`` could misread: its delimiters, quote, escape, NULL marker
and end-of-data marker, and text beyond Latin-1 (PostgreSQL refuses only NUL; line ends inside
a cell the reader refuses before anything is stored, so the writer's test has those)."""
TEXTS = [*NAMES, "Two\nlines", "Carriage\r\nreturn", "\r", "", " spaced ", '"', '""', "\\."]
"""Text the writer is handed: every name, and line ends, lone quotes, empty text."""


def csv_statement(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def row(artist: str, title: str, amount: str, *, isrc: str = "", store: str = "Spotify",
        country: str = "US", quantity: str = "10") -> list[str]:  # fmt: skip
    return ["2024-03-08", "2024-01", store, artist, title, isrc, "", quantity, "100", "Song",
            country, "0", amount]  # fmt: skip


def test_text_copy_could_misread_is_stored_exactly(engine):
    rows = [
        row(name, f"{name} (title)", f"0.{i + 1:02d}", store=f"Store {name}", isrc="")
        for i, name in enumerate(NAMES)
    ]
    result = import_bytes(engine, "awkward.csv", csv_statement(rows))
    assert result.status == "imported", result.message
    stored = stored_line_list(engine)
    assert [(s["artist"], s["title"], s["store"]) for s in stored] == [
        (name, f"{name} (title)", f"Store {name}") for name in NAMES
    ]
    assert [s["amount"] for s in stored] == [f"0.{i + 1:02d}" for i in range(len(NAMES))]
    with engine.connect() as conn:
        names = set(conn.execute(select(Artist.name)).scalars())
    assert names == set(NAMES)


def test_huge_negative_and_long_amounts_and_missing_countries_are_exact(engine):
    amounts = ["-999999999.5", "999999999.123456789", "-0.000000001",
               "0.000004728602417533660881608229722", "-1234567.89", "0"]  # fmt: skip
    rows = [
        row("Marsh Lights", f"Track {i}", amount, isrc=f"QZABC240000{i}", country=country)
        for i, (amount, country) in enumerate(
            zip(amounts, ["US", "", "GB", "", "OU", "DE"], strict=True)
        )
    ]
    rows[4][4:6] = ["", ""]  # no title, no ISRC: a line of no track
    result = import_bytes(engine, "edges.csv", csv_statement(rows))
    assert result.status == "imported", result.message
    stored = stored_line_list(engine)
    assert [s["amount"] for s in stored] == amounts
    assert [s["amount_nano"] for s in stored] == [
        -999_999_999_500_000_000,
        999_999_999_123_456_789,
        -1,
        4_729,
        -1_234_567_890_000_000,
        0,
    ]
    assert [s["territory"] for s in stored] == ["US", "ZZ", "GB", "ZZ", "OU", "DE"]
    assert [s["track_id"] is None for s in stored] == [False] * 4 + [True, False]
    assert all(s["release_id"] is None and s["reporting_month"] is not None for s in stored)
    assert all(s["source_amount"] is None and s["fx_rate"] is None for s in stored)
    total = Decimal(0)
    for amount in amounts:
        total = EXACT.add(total, Decimal(amount))
    assert Decimal(result.totals["USD"]) == total


def test_the_writer_keeps_nulls_and_64_bit_numbers(engine):
    """Straight through the writer, appends that stream into one ``COPY`` on PostgreSQL."""
    line = EarningLine.__table__
    big, small = 2**63 - 1, -(2**63) + 1
    frames = [
        pd.DataFrame(
            {
                "statement_id": [1, 1], "row_number": [2 + 2 * part, 3 + 2 * part],
                "artist_id": [1, 1], "usage_month": [202401, 202402],
                "usage_month_end": [202401, 202403],
                "reporting_month": pd.array([None, 202405], dtype="Int64"),
                "platform_id": [1, 1], "store_id": [1, 1],
                "track_id": pd.array([None, 7], dtype="Int64"),
                "release_id": pd.array([3, None], dtype="Int64"),
                "territory": [None, ""], "kind": ["stream", "download"],
                "quantity": [big, small], "amount": ["-0.5", "12345678901234567890.5"],
                "amount_nano": [small, big], "currency": ["USD", "EUR"],
                "source_amount": [None, "1.10"], "source_currency": [None, "USD"],
                "fx_rate": [None, "0.9"], "line_hash": [small, big], "occurrence": [0, part],
            }
        )
        for part in range(3)
    ]  # fmt: skip
    awkward = frames[0].iloc[[0] * len(TEXTS)].reset_index(drop=True)
    awkward["row_number"] = range(100, 100 + len(TEXTS))
    awkward["amount"] = TEXTS
    awkward["fx_rate"] = list(reversed(TEXTS))
    frames.append(awkward)
    with bulk_transaction(engine) as conn:
        writer = Writer(conn)
        for frame in frames:
            writer.append(line, frame)
        writer.flush()
    columns = list(frames[0].columns)
    with engine.connect() as conn:
        got = [
            tuple(r)
            for r in conn.execute(select(*[line.c[c] for c in columns]).order_by(line.c.row_number))
        ]
    expected = pd.concat(frames).astype(object).where(pd.concat(frames).notna(), None)
    assert got == [tuple(r) for r in expected.itertuples(index=False)]


def test_a_nul_in_a_statement_is_refused_and_nothing_is_stored(engine):
    """PostgreSQL's text cannot hold NUL: the reader refuses the file before anything is
    written, on both backends alike."""
    rows = [row("Nul\x00Artist", "Title", "0.10"), row("Fine", "Ti\x00tle", "0.20")]
    result = import_bytes(engine, "nul.csv", csv_statement(rows))
    assert result.status == "error"
    assert result.message.startswith("nul.csv: is not a text statement")
    with engine.connect() as conn:
        for model in (Statement, EarningLine, Artist, Track):
            assert conn.execute(select(func.count()).select_from(model)).scalar_one() == 0


def test_the_writer_handed_a_nul_raises_and_stores_nothing(pg_engine):
    """A NUL past the reader (a bug) is the server's error, not a line cut short."""
    import psycopg

    frame = pd.DataFrame(
        {
            "statement_id": [1], "row_number": [2], "artist_id": [1], "usage_month": [202401],
            "usage_month_end": [202401], "reporting_month": [202402], "platform_id": [1],
            "store_id": [1], "track_id": [1], "release_id": [1], "territory": ["US"],
            "kind": ["stream"], "quantity": [1], "amount": ["0.1\x00"], "amount_nano": [1],
            "currency": ["USD"], "source_amount": [None], "source_currency": [None],
            "fx_rate": [None], "line_hash": [1], "occurrence": [0],
        }
    )  # fmt: skip
    refused = pytest.raises(psycopg.errors.CharacterNotInRepertoire, match="0x00")
    with refused, bulk_transaction(pg_engine) as conn:
        writer = Writer(conn)
        writer.append(EarningLine.__table__, frame)
        writer.flush()
    with pg_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EarningLine)).scalar_one() == 0


def test_a_batch_whose_csv_fails_in_the_copy_thread_stores_nothing(pg_engine, monkeypatch):
    """The CSV is written in the stream's own thread: its error reaches the import, the
    ``COPY`` is stopped and the transaction rolls back, and the connection works after."""
    from royalty.store import pgcopy

    written = pgcopy.table_csv
    calls = []

    def second_fails(rows):  # type: ignore[no-untyped-def]
        calls.append(rows.num_rows)
        if len(calls) == 2:
            raise MemoryError("out of memory writing CSV")
        return written(rows)

    monkeypatch.setattr(pgcopy, "table_csv", second_fails)
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 2048)  # several batches
    rows = [row("Ana Lúa", f"Song {i}", f"0.{i:04d}") for i in range(300)]
    result = import_bytes(pg_engine, "dk.csv", csv_statement(rows))
    assert result.status == "error" and "too large to read" in result.message
    assert len(calls) >= 2
    monkeypatch.undo()
    with pg_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EarningLine)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(Statement)).scalar_one() == 0
    assert import_bytes(pg_engine, "dk.csv", csv_statement(rows)).status == "imported"


def test_a_missing_reference_is_refused(engine):
    used = references.Used()
    used.add("track_id", [None, 41, 41])
    with engine.connect() as conn, pytest.raises(references.MissingReference, match="track_id"):
        references.check(conn, used)


# --- PostgreSQL only ----------------------------------------------------------------------------


def test_the_line_and_summary_tables_have_no_per_row_checks(pg_engine):
    found = inspect(pg_engine)
    for table in SQLITE_ONLY:
        assert found.get_foreign_keys(table.name) == [], table.name
    assert found.get_pk_constraint("earning_line")["constrained_columns"] == []
    with pg_engine.connect() as conn:
        method = conn.execute(
            text(
                "SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'ix_line_statement'"
            )
        ).scalar_one()
        kind = conn.execute(
            text(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'earning_line' AND column_name = 'id'"
            )
        ).scalar_one()
    assert (method, kind) == ("brin", "bigint")


def _artists() -> list[str]:
    return list(_benchmark().ARTISTS)


def renamed(path: Path, suffix: str) -> None:
    """The benchmark statement with every artist renamed: another artist's file."""
    data = path.read_text(encoding="utf-8")
    for artist in _artists():
        data = data.replace(f"\t{artist}\t", f"\t{artist} {suffix}\t")
    path.write_text(data, encoding="utf-8")


def line_totals(pg_engine) -> dict[str, tuple[int, Decimal]]:
    with pg_engine.connect() as conn:
        rows = conn.execute(
            select(Statement.file_name, EarningLine.amount)
            .join(Statement, Statement.id == EarningLine.statement_id)
        ).all()  # fmt: skip
    totals: dict[str, tuple[int, Decimal]] = {}
    for name, amount in rows:
        count, total = totals.get(name, (0, Decimal(0)))
        totals[name] = (count + 1, total + Decimal(amount))
    return totals


def test_imports_of_different_artists_hold_their_transactions_at_once(
    pg_engine, tmp_path, monkeypatch
):
    """Each import waits, inside its transaction with every line written, until the other one
    is there too: one lock for all imports would keep the second out until the first ended,
    and the wait would time out. (The stores and countries are known already, as on a server
    in use: two imports that both meet a new store wait for each other, see ``shared``.)"""
    bench = _benchmark()
    known = [
        row("Seed", "Seed", "0.01", store=store, country=country)
        for (store, *_), (country, _) in zip(bench.STORES, bench.COUNTRIES, strict=False)
    ]
    known += [row("Seed", "Seed", "0.01", country=c) for c, _ in bench.COUNTRIES]  # fmt: skip
    assert import_bytes(pg_engine, "seed.csv", csv_statement(known)).status == "imported"
    lines = 20_000
    files = {}
    for seed, suffix in ((31, "North"), (32, "South")):
        path = tmp_path / f"{suffix}.tsv"
        files[path.name] = (path, write_distrokid(path, lines, seed=seed))
        renamed(path, suffix)
    keys = [{locks.artist_key(f"{a} {s}") for a in _artists()} for s in ("North", "South")]
    assert not keys[0] & keys[1]  # no two of these artists share a lock
    both_inside = threading.Barrier(2, timeout=120)
    real_finish = transaction.FileImport._finish

    def meet_the_other_then_finish(self):
        both_inside.wait()
        real_finish(self)

    monkeypatch.setattr(transaction.FileImport, "_finish", meet_the_other_then_finish)
    said: list[str] = []
    results = together(
        *[lambda p=p: import_path(pg_engine, p, status=said.append) for p, _ in files.values()]
    )
    assert [r.status for r in results] == ["imported", "imported"], [r.message for r in results]
    assert said == []
    assert line_totals(pg_engine) == {
        "seed.csv": (len(known), Decimal("0.01") * len(known)),
        **{name: (lines, total) for name, (_, total) in files.items()},
    }
    with pg_engine.connect() as conn:
        artists = conn.execute(select(func.count()).select_from(Artist)).scalar_one()
        tracks = conn.execute(select(func.count()).select_from(Track)).scalar_one()
    assert (artists, tracks) == (11, 1 + 2 * 240)


def test_two_imports_waiting_for_each_others_artists_both_get_in(pg_engine, tmp_path, monkeypatch):
    """File one names Ada then Bo, file two Bo then Ada, in batches of their own: each import
    holds its first artist when it asks for its second. PostgreSQL finds the cycle and stops
    one, which starts again once the other is done."""

    seed = csv_statement([row("Seed", "Seed", "0.03", quantity="1")])  # store, country known
    assert import_bytes(pg_engine, "seed.csv", seed).status == "imported"
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 4096)
    ada, bo = "Ada Lindqvist", "Bo Marsh"
    assert locks.artist_key(ada) != locks.artist_key(bo)

    def statement(first: str, second: str, cents: int) -> bytes:
        rows = [row(a, f"{a} {i}", f"0.{cents:02d}", isrc=f"QZAAA24{i:05d}")
                for a in (first, second) for i in range(200)]  # fmt: skip
        return csv_statement(rows)

    first_locks: dict[int, int] = {}
    held_first = threading.Barrier(2, timeout=60)
    cycles: list[str] = []
    real_lock, real_patiently = transaction.lock_artists, locks.patiently

    def lock_then_wait(conn, names, held, waiting=None, **kw):
        real_lock(conn, names, held, waiting, **kw)
        me = threading.get_ident()
        first_locks[me] = first_locks.get(me, 0) + 1
        if first_locks[me] == 1 and not cycles:
            held_first.wait()

    def patiently(*args, **kw):
        try:
            return real_patiently(*args, **kw)
        except locks.LockCycle as exc:
            cycles.append(str(exc))
            raise

    monkeypatch.setattr(transaction, "lock_artists", lock_then_wait)
    monkeypatch.setattr(locks, "patiently", patiently)
    results = together(
        lambda: import_bytes(pg_engine, "one.csv", statement(ada, bo, 1)),
        lambda: import_bytes(pg_engine, "two.csv", statement(bo, ada, 2)),
    )
    assert [r.status for r in results] == ["imported", "imported"], [r.message for r in results]
    assert [r.stored for r in results] == [400, 400]
    assert len(cycles) == 1
    assert line_totals(pg_engine) == {
        "seed.csv": (1, Decimal("0.03")),
        "one.csv": (400, Decimal("4.00")),
        "two.csv": (400, Decimal("8.00")),
    }


@pytest.mark.parametrize("holder", ["an import", "a removal"])
def test_a_removal_waits_for_imports_and_an_import_for_a_removal(pg_engine, holder, monkeypatch):
    from royalty.store import db

    result = import_bytes(pg_engine, "one.csv", csv_statement([row("Ada", "Song", "1.00")]))
    monkeypatch.setattr(db, "WAIT_LIMIT", 1.0)
    release, holding = threading.Event(), threading.Event()

    def hold() -> None:
        with pg_engine.connect() as conn, conn.begin():
            lock_for_writing(conn, shared=holder == "an import")
            holding.set()
            release.wait(20)

    thread = threading.Thread(target=hold)
    thread.start()
    said: list[object] = []
    try:
        assert holding.wait(10)
        if holder == "an import":
            with pytest.raises(DatabaseBusy):
                remove_statements(pg_engine, [result.statement_id], waiting=said.append)
        else:
            other = csv_statement([row("Bo", "Song", "2.00")])
            waited = import_bytes(pg_engine, "two.csv", other, status=said.append)
            assert waited.status == "error"
            assert "another import kept the database busy for over 1 second" in waited.message
    finally:
        release.set()
        thread.join()
    assert len(said) >= 1
    assert remove_statements(pg_engine, [result.statement_id]) == [result.statement_id]


def test_vocabulary_two_imports_meet_at_once_is_stored_once(pg_engine):
    """Two imports of different artists, both naming a store nobody stored yet."""
    files = [
        csv_statement([row(artist, "Song", "1.00", store="Brand New Store", country="NU")])
        for artist in ("Ada", "Bo")
    ]
    results = together(*[lambda f=f, i=i: import_bytes(pg_engine, f"{i}.csv", f)
                         for i, f in enumerate(files)])  # fmt: skip
    assert [r.status for r in results] == ["imported", "imported"], [r.message for r in results]
    with pg_engine.connect() as conn:
        stores = conn.execute(
            text("SELECT count(*) FROM store WHERE raw_name = 'Brand New Store'")
        ).scalar_one()
        territories = conn.execute(
            text("SELECT count(*) FROM territory WHERE code = 'NU'")
        ).scalar_one()
    assert (stores, territories) == (1, 1)
