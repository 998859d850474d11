"""What the commands print, as issue 15 found it: a report of nothing refused (and no empty
database made by asking), the import's progress bar on a pseudo-terminal, one vocabulary for
outcomes, aligned labels, and no traceback when the reader of a pipe goes away."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from royalty.cli import main
from royalty.ingest import import_bytes
from tests.test_analytics import MAIN, distrokid

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "distrokid_2023-02.tsv"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def db(sqlite_engine) -> str:
    result = import_bytes(sqlite_engine, "juniper.tsv", distrokid(MAIN))
    assert result.status == "imported", result.message
    return sqlite_engine.url.render_as_string(hide_password=False)


def test_a_report_of_a_period_without_data_is_refused_and_lists_the_periods(db, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", "--year", "2019", "--db", db, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nothing is stored in 2019" in err
    assert "Usage months with data: Dec 2023, Jan – Feb 2024" in err
    assert not out.exists()
    assert main(["summary", "--period", "2019-01..2019-06", "--db", db]) == 1
    assert "nothing is stored in Jan – Jun 2019" in capsys.readouterr().err


def test_reading_commands_never_create_a_database(tmp_path, capsys):
    missing = tmp_path / "none.db"
    url = f"sqlite:///{missing}"
    assert main(["report", "--db", url, "--out", str(tmp_path / "r.html")]) == 1
    assert main(["summary", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.count(f"there is no database at {missing} yet") == 2
    assert not missing.exists() and not (tmp_path / "r.html").exists()


def test_an_empty_database_says_there_is_nothing_yet(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    from royalty.store.db import make_engine

    make_engine(url).dispose()
    assert main(["report", "--db", url, "--out", str(tmp_path / "r.pdf")]) == 1
    assert "nothing is stored yet: import statements first" in capsys.readouterr().err


def test_summary_labels_share_one_column(db, capsys):
    assert main(["summary", "--year", "2024", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    heads = [line for line in lines[2:] if line and not line.startswith(" ")][:8]
    assert heads[3] == "Streams per $1    262"  # was "Streams to earn $1.00: 262"
    assert all(line[17] == " " and line[18] != " " for line in heads), heads


def test_sample_load_marks_files_as_import_does(tmp_path, capsys):
    assert main(["sample", "load", "--db", f"sqlite:///{tmp_path / 's.db'}"]) == 0
    marks = {line[:6] for line in capsys.readouterr().out.splitlines()}
    assert marks == {"[ok ] "}


def test_a_closed_pipe_ends_the_command_quietly(db):
    """``royalty summary | head -1``: the reader goes before the command writes."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "royalty", "summary", "--year", "2024", "--db", db],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT,
    )  # fmt: skip
    proc.stdout.close()  # nobody reads: the first write fails with EPIPE
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err.decode()
    assert proc.returncode == 141


def _on_a_pty(*args: str, tmp_path: Path) -> tuple[int, str]:
    """Run ``royalty import`` with stderr on a fresh pseudo-terminal (0 columns, 0 lines, as
    ``script`` gives), stdout to a pipe; what the terminal showed."""
    leader, follower = pty.openpty()
    url = f"sqlite:///{tmp_path / 'p.db'}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "royalty", "import", str(FIXTURE), "--db", url, *args],
        stdout=subprocess.PIPE, stderr=follower, env=_env(), cwd=ROOT,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    proc.stdout.close()
    os.close(leader)
    return proc.returncode, shown.decode("utf-8", "replace")


def test_the_import_shows_its_progress_on_a_pseudo_terminal(tmp_path):
    code, shown = _on_a_pty(tmp_path=tmp_path)
    assert code == 0
    assert "1/1" in shown and "100%" in shown, repr(shown)


def test_progress_can_be_turned_off_and_on(tmp_path):
    code, shown = _on_a_pty("--no-progress", tmp_path=tmp_path)
    assert code == 0 and "100%" not in shown
    url = f"sqlite:///{tmp_path / 'q.db'}"
    piped = subprocess.run(
        [sys.executable, "-m", "royalty", "import", str(FIXTURE), "--db", url, "--progress"],
        capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert piped.returncode == 0
    assert "100%" in piped.stderr and "100%" not in piped.stdout
