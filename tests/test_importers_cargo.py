"""Cargo Records: the digital royalty CSV, the statement ZIP with its summary tables, and the
physical sales workbook.

Expected totals are summed with Decimal from the fixtures' own text (for the ZIP, from the
members of the archive the test writes) and also written out, so a change in either the
fixture or the importer shows up to the last digit.
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from sqlalchemy import func, select
from stored import stored_line_list

from royalty import importers
from royalty.importers import ImportOptions
from royalty.importers.cargo import account_currency
from royalty.ingest import import_path
from royalty.store.models import EarningLine, Statement, StatementTotal

FIXTURES = Path(__file__).parent / "fixtures"
DIGITAL = FIXTURES / "cargo_2023-q2_royalty.csv"
EXTENDED = FIXTURES / "cargo_2023-q1_royalty_extended.csv"
MONEY = "Reported Royalty"


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def money_total(rows: list[dict[str, str]], column: str = MONEY) -> Decimal:
    return sum((Decimal(r[column]) for r in rows), Decimal(0))


def stored_totals(engine) -> dict[str, Decimal]:
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


# --- digital CSV -------------------------------------------------------------------------------


def test_digital_report_in_pounds_whatever_the_store_paid_in(engine):
    expected = Decimal("4.7024813362620705")
    assert money_total(rows_of(DIGITAL.read_text(encoding="utf-8"))) == expected

    result = import_path(engine, DIGITAL)

    assert result.status == "imported", result.message
    assert result.format == "cargo"
    assert (result.rows, result.stored, result.skipped) == (11, 11, 0)
    assert result.totals == {"GBP": "4.7024813362620705"}
    assert stored_totals(engine) == {"GBP": expected}
    assert result.period == ["2023-02", "2023-03"]
    lines = {line["row_number"]: line for line in stored_line_list(engine)}
    assert len(lines) == 11
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {
        (202302, 202302),
        (202303, 202303),
    }
    assert {x["reporting_month"] for x in lines.values()} == {None}  # the short header has none

    # the store paid in dollars; the royalty is in pounds, at the statement's own rate
    us = lines[3]
    assert (us["amount"], us["currency"]) == ("0.00269423550278", "GBP")
    assert (us["source_currency"], us["fx_rate"], us["source_amount"]) == ("USD", "0.8123", None)
    assert (lines[4]["source_currency"], lines[4]["fx_rate"]) == ("EUR", "0.8791")
    assert lines[2]["fx_rate"] == "0.985"  # Curve's factor even on a pound sale

    kinds = [x["kind"] for x in lines.values()]
    assert (kinds.count("stream"), kinds.count("video"), kinds.count("download")) == (6, 2, 3)
    assert {x["kind"] for x in lines.values() if x["platform"] == "YouTube"} == {"video"}
    # DSP names the service: Douyin is TikTok, Match is Apple's iTunes Match
    assert (lines[9]["store"], lines[9]["platform"], lines[9]["kind"]) == (
        "TikTok",
        "TikTok",
        "video",
    )
    assert (lines[8]["store"], lines[8]["platform"]) == ("iTunes Match", "Apple Music")
    assert lines[12]["platform"] == "Amazon Music"
    assert {x["platform"] for x in lines.values()} == {
        "Spotify", "Apple Music", "YouTube", "iTunes", "TikTok", "Amazon Music",
    }  # fmt: skip

    # the version is part of what a person calls the track
    assert (lines[4]["title"], lines[4]["isrc"]) == ("Quay Lights (Radio Edit)", "GBKPL2300102")
    # an album download is the product's, not a track's
    album = lines[7]
    assert (album["kind"], album["amount"], album["isrc"], album["title"]) == (
        "download",
        "4.6802275",
        None,
        None,
    )
    assert (album["upc"], album["release"]) == ("5056321000125", "Saltmarsh Hours")
    # a refund keeps its sign
    assert (lines[11]["quantity"], lines[11]["amount"]) == (-1, "-0.5777025")
    # the compilation's line goes to the track's artist
    assert (lines[10]["artist"], lines[10]["release"]) == (
        "Dune Cartographers",
        "Heron Yard Sampler Vol. 2",
    )
    assert {x["artist"] for x in lines.values()} == {"Marrow Lantern", "Dune Cartographers"}
    assert {x["territory"] for x in lines.values()} == {"GB", "US", "DE", "CZ", "CN", "SE"}


def test_the_account_currency_is_read_from_the_calculation():
    assert account_currency("$0.0027 × 100% of sale × 100% of asset × 0.7957 £/$ = £") == "GBP"
    assert account_currency("£0.0032 × 100% of sale × 100% of asset × 1.1378 €/£ = €") == "EUR"
    assert account_currency("0.0032 × 100% of sale = USD") == "USD"
    assert account_currency("$0.0032 × 100% of sale × 1 $/$ = $") == ""  # which dollar?
    assert account_currency("") == ""


def test_a_row_without_its_calculation_asks_for_the_currency(engine, tmp_path):
    text = DIGITAL.read_text(encoding="utf-8")
    formula = "€0.0061530042 × 100% of sale × 100% of asset × 0.8791 £/€ = £"
    assert text.count(formula) == 1
    bare = tmp_path / "cargo_no_calculation.csv"
    bare.write_text(text.replace(formula, ""), encoding="utf-8")

    result = import_path(engine, bare)

    assert result.status == "error"
    assert "row 4" in result.message and "'Sale net receipts calculation'" in result.message
    assert "--currency" in result.message
    assert counts(engine) == (0, 0)

    chosen = import_path(engine, bare, ImportOptions(currency="GBP"))
    assert chosen.status == "imported", chosen.message
    assert chosen.totals == {"GBP": "4.7024813362620705"}


def _with_total_row(tmp_path: Path, said: str) -> Path:
    header = DIGITAL.read_text(encoding="utf-8").splitlines()[0].split(",")
    cells = ["" for _ in header]
    cells[header.index("Royalty ID")] = "Total"
    cells[header.index(MONEY)] = said
    path = tmp_path / "cargo_with_total.csv"
    path.write_text(DIGITAL.read_text(encoding="utf-8") + ",".join(cells) + "\n", "utf-8")
    return path


def test_a_total_row_is_checked_and_not_stored(engine, tmp_path):
    result = import_path(engine, _with_total_row(tmp_path, "4.7024813362620705"))

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (12, 11)
    assert result.totals == {"GBP": "4.7024813362620705"}
    assert max(x["row_number"] for x in stored_line_list(engine)) == 12


def test_a_total_row_that_does_not_add_up_names_the_row(engine, tmp_path):
    result = import_path(engine, _with_total_row(tmp_path, "4.7024813362620750"))

    assert result.status == "error"
    assert "row 13" in result.message and f"'{MONEY}'" in result.message
    assert "4.7024813362620750" in result.message and "4.7024813362620705" in result.message
    assert counts(engine) == (0, 0)


# --- the statement ZIP -------------------------------------------------------------------------


def _summary(lines: list[dict[str, str]], keys: list[str]) -> str:
    """A companion table as Cargo's ZIP has them: the lines added up per ``keys``."""
    sums: dict[tuple[str, ...], list[Decimal]] = {}
    for line in lines:
        key = tuple(line[k] for k in keys)
        net, royalty = sums.setdefault(key, [Decimal(0), Decimal(0)])
        sums[key] = [net + Decimal(line["Sale net receipts"]), royalty + Decimal(line[MONEY])]
    out = [",".join([*keys, "Currency", "Sale Net Receipts", "Reported Royalty"])]
    out += [",".join([*k, "GBP", str(n), str(r)]) for k, (n, r) in sorted(sums.items())]
    return "\n".join(out) + "\n"


