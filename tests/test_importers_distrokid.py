"""DistroKid "Excruciating detail" exports in the five shapes met in the wild."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_lines

from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement, Territory, Track

FIXTURES = Path(__file__).parent / "fixtures"

# file, its encoding, delimiter, data rows, exact total, period, encoding the reader reports
EXPORTS = [
    ("distrokid_2023-02.tsv", "ascii", "\t", 16, "8.54545271", ["2022-10", "2022-12"], "utf-8"),
    ("distrokid_2026-02_cr.tsv", "ascii", "\t", 12, "4.61093148", ["2025-11", "2026-01"], "utf-8"),
    ("distrokid_2026-03_quoted.csv", "utf-8", ",", 10, "5.435767", ["2026-01", "2026-02"], "utf-8"),
    ("distrokid_2023-06_latin1.tsv", "latin-1", "\t", 10, "3.65110589", ["2023-04", "2023-05"],
     "cp1252"),
    ("distrokid_2024-10_utf8_bom.tsv", "utf-8-sig", "\t", 10, "5.31836569", ["2024-08", "2024-09"],
     "utf-8-sig"),
]  # fmt: skip


def file_earnings(path: Path, encoding: str, delimiter: str) -> Decimal:
    with path.open(encoding=encoding, newline="") as f:
        rows = csv.DictReader(f, delimiter=delimiter)
        return sum((Decimal(r["Earnings (USD)"]) for r in rows), Decimal(0))


def line_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "rows", "total", "period", "sniffed"),
    EXPORTS,
    ids=[e[0] for e in EXPORTS],
)
def test_every_shape_imports_exactly_once(
    engine, name, encoding, delimiter, rows, total, period, sniffed
):
    path = FIXTURES / name
    assert file_earnings(path, encoding, delimiter) == Decimal(total)

    result = import_path(engine, path)

    assert result.status == "imported", result.message
    assert (result.format, result.encoding) == ("distrokid", sniffed)
    assert (result.rows, result.stored, result.skipped) == (rows, rows, 0)
    assert result.totals == {"USD": total}
    assert result.period == period
    lines = stored_lines(engine)
    assert sorted(lines) == list(range(2, rows + 2))  # every row, none merged or lost
    assert sum(Decimal(v["amount"]) for v in lines.values()) == Decimal(total)
    assert {v["currency"] for v in lines.values()} == {"USD"}

    again = import_path(engine, path)

    assert again.status == "duplicate"
    assert line_count(engine) == rows
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Statement)).scalar_one() == 1


def test_2023_tsv_keeps_ou_zero_quantities_and_store_kinds(engine):
    assert import_path(engine, FIXTURES / "distrokid_2023-02.tsv").status == "imported"
    lines = stored_lines(engine)

    first = lines[2]
    assert (first["usage_month"], first["reporting_month"]) == (202210, 202302)
    assert (first["platform"], first["kind"], first["territory"]) == ("Spotify", "stream", "US")
    assert (first["quantity"], first["amount"]) == (412, "1.41536244")
    assert (first["isrc"], first["title"], first["artist"]) == (
        "QZPLR2280031",
        "Tin Roof Psalm",
        "Cold Harbor Choir",
    )
    # OU ("outside the United States") is kept as DistroKid wrote it, and named
    assert (lines[6]["territory"], lines[6]["platform"]) == ("OU", "Meta (Facebook/Instagram)")
    assert lines[13]["territory"] == "OU"
    with engine.connect() as conn:
        ou = conn.execute(select(Territory).where(Territory.code == "OU")).one()
    assert ou.name == "Outside the United States (unspecified)"
    # no units but money: kept as the statement says
    assert (lines[12]["store"], lines[12]["quantity"], lines[12]["amount"]) == (
        "Snap",
        0,
        "0.00040035",
    )
    assert (lines[17]["quantity"], lines[17]["amount"]) == (0, "-0.00218760")
    # the store says the kind of use
    assert (lines[7]["platform"], lines[7]["kind"]) == ("YouTube", "video")  # YouTube (Ads)
    assert (lines[10]["platform"], lines[10]["kind"]) == ("iTunes", "download")  # iTunes Songs
    assert (lines[11]["kind"], lines[11]["amount"]) == ("download", "3.49300000")  # an album
    assert lines[5]["platform"] == "Amazon Music"  # Amazon Unlimited (Streaming)
    assert lines[9]["amount"] == "0.33906012"  # already after the 50 % team split


def test_2026_bare_cr_tsv(engine):
    assert import_path(engine, FIXTURES / "distrokid_2026-02_cr.tsv").status == "imported"
    lines = stored_lines(engine)

    assert {v["reporting_month"] for v in lines.values()} == {202602}
    assert lines[3]["amount"] == "0.01308573"
    assert lines[13]["amount"] == "0.00004801"  # the last row, after the last bare CR
    assert lines[5]["platform"] == "Tencent Music"  # Tencent Direct Deal
    assert lines[6]["platform"] == "Boomplay"  # BoomplayCMS
    assert (lines[7]["platform"], lines[7]["kind"]) == ("YouTube", "stream")  # YouTube (Red)
    assert (lines[10]["platform"], lines[10]["kind"]) == ("Apple Music", "stream")  # iTunes Match
    assert lines[12]["platform"] == "KKBOX"
    assert (lines[8]["quantity"], lines[9]["territory"]) == (0, "OU")


def test_quoted_csv_with_source_type_and_empty_recoup(engine):
    assert import_path(engine, FIXTURES / "distrokid_2026-03_quoted.csv").status == "imported"
    lines = stored_lines(engine)

    assert lines[2]["amount"] == "0.011000000000"  # the file's twelve decimals, as written
    assert {v["artist"] for v in lines.values()} == {"Tést Ärtist"}
    assert {v["title"] for v in lines.values()} == {"Néon Skyline", "Été Indien"}
    assert lines[11]["territory"] == "OU"
    assert (lines[9]["platform"], lines[9]["kind"]) == ("iTunes", "download")


def test_latin_1_titles_are_decoded(engine):
    assert import_path(engine, FIXTURES / "distrokid_2023-06_latin1.tsv").status == "imported"
    lines = stored_lines(engine)

    assert {v["artist"] for v in lines.values()} == {"Inés Solà"}
    with engine.connect() as conn:
        titles = set(conn.execute(select(Track.title)).scalars())
    assert titles == {"Café del Puerto", "Canción de Cuna", "Ñandú", "Fête Foraine"}
    assert lines[4]["territory"] == "AR"


def test_utf8_bom_does_not_hide_the_first_column(engine):
    assert import_path(engine, FIXTURES / "distrokid_2024-10_utf8_bom.tsv").status == "imported"
    lines = stored_lines(engine)

    # "Reporting Date" is the first header cell, right after the BOM
    assert {v["reporting_month"] for v in lines.values()} == {202410}
    assert {v["artist"] for v in lines.values()} == {"Bjørn Ødegård"}
    assert lines[2]["title"] == "Fjordenʼs Lys"
    assert (lines[10]["store"], lines[10]["quantity"], lines[10]["amount"]) == (
        "Snap",
        0,
        "0.00012311",
    )
