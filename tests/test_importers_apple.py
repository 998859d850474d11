"""Apple reports: the iTunes Store financial report (downloads, with its Total_ footer) and
the Apple Music S1 streaming report (its currency and period in a key/value preamble).

Expected totals are summed with Decimal straight from each fixture's text, and also written
out, so a change in either the fixture or the importer shows up to the last digit.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_lines

from royalty import importers
from royalty.importers import FileFacts, ImportOptions
from royalty.importers.apple_itunes import fiscal_month
from royalty.importers.base import preamble_values
from royalty.ingest import find_tables, import_bytes, import_path, preview
from royalty.ingest.reader import Source
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
AU_FILE = FIXTURES / "apple_itunes_2024-01_au_fiscal.txt"
ALL_REGIONS_FILE = FIXTURES / "apple_itunes_2025-10_all_regions.txt"
S1_FILE = FIXTURES / "apple_music_2024-01_gb_s1.txt"


def tsv_rows(path: Path, skip: int = 0) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = f.readlines()[skip:]
    return list(csv.DictReader(lines, delimiter="\t"))


def sales_rows(path: Path) -> list[dict[str, str]]:
    """The sales lines of a financial report: its Total_ footer rows are no sales."""
    return [r for r in tsv_rows(path) if not r["Start Date"].startswith("Total_")]


def totals_by_currency(rows: list[dict[str, str]], amount: str, currency: str) -> dict:
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row[currency]] = totals.get(row[currency], Decimal(0)) + Decimal(row[amount])
    return totals


def stored_totals(lines: dict[int, dict]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines.values():
        totals[line["currency"]] = totals.get(line["currency"], Decimal(0)) + Decimal(
            line["amount"]
        )
    return totals


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


# --- iTunes Store financial report -------------------------------------------------------------


def test_financial_report_with_its_footer_checked_and_not_stored(engine):
    rows = sales_rows(AU_FILE)
    expected = {"AUD": Decimal("40.56")}
    assert totals_by_currency(rows, "Extended Partner Share", "Partner Share Currency") == expected

    result = import_path(engine, AU_FILE)

    assert result.status == "imported", result.message
    assert result.format == "apple_itunes"
    assert (result.rows, result.stored, result.skipped) == (13, 10, 0)  # 3 footer rows
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    lines = stored_lines(engine)
    assert len(lines) == 10 and max(lines) == 11  # rows 12-14 are the footer
    assert stored_totals(lines) == expected
    assert sum(line["amount_nano"] for line in lines.values()) == 40_560_000_000
    assert sum(line["quantity"] for line in lines.values()) == 14

    # fiscal January 2024 runs from Sunday 31 December 2023 to 3 February 2024
    assert result.period == ["2024-01", "2024-01"]
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {(202401, 202401)}
    assert {x["reporting_month"] for x in lines.values()} == {None}
    assert {(x["platform"], x["kind"], x["store"]) for x in lines.values()} == {
        ("iTunes", "download", "iTunes")
    }
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
    assert (statement.layout, statement.source) == ("apple_itunes", "Apple")

    # a New Zealand sale is paid in the report's currency; the buyer's NZD price is not read
    nz = lines[3]
    assert (nz["territory"], nz["currency"], nz["amount"]) == ("NZ", "AUD", "1.29")
    assert (nz["source_amount"], nz["source_currency"]) == (None, None)
    # a whole album: its name is the release, there is no track
    album = lines[4]
    assert (album["upc"], album["release"], album["isrc"], album["title"]) == (
        "9345678000011", "Low Tide Letters", None, None,
    )  # fmt: skip
    assert (album["quantity"], album["amount"]) == (2, "13.98")
    # a Complete My Album credit is a return, kept negative so sales count net
    credit = lines[6]
    assert (credit["quantity"], credit["amount"], credit["title"]) == (
        -1,
        "-1.29",
        "Pelican Weather",
    )
    assert lines[7]["artist"] == "Sólveig Ásta"
    assert {x["territory"] for x in lines.values()} == {"AU", "NZ"}


def test_all_regions_report_keeps_each_currency(engine):
    rows = sales_rows(ALL_REGIONS_FILE)
    expected = {
        "USD": Decimal("9.68"),
        "EUR": Decimal("2.49"),
        "GBP": Decimal("1.38"),
        "JPY": Decimal("210"),
        "CAD": Decimal("0.89"),
    }
    assert totals_by_currency(rows, "Extended Partner Share", "Partner Share Currency") == expected

    result = import_path(engine, ALL_REGIONS_FILE)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (9, 9)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    lines = stored_lines(engine)
    assert stored_totals(lines) == expected
    # fiscal October 2025 starts on 28 September
    assert result.period == ["2025-10", "2025-10"]
    assert lines[3]["upc"] == "859771234567" and lines[3]["release"] == "Screen Door Summer"
    assert (lines[6]["quantity"], lines[6]["amount"]) == (-1, "-0.83")
    assert {x["kind"] for x in lines.values()} == {"download"}


def replace_line(path: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    changed = tmp_path / path.name
    changed.write_text(text.replace(old, new), encoding="utf-8")
    return changed


def test_a_footer_amount_that_does_not_add_up_names_its_row(engine, tmp_path):
    bad = replace_line(AU_FILE, tmp_path, "Total_Amount\t40.56", "Total_Amount\t40.65")

    result = import_path(engine, bad)

    assert result.status == "error"
    assert "row 13" in result.message and "'End Date'" in result.message
    assert "'Total_Amount' row says 40.65" in result.message
    assert "add up to 40.56" in result.message
    assert counts(engine) == (0, 0)


def test_a_lost_line_is_caught_by_the_footer_row_count(engine, tmp_path):
    text = AU_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    lost = tmp_path / AU_FILE.name
    lost.write_text("".join(text[:5] + text[6:]), encoding="utf-8")  # a sale gone

    result = import_path(engine, lost)

    assert result.status == "error"
    assert "row 11" in result.message  # Total_Rows, one row higher now
    assert "'Total_Rows' row says 10 but the file has 9 lines" in result.message
    assert counts(engine) == (0, 0)


def test_wrong_footer_units_name_their_row(engine, tmp_path):
    bad = replace_line(AU_FILE, tmp_path, "Total_Units\t14", "Total_Units\t15")
    result = import_path(engine, bad)
    assert result.status == "error"
    assert "row 14" in result.message and "add up to 14 units" in result.message


def test_the_older_one_cell_footer_is_checked_too(engine, tmp_path):
    older = replace_line(AU_FILE, tmp_path, "Total_Amount\t40.56", "Total_Amount:40.56")
    assert import_path(engine, older).stored == 10

    (tmp_path / "wrong").mkdir()
    wrong = replace_line(AU_FILE, tmp_path / "wrong", "Total_Amount\t40.56", "Total_Amount:4.56")
    result = import_path(engine, wrong)
    assert result.status == "error"
    assert "row 13" in result.message and "'Start Date'" in result.message


@pytest.mark.parametrize(
    ("start", "end", "month"),
    [
        ("11/05/2017", "12/02/2017", "2017-11"),
        ("12/31/2023", "02/03/2024", "2024-01"),
        ("09/28/2025", "11/01/2025", "2025-10"),
        ("2025-09-28", "2025-11-01", None),
        ("02/03/2024", "12/31/2023", None),
    ],
)
def test_fiscal_month_is_the_month_of_the_middle_day(start, end, month):
    assert fiscal_month(start, end) == month


def test_detected_by_its_header_alone():
    header = next(csv.reader(AU_FILE.open(encoding="utf-8"), delimiter="\t"))
    found = importers.detect(header)
    assert found is not None and found[0].name == "apple_itunes"


# --- Apple Music S1 streaming report ----------------------------------------------------------

S1_PREAMBLE_ROWS = 4
S1_EXPECTED = {"GBP": Decimal("6.612350")}


def test_s1_preamble_says_the_period_and_currency_of_every_row():
    """What the layout makes of the file's own four opening rows (``FileFacts.preamble``)."""
    rows = tsv_rows(S1_FILE, skip=S1_PREAMBLE_ROWS)
    assert len(rows) == 8
    assert sum(Decimal(r["Net Royalty Total"]) for r in rows) == Decimal("6.612350")
    table = find_tables(Source.from_path(S1_FILE))[0]
    assert table.header_row == S1_PREAMBLE_ROWS
    layout, mapping = importers.detect(table.header)
    assert layout.name == "apple_music"
    with S1_FILE.open(encoding="utf-8", newline="") as f:
        preamble = tuple(tuple(r) for r in csv.reader(f.readlines()[:4], delimiter="\t"))
    # the file's currency wins over the one chosen for files that do not say it
    facts = FileFacts(
        table.name, tuple(table.header), mapping, ImportOptions(currency="USD"),
        decimal_comma=False, preamble=preamble,
    )  # fmt: skip
    lines = importers.normalize(next(table.chunks()), layout=layout, facts=facts, first_row=6)

    assert len(lines) == 8
    assert list(lines["row_number"]) == list(range(6, 14))
    months = set(zip(lines["usage_month"], lines["usage_month_end"], strict=True))
    assert months == {(202401, 202401)}
    assert set(lines["currency"]) == {"GBP"}
    assert sum(Decimal(a) for a in lines["amount"]) == S1_EXPECTED["GBP"]
    assert int(lines["amount_nano"].sum()) == 6_612_350_000
    assert list(lines["amount"])[:2] == ["0.886160", "0.154660"]  # written ".886160"
    assert (set(lines["platform"]), set(lines["kind"]), set(lines["store"])) == (
        {"Apple Music"}, {"stream"}, {"Apple Music"},
    )  # fmt: skip
    assert int(lines["quantity"].sum()) == 1597
    assert set(lines["territory"]) == {"GB"}


