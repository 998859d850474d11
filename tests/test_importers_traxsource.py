"""Traxsource label statement: a month of downloads, then a summary block that is checked and
never stored.

The expected total is summed with Decimal from the fixture's own lines and also written out.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from stored import stored_lines

from royalty import importers
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement

FIXTURE = Path(__file__).parent / "fixtures" / "traxsource_2024-05_statement.csv"
LINES = 8
"""Rows of the fixture above its summary block."""


def file_total(path: Path) -> Decimal:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[:LINES]
    return sum((Decimal(r["Amount Due"]) for r in rows), Decimal(0))


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "traxsource.csv"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_month_of_downloads_and_its_summary_block(engine):
    expected = {"USD": Decimal("30.350970")}
    assert {"USD": file_total(FIXTURE)} == expected

    result = import_path(engine, FIXTURE)

    assert result.status == "imported", result.message
    assert result.format == "traxsource"
    # the summary block's rows are read, checked and not stored
    assert (result.stored, result.skipped) == (LINES, 0)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    lines = stored_lines(engine)
    assert len(lines) == LINES
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected["USD"]
    assert sum(x["amount_nano"] for x in lines.values()) == 30_350_970_000
    assert sum(x["quantity"] for x in lines.values()) == 11  # "Total Purchases: 11"
    assert {x["currency"] for x in lines.values()} == {"USD"}

    # "May - 2024": the month of the sales and of the statement
    assert result.period == ["2024-05", "2024-05"]
    assert {
        (x["usage_month"], x["usage_month_end"], x["reporting_month"]) for x in lines.values()
    } == {(202405, 202405, 202405)}
    assert {(x["kind"], x["platform"]) for x in lines.values()} == {("download", "Traxsource")}

    first = lines[2]
    assert (first["title"], first["artist"], first["isrc"]) == (
        "Tidal Glass (Original Mix)", "Lune Harrow", "GBKQF2400311",
    )  # fmt: skip
    assert (first["upc"], first["release"], first["territory"]) == (
        "196925103318", "Tidal Glass EP", "GB",
    )  # fmt: skip
    assert (lines[3]["quantity"], lines[3]["amount"]) == (2, "2.280540")
    assert lines[4]["title"] == "Undertow (Cassia Rook Remix)"

    # a whole release belongs to the release: no track, the release artist
    for n in (5, 6):
        assert (lines[n]["title"], lines[n]["track_id"]) == (None, None)
        assert (lines[n]["release"], lines[n]["artist"]) == ("Tidal Glass EP", "Lune Harrow")
    assert lines[6]["amount"] == "10.881270"

    # a barcode in the ISRC column is no ISRC; here it is the release's only UPC
    slow = lines[7]
    assert (slow["isrc"], slow["upc"], slow["title"]) == (
        "",
        "196925100287",
        "Slow Signal (Original)",
    )
    assert lines[9]["title"] == "Night Bus (Original Mix)"


def test_a_period_total_that_does_not_add_up_names_its_row(engine, tmp_path):
    bad = broken(
        tmp_path,
        "Period Total:                               30.35",
        "Period Total:                               30.53",
    )

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "'Period Total' row says 30.53" in result.message
    assert "8 lines add up to 30.35097" in result.message
    assert "column 'Label'" in result.message
    assert counts(engine) == (0, 0)


def test_the_row_named_is_the_line_of_the_file(engine, tmp_path):
    bad = broken(
        tmp_path,
        "Period Total:                               30.35",
        "Period Total:                               30.53",
    )
    result = import_path(engine, bad)
    assert ", row 22, " in result.message


def test_total_purchases_must_equal_the_units_of_the_lines(engine, tmp_path):
    bad = broken(
        tmp_path,
        "Total Purchases:                            11",
        "Total Purchases:                            12",
    )

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "'Total Purchases' row says 12 units" in result.message
    assert "count 11" in result.message
    assert counts(engine) == (0, 0)


def test_a_line_lost_or_changed_shows_in_the_summary(engine, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "traxsource.csv"
    path.write_text("".join(text[:3] + text[4:]), encoding="utf-8")  # the Undertow line gone

    result = import_path(engine, path)

    assert result.status == "error"
    assert "'Total Purchases' row says 11 units but the statement's 7 lines count 10" in (
        result.message
    )
    assert counts(engine) == (0, 0)

    changed = broken(tmp_path, ",1,1.296020\n", ",1,1.926020\n")
    result = import_path(engine, changed)
    assert result.status == "error"
    assert "'Period Total' row says 30.35 but the statement's 8 lines add up to 30.98097" in (
        result.message
    )
    assert counts(engine) == (0, 0)


def test_the_note_below_names_the_currency(engine, tmp_path):
    euros = broken(tmp_path, "All values are in US Dollars", "All values are in Euros")
    result = import_path(engine, euros)
    assert result.status == "imported", result.message
    assert result.totals == {"EUR": "30.35097"}

    unknown = broken(tmp_path, "All values are in US Dollars", "All values are in Moon Dust")
    result = import_path(engine, unknown)
    assert result.status == "error"
    assert "'Moon Dust', a currency this app does not know" in result.message


def test_a_statement_cut_off_above_its_summary_block_is_in_dollars(engine, tmp_path):
    path = tmp_path / "traxsource.csv"
    lines = FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: LINES + 1]), encoding="utf-8")

    result = import_path(engine, path)

    assert result.status == "imported", result.message
    assert result.totals == {"USD": "30.35097"}


def test_detected_by_its_own_header_only():
    header = next(csv.reader(FIXTURE.open(encoding="utf-8")))
    layout, mapping = importers.detect(header)
    assert layout.name == "traxsource"
    assert mapping["amount"] == "Amount Due"
    assert importers.detect([h for h in header if h != "Trans %"]) is None