def _statement_xlsx(total: Decimal) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Statement"
    sheet.append(["Heron Yard Records: royalty statement 2023Q1"])
    sheet.append([])
    sheet.append(["Opening balance", 0])
    sheet.append(["Royalties this period", float(total)])
    sheet.append(["Closing balance", float(total)])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def statement_zip(path: Path) -> Path:
    """A Cargo statement ZIP: the royalty lines, the tables that add them up per artist,
    country, label and store (two with a BOM, as Cargo writes them), empty product and asset
    tables, and the summary workbook."""
    text = EXTENDED.read_text(encoding="utf-8")
    lines = rows_of(text)
    prefix = "Heron_Yard_2023Q1"
    members = {
        f"{prefix}-artists.csv": _summary(lines, ["Product Artist"]),
        f"{prefix}-assets.csv": "Asset Title,Asset Version,Asset Artist,Asset ISRC,Asset "
        "Duration,Product Title,Product Version,Product Artist,Product UPC,Product Catalog "
        "Number,Product Label,Currency,Sale Net Receipts,Reported Royalty\n,,,,,,,,,,,,,\n",
        f"{prefix}-countries.csv": "\ufeff" + _summary(lines, ["Territory"]),
        f"{prefix}-labels.csv": _summary(lines, ["Product Label"]).replace(
            "Product Label,", "Label Name,", 1
        ),
        f"{prefix}-products.csv": "Product Title,Product Version,Product Artist,Product UPC,"
        "Product Catalog Number,Product Label,Currency,Sale Net Receipts,Reported Royalty\n"
        ",,,,,,,,\n",
        f"{prefix}-royalty_extended.csv": text,
        f"{prefix}-stores.csv": "\ufeff" + _summary(lines, ["Sale Store Name", "DSP"]),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data.encode("utf-8"))
        archive.writestr(f"{prefix}-statement.xlsx", _statement_xlsx(money_total(lines)))
    return path


