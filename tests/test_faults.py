"""Interrupts, kills and full disks: the database stays intact, the user is told what is true,
and no scratch data is left behind for good."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from bigfiles import ROOT, write_distrokid
from conftest import FIXTURES
from sqlalchemy import event, func, select

from royalty.cli import main
from royalty.ingest import import_path
from royalty.store import bulk, scratch
from royalty.store.db import make_engine
from royalty.store.models import EarningLine, Statement

SMALL = FIXTURES / "distrokid_2023-02.tsv"
OTHER = FIXTURES / "tunecore_2024-02_gbp.csv"


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """~41 MB, 300,000 lines: an import long enough to be interrupted in the middle."""
    path = tmp_path_factory.mktemp("big") / "dk300k.tsv"
    write_distrokid(path, 300_000)
    return path


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("medium") / "dk30k.tsv"
    write_distrokid(path, 30_000, seed=3)
    return path


def figures(engine) -> tuple[int, int, int]:
    """Statements, lines and their sum in nano-units: what every page adds up."""
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(Statement)).scalar_one(),
            conn.execute(select(func.count()).select_from(EarningLine)).scalar_one(),
            conn.execute(select(func.coalesce(func.sum(EarningLine.amount_nano), 0))).scalar_one(),
        )


def intact(engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def cli(*args: str, db: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "royalty.cli", "import", *args, "--db", db],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_scratch(
    root: Path, process: subprocess.Popen, size: int = 0, timeout: float = 60
) -> None:
    """Until the import in ``process`` has scratch data on disk (at least ``size`` bytes of
    it): it is in the middle."""
    deadline = time.monotonic() + timeout

    def written() -> int:
        return sum(p.stat().st_size for p in root.glob(f"{process.pid}/*/rows.sqlite"))

    while not (list(root.glob(f"{process.pid}/*/rows.sqlite")) and written() >= size):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never wrote scratch data"
        time.sleep(0.01)


# --- where scratch data lives ------------------------------------------------------------------


def test_scratch_data_lives_beside_the_database_in_a_folder_per_process(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'royalty.db'}")
    root = tmp_path / "royalty-scratch"
    assert scratch.scratch_root(engine) == root
    seen = []
    real = scratch.ScratchFile.__init__

    def record(scratch, where):
        real(scratch, where)
        seen.append(scratch.folder)

    monkeypatch.setattr(scratch.ScratchFile, "__init__", record)
    assert import_path(engine, SMALL).status == "imported"
    assert {folder.parent for folder in seen} == {root / str(os.getpid())}
    assert not root.exists()  # removed with the last scratch file
    memory = make_engine("sqlite://")
    assert scratch.scratch_root(memory) == Path(tempfile.gettempdir()) / "royalty-scratch"
    engine.dispose()


def test_leftovers_of_gone_processes_are_removed_and_reported(tmp_path):
    """A folder whose process is gone goes (said once); a live process's folder stays; so
    does a folder of an earlier version that is still written to."""
    engine = make_engine(f"sqlite:///{tmp_path / 'royalty.db'}")
    root = tmp_path / "royalty-scratch"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    (root / gone / "load-x").mkdir(parents=True)
    (root / gone / "load-x" / "rows.sqlite").write_bytes(b"\0" * 3_000_000)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (root / str(alive.pid) / "load-y").mkdir(parents=True)
        said: list[str] = []
        assert import_path(engine, SMALL, status=said.append).status == "imported"
        assert said == [f"Removed 3.0 MB of scratch data left by 1 interrupted import ({root})"]
        assert not (root / gone).exists()
        assert (root / str(alive.pid) / "load-y").is_dir()
        said.clear()
        assert import_path(engine, OTHER, status=said.append).status == "imported"
        assert said == []
    finally:
        alive.kill()
        alive.wait()
    engine.dispose()


def test_old_scratch_folders_in_the_temporary_folder_are_removed(tmp_path, monkeypatch):
    """Earlier versions left ``royalty-load-*`` in the temporary folder: a day unwritten, it
    is a leftover."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    old, recent = tmp_path / "tmp" / "royalty-load-old", tmp_path / "tmp" / "royalty-load-new"
    for folder in (old, recent):
        folder.mkdir()
        (folder / "rows.sqlite").write_bytes(b"\0" * 5_000)
    day_ago = time.time() - 25 * 3600
    for path in (old / "rows.sqlite", old):
        os.utime(path, (day_ago, day_ago))
    engine = make_engine(f"sqlite:///{tmp_path / 'royalty.db'}")
    said: list[str] = []
    assert import_path(engine, SMALL, status=said.append).status == "imported"
    assert not old.exists() and recent.is_dir()
    assert said == [
        f"Removed 5.0 KB of scratch data left by 1 interrupted import ({tmp_path / 'tmp'})"
    ]
    engine.dispose()


