"""PRS for Music statements as tables: the short one without dates, the converter's full one.

Expected totals are summed with Decimal straight from each fixture's text (its Total row left
out), and also written out.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from stored import stored_lines

from royalty import importers
from royalty.importers import ImportOptions, prs
from royalty.ingest import import_bytes, import_path, preview
from royalty.ingest.reader import Source
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
SHORT = FIXTURES / "prs_2024-q2_short.csv"
FULL = FIXTURES / "prs_2024-04_distribution.csv"
AMOUNT = "Amount (performance revenue)"
Q2 = (202404, 202406)


def file_total(path: Path) -> Decimal:
    """The works' amounts; the footer (no CAE number, ``Total``) is not a work."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["CAE Number"]]
    return sum((Decimal(r[AMOUNT]) for r in rows), Decimal(0))


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def test_short_table_with_the_period_given(engine):
    expected = Decimal("5.213")
    assert file_total(SHORT) == expected

    result = import_path(engine, SHORT, ImportOptions(period=Q2))

    assert result.status == "imported", result.message
    assert result.format == "prs"
    # the last row is the statement's Total: checked, not stored
    assert (result.rows, result.stored, result.dropped) == (8, 7, 1)
    assert result.dropped_because == {"total row": 1}
    assert result.totals == {"GBP": "5.213"}
    lines = stored_lines(engine)
    assert len(lines) == 7 and 9 not in lines
    assert sum(Decimal(line["amount"]) for line in lines.values()) == expected
    assert sum(line["amount_nano"] for line in lines.values()) == 5_213_000_000
    # a work called "Total" (it has the member's CAE number) is a line like any other
    assert (lines[8]["title"], lines[8]["amount"]) == ("Total", "0.031")
    for line in lines.values():
        assert (line["usage_month"], line["usage_month_end"]) == Q2
        assert line["reporting_month"] is None
        assert (line["kind"], line["currency"]) == ("performance", "GBP")
        assert (line["store"], line["platform"]) == ("PRS for Music", "PRS for Music")
        assert line["artist"] == "Odette Marlowe"  # IP1, the writer
    assert [lines[n]["amount"] for n in (2, 6)] == ["0.412", "3.450"]


def test_without_a_period_the_import_asks_for_one(engine):
    result = import_path(engine, SHORT)

    assert result.status == "error"
    assert "does not say which months" in result.message
    assert "--period" in result.message and "Period field" in result.message
    assert counts(engine) == (0, 0)


def test_full_table_with_performance_dates_day_first(engine):
    expected = Decimal("24.235")
    assert file_total(FULL) == expected

    result = import_path(engine, FULL)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.dropped_because) == (6, 5, {"total row": 1})
    assert result.totals == {"GBP": "24.235"}
    lines = stored_lines(engine)
    assert sum(Decimal(line["amount"]) for line in lines.values()) == expected
    spans = {n: (line["usage_month"], line["usage_month_end"]) for n, line in lines.items()}
    # 01/10/2023 .. 31/12/2023 is October to December; 14/11/2023 one night in November;
    # the last work has no performance dates: the distribution's month
    assert spans == {
        2: (202310, 202312), 3: (202310, 202312), 4: (202311, 202311),
        5: (202307, 202309), 6: (202404, 202404),
    }  # fmt: skip
    assert {line["reporting_month"] for line in lines.values()} == {202404}
    assert [lines[n]["store"] for n in range(2, 7)] == [
        "BBC RADIO 6 MUSIC", "ONLINE - SPOTIFY", "LIVE - THE LEXINGTON LONDON",
        "TV - CHANNEL 4", "PRS for Music",
    ]  # fmt: skip
    # paid for the song by Spotify: Spotify's platform, a performance, not a stream
    assert (lines[3]["platform"], lines[3]["kind"], lines[3]["quantity"]) == (
        "Spotify",
        "performance",
        18234,
    )
    assert {line["kind"] for line in lines.values()} == {"performance"}
    assert {line["artist"] for line in lines.values()} == {"ODETTE MARLOWE"}  # Member Name
    assert [lines[n]["quantity"] for n in (2, 4, 6)] == [3, 1, 0]


def test_a_total_that_does_not_add_up_names_the_row(engine, tmp_path):
    bad = tmp_path / "prs.csv"
    bad.write_text(SHORT.read_text(encoding="utf-8").replace(",,Total,5.213,", ",,Total,5.231,"))

    result = import_path(engine, bad, ImportOptions(period=Q2))

    assert result.status == "error"
    assert "row 9" in result.message and f"column '{AMOUNT}'" in result.message
    assert "5.231" in result.message and "5.213" in result.message
    assert counts(engine) == (0, 0)


def test_block_subtotals_are_refused_not_read(engine, tmp_path):
    """A subtotal under each block is not the statement's total; the first one is named."""
    rows = SHORT.read_text(encoding="utf-8").splitlines()
    blocks = [*rows[:3], ",,Sub Total,0.431,", *rows[3:8], ",,Sub Total,4.782,", rows[8]]
    bad = tmp_path / "prs.csv"
    bad.write_text("\n".join(blocks) + "\n", encoding="utf-8")

    result = import_path(engine, bad, ImportOptions(period=Q2))

    assert result.status == "error"
    assert "row 4" in result.message and "'Sub Total'" in result.message
    assert counts(engine) == (0, 0)


def test_the_total_is_checked_against_every_line_however_the_file_is_read(engine, monkeypatch):
    from royalty.ingest import delimited, reader

    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 64)  # a few rows a piece, whichever
    monkeypatch.setattr(reader, "CHUNK_ROWS", 7)  # of the two readers reads it
    header = "Record Number,CAE Number,Work Title,Amount (performance revenue),IP1"
    rows = [f"{i},00623145871,Work {i},0.{i:03d},Odette Marlowe" for i in range(1, 41)]
    total = sum(Decimal(f"0.{i:03d}") for i in range(1, 41))
    data = "\n".join([header, *rows, f",,Total,{total},"]) + "\n"

    good = import_bytes(engine, "prs.csv", data.encode(), ImportOptions(period=Q2))

    assert (good.status, good.stored) == ("imported", 40), good.message
    assert Decimal(good.totals["GBP"]) == total == Decimal("0.82")
    wrong = data.replace(f",,Total,{total},", ",,Total,0.83,")
    refused = import_bytes(engine, "prs2.csv", wrong.encode(), ImportOptions(period=Q2))
    assert refused.status == "error" and "row 42" in refused.message


def test_a_preview_leaves_the_total_out():
    shown = preview(Source.from_path(SHORT, name=SHORT.name), ImportOptions(period=Q2))
    assert shown.error is None
    assert len(shown.rows) == 7
    assert set(shown.rows["kind"]) == {"performance"}


def test_a_layout_fills_only_the_required_fields_it_says_it_fills():
    """``Layout.fills``: a PRS table without dates or narrative is still PRS; a layout that
    needs a month column does not take a header without one."""
    short = ["Record Number", "CAE Number", "Work Title", AMOUNT, "IP1"]
    detected = importers.detect(short)
    assert detected is not None and detected[0].name == "prs"
    assert "usage_month" not in detected[1] and "store" not in detected[1]
    dated = replace(prs.LAYOUT, fills=("store",))
    assert dated.column_map(short) is None
    assert dated.column_map([*short, "Perf Start Date"]) is not None
    assert replace(prs.LAYOUT, fills=()).column_map([*short, "Perf Start Date"]) is None
