"""YouTube: Studio's Content export (``Table data.csv``, in a ZIP named for its period and
channel, with a Total row) and the CMS (Content ID) video report (preamble, legend).

No real export of either is at hand; the fixtures follow the documented headers and quirks.
Expected totals are summed with Decimal straight from each fixture's text, and also written
out, so a change in either the fixture or the importer shows up to the last digit.
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stored import stored_line_list, stored_lines

from royalty import importers
from royalty.importers import ImportOptions
from royalty.importers.youtube_studio import export_name
from royalty.ingest import import_bytes, import_path
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
STUDIO_FILE = FIXTURES / "youtube_studio_table_data.csv"
STUDIO_EXPECTED = {"USD": Decimal("41.873")}
SEPT = (202609, 202610)


def csv_rows(path: Path, skip: int = 0) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = f.readlines()[skip:]
    return list(csv.DictReader(lines))


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def studio_videos() -> list[dict[str, str]]:
    return [r for r in csv_rows(STUDIO_FILE) if r["Content"].strip() != "Total"]


def studio_zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buffer.getvalue()


# --- YouTube Studio content export -------------------------------------------------------------


def test_studio_table_with_its_total_row_checked_and_not_stored(engine):
    videos = studio_videos()
    assert {"USD": sum(Decimal(r["Estimated revenue (USD)"]) for r in videos)} == STUDIO_EXPECTED

    result = import_path(engine, STUDIO_FILE, ImportOptions(period=SEPT, artist="Marsh Lights"))

    assert result.status == "imported", result.message
    assert result.format == "youtube_studio"
    assert (result.rows, result.stored) == (6, 5)
    assert {c: Decimal(v) for c, v in result.totals.items()} == STUDIO_EXPECTED
    lines = stored_lines(engine)
    assert sorted(lines) == [3, 4, 5, 6, 7]  # row 2 is the Total
    assert sum(Decimal(x["amount"]) for x in lines.values()) == STUDIO_EXPECTED["USD"]
    assert sum(x["amount_nano"] for x in lines.values()) == 41_873_000_000
    assert sum(x["quantity"] for x in lines.values()) == 11_711  # "5,529" and friends
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {SEPT}
    assert {(x["store"], x["platform"], x["kind"]) for x in lines.values()} == {
        ("YouTube", "YouTube", "video")
    }
    assert {x["artist"] for x in lines.values()} == {"Marsh Lights"}
    assert lines[5]["title"] == "Low Country Hymns, Pt. 2 (Visualizer)"
    assert (lines[3]["quantity"], lines[3]["amount"]) == (5529, "19.402")
    assert lines[7]["amount"] == "0"
    with engine.connect() as conn:
        assert conn.execute(select(Statement.source)).scalar_one() == "YouTube"


def test_studio_zip_gives_the_period_and_the_channel_and_its_chart_is_left_out(engine):
    table = STUDIO_FILE.read_text(encoding="utf-8")
    chart = (
        "Date,Content,Video title,Video publish time,Duration,Estimated revenue (USD)\n"
        "2026-09-12,R26qwMQVoos,Marsh Lights - Tidewater (Official Video),"
        '"Sep 26, 2026",247,0.512\n'
    )
    totals = "Date,Estimated revenue (USD)\n2026-09-12,1.204\n"
    data = studio_zip({"Table data.csv": table, "Chart data.csv": chart, "Totals.csv": totals})
    name = "Content 2026-09-12_2026-10-01 Marsh Lights.zip"

    result = import_bytes(engine, name, data)

    assert result.status == "imported", result.message
    assert {c: Decimal(v) for c, v in result.totals.items()} == STUDIO_EXPECTED
    assert result.period == ["2026-09", "2026-10"]
    assert "Chart data.csv" in result.message and "Totals.csv" in result.message  # skipped
    lines = stored_line_list(engine)
    assert len(lines) == 5
    assert {x["artist"] for x in lines} == {"Marsh Lights"}
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines} == {SEPT}


def changed(tmp_path: Path, old: str, new: str) -> Path:
    text = STUDIO_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / STUDIO_FILE.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_total_revenue_that_does_not_add_up_names_the_total_row(engine, tmp_path):
    bad = changed(tmp_path, '"11,711",743.1205,91,41.873', '"11,711",743.1205,91,41.837')

    result = import_path(engine, bad, ImportOptions(period=SEPT))

    assert result.status == "error"
    assert "row 2" in result.message and "'Estimated revenue (USD)'" in result.message
    assert "'Total' row says 41.837" in result.message and "add up to 41.873" in result.message
    assert counts(engine) == (0, 0)


def test_total_views_are_checked_too(engine, tmp_path):
    bad = changed(tmp_path, '"11,711"', '"11,117"')
    result = import_path(engine, bad, ImportOptions(period=SEPT))
    assert result.status == "error"
    assert "row 2" in result.message and "'Views'" in result.message
    assert "11,711 units" in result.message


def test_an_export_listing_only_some_videos_is_refused_not_stored_as_all(engine, tmp_path):
    """Studio exports the rows it shows; the Total counts every video of the channel."""
    text = STUDIO_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    capped = tmp_path / "Table data.csv"
    capped.write_text("".join(text[:-2]), encoding="utf-8")  # the last two videos not listed

    result = import_path(engine, capped, ImportOptions(period=SEPT))

    assert result.status == "error"
    assert "row 2" in result.message and "3 lines add up to" in result.message
    assert counts(engine) == (0, 0)


def test_studio_table_without_a_period_asks_for_one(engine):
    result = import_path(engine, STUDIO_FILE)
    assert result.status == "error"
    assert "does not say which months it covers" in result.message
    assert counts(engine) == (0, 0)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Content 2026-09-12_2026-10-01 Marsh Lights.zip › Table data.csv",
         ((202609, 202610), "Marsh Lights")),
        ("/home/me/Downloads/Content 2024-01-01_2024-12-31 Aurélie Noor/Table data.csv",
         ((202401, 202412), "Aurélie Noor")),
        ("Content 2025-03-01_2025-03-31.zip › Table data.csv", ((202503, 202503), None)),
        ("Table data.csv", (None, None)),
        ("Content 2025-04-01_2025-03-01 X.zip", (None, None)),
    ],
)  # fmt: skip
def test_export_name(name, said):
    assert export_name(name) == said


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (["Content", "Video title", "Views", "Estimated revenue (USD)"], True),
        (["Content", "Video title", "Views", "Estimated revenue (EUR)"], True),
        (["Content", "Video title", "Video publish time", "Views", "Watch time (hours)"], False),
        (["Date", "Content", "Video title", "Estimated revenue (USD)"], False),
        (["Date", "Estimated revenue (USD)"], False),
    ],
)
def test_studio_recognized_headers(header, found):
    detected = importers.detect(header)
    assert (detected is not None and detected[0].name == "youtube_studio") is found


# --- YouTube CMS (Content ID) video report ----------------------------------------------------

CMS_FILE = FIXTURES / "youtube_cms_video_report.csv"
CMS_PREAMBLE = 3  # a title, the content owner, a blank line
MARCH = (202403, 202403)
CMS_OPTIONS = ImportOptions(period=MARCH, currency="USD")
CMS_EXPECTED = {"USD": Decimal("39.549696")}
LEGEND = (
    "\nLegend\n"
    'Total Earnings,"Your estimated net earnings for the claim, after YouTube\'s share"\n'
    "Claim Type,Audio; Visual; Audiovisual\n"
)
"""What follows the data, after a blank line: rows of one or two cells. (Added here, not in
the fixture: the reader's fast-and-careful test expects fixtures of equal-width rows.)"""


def cms_claims() -> list[dict[str, str]]:
    with CMS_FILE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f.readlines()[CMS_PREAMBLE:]))


