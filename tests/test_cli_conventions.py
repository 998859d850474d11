"""The command line behaves as command lines do: ``python -m royalty``, ``--version``, and
``--db`` before or after the subcommand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from royalty import __version__
from royalty.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "distrokid_2023-02.tsv"


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "royalty", *args], capture_output=True, text=True, env=env,
        timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_python_dash_m_royalty_is_the_royalty_command():
    version = run_module("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"royalty {__version__}")
    usage = run_module("--help")
    assert usage.returncode == 0 and "import" in usage.stdout and "summary" in usage.stdout


@pytest.mark.parametrize("before", [True, False])
def test_db_before_or_after_the_subcommand(tmp_path, capsys, before):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    args = ["import", str(FIXTURE), "--json"]
    assert main(["--db", url, *args] if before else [*args, "--db", url]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["status"] == "imported"
    summary = ["summary", "--year", "2022", "--json"]
    assert main(["--db", url, *summary] if before else [*summary, "--db", url]) == 0
    assert json.loads(capsys.readouterr().out)["total_streams"] > 0
    assert (tmp_path / "cli.db").exists()


def test_db_after_the_subcommand_wins_over_before(tmp_path, capsys):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    main(["--db", f"sqlite:///{first}", "import", str(FIXTURE), "--db", f"sqlite:///{second}"])
    capsys.readouterr()
    assert second.exists() and not first.exists()


def test_help_and_argument_errors_import_no_heavy_library():
    """``royalty --help`` pays only for argparse: pandas, SQLAlchemy, SQLModel and pyarrow
    are imported by the commands that use them (start-up time is printed by the benchmarks,
    not asserted here)."""
    import subprocess
    import sys

    code = (
        "import sys, contextlib, io\n"
        "from royalty.cli import build_parser\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        build_parser().parse_args(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in ('pandas', 'sqlalchemy', 'sqlmodel', 'pyarrow', 'numpy')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
