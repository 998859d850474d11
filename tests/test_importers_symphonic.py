"""Symphonic earnings detail: activity month vs reporting month, voids, and what a stream is.

The expected total is summed with Decimal from the fixture's own text and also written out.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from stored import stored_lines

from royalty import importers
from royalty.ingest import import_path

FIXTURE = Path(__file__).parent / "fixtures" / "symphonic_2025-06_usd.csv"


def file_total(path: Path) -> Decimal:
    with path.open(encoding="utf-8", newline="") as f:
        return sum((Decimal(r["Royalty ($US)"]) for r in csv.DictReader(f)), Decimal(0))


def test_earnings_detail_in_us_dollars(engine):
    expected = {"USD": Decimal("3.406466")}
    assert {"USD": file_total(FIXTURE)} == expected

    result = import_path(engine, FIXTURE)

    assert result.status == "imported", result.message
    assert result.format == "symphonic"
    assert (result.rows, result.stored, result.skipped) == (15, 15, 0)
    assert {c: Decimal(v) for c, v in result.totals.items()} == expected
    lines = stored_lines(engine)
    assert len(lines) == 15
    assert sum(Decimal(x["amount"]) for x in lines.values()) == expected["USD"]
    assert sum(x["amount_nano"] for x in lines.values()) == 3_406_466_000
    assert {x["currency"] for x in lines.values()} == {"USD"}

    # Activity Period is the month of use; "JUN-25" is the month Symphonic reported it
    assert result.period == ["2025-03", "2025-07"]
    assert [lines[n]["usage_month"] for n in (2, 4, 10, 13, 16)] == [
        202506, 202505, 202507, 202504, 202503,
    ]  # fmt: skip
    assert {x["reporting_month"] for x in lines.values()} == {202506}
    assert all(x["usage_month_end"] == x["usage_month"] for x in lines.values())

    # voids take money back, with the count as written (0 or the units voided)
    assert (lines[4]["amount"], lines[4]["quantity"]) == ("-0.044817", 0)
    assert (lines[5]["amount"], lines[5]["quantity"]) == ("-0.015907", 5)

    kinds = {n: x["kind"] for n, x in lines.items()}
    assert [kinds[n] for n in (2, 6, 14, 15, 16)] == ["stream"] * 5
    # Facebook / Instagram and TikTok put music under videos; so does a YouTube UGC claim
    assert [kinds[n] for n in (7, 8, 9, 11)] == ["video"] * 4
    assert kinds[10] == "stream"  # a YouTube art track is a play of the recording
    # the statement's Delivery decides, even for iTunes Match
    assert (kinds[12], kinds[13]) == ("download", "download")
    assert (lines[13]["platform"], lines[12]["platform"]) == ("Apple Music", "iTunes")
    assert [lines[n]["platform"] for n in (7, 8, 9, 10, 16)] == [
        "Meta (Facebook/Instagram)", "Meta (Facebook/Instagram)", "TikTok", "YouTube",
        "SoundCloud",
    ]  # fmt: skip

    # three-letter countries; N/A is no country
    assert [lines[n]["territory"] for n in (2, 3, 9, 14)] == ["US", "GB", "ZZ", "NL"]

    # the mix is part of the title; an empty Track Artists is the release's artist
    remix = lines[14]
    assert (remix["title"], remix["artist"]) == (
        "Harbour Static (Kestrel Dub)",
        "Orla Venn, Kestrel",
    )
    assert (remix["isrc"], remix["upc"], remix["release"]) == (
        "QZK6P2500117", "859730415534", "Harbour Static (Remixes)",
    )  # fmt: skip
    assert (lines[15]["artist"], lines[15]["title"]) == ("Orla Venn", "Harbour Static")


def test_detected_by_its_own_header_only():
    header = FIXTURE.read_text(encoding="utf-8").splitlines()[0].split(",")
    layout, mapping = importers.detect(header)
    assert layout.name == "symphonic"
    assert mapping["amount"] == "Royalty ($US)"
    assert importers.detect([h for h in header if h != "Sale or Void"]) is None