def cms_report(tmp_path: Path, *, total: tuple[str, str] | None = None) -> Path:
    """The fixture with its legend, and a Total row (earnings, views) when given."""
    text = CMS_FILE.read_text(encoding="utf-8")
    if total is not None:
        cells = ["Total"] + [""] * (len(cms_claims()[0]) - 1)
        cells[18], cells[11] = total
        text += ",".join(cells) + "\n"
    path = tmp_path / "video_report.csv"
    path.write_text(text + LEGEND, encoding="utf-8")
    return path


def test_cms_report_files_each_claim_under_its_asset_and_leaves_the_legend_out(engine, tmp_path):
    claims = cms_claims()
    assert len(claims) == 5
    assert {"USD": sum(Decimal(r["Total Earnings"]) for r in claims)} == CMS_EXPECTED

    result = import_path(engine, cms_report(tmp_path), CMS_OPTIONS)

    assert result.status == "imported", result.message
    assert result.format == "youtube_cms"
    assert (result.rows, result.stored) == (8, 5)  # three legend rows read, none stored
    assert {c: Decimal(v) for c, v in result.totals.items()} == CMS_EXPECTED
    lines = stored_lines(engine)
    assert sorted(lines) == [5, 6, 7, 8, 9]
    assert sum(Decimal(x["amount"]) for x in lines.values()) == CMS_EXPECTED["USD"]
    assert sum(x["amount_nano"] for x in lines.values()) == 39_549_696_000
    assert sum(x["quantity"] for x in lines.values()) == 53_537
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {MARCH}
    assert {(x["store"], x["platform"], x["kind"]) for x in lines.values()} == {
        ("YouTube Content ID", "YouTube", "video")
    }
    cover = lines[5]  # a fan's cover, claimed: the money is the recording's
    assert (cover["title"], cover["artist"], cover["isrc"]) == (
        "Harbour Wall", "The Lantern Coast", "GBXQ22400101",
    )  # fmt: skip
    assert (cover["release"], cover["upc"], cover["amount"]) == (
        "Signal Fires", "5056789000013", "11.482215",
    )  # fmt: skip
    diary = lines[8]  # the owner's own video, no asset metadata: the video's title
    assert (diary["title"], diary["artist"], diary["isrc"]) == (
        "Studio diary #4 (behind the scenes)", "Unknown artist", "",
    )  # fmt: skip
    assert (lines[9]["amount"], lines[9]["quantity"]) == ("0", 52)  # an ID starting with "-"


