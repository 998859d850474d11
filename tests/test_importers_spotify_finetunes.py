"""Spotify's DSP report as Finetunes delivers it: a two-row metadata block above the header,
and amounts of up to 33 decimals stored exactly as written.

Expected totals are summed with exact Decimal arithmetic straight from the fixture's text, and
also written out, so a change in either the fixture or the importer shows up to the last digit.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from stored import stored_lines

from royalty import importers
from royalty.importers import FileFacts, ImportOptions
from royalty.ingest import find_tables, import_bytes, import_path, preview
from royalty.ingest.reader import Source
from royalty.money import exact_add
from royalty.store.models import EarningLine, Statement

FIXTURES = Path(__file__).parent / "fixtures"
USD_FILE = FIXTURES / "spotify_finetunes_2024-05_usd.txt"
METADATA_ROWS = 2
MAY = (202405, 202405)
EXPECTED = {"USD": Decimal("2.085129972124302954077421378532022")}


def file_lines(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t"))


def file_rows(path: Path) -> list[dict[str, str]]:
    header, *rows = file_lines(path)[METADATA_ROWS:]
    return [dict(zip(header, row, strict=True)) for row in rows]


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
        statements = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    return lines, statements


def test_every_digit_of_usd_payable_is_stored_as_written(engine):
    rows = file_rows(USD_FILE)
    assert {"USD": exact_add(Decimal(r["USD Payable"]) for r in rows)} == EXPECTED
    assert max(len(r["USD Payable"].split(".")[1]) for r in rows) == 33

    result = import_path(engine, USD_FILE, ImportOptions(period=MAY))

    assert result.status == "imported", result.message
    assert result.format == "spotify_finetunes"
    assert (result.rows, result.stored) == (12, 12)
    assert {c: Decimal(v) for c, v in result.totals.items()} == EXPECTED
    # the pages sum nano-units; the import says where that is not the exact total
    assert "pages count 2.085129971 USD, each line rounded to 9 decimals" in result.message
    lines = stored_lines(engine)
    assert [lines[n]["amount"] for n in sorted(lines)] == [r["USD Payable"] for r in rows]
    assert exact_add(Decimal(x["amount"]) for x in lines.values()) == EXPECTED["USD"]
    assert sum(x["amount_nano"] for x in lines.values()) == 2_085_129_971
    tiny = lines[14]
    assert (tiny["amount"], tiny["amount_nano"]) == ("0.000004728602417533660881608229722", 4_729)

    assert min(lines) == 4  # metadata block and header above
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {MAY}
    assert {(x["store"], x["platform"], x["kind"]) for x in lines.values()} == {
        ("Spotify", "Spotify", "stream")
    }
    assert {x["currency"] for x in lines.values()} == {"USD"}
    assert sum(x["quantity"] for x in lines.values()) == 736
    assert {x["territory"] for x in lines.values()} == {
        "DE", "AT", "CH", "US", "GB", "SE", "BR", "JP", "MX", "FR", "HN",
    }  # fmt: skip
    first = lines[4]
    assert (first["isrc"], first["title"], first["artist"], first["release"], first["upc"]) == (
        "DEQX92400011", "Nebelbank", "Moorlicht", "Nebelbank", "4262400010015",
    )  # fmt: skip
    # an empty UPC: the EAN column gives the release's code
    lock = lines[13]
    assert (lock["upc"], lock["release"], lock["artist"]) == (
        "4262400010022", "Stille Kanäle", "Jürgen Saalfeld",
    )  # fmt: skip
    with engine.connect() as conn:
        assert conn.execute(select(Statement.source)).scalar_one() == "Finetunes"


def test_the_metadata_block_says_the_month_and_the_sender():
    """What the layout makes of the file's own two opening rows (``FileFacts.preamble``)."""
    table = find_tables(Source.from_path(USD_FILE))[0]
    assert table.header_row == METADATA_ROWS
    layout, mapping = importers.detect(table.header)
    assert layout.name == "spotify_finetunes"
    preamble = tuple(tuple(r) for r in file_lines(USD_FILE)[:METADATA_ROWS])
    facts = FileFacts(
        table.name, tuple(table.header), mapping, ImportOptions(period=(202401, 202412)),
        decimal_comma=False, preamble=preamble,
    )  # fmt: skip
    lines = importers.normalize(next(table.chunks()), layout=layout, facts=facts, first_row=4)

    assert len(lines) == 12
    # the file's month wins over a period chosen for files that do not say one
    assert set(zip(lines["usage_month"], lines["usage_month_end"], strict=True)) == {MAY}
    assert set(lines["store"]) == {"Spotify"} and set(lines["kind"]) == {"stream"}
    assert exact_add(Decimal(a) for a in lines["amount"]) == EXPECTED["USD"]


def test_the_metadata_block_above_the_header_gives_the_month(engine):
    """The reader hands the two rows above the header to the layout: no period to give."""
    table = find_tables(Source.from_path(USD_FILE))[0]
    assert table.preamble == tuple(tuple(r) for r in file_lines(USD_FILE)[:METADATA_ROWS])

    result = import_path(engine, USD_FILE)

    assert result.status == "imported", result.message
    assert (result.rows, result.stored) == (12, 12)
    assert result.period == ["2024-05", "2024-05"]
    assert {c: Decimal(v) for c, v in result.totals.items()} == EXPECTED
    lines = stored_lines(engine)
    assert {(x["usage_month"], x["usage_month_end"]) for x in lines.values()} == {MAY}
    assert min(lines) == 4


def test_the_files_month_wins_over_a_period_chosen(engine):
    result = import_path(engine, USD_FILE, ImportOptions(period=(202401, 202412)))
    assert result.status == "imported", result.message
    assert result.period == ["2024-05", "2024-05"]
    shown = preview(Source.from_path(USD_FILE), ImportOptions(period=(202401, 202412)))
    assert shown.error is None and set(shown.rows["usage_month"]) == {"2024-05"}


def test_without_its_metadata_or_a_period_the_import_asks_for_the_month(engine):
    without = b"".join(USD_FILE.read_bytes().splitlines(keepends=True)[METADATA_ROWS:])
    result = import_bytes(engine, USD_FILE.name, without)
    assert result.status == "error"
    assert "does not say which months it covers" in result.message
    assert counts(engine) == (0, 0)


def test_the_payable_header_names_the_currency(engine):
    header, *rows = file_lines(USD_FILE)[METADATA_ROWS:]
    eur = [c if c != "USD Payable" else "EUR Payable" for c in header]
    text = "\n".join("\t".join(r) for r in [eur, *rows[:3]]) + "\n"
    result = import_bytes(engine, "finetunes_eur.txt", text.encode(), ImportOptions(period=MAY))
    assert result.status == "imported", result.message
    expected = exact_add(Decimal(r[12]) for r in rows[:3])
    assert expected == Decimal("1.61966688080742057580046135638")
    assert {c: Decimal(v) for c, v in result.totals.items()} == {"EUR": expected}


def test_detected_by_its_header_and_not_by_its_metadata_row():
    metadata, _, header = file_lines(USD_FILE)[:3]
    found = importers.detect(header)
    assert found is not None and found[0].name == "spotify_finetunes"
    assert importers.detect(metadata) is None
    assert importers.detect([c for c in header if c != "USD Payable"]) is None