def line_members_total(path: Path) -> tuple[Decimal, int, Decimal]:
    """(sum of the money column over the ZIP's line tables, their rows, the same sum over
    every CSV member): what the lines add up to, and what counting the summaries would."""
    lines_total, rows, everything = Decimal(0), 0, Decimal(0)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".csv"):
                continue
            table = rows_of(archive.read(name).decode("utf-8"))
            money = [r for r in table if r.get(MONEY)]
            everything += money_total(money)
            if table and "Royalty ID" in table[0]:
                lines_total += money_total(money)
                rows += len(money)
    return lines_total, rows, everything


def test_statement_zip_stores_each_royalty_line_once(engine, tmp_path):
    archive = statement_zip(tmp_path / "Heron_Yard_2023Q1.zip")
    expected, rows, everything = line_members_total(archive)
    assert (expected, rows) == (Decimal("0.58856763774048"), 5)
    assert everything == 5 * expected  # the lines, and four tables adding them up

    result = import_path(engine, archive)

    assert result.status == "imported", result.message
    assert result.format == "cargo"
    assert (result.rows, result.stored) == (5, 5)
    assert result.totals == {"GBP": "0.58856763774048"}
    assert stored_totals(engine) == {"GBP": expected}
    for member in ("artists", "assets", "countries", "labels", "products", "stores"):
        assert f"Heron_Yard_2023Q1-{member}.csv (not in a statement layout" in result.message
    assert "Heron_Yard_2023Q1-statement.xlsx (not in a statement layout" in result.message
    lines = stored_line_list(engine)
    assert {(x["usage_month"], x["reporting_month"]) for x in lines} == {(202212, 202301)}
    assert [x["kind"] for x in lines] == ["stream", "stream", "video", "stream", "download"]
    assert [x["source_currency"] for x in lines] == ["GBP", "USD", "EUR", "EUR", "GBP"]
    with engine.connect() as conn:
        statement = conn.execute(select(Statement)).one()
        total = conn.execute(select(StatementTotal)).one()
    assert (statement.file_name, statement.layout, statement.source) == (
        "Heron_Yard_2023Q1.zip",
        "cargo",
        "Cargo Records",
    )
    assert (total.currency, total.amount, total.lines) == ("GBP", "0.58856763774048", 5)


