"""Zebralution label statements: the export as it comes, and an Excel re-save of one with its
sum row at the end and its EANs turned into ``8,59732E+11``.

Expected totals are summed with Decimal from each fixture's own text and also written out.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from stored import stored_line_list, stored_lines

from royalty import importers
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "zebralution_2024-Q1_rs.csv"
EXCEL = FIXTURES / "zebralution_2024-Q2_rs_excel.csv"
MONEY = "Rev.less Publ.EUR"


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def file_total(path: Path) -> Decimal:
    """The lines' money, decimal commas read as such; Excel's sum row (no period) is no line."""
    rows = [r for r in file_rows(path) if r["Period"]]
    return sum((Decimal(r[MONEY].replace(",", ".")) for r in rows), Decimal(0))


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def test_the_export_with_decimal_commas(engine):
    expected = {"EUR": Decimal("0.751751855")}
    assert {"EUR": file_total(EXPORT)} == expected

    result = import_path(engine, EXPORT)

    assert result.status == "imported", result.message
    assert result.format == "zebralution"
    assert (result.rows, result.stored, result.skipped) == (9, 9, 0)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    lines = stored_lines(engine)
    assert len(lines) == 9
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected["EUR"]
    assert sum(x["amount_nano"] for x in lines.values()) == 751_751_855
    assert sum(x["quantity"] for x in lines.values()) == 56
    assert {x["currency"] for x in lines.values()} == {"EUR"}

    # Period Sold is the month of use, Period the month accounted for
    assert result.period == ["2024-02", "2024-03"]
    assert [lines[n]["usage_month"] for n in (2, 4, 7)] == [202403, 202402, 202402]
    assert {x["reporting_month"] for x in lines.values()} == {202403}

    # the money after the publishing deduction, not Revenue-EUR (0,767000000)
    download = lines[8]
    assert (download["amount"], download["kind"], download["platform"]) == (
        "0.632900000", "download", "Beatport",
    )  # fmt: skip

    kinds = {n: (x["kind"], x["platform"]) for n, x in lines.items()}
    assert kinds[2] == ("stream", "Spotify")
    assert kinds[3] == ("stream", "Apple Music")  # "AppleMusic"
    assert kinds[4] == ("stream", "YouTube")  # "You Tube Music/Sound Rec"
    assert kinds[5] == ("video", "Meta (Facebook/Instagram)")  # a "Subscription" on Facebook
    assert kinds[6] == ("video", "TikTok")
    assert kinds[7] == ("stream", "Beatport")  # a subscription on a download shop streams
    assert kinds[9] == ("stream", "iTunes")  # "Cloud": the locker
    assert kinds[10] == ("stream", "Amazon Music")

    first = lines[2]
    assert (first["artist"], first["title"], first["isrc"]) == (
        "Selva Numa", "Cascabel", "DEXY52400101",
    )  # fmt: skip
    assert (first["upc"], first["territory"], first["quantity"]) == ("0859731552014", "DE", 14)
    assert lines[5]["artist"] == "Selva Numa feat. Tiko Baro"


def test_an_excel_resave_with_its_sum_row(engine):
    expected = {"EUR": Decimal("12.561231376")}
    assert {"EUR": file_total(EXCEL)} == expected

    result = import_path(engine, EXCEL)

    assert result.status == "imported", result.message
    assert result.format == "zebralution"
    # the sum row (12,56123138, 4364 sales) is read and checked, not stored
    assert (result.rows, result.stored) == (12, 11)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    lines = stored_lines(engine)
    assert len(lines) == 11
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected["EUR"]
    assert sum(x["amount_nano"] for x in lines.values()) == 12_561_231_376
    assert sum(x["quantity"] for x in lines.values()) == 4364
    assert 13 not in lines

    # the EAN's digits were lost to scientific notation: no UPC, and so no release
    assert {(x["upc"], x["release_id"]) for x in lines.values()} == {(None, None)}
    assert lines[3]["isrc"] == "DEXY52400101"
    assert (lines[3]["amount"], lines[3]["quantity"]) == ("11.599705138", 4117)
    assert [lines[n]["usage_month"] for n in (2, 6)] == [202406, 202405]
    assert {x["reporting_month"] for x in lines.values()} == {202406}
    assert [lines[n]["platform"] for n in (5, 7, 8, 9)] == [
        "YouTube", "YouTube", "Meta (Facebook/Instagram)", "Beatport",
    ]  # fmt: skip
    assert [lines[n]["kind"] for n in (5, 7, 8, 9)] == ["stream", "stream", "video", "download"]


def test_after_the_export_the_resaves_eans_are_known_again(engine):
    """The same ISRCs, stored with their EANs from the export, give the re-save its UPCs."""
    assert import_path(engine, EXPORT).status == "imported"

    result = import_path(engine, EXCEL)

    assert result.status == "imported", result.message
    resaved = [x for x in stored_line_list(engine) if x["reporting_month"] == 202406]
    assert len(resaved) == 11
    by_isrc = {x["isrc"]: x["upc"] for x in resaved}
    assert by_isrc["DEXY52400101"] == "0859731552014"  # 8,59732E+11
    assert by_isrc["DEXY52400117"] == "0859731552021"
    # a recording not in the export: the one release of its artist those digits fit
    assert by_isrc["DEXY52400118"] == "0859731552021"


def resaved_with(tmp_path: Path, old: str, new: str) -> Path:
    text = EXCEL.read_bytes().decode("utf-8")  # its CRLF line ends kept
    assert text.count(old) == 1
    path = tmp_path / "zebralution_rs.csv"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="")
    return path


def test_a_sum_row_that_does_not_add_up_names_the_row(engine, tmp_path):
    bad = resaved_with(tmp_path, ";12,56123138;12,56123138", ";12,56123138;12,65123138")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "row 13, column 'Rev.less Publ.EUR'" in result.message
    assert "the sum row says 12,65123138" in result.message
    assert "11 lines add up to 12.561231376" in result.message
    assert counts(engine) == (0, 0)


def test_a_sum_row_whose_sales_do_not_add_up_names_the_row(engine, tmp_path):
    bad = resaved_with(tmp_path, ";4364;", ";4346;")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "row 13, column 'Sales'" in result.message
    assert "says 4346 units" in result.message and "count 4,364" in result.message
    assert counts(engine) == (0, 0)


def test_a_line_misread_shows_in_the_sum_row(engine, tmp_path):
    bad = resaved_with(tmp_path, ";0,0156824;0,0156824\r\n", ";0,0156824;0,1568240\r\n")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "row 13" in result.message and "lines add up to 12.702372976" in result.message
    assert counts(engine) == (0, 0)


def test_detected_by_its_own_header_only():
    header = EXPORT.read_text(encoding="utf-8").splitlines()[0].split(";")
    layout, mapping = importers.detect(header)
    assert layout.name == "zebralution"
    assert mapping["amount"] == MONEY
    assert importers.detect([h for h in header if h != "Code-Licensor"]) is None