# --- interrupts and kills ----------------------------------------------------------------------


def test_ctrl_c_after_the_commit_says_the_file_was_stored(tmp_path, capsys, monkeypatch):
    """The interrupt arrives once the file is committed (its clean-up is under way): before,
    the command said "nothing of ... was stored" about a file stored in full."""
    url = f"sqlite:///{tmp_path / 'r.db'}"
    real_end = bulk._end_sqlite_load

    def end_then_interrupt(conn):
        real_end(conn)
        raise KeyboardInterrupt

    monkeypatch.setattr(bulk, "_end_sqlite_load", end_then_interrupt)
    assert main(["import", "--db", url, str(SMALL)]) == 130
    err = capsys.readouterr().err
    assert f"Interrupted: {SMALL} was stored in full, and so were the 0 file(s) before it." in err
    assert "nothing of" not in err
    monkeypatch.setattr(bulk, "_end_sqlite_load", real_end)
    engine = make_engine(url)
    assert figures(engine)[:2] == (1, 16)
    engine.dispose()


@pytest.mark.parametrize(
    ("sig", "code", "word"),
    [(signal.SIGTERM, 143, "Terminated"), (signal.SIGINT, 130, "Interrupted")],
)
def test_a_signal_in_the_middle_rolls_back_and_says_what_is_true(tmp_path, big, sig, code, word):
    """SIGTERM is handled as Ctrl-C is (before, it ended the process on the spot, leaving its
    scratch data): the file rolls back, its scratch data goes, the message matches the
    database, and the exit status is 128 + the signal."""
    for attempt in range(3):
        url = f"sqlite:///{tmp_path / f'r{attempt}.db'}"
        assert main(["import", "--db", url, str(SMALL)]) == 0
        root = tmp_path / "royalty-scratch"
        process = cli(str(big), db=url)
        # well into the load (megabytes of scratch data), not at its last moment
        wait_for_scratch(root, process, size=5_000_000)
        process.send_signal(sig)
        out, err = process.communicate(timeout=120)
        # on a loaded machine the test may be held up until the import has ended and the
        # process is exiting, where no signal is acted on: that was no signal in the middle
        if not (process.returncode == 0 and f"[ok ] {big}" in out and not err):
            break
    assert process.returncode == code, (out, err)
    engine = make_engine(url)
    stored = figures(engine)[0] == 2
    if stored:  # the signal came while it committed: rare, and then it says so
        assert f"{word}: {big} was stored in full" in err, err
    else:
        assert f"{word}: nothing of {big} was stored; the 0 file(s) before it were." in err, err
        assert figures(engine)[:2] == (1, 16)
    assert not root.exists()
    assert intact(engine)
    engine.dispose()


def test_scratch_data_of_a_killed_import_is_removed_by_the_next_one(tmp_path, big):
    """kill -9 leaves its scratch data (tens of MB); the next import removes it and says so."""
    url = f"sqlite:///{tmp_path / 'r.db'}"
    root = tmp_path / "royalty-scratch"
    process = cli(str(big), db=url)
    wait_for_scratch(root, process, size=5_000_000)
    process.kill()
    process.communicate(timeout=60)
    left = root / str(process.pid)
    assert left.is_dir() and any(left.rglob("rows.sqlite"))

    again = cli(str(SMALL), db=url)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out, err)
    assert re.search(
        r"^Removed [\d.,]+ MB of scratch data left by 1 interrupted import "
        + re.escape(f"({root})")
        + "$",
        err,
        re.MULTILINE,
    ), err
    assert not root.exists()
    engine = make_engine(url)
    assert figures(engine)[:2] == (1, 16)  # nothing of the killed import, all of the next
    assert intact(engine)
    engine.dispose()


