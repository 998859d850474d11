"""The normalizer's output pinned for small frames with messy text, value by value and type
by type: it works on each column's distinct values, and a faster path must give the rows
exactly what the plain one gave (their identities are stored and must not change)."""

from __future__ import annotations

import pandas as pd

from royalty.importers import distrokid, normalize
from royalty.importers.base import FileFacts, ImportOptions, Layout
from royalty.ingest.identity import Overlap

DK_HEADER = [
    "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
    "Song/Album", "Country of Sale", "Earnings (USD)", "Team Percentage",
]  # fmt: skip
DK_ROWS = [
    ["2024-05-24", "2024-03", "Spotify", "Cold Harbor", "Night Hollow", "QZ-AMW-23-00013",
     "195920001054", "13", "Song", "FR", "0.02344592", "100"],
    ["2024-05-24 ", " 2024-03", " spotify ", " Cold Harbor", "Night Hollow ", "qzamw2300013",
     " 195920001054", " 1,200", "song", " fr ", " 0.0234459200", "100"],
    ["", "", "", "", "", "", "", "", "", "", "", "100"],
    ["2024-06-01", "2024-04", "iTunes", "Cold Harbor", "Salt Lines", "", "1.95920E+11", "1",
     " Album ", "us", "$7.00", "100"],
    ["06/01/2024", "Apr 2024", "YouTube (Ads)", "", "Signal Bell", "QZASW2500071",
     "EMPTY:195920007890", "0", "Song", "Germany", "-0.000000001", "100"],
    ["2024-06-01", "2024-04", "", "Cold Harbor", "", "QZASW2500071", "", "", "Song", "",
     "(0.5)", "100"],
    ["2024-06-01", "2024-04", "Amazon Unlimited", "Cold Harbor", "Tide", "QZASW2500072",
     "195920007890", "2", "Song", "GB", "1.5E-05", "100"],
]  # fmt: skip


def _facts(layout: Layout, header: list[str], **options: object) -> FileFacts:
    mapping = layout.column_map(header)
    assert mapping is not None
    return FileFacts("pinned.tsv", tuple(header), mapping, ImportOptions(**options))