def test_s1_report_imports_with_the_period_and_currency_given(engine):
    """A period and currency given that agree with the file's own change nothing."""
    result = import_path(engine, S1_FILE, ImportOptions(period=(202401, 202401), currency="GBP"))

    assert result.status == "imported", result.message
    assert result.format == "apple_music"
    assert (result.rows, result.stored) == (8, 8)
    assert {c: Decimal(v) for c, v in result.totals.items()} == S1_EXPECTED
    lines = stored_lines(engine)
    assert min(lines) == 6  # four preamble rows and the header above
    assert stored_totals(lines) == S1_EXPECTED
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {(202401, 202401)}
    assert {(x["platform"], x["kind"]) for x in lines.values()} == {("Apple Music", "stream")}
    semaphore = lines[12]
    assert (semaphore["isrc"], semaphore["title"], semaphore["quantity"]) == (
        "GBXQ22400103", "Semaphore (Night Version)", 1266,
    )  # fmt: skip
    assert semaphore["artist"] == "The Lantern Coast feat. Ama Osei"
    assert (semaphore["amount"], semaphore["amount_nano"]) == ("5.291880", 5_291_880_000)
    assert lines[13]["amount"] == "0"  # no plays, no money: still a line
    with engine.connect() as conn:
        assert conn.execute(select(Statement.source)).scalar_one() == "Apple"