def test_cms_fixture_alone_imports_the_same(engine):
    result = import_path(engine, CMS_FILE, CMS_OPTIONS)
    assert (result.status, result.rows, result.stored) == ("imported", 5, 5), result.message
    assert {c: Decimal(v) for c, v in result.totals.items()} == CMS_EXPECTED


def test_cms_report_asks_for_the_currency_and_the_period_it_does_not_say(engine):
    no_currency = import_path(engine, CMS_FILE, ImportOptions(period=MARCH))
    assert no_currency.status == "error" and "--currency" in no_currency.message
    no_period = import_path(engine, CMS_FILE, ImportOptions(currency="USD"))
    assert no_period.status == "error" and "--period" in no_period.message
    assert counts(engine) == (0, 0)


def test_a_cms_total_row_is_checked_and_not_stored(engine, tmp_path):
    right = cms_report(tmp_path, total=("39.549696", "53537"))
    result = import_path(engine, right, CMS_OPTIONS)
    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (9, 5)
    assert {c: Decimal(v) for c, v in result.totals.items()} == CMS_EXPECTED


def test_a_cms_total_row_that_does_not_add_up_names_its_row(engine, tmp_path):
    wrong = cms_report(tmp_path, total=("39.549969", "53537"))
    result = import_path(engine, wrong, CMS_OPTIONS)
    assert result.status == "error"
    assert "row 10" in result.message and "'Total Earnings'" in result.message
    assert "add up to 39.549696" in result.message
    assert counts(engine) == (0, 0)


def test_cms_detected_below_its_preamble_in_both_variants():
    header = list(cms_claims()[0])
    found = importers.detect(header)
    assert found is not None and found[0].name == "youtube_cms"
    assert found[1]["amount"] == "Total Earnings"
    variant = [c if c != "Total Earnings" else "Partner Revenue" for c in header]
    found = importers.detect(variant)
    assert found is not None and found[1]["amount"] == "Partner Revenue"
    assert importers.detect(["YouTube Content ID video report"]) is None
