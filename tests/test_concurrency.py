"""Imports started at the same time, by threads and by processes, on SQLite and PostgreSQL.

One import writes at a time: the others wait for it (saying so), the same file twice is stored
once and the second one reported ``duplicate``, and starting on a new database creates the
schema once, whoever comes first.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bigfiles import ROOT, write_distrokid
from conftest import BACKENDS, FIXTURES, PG_URL
from sqlalchemy import create_engine, event, func, select
from sqlmodel import SQLModel

from royalty import ingest
from royalty.ingest import import_path
from royalty.settings import normalize_url
from royalty.store.db import make_engine
from royalty.store.models import EarningLine, Statement

LINES = 30_000


@pytest.fixture(scope="module")
def two_files(tmp_path_factory) -> list[Path]:
    """Two statements of one catalogue (the same new artists, tracks and stores), each ~4 MB."""
    folder = tmp_path_factory.mktemp("statements")
    paths = [folder / "first.tsv", folder / "second.tsv"]
    for seed, path in enumerate(paths, start=1):
        write_distrokid(path, LINES, seed=seed)
    return paths


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(Statement)).scalar_one(),
            conn.execute(select(func.count()).select_from(EarningLine)).scalar_one(),
        )


def together(*calls):
    """Run the calls in threads released at the same moment; their results (or errors)."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.parametrize("backend", BACKENDS)
def test_starting_together_on_a_new_database_creates_the_schema_once(backend, tmp_path):
    """Before, the second ``create_all`` failed with ``table track already exists``; and
    switching a new SQLite file to WAL mode failed with ``database is locked`` at once."""
    for attempt in range(20 if backend == "sqlite" else 6):
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / f'new-{attempt}.db'}"
        else:
            bare = create_engine(normalize_url(PG_URL))
            SQLModel.metadata.drop_all(bare)
            bare.dispose()
            url = PG_URL

        def start(url: str = url) -> int:
            engine = make_engine(url)
            try:
                return counts(engine)[0]
            finally:
                engine.dispose()

        assert together(*[start] * 4) == [0, 0, 0, 0]


def test_an_import_waits_for_another_writer_and_says_so(tmp_path):
    """Another import holds SQLite's write lock for longer than the busy timeout (lowered here
    from 10 s to 0.3 s to keep the test short): before, the import failed with ``database is
    locked``; now it waits, says so once, and stores the file when the other one is done."""
    path = tmp_path / "royalty.db"
    engine = make_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA busy_timeout=300"))
    engine.dispose()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO platform (name) VALUES ('Bandcamp')")
    released = threading.Timer(2.0, lambda: other.execute("COMMIT"))
    said: list[str] = []
    started = time.monotonic()
    released.start()
    try:
        result = import_path(engine, FIXTURES / "distrokid_2023-02.tsv", status=said.append)
    finally:
        released.join()
        other.close()
    waited = time.monotonic() - started
    assert result.status == "imported", result.message
    assert waited >= 1.9
    name = str(FIXTURES / "distrokid_2023-02.tsv")
    assert said == [f"{name}: waiting for another import to finish…"]
    assert counts(engine) == (1, 16)
    engine.dispose()


def test_a_wait_too_long_gives_up_with_a_plain_message(tmp_path, monkeypatch):
    from royalty.store import db

    monkeypatch.setattr(db, "WAIT_LIMIT", 1.0)
    path = tmp_path / "royalty.db"
    engine = make_engine(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = import_path(engine, FIXTURES / "distrokid_2023-02.tsv")
    finally:
        other.execute("ROLLBACK")
        other.close()
    name = str(FIXTURES / "distrokid_2023-02.tsv")
    assert result.status == "error"
    assert result.message == (
        f"{name}: another import kept the database busy for over 1 second; nothing of "
        f"{name} was stored. Import it again once that one has finished."
    )
    assert counts(engine) == (0, 0)
    assert import_path(engine, FIXTURES / "distrokid_2023-02.tsv").status == "imported"
    engine.dispose()


def test_different_files_imported_at_once_are_both_stored(engine, two_files):
    """On PostgreSQL both imports inserted the same new artists at once: the second one failed
    with a unique violation on ``artist.name``. Now the second waits for the first."""
    said: list[str] = []
    results = together(*[lambda p=p: import_path(engine, p, status=said.append) for p in two_files])
    assert [r.status for r in results] == ["imported", "imported"], results
    assert [r.stored for r in results] == [LINES, LINES]
    assert counts(engine) == (2, 2 * LINES)
    assert all(s.endswith(": waiting for another import to finish…") for s in said), said


def test_the_same_file_imported_twice_at_once_is_stored_once(engine, two_files):
    """Before, the loser was reported as an ``IntegrityError`` on ``statement.sha256``."""
    path = two_files[0]
    results = together(lambda: import_path(engine, path), lambda: import_path(engine, path))
    assert sorted(r.status for r in results) == ["duplicate", "imported"], results
    (duplicate,) = [r for r in results if r.status == "duplicate"]
    assert duplicate.message.startswith(f"{path}: already imported on ")
    assert duplicate.message.endswith("(as first.tsv); nothing added")
    assert counts(engine) == (1, LINES)


def test_a_unique_violation_on_the_file_hash_is_a_duplicate(engine, monkeypatch):
    """A writer that does not wait its turn (an older version of the app) stores the same file
    between the duplicate check and the insert: the unique index says so, and that is the
    ordinary ``duplicate`` result, not an error."""
    path = FIXTURES / "tunecore_2024-02_gbp.csv"
    assert import_path(engine, path).status == "imported"
    real, checks = ingest._stored_as, []

    def missed(conn, digest):  # both checks before the insert come too early to see it
        checks.append(digest)
        return None if len(checks) <= 2 else real(conn, digest)

    monkeypatch.setattr(ingest, "_stored_as", missed)
    result = import_path(engine, path)
    assert result.status == "duplicate", result.message
    assert result.message.startswith(f"{path}: already imported on ")
    assert counts(engine) == (1, 22)


def _cli(*args: str, db: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "royalty.cli", "import", *args, "--db", db],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_command_line_imports_started_together_on_a_new_database(backend, tmp_path):
    """Two ``royalty import`` processes at the same moment, each with a file of its own: both
    store their file; the one that had to wait says so on stderr."""
    files = [tmp_path / "a.tsv", tmp_path / "b.tsv"]
    lines = 100_000 if backend == "sqlite" else 30_000  # PostgreSQL's loads are slower
    for seed, path in enumerate(files, start=11):
        write_distrokid(path, lines, seed=seed)
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'royalty.db'}"
    else:
        bare = create_engine(normalize_url(PG_URL))
        SQLModel.metadata.drop_all(bare)
        bare.dispose()
        url = PG_URL
    processes = [_cli(str(path), db=url) for path in files]
    outcomes = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, (out, err)
        assert f"{lines:,} lines stored" in out
    engine = make_engine(url)
    assert counts(engine) == (2, 2 * lines)
    engine.dispose()
    waited = [err for _, err in outcomes if "waiting for another import to finish…" in err]
    assert len(waited) <= 1