def test_s1_report_says_its_own_period_and_currency_above_its_header(engine):
    """The reader hands the four rows above the header to the layout: nothing to give."""
    table = find_tables(Source.from_path(S1_FILE))[0]
    assert table.preamble == (
        ("Start Date", "12/31/2023"), ("End Date", "02/03/2024"),
        ("Report Type", "Apple Music"), ("Currency", "GBP"),
    )  # fmt: skip

    result = import_path(engine, S1_FILE)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (8, 8)
    assert result.period == ["2024-01", "2024-01"]
    assert {c: Decimal(v) for c, v in result.totals.items()} == S1_EXPECTED
    lines = stored_lines(engine)
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {(202401, 202401)}
    assert {x["currency"] for x in lines.values()} == {"GBP"}
    assert stored_totals(lines) == S1_EXPECTED


def test_s1_currency_in_the_file_wins_over_the_one_chosen(engine):
    result = import_path(engine, S1_FILE, ImportOptions(currency="USD"))
    assert result.status == "imported", result.message
    assert {c: Decimal(v) for c, v in result.totals.items()} == S1_EXPECTED
    assert {x["currency"] for x in stored_lines(engine).values()} == {"GBP"}


def test_s1_preview_reads_the_period_and_currency_from_the_file():
    shown = preview(Source.from_path(S1_FILE))
    assert shown.error is None
    assert set(shown.rows["usage_month"]) == {"2024-01"}
    assert set(shown.rows["currency"]) == {"GBP"}


def test_s1_report_without_a_period_asks_for_one_and_stores_nothing(engine):
    lines = S1_FILE.read_bytes().splitlines(keepends=True)
    undated = b"".join(line for line in lines if not line.startswith((b"Start Date", b"End Date")))
    assert len(undated.splitlines()) == len(lines) - 2  # the file's own period rows left out
    result = import_bytes(engine, S1_FILE.name, undated, ImportOptions(currency="GBP"))
    assert result.status == "error"
    assert "does not say which months it covers" in result.message
    assert "--period" in result.message
    assert counts(engine) == (0, 0)


def test_s1_detected_below_its_preamble_and_not_by_another_layout():
    header = tsv_rows(S1_FILE, skip=S1_PREAMBLE_ROWS)[0].keys()
    found = importers.detect(list(header))
    assert found is not None and found[0].name == "apple_music"
    for row in (["Start Date", "12/31/2023"], ["Currency", "GBP"]):
        assert importers.detect(row) is None


@pytest.mark.parametrize(
    ("rows", "values"),
    [
        (
            [["Start Date", "10/01/2017"], ["Currency", "AUD", ""], ["", ""]],
            {"start date": "10/01/2017", "currency": "AUD"},
        ),
        (
            [["Format version", "Start date", "End date"], ["2", "2017-10-01", "2017-10-31"]],
            {"format version": "2", "start date": "2017-10-01", "end date": "2017-10-31"},
        ),
        ([["Royalty statement for account 4471"], ["Account ID", ""]], {}),
    ],
)
def test_preamble_values_reads_name_value_rows_and_a_names_row_over_values(rows, values):
    assert preamble_values(rows) == values
