"""Beatport label statement: one row per purchase, voids, whole releases, mixes.

The expected total is summed with Decimal from the fixture's own text and also written out.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from stored import stored_lines

from royalty import importers
from royalty.ingest import import_path

FIXTURE = Path(__file__).parent / "fixtures" / "beatport_2024-q3_statement.csv"


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_label_statement_in_us_dollars(engine):
    expected = {"USD": Decimal("8.79")}
    assert {"USD": sum((Decimal(r["NET_TOTAL"]) for r in file_rows(FIXTURE)), Decimal(0))} == (
        expected
    )

    result = import_path(engine, FIXTURE)

    assert result.status == "imported", result.message
    assert result.format == "beatport"
    assert (result.rows, result.stored, result.skipped) == (8, 8, 0)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    lines = stored_lines(engine)
    assert len(lines) == 8
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected["USD"]
    assert sum(x["amount_nano"] for x in lines.values()) == 8_790_000_000
    assert {x["currency"] for x in lines.values()} == {"USD"}

    # the purchase day is the month of use; the file names no statement period
    assert result.period == ["2024-06", "2024-09"]
    assert [lines[n]["usage_month"] for n in range(2, 10)] == [
        202407, 202407, 202407, 202408, 202406, 202409, 202409, 202409,
    ]  # fmt: skip
    assert {x["reporting_month"] for x in lines.values()} == {None}

    # every line a Beatport download; a purchase is one unit and a void takes one back
    assert {(x["kind"], x["platform"], x["store"]) for x in lines.values()} == {
        ("download", "Beatport", "Beatport")
    }
    assert [lines[n]["quantity"] for n in range(2, 10)] == [1, 1, 1, 1, -1, 1, 1, 1]
    assert lines[6]["amount"] == "-0.86"

    # two identical purchases on one day are two lines
    assert (lines[2]["amount"], lines[4]["amount"]) == ("0.82", "0.82")

    # the mix is part of the title: two recordings of one title stay apart
    assert (lines[2]["title"], lines[3]["title"]) == (
        "Copper Tones (Original Mix)",
        "Copper Tones (Tollan Vey Remix)",
    )
    assert lines[2]["track_id"] != lines[3]["track_id"]
    assert (lines[5]["isrc"], lines[5]["territory"]) == ("QZHN52400231", "US")

    # a whole release: no track, the release's UPC; TRACK_COUNT is no number of units
    release = lines[7]
    assert (release["title"], release["track_id"], release["quantity"]) == (None, None, 1)
    assert (release["upc"], release["release"], release["artist"]) == (
        "196871442051", "Low Orbit EP", "Pell & Arroway",
    )  # fmt: skip
    assert (release["amount"], release["territory"]) == ("2.72", "JP")
    assert (lines[8]["artist"], lines[9]["title"]) == ("Pell,Arroway", "Apoapsis (Original Mix)")


def test_detected_by_its_own_header_only():
    header = FIXTURE.read_text(encoding="utf-8").splitlines()[0].split(",")
    layout, mapping = importers.detect(header)
    assert layout.name == "beatport"
    assert mapping["amount"] == "NET_TOTAL"
    assert importers.detect([h for h in header if h != "PURCHASE_STATUS"]) is None