# --- full disks --------------------------------------------------------------------------------

FULL = re.compile(
    r"^(?P<name>.+): the disk holding (?P<path>.+) is full \((?P<free>[\d.,]+ (bytes|KB|MB|GB))"
    r" free\); nothing of (?P=name) was stored\. Make room on it and import the file again\.$"
)


def test_a_full_database_disk_is_said_plainly_and_the_database_stays_usable(tmp_path, medium):
    """SQLite's ``max_page_count`` on the import's connection: the database cannot grow, as on
    a full disk (SQLITE_FULL, "database or disk is full")."""
    db = tmp_path / "royalty.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    assert import_path(engine, SMALL).status == "imported"
    before = figures(engine)
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    engine.dispose()

    limited = make_engine(url)
    event.listen(
        limited, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count={pages + 50}")
    )
    limited.dispose()
    result = import_path(limited, medium)
    limited.dispose()

    assert result.status == "error"
    match = FULL.match(result.message)
    assert match, result.message
    assert (match["name"], match["path"]) == (str(medium), str(db))
    engine = make_engine(url)
    assert figures(engine) == before
    assert intact(engine)
    assert not (tmp_path / "royalty-scratch").exists()
    assert import_path(engine, medium).status == "imported"
    assert figures(engine)[:2] == (2, 16 + 30_000)
    engine.dispose()


def _adbc_full(*_args) -> None:
    import adbc_driver_manager

    raise adbc_driver_manager.InternalError(
        "INTERNAL: failed to execute: database or disk is full",
        status_code=adbc_driver_manager.AdbcStatusCode.INTERNAL,
    )


def _no_space(*_args) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failure", [_no_space, _adbc_full], ids=["ENOSPC", "ADBC"])
def test_a_full_scratch_disk_is_said_plainly_and_leaves_nothing(
    tmp_path, medium, monkeypatch, failure
):
    db = tmp_path / "royalty.db"
    engine = make_engine(f"sqlite:///{db}")
    assert import_path(engine, SMALL).status == "imported"
    before = figures(engine)
    real = scratch.ScratchFile._ingest
    monkeypatch.setattr(scratch.ScratchFile, "_ingest", lambda scratch, *args: failure(*args))

    result = import_path(engine, medium)

    assert result.status == "error"
    match = FULL.match(result.message)
    assert match, result.message
    assert (match["name"], match["path"]) == (str(medium), str(tmp_path / "royalty-scratch"))
    assert figures(engine) == before
    assert intact(engine)
    assert not (tmp_path / "royalty-scratch").exists()
    monkeypatch.setattr(scratch.ScratchFile, "_ingest", real)
    assert import_path(engine, medium).status == "imported"
    engine.dispose()


def test_a_full_disk_is_named_by_the_disk_not_by_the_last_reading(tmp_path, monkeypatch):
    """The database and SQLite's temporary folder on one disk: the database's disk is named,
    however its free room moved between two readings; on two disks, the one with less room."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from royalty.store import diskfull

    engine = make_engine(f"sqlite:///{tmp_path / 'royalty.db'}")
    full = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    readings = iter([10_000, 0])  # the temporary folder read a moment later, with less room
    monkeypatch.setattr(diskfull, "free_bytes", lambda path: next(readings))
    said = diskfull.database_full(engine, full)
    assert said.path == tmp_path / "royalty.db"

    devices = {str(tmp_path / "royalty.db"): 1}
    monkeypatch.setattr(diskfull, "_device", lambda path: devices.get(str(path), 2))
    room = {str(tmp_path / "royalty.db"): 10_000}
    monkeypatch.setattr(diskfull, "free_bytes", lambda path: room.get(str(path), 0))
    said = diskfull.database_full(engine, full)
    assert (said.path, said.free) == (Path(tempfile.gettempdir()), 0)
    engine.dispose()
