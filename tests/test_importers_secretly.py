"""Secretly Distribution label statements: the digital and the physical CSV.

Expected totals are summed with Decimal from each fixture's text, and also written out.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_line_list

from royalty import importers
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Release, Statement

FIXTURES = Path(__file__).parent / "fixtures"
DIGITAL = FIXTURES / "secretly-digital_2020-01.csv"
PHYSICAL = FIXTURES / "secretly-physical_2020-01.csv"
MONEY = "Label Net Total"


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def file_total(path: Path) -> Decimal:
    return sum((Decimal(r[MONEY]) for r in file_rows(path)), Decimal(0))


def stored_total(engine) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in stored_line_list(engine):
        totals[line["currency"]] = totals.get(line["currency"], Decimal(0)) + Decimal(
            line["amount"]
        )
    return totals


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def test_digital_statement(engine):
    expected = Decimal("6.602433017808675")
    assert file_total(DIGITAL) == expected

    result = import_path(engine, DIGITAL)

    assert result.status == "imported", result.message
    assert result.format == "secretly-digital"
    assert (result.rows, result.stored) == (8, 8)
    assert result.totals == {"USD": "6.602433017808675"}
    assert stored_total(engine) == {"USD": expected}
    lines = {line["row_number"]: line for line in stored_line_list(engine)}
    assert len(lines) == 8

    # the month of use is the one the description names, not the (later) payment date
    assert [lines[n]["usage_month"] for n in range(2, 10)] == [201909] * 4 + [
        201908,
        201909,
        201909,
        202001,  # "Adjustment, late report" names no month: paid in January
    ]
    assert {x["reporting_month"] for x in lines.values()} == {202001}

    first = lines[2]
    assert (first["store"], first["platform"], first["kind"]) == ("Spotify", "Spotify", "stream")
    assert (first["quantity"], first["amount"], first["currency"]) == (14, "0.0451227236523", "USD")
    assert (first["isrc"], first["title"], first["release"]) == (
        "USSCD1900101",
        "Harbour Mouth",
        "Night Ferries",
    )
    assert (first["upc"], first["artist"], first["territory"]) == (
        "656605341224",
        "Velvet Orchard",
        "US",
    )
    kinds = [x["kind"] for x in lines.values()]
    assert (kinds.count("stream"), kinds.count("download"), kinds.count("video")) == (5, 2, 1)
    assert (lines[7]["platform"], lines[7]["kind"]) == ("YouTube", "video")
    # an album download names no track
    assert (lines[8]["kind"], lines[8]["isrc"], lines[8]["title"]) == ("download", None, None)
    # no service named: the customer is the store
    assert (lines[9]["store"], lines[9]["platform"]) == ("TIDAL Music AS", "TIDAL")
    assert lines[4]["title"] == "Driftin’ Home"
    assert {x["platform"] for x in lines.values()} == {
        "Spotify", "Apple Music", "iTunes", "TIDAL", "YouTube", "Amazon Music",
    }  # fmt: skip


def test_physical_statement(engine):
    expected = Decimal("259.18")
    assert file_total(PHYSICAL) == expected

    result = import_path(engine, PHYSICAL)

    assert result.status == "imported", result.message
    assert result.format == "secretly-physical"
    assert (result.rows, result.stored) == (5, 5)
    assert result.totals == {"USD": "259.18"}
    assert stored_total(engine) == {"USD": expected}
    assert result.period == ["2020-01", "2020-01"]
    lines = {line["row_number"]: line for line in stored_line_list(engine)}
    assert {x["kind"] for x in lines.values()} == {"physical"}
    assert {(x["usage_month"], x["reporting_month"]) for x in lines.values()} == {(202001, 202001)}
    cargo = lines[3]
    assert (cargo["store"], cargo["platform"], cargo["territory"]) == (
        "Cargo Germ. Consignment Account",
        "Cargo Germ. Consignment Account",
        "DE",
    )
    assert (cargo["quantity"], cargo["amount"]) == (5, "49")
    assert (lines[6]["quantity"], lines[6]["amount"]) == (-2, "-20.8")  # a credit memo
    assert {x["artist"] for x in lines.values()} == {"Velvet Orchard"}
    # three catalogue numbers and titles, one LP: its UPC ties them together
    assert {x["upc"] for x in lines.values()} == {"656605341217", "656605341231"}
    with engine.connect() as conn:
        releases = conn.execute(select(Release.upc, Release.title)).all()
    assert sorted(releases) == [
        ("656605341217", "Night Ferries LP"),
        ("656605341231", "Night Ferries CD"),
    ]


def _with_total_row(path: Path, tmp_path: Path, said: str) -> Path:
    text = path.read_text(encoding="utf-8")
    end = "\r\n" if "\r\n" in text else "\n"
    header = text.split(end)[0].split(",")
    cells = ["" for _ in header]
    cells[0] = "Totals"
    cells[header.index(MONEY)] = said
    out = tmp_path / path.name
    out.write_bytes((text + ",".join(cells) + end).encode("utf-8"))
    return out


@pytest.mark.parametrize(
    ("path", "total"),
    [(DIGITAL, "6.602433017808675"), (PHYSICAL, "259.18")],
    ids=["digital", "physical"],
)
def test_a_totals_row_is_checked_and_not_stored(engine, tmp_path, path, total):
    result = import_path(engine, _with_total_row(path, tmp_path, total))

    assert result.status == "imported", result.message
    assert result.rows == result.stored + 1
    assert result.totals == {"USD": total}


@pytest.mark.parametrize(
    ("path", "row"), [(DIGITAL, 10), (PHYSICAL, 7)], ids=["digital", "physical"]
)
def test_a_totals_row_that_does_not_add_up_names_the_row(engine, tmp_path, path, row):
    result = import_path(engine, _with_total_row(path, tmp_path, "259.81"))

    assert result.status == "error"
    assert f"row {row}" in result.message and f"'{MONEY}'" in result.message
    assert "259.81" in result.message
    assert counts(engine) == (0, 0)


def test_each_header_is_its_own_layout():
    digital = next(csv.reader(DIGITAL.open(encoding="utf-8")))
    physical = next(csv.reader(PHYSICAL.open(encoding="utf-8")))
    assert importers.detect(digital)[0].name == "secretly-digital"
    assert importers.detect(physical)[0].name == "secretly-physical"