def test_the_zip_after_its_royalty_csv_adds_nothing(engine, tmp_path):
    assert import_path(engine, EXTENDED).status == "imported"
    archive = statement_zip(tmp_path / "Heron_Yard_2023Q1.zip")

    result = import_path(engine, archive)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored, result.skipped) == (5, 0, 5)
    assert stored_totals(engine) == {"GBP": Decimal("0.58856763774048")}


def test_summary_tables_are_no_statement_of_their_own():
    for header in (
        ["Product Artist", "Currency", "Sale Net Receipts", "Reported Royalty"],
        ["Territory", "Currency", "Sale Net Receipts", "Reported Royalty"],
        ["Sale Store Name", "DSP", "Currency", "Sale Net Receipts", "Reported Royalty"],
        ["Label Name", "Currency", "Sale Net Receipts", "Reported Royalty"],
    ):
        assert importers.detect(header) is None, header


# --- physical workbook -------------------------------------------------------------------------

PHYSICAL_HEADER = [
    "Period", "Catalogue No.", "Label", "Label ID", "Sold To", "Cinram V Sage V Cost",
    "Domestic v Export", "Sale / Cost", "Type / Cost Reason", "Country", "Artist / Invoice Ref",
    "Title / More info", "UPC on report", "Format", "Net Qty", "Gross value", "Cost",
    "Storage Costs", "Distribution fee", "Net after fee",
]  # fmt: skip
L = ("QUAYSIDE TAPES", 204417)
PHYSICAL_ROWS = [
    ["2023_01", "QT041LP", *L, "HMV RETAIL LTD", "Sage", "Domestic", "Sale", "Store", "UK",
     "VELVET ORCHARD", "NIGHT FERRIES", 5056321004123, "VL", 6, 75.6, None, None, 0.8, 60.48],
    ["2023_01", "QT041LP", *L, "CARGO GERMANY STOCK", "Sage", "Export", "Sale", "Distributor",
     "Germany", "VELVET ORCHARD", "NIGHT FERRIES", 5056321004123, "VL", -2, -25.2, None, None,
     0.8, -20.16],
    ["2023_02", "QT041CD", *L, "ROUGH TRADE EAST", "Cinram", "Domestic", "Sale", "Store", "UK",
     "VELVET ORCHARD", "NIGHT FERRIES", 5056321004130, "CD", 4, 23.96, None, None, 0.8, 19.168],
    ["2023_02", "QT038LP", *L, "PROPER MUSIC DISTRIBUTION", "Sage", "Domestic", "Sale",
     "Distributor", "UK", "MARROW LANTERN", "SALTMARSH HOURS", 5056321003812, "VL", 3, 31.47,
     None, None, 0.8, 25.176],
    ["2023_03", "QT041LP", *L, "CARGO RECORDS UK", "Cost", "Domestic", "Cost", "Storage", "UK",
     "INV-230331-07", "PALLET STORAGE Q1", None, None, None, None, -14.5, -3.25, None, -17.75],
]  # fmt: skip
PHYSICAL_TOTAL = Decimal("66.914")


def _total_row(money: float) -> list[object]:
    return [None] * 14 + [11, None, None, None, None, money]


