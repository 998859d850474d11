"""Labelworx label statement saved as CSV: no month and no currency in its columns; the quarter
is in the file name, the currency and the sums in the footer, and neither is a line.

The expected total is summed with Decimal from the fixture's own lines and also written out.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from stored import stored_lines

from royalty import importers
from royalty.importers import ImportOptions
from royalty.importers.labelworx import quarter_in
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement

FIXTURE = Path(__file__).parent / "fixtures" / "labelworx_2024-Q1_gbp.csv"
LINES = 12


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def file_total(path: Path) -> Decimal:
    """The lines' Royalty: the rows that name a store (the footer's rows name none)."""
    rows = [r for r in file_rows(path) if r["Store Name"]]
    assert len(rows) == LINES
    return sum((Decimal(r["Royalty"]) for r in rows), Decimal(0))


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def copy(tmp_path: Path, name: str, old: str = "", new: str = "") -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert not old or text.count(old) == 1
    path = tmp_path / name
    path.write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return path


def test_a_quarter_in_pounds(engine):
    expected = {"GBP": Decimal("18.3744929457500235")}
    assert {"GBP": file_total(FIXTURE)} == expected

    result = import_path(engine, FIXTURE)

    assert result.status == "imported", result.message
    assert result.format == "labelworx"
    # 12 lines; the empty rows, the two sums and the euro conversion are not stored
    assert (result.rows, result.stored, result.skipped) == (22, LINES, 0)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    lines = stored_lines(engine)
    assert len(lines) == LINES
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected["GBP"]
    assert sum(x["quantity"] for x in lines.values()) == 2971
    assert {x["currency"] for x in lines.values()} == {"GBP"}  # the footer's "GBP"

    # the file names no month: the quarter of its name, as a period, and no reporting month
    assert result.period == ["2024-01", "2024-03"]
    assert {
        (x["usage_month"], x["usage_month_end"], x["reporting_month"]) for x in lines.values()
    } == {(202401, 202403, None)}

    kinds = {n: (x["kind"], x["platform"]) for n, x in lines.items()}
    assert [kinds[n] for n in (2, 3, 13)] == [
        ("stream", "Spotify"), ("stream", "Apple Music"), ("stream", "Deezer"),
    ]  # fmt: skip
    # Facebook, Instagram and TikTok "streams" are music under videos
    assert [kinds[n] for n in (4, 5, 6)] == [
        ("video", "Meta (Facebook/Instagram)"), ("video", "Meta (Facebook/Instagram)"),
        ("video", "TikTok"),
    ]  # fmt: skip
    assert kinds[8] == ("stream", "Beatport")  # Beatport Link
    assert [kinds[n] for n in (7, 9, 10, 11)] == [
        ("download", "Beatport"), ("download", "iTunes"), ("download", "Traxsource"),
        ("download", "Juno Download"),
    ]  # fmt: skip
    assert kinds[12] == ("stream", "YouTube")

    first = lines[2]
    assert (first["amount"], first["quantity"]) == ("5.899872166427015", 1840)
    assert (first["title"], first["artist"], first["isrc"]) == (
        "Brine Lights (Original Mix)", "Ansel Mire", "GBKLF2400141",
    )  # fmt: skip
    assert (first["upc"], first["release"], first["territory"]) == (
        "5056321904417", "Brine Lights", "ZZ",
    )  # fmt: skip
    assert lines[6]["artist"] == "Ansel Mire, Oda Velt"
    # a whole release's line: no track, the release's artist
    whole = lines[10]
    assert (whole["title"], whole["track_id"], whole["artist"]) == (None, None, "Various Artists")
    assert (whole["release"], whole["upc"], whole["amount"]) == (
        "Kelp Forest Vol. 1", "5056321904424", "3.906950080032065",
    )  # fmt: skip
    assert lines[13]["title"] == "Fathom (Extended Mix)"


def test_the_spreadsheets_sum_that_does_not_add_up_names_the_row(engine, tmp_path):
    bad = copy(tmp_path, "labelworx_2024-Q1.csv", ",18.374492945750024,", ",18.374492945570024,")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "row 15, column 'Royalty'" in result.message
    assert "the sum row says 18.374492945570024" in result.message
    assert "12 lines add up to 18.3744929457500235" in result.message
    assert counts(engine) == (0, 0)


def test_the_currency_rows_sum_is_checked_too(engine, tmp_path):
    bad = copy(tmp_path, "labelworx_2024-Q1.csv", ",GBP,18.37449295,", ",GBP,18.37449259,")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "row 17, column 'Royalty'" in result.message
    assert "the 'GBP' sum row says 18.37449259" in result.message
    assert counts(engine) == (0, 0)


def test_the_currency_comes_from_the_footer_else_it_is_asked_for(engine, tmp_path):
    dollars = copy(tmp_path, "labelworx_2024-Q1.csv", ",GBP,18.37449295,", ",USD,18.37449295,")
    result = import_path(engine, dollars)
    assert result.status == "imported", result.message
    # the lines are in the currency the footer names; "Euro" is then a conversion, unchecked
    assert result.totals == {"USD": "18.3744929457500235"}

    lines = FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    bare = tmp_path / "labelworx_2024-Q2.csv"
    bare.write_text("".join(lines[: LINES + 1]), encoding="utf-8")
    result = import_path(engine, bare)
    assert result.status == "error"
    assert "does not say its currency" in result.message
    chosen = import_path(engine, bare, ImportOptions(currency="USD"))
    assert chosen.status == "imported", chosen.message
    assert chosen.totals == {"USD": "18.3744929457500235"}
    assert chosen.period == ["2024-04", "2024-06"]


def test_a_name_without_a_quarter_needs_the_period_chosen(engine, tmp_path):
    unnamed = copy(tmp_path, "statement.csv")

    result = import_path(engine, unnamed)

    assert result.status == "error"
    assert "gives no month" in result.message and "--period" in result.message
    assert counts(engine) == (0, 0)

    chosen = import_path(engine, unnamed, ImportOptions(period=(202310, 202312)))
    assert chosen.status == "imported", chosen.message
    assert chosen.period == ["2023-10", "2023-12"]


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("Kelp Forest Records Q1 2023__converted.csv", (202301, 202303)),
        ("ttr_Q4_2022.xlsx", (202210, 202212)),
        ("label_2024-Q3.csv", (202407, 202409)),
        ("statements.zip › 2025 q2/Label q2 2025.csv", (202504, 202506)),
        ("statement.csv", None),
        ("Q1 2023 vs Q2 2023.csv", None),
        ("SQ1 2023.csv", None),
    ],
)
def test_quarter_in(name, period):
    assert quarter_in(name) == period


def test_the_workbook_itself_imports_the_same(engine, tmp_path):
    """Labelworx sends an XLSX; the CSV above is that workbook saved as text. Numbers in the
    workbook are cells of binary floats; the footer's float sum must still agree."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = list(csv.reader(FIXTURE.open(encoding="utf-8", newline="")))
    numbers = {rows[0].index(name) for name in ("Qty", "Value", "Deal", "Royalty")}
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = []
        for j, text in enumerate(row):
            if text == "":
                cells.append(None)
            elif j in numbers and text not in ("GBP", "Euro"):
                cells.append(int(text) if text.isdigit() else float(text))
            else:
                cells.append(text)
        sheet.append(cells)
    path = tmp_path / "Kelp Forest Records Q1 2024.xlsx"
    workbook.save(path)

    result = import_path(engine, path)

    assert result.status == "imported", result.message
    assert result.stored == LINES
    assert result.period == ["2024-01", "2024-03"]
    assert list(result.totals) == ["GBP"]
    # each line is the float the workbook holds, read back as the shortest text for it
    assert Decimal(result.totals["GBP"]) == sum(
        (Decimal(repr(float(r["Royalty"]))) for r in file_rows(FIXTURE) if r["Store Name"]),
        Decimal(0),
    )


def test_detected_by_its_own_header_only():
    header = next(csv.reader(FIXTURE.open(encoding="utf-8")))
    layout, mapping = importers.detect(header)
    assert layout.name == "labelworx"
    assert (mapping["amount"], mapping["store"]) == ("Royalty", "Store Name")
    assert "usage_month" not in mapping
    assert importers.detect([h for h in header if h != "Deal"]) is None
