"""Total rows checked in the import's one pass over the file (``importers.linesums``): across
chunks, a total that only the whole file settles waits for the last chunk, and one that
disagrees there still stores nothing and names its row and column; a file is read once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from test_totals import OPTIONS, table  # the same layout with total rows

from royalty.ingest import delimited, import_bytes
from royalty.store.models import EarningLine, Statement

LINES = [f"2024-01,Shop {i:03},1,0.{i:02}" for i in range(1, 61)]  # 60 lines, 18.3 in all
"""Enough lines for several chunks when blocks are small."""


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 256)  # a few rows a chunk


def stored(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(Statement)).scalar_one(),
            conn.execute(select(func.count()).select_from(EarningLine)).scalar_one(),
        )


def test_a_whole_files_total_above_its_last_lines_is_checked_after_the_last_chunk(
    engine, small_blocks
):
    rows = [*LINES[:10], ",Total,60,18.30", *LINES[10:]]
    result = import_bytes(engine, "t.csv", table(*rows), OPTIONS)

    assert result.status == "imported", result.message
    assert (result.stored, result.dropped_because) == (60, {"total row": 1})


def test_a_total_that_disagrees_with_the_whole_file_stores_nothing(engine, small_blocks):
    rows = [*LINES[:10], ",Total,60,18.31", *LINES[10:]]
    result = import_bytes(engine, "t.csv", table(*rows), OPTIONS)

    assert result.status == "error"
    assert "row 12, column 'Money'" in result.message
    assert "the 'Total' row says 18.31 but the statement's 60 lines add up to 18.3" in (
        result.message
    )
    assert "(0.55 above it)" in result.message
    assert stored(engine) == (0, 0)


def test_subtotals_in_several_chunks_are_checked_as_they_come(engine, small_blocks):
    first, second = LINES[:25], LINES[25:]
    rows = [*first, ",Total,25,3.25", *second, ",Total,35,15.05", ",Total,60,18.30"]
    result = import_bytes(engine, "t.csv", table(*rows), OPTIONS)
    assert result.status == "imported", result.message
    assert result.dropped_because == {"total row": 3}

    wrong = [*first, ",Total,25,3.25", *second, ",Total,35,15.50", ",Total,60,18.30"]
    result = import_bytes(engine, "w.csv", table(*wrong), OPTIONS)
    assert result.status == "error"
    assert "row 63, column 'Money'" in result.message
    assert "(15.05 since the total row above it)" in result.message
    assert stored(engine) == (1, 60)  # the first import only


def test_a_file_whose_layout_needs_nothing_first_is_read_once(engine, monkeypatch):
    reads = []
    opened = delimited._arrow_chunks

    def counted(*args, **kwargs):
        reads.append(kwargs.get("columns"))
        return opened(*args, **kwargs)

    monkeypatch.setattr(delimited, "_arrow_chunks", counted)
    result = import_bytes(engine, "t.csv", table(*LINES, ",Total,60,18.30"), OPTIONS)

    assert result.status == "imported", result.message
    assert reads == [{"Month", "Store", "Units", "Money"}]  # once, the mapped columns only