def physical_workbook(
    path: Path, total: float | None = None, title: bool = False, subtotal: float | None = None
) -> Path:
    """The Cargo physical sheet as Cargo sends it (numbers as numbers, one sheet named by
    label and quarter); ``total`` adds the row a person's ``SUM`` would, ``subtotal`` one
    after January's rows, ``title`` a line above the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "204417_2023_Q1"
    if title:
        sheet.append(["Cargo Records UK: physical sales, Q1 2023"])
    sheet.append(PHYSICAL_HEADER)
    for row in PHYSICAL_ROWS:
        sheet.append(row)
        if subtotal is not None and row is PHYSICAL_ROWS[1]:
            sheet.append(_total_row(subtotal))
    if total is not None:
        sheet.append(_total_row(total))
    book.save(path)
    return path


def test_physical_workbook(engine, tmp_path):
    money = [Decimal(repr(row[-1])) for row in PHYSICAL_ROWS]
    assert sum(money, Decimal(0)) == PHYSICAL_TOTAL

    result = import_path(engine, physical_workbook(tmp_path / "Cargo_Physical_2023Q1.xlsx"))

    assert result.status == "imported", result.message
    assert (result.format, result.encoding) == ("cargo-physical", "xlsx")
    assert (result.rows, result.stored) == (5, 5)
    assert result.totals == {"GBP": "66.914"}
    assert stored_totals(engine) == {"GBP": PHYSICAL_TOTAL}
    assert result.period == ["2023-01", "2023-03"]
    lines = {line["row_number"]: line for line in stored_line_list(engine)}
    months = [lines[n]["usage_month"] for n in range(2, 7)]
    assert months == [202301, 202301, 202302, 202302, 202303]
    assert [lines[n]["kind"] for n in range(2, 7)] == ["physical"] * 4 + ["other"]
    hmv = lines[2]
    assert (hmv["store"], hmv["platform"], hmv["territory"]) == (
        "HMV RETAIL LTD",
        "HMV RETAIL LTD",
        "UK",
    )
    assert (hmv["quantity"], hmv["amount"], hmv["currency"]) == (6, "60.48", "GBP")
    assert (hmv["artist"], hmv["release"], hmv["upc"]) == (
        "VELVET ORCHARD",
        "NIGHT FERRIES",
        "5056321004123",
    )
    assert (lines[3]["quantity"], lines[3]["amount"], lines[3]["territory"]) == (-2, "-20.16", "DE")
    assert lines[4]["amount"] == "19.168"
    # a cost names an invoice, not an artist or a release
    storage = lines[6]
    assert (storage["amount"], storage["artist"], storage["release"]) == (
        "-17.75",
        "Unknown artist",
        None,
    )
    assert {x["artist"] for x in lines.values()} == {
        "VELVET ORCHARD", "MARROW LANTERN", "Unknown artist",
    }  # fmt: skip


def test_physical_total_row_is_checked_and_not_stored(engine, tmp_path):
    float_sum = sum(row[-1] for row in PHYSICAL_ROWS)  # as a spreadsheet adds: in binary
    assert repr(float_sum) != "66.914"
    workbook = physical_workbook(tmp_path / "physical.xlsx", total=float_sum)

    result = import_path(engine, workbook)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (6, 5)
    assert result.totals == {"GBP": "66.914"}


def test_physical_total_row_that_does_not_add_up_names_the_row(engine, tmp_path):
    workbook = physical_workbook(tmp_path / "physical.xlsx", total=69.914, title=True)

    result = import_path(engine, workbook)

    assert result.status == "error"
    assert "row 8" in result.message and "'Net after fee'" in result.message
    assert "69.914" in result.message and "66.914" in result.message
    assert counts(engine) == (0, 0)


def test_a_subtotal_and_the_grand_total_below_it_are_both_checked(engine, tmp_path):
    good = physical_workbook(tmp_path / "good.xlsx", subtotal=40.32, total=66.914)
    result = import_path(engine, good)
    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (7, 5)
    assert result.totals == {"GBP": "66.914"}

    wrong = physical_workbook(tmp_path / "wrong.xlsx", subtotal=40.23, total=66.914)
    result = import_path(engine, wrong)
    assert result.status == "error"
    assert "row 4" in result.message and "40.23" in result.message and "40.32" in result.message

    short = physical_workbook(tmp_path / "short.xlsx", subtotal=40.32, total=60.0)
    result = import_path(engine, short)
    assert result.status == "error"
    assert "row 8" in result.message and "says 60 " in result.message
    assert "66.914 (26.594 since the total row above it)" in result.message
    assert counts(engine) == (5, 1)  # the first workbook's lines, nothing of the wrong ones