def _frame(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    frame.index = pd.RangeIndex(2, 2 + len(rows))
    return frame


def test_distrokid_rows_normalize_to_pinned_values() -> None:
    layout = distrokid.LAYOUT
    lines = normalize(_frame(DK_HEADER, DK_ROWS), layout=layout, facts=_facts(layout, DK_HEADER))
    assert lines.attrs["dropped"] == {"empty": 1}
    expected = {
        "row_number": [2, 3, 5, 6, 7, 8],
        "usage_month": [202403, 202403, 202404, 202404, 202404, 202404],
        "usage_month_end": [202403, 202403, 202404, 202404, 202404, 202404],
        "reporting_month": [202405, 202405, 202406, 202406, 202406, 202406],
        "amount": ["0.02344592", "0.0234459200", "7.00", "-0.000000001", "-0.5", "0.000015"],
        "amount_nano": [23445920, 23445920, 7000000000, -1, -500000000, 15000],
        "currency": ["USD"] * 6,
        "source_amount": [None] * 6,
        "fx_rate": [None] * 6,
        "source_currency": [None] * 6,
        "quantity": [13, 1200, 1, 0, 0, 2],
        "artist": ["Cold Harbor"] * 3 + ["Unknown artist"] + ["Cold Harbor"] * 2,
        "store": ["Spotify", "spotify", "iTunes", "YouTube (Ads)", "Unknown store",
                  "Amazon Unlimited"],
        "platform": ["Spotify", "Spotify", "iTunes", "YouTube", "Unknown store",
                     "Amazon Music"],
        "kind": ["stream", "stream", "download", "video", "stream", "stream"],
        "title": ["Night Hollow", "Night Hollow", "", "Signal Bell", "", "Tide"],
        "release": ["", "", "Salt Lines", "", "", ""],
        "isrc": ["QZAMW2300013", "QZAMW2300013", "", "QZASW2500071", "QZASW2500071",
                 "QZASW2500072"],
        "iswc": [""] * 6,
        "upc": ["195920001054", "195920001054", "", "195920007890", "", "195920007890"],
        "upc_hint": ["", "", "1.95920E+11", "", "", ""],
        "territory": ["FR", "FR", "US", "DE", "ZZ", "GB"],
    }  # fmt: skip
    assert list(lines.columns) == list(expected)
    assert {c: lines[c].tolist() for c in lines.columns} == expected
    assert lines["reporting_month"].dtype == "Int64"
    for column in ("row_number", "usage_month", "usage_month_end", "amount_nano", "quantity"):
        assert lines[column].dtype == "int64"
    for column in ("amount", "source_amount", "fx_rate", "source_currency"):
        assert lines[column].dtype == object
    hashes, occurrence = Overlap(lambda *a, **k: None, "DistroKid", 1).identity(lines)
    assert occurrence.tolist() == [0, 0, 0, 0, 0, 0]
    assert hashes.tolist() == PINNED_HASHES


PINNED_HASHES = [
    -4673854000948236900,
    -6939460342406795741,
    -5252485645281074226,
    5612972927370273097,
    6843965991989988353,
    -3539890205115153982,
]


WIDE = Layout(
    name="pinned",
    source="Pinned",
    title="every field a column",
    signature=("Month",),
    columns={
        "usage_month": "Month", "usage_month_end": "Month End", "reporting_month": "Paid",
        "store": "Shop", "kind": "Type", "artist": "Artist", "title": "Track",
        "release": "Album", "isrc": "ISRC", "iswc": "ISWC", "upc": "EAN", "quantity": "Units",
        "territory": "Country", "amount": "Net", "currency": "Cur",
        "source_amount": "Gross", "source_currency": "Gross Cur", "fx_rate": "Rate",
    },
    kinds={"str": "stream", "dl": "download", "weird": "nonsense"},
    decimal_comma=True,
)  # fmt: skip
WIDE_HEADER = [
    "Month", "Month End", "Paid", "Shop", "Type", "Artist", "Track", "Album", "ISRC", "ISWC",
    "EAN", "Units", "Country", "Net", "Cur", "Gross", "Gross Cur", "Rate",
]  # fmt: skip
WIDE_ROWS = [
    ["01/02/2024", "31/03/2024", "2024-05", "Deezer", " STR ", "Ana", "Tin Roof", "Psalms",
     "QZ1234500001", "T-123.456.789-4", "4012345678901", "1.200", "DE", "0,0500", "eur",
     "0,054000", " usd ", "1,0800"],
    ["2024-01", "bad", "", " deezer", "dl", "Ana", "Tin Roof", "Psalms", "", "12345",
     "4012345678901", "3", " Austria", "1.234,50", "", "", "", ""],
    ["Jan 2024", "", "May 2024", "Tidal", "weird", "Ana", "", "Psalms", "", "", "",
     "", "xx", "-0,10", "SEK", "", "", "0,09"],
]  # fmt: skip


def test_every_field_normalizes_to_pinned_values() -> None:
    facts = _facts(WIDE, WIDE_HEADER, currency="EUR")
    lines = normalize(_frame(WIDE_HEADER, WIDE_ROWS), layout=WIDE, facts=facts)
    got = {c: [None if pd.isna(v) else v for v in lines[c]] for c in lines.columns}
    assert got == WIDE_EXPECTED
    assert lines["reporting_month"].dtype == "Int64"
    for column in ("amount", "source_amount", "fx_rate", "source_currency"):
        assert lines[column].dtype == object
    hashes, occurrence = Overlap(lambda *a, **k: None, "Pinned", 1).identity(lines)
    assert occurrence.tolist() == [0, 0, 0]
    assert hashes.tolist() == WIDE_HASHES


WIDE_EXPECTED = {
    "row_number": [2, 3, 4],
    "usage_month": [202401, 202401, 202401],
    "usage_month_end": [202403, 202401, 202401],
    "reporting_month": [202405, None, 202405],
    "amount": ["0.0500", "1234.50", "-0.10"],
    "amount_nano": [50000000, 1234500000000, -100000000],
    "currency": ["EUR", "EUR", "SEK"],
    "source_amount": ["0.054000", None, None],
    "fx_rate": ["1.0800", None, "0.09"],
    "source_currency": ["USD", None, None],
    "quantity": [1200, 3, 0],
    "artist": ["Ana", "Ana", "Ana"],
    "store": ["Deezer", "deezer", "Tidal"],
    "platform": ["Deezer", "Deezer", "TIDAL"],
    "kind": ["stream", "download", "other"],
    "title": ["Tin Roof", "Tin Roof", ""],
    "release": ["Psalms", "Psalms", "Psalms"],
    "isrc": ["QZ1234500001", "", ""],
    "iswc": ["T1234567894", "", ""],
    "upc": ["4012345678901", "4012345678901", ""],
    "upc_hint": ["", "", ""],
    "territory": ["DE", "AT", "XX"],
}
WIDE_HASHES = [-4700950109916491658, -5564129447005761418, -6504793258405995042]
