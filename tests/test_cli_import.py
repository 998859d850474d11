"""``royalty import``: files and folders in, one result per file out, exit status 1 on failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from royalty.cli import main
from royalty.store.db import make_engine
from royalty.store.models import Artist, EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
JSON_KEYS = {"file", "status", "format", "rows", "totals", "period", "message"}


def run_json(capsys, *argv: str) -> tuple[int, list[dict]]:
    status = main(["import", "--json", *argv])
    out = capsys.readouterr().out
    return status, json.loads(out)


def db_counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(select(func.count()).select_from(Statement)).scalar_one(),
                conn.execute(select(func.count()).select_from(EarningLine)).scalar_one(),
            )
    finally:
        engine.dispose()


def statements_folder(root: Path) -> Path:
    """A manager's folder: statements in sub-folders, plus things that are not statements."""
    folder = root / "statements"
    (folder / "distrokid").mkdir(parents=True)
    (folder / "tunecore" / "2024").mkdir(parents=True)
    (folder / ".cache").mkdir()
    shutil.copy(FIXTURES / "distrokid_2023-02.tsv", folder / "distrokid")
    shutil.copy(FIXTURES / "distrokid_2026-02_cr.tsv", folder / "distrokid")
    shutil.copy(FIXTURES / "tunecore_2024-02_gbp.csv", folder / "tunecore" / "2024")
    (folder / "notes.md").write_text("paid in March\n")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / ".cache" / "old.csv").write_text("not,a,statement\n")
    return folder


def test_json_output_for_one_file(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'royalty.db'}"

    status, results = run_json(capsys, str(FIXTURES / "distrokid_2023-02.tsv"), "--db", url)

    assert status == 0
    assert len(results) == 1
    (result,) = results
    assert set(result) >= JSON_KEYS
    assert result["file"] == str(FIXTURES / "distrokid_2023-02.tsv")
    assert (result["status"], result["format"], result["rows"]) == ("imported", "distrokid", 16)
    assert result["totals"] == {"USD": "8.54545271"}
    assert result["period"] == ["2022-10", "2022-12"]
    assert "16 lines stored (8.54545271 USD)" in result["message"]
    assert db_counts(url) == (1, 16)


def test_folder_walk_then_a_second_run_is_all_duplicates(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'royalty.db'}"
    folder = statements_folder(tmp_path)

    status, results = run_json(capsys, str(folder), "--db", url)

    assert status == 0
    names = [Path(r["file"]).relative_to(folder).as_posix() for r in results]
    assert names == [
        "distrokid/distrokid_2023-02.tsv",
        "distrokid/distrokid_2026-02_cr.tsv",
        "tunecore/2024/tunecore_2024-02_gbp.csv",
    ]
    assert [r["status"] for r in results] == ["imported"] * 3
    assert [r["format"] for r in results] == ["distrokid", "distrokid", "tunecore"]
    assert [r["rows"] for r in results] == [16, 12, 22]
    assert [r["totals"] for r in results] == [
        {"USD": "8.54545271"},
        {"USD": "4.61093148"},
        {"GBP": "19.661824"},
    ]
    assert db_counts(url) == (3, 50)

    status, again = run_json(capsys, str(folder), "--db", url)

    assert status == 0
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert [r["format"] for r in again] == ["distrokid", "distrokid", "tunecore"]
    assert all("already imported" in r["message"] for r in again)
    assert db_counts(url) == (3, 50)


def test_exit_status_1_when_any_file_failed(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'royalty.db'}"
    bad = tmp_path / "broken.tsv"
    bad.write_bytes(
        (FIXTURES / "distrokid_2023-02.tsv").read_bytes().replace(b"0.31278150", b"0.31278I50")
    )

    status, results = run_json(
        capsys, str(FIXTURES / "distrokid_2026-02_cr.tsv"), str(bad), "--db", url
    )

    assert status == 1
    assert [r["status"] for r in results] == ["imported", "error"]
    assert results[1]["message"] == (
        f"{bad}, row 3, column 'Earnings (USD)': is not an amount of money: '0.31278I50'"
    )
    assert (results[1]["rows"], results[1]["totals"], results[1]["period"]) == (0, {}, None)
    assert db_counts(url) == (1, 12)  # the good file is kept, nothing of the bad one


def test_missing_path_is_an_error_not_a_crash(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'royalty.db'}"
    missing = tmp_path / "nope.tsv"

    status, results = run_json(capsys, str(missing), "--db", url)

    assert status == 1
    assert results == [
        {
            "file": str(missing), "status": "error", "format": None, "rows": 0, "totals": {},
            "period": None, "message": f"{missing}: no such file", "stored": 0, "skipped": 0,
            "dropped": 0, "dropped_because": {},
            "statement_id": None, "encoding": None,
        }
    ]  # fmt: skip


def test_empty_folder_says_so(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'royalty.db'}"
    (tmp_path / "empty").mkdir()

    status = main(["import", str(tmp_path / "empty"), "--db", url])

    assert status == 1
    assert "No statement files found in: " in capsys.readouterr().err


def test_plain_text_output_and_summary(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'royalty.db'}"
    path = str(FIXTURES / "tunecore_2024-02_gbp.csv")

    assert main(["import", path, "--db", url]) == 0
    assert main(["import", path, "--db", url]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"[ok ] {path}: TuneCore sales report (CSV), 22 lines stored")
    assert out[1] == "1 imported, 0 duplicate, 0 failed"
    assert out[2].startswith(f"[dup] {path}: already imported on ")
    assert out[3] == "0 imported, 1 duplicate, 0 failed"


def test_artist_and_currency_options_reach_the_import(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'royalty.db'}"
    status, (result,) = run_json(
        capsys,
        str(FIXTURES / "distrokid_2023-02.tsv"),
        "--artist",
        "Cold Harbor Choir (band)",
        "--db",
        url,
    )
    assert status == 0, result["message"]
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(Artist.name)).scalars().all() == ["Cold Harbor Choir (band)"]
    finally:
        engine.dispose()


def test_ctrl_c_stops_after_the_files_already_imported(tmp_path, capsys, monkeypatch):
    """Ctrl-C during a file: that file stores nothing, the ones before it stay, exit 130; the
    same command again imports the rest (the finished files are duplicates)."""
    from royalty import ingest

    url = f"sqlite:///{tmp_path / 'r.db'}"
    files = [FIXTURES / "distrokid_2023-02.tsv", FIXTURES / "tunecore_2024-02_gbp.csv"]
    real_import = ingest.import_path

    def interrupted(engine, path, *args, **kwargs):
        if Path(path).name.startswith("tunecore"):
            raise KeyboardInterrupt
        return real_import(engine, path, *args, **kwargs)

    monkeypatch.setattr(ingest, "import_path", interrupted)
    assert main(["import", "--db", url, *map(str, files)]) == 130
    assert "Interrupted: nothing of" in capsys.readouterr().err
    assert db_counts(url)[0] == 1
    monkeypatch.setattr(ingest, "import_path", real_import)
    status, results = run_json(capsys, "--db", url, *map(str, files))
    assert status == 0
    assert [r["status"] for r in results] == ["duplicate", "imported"]
