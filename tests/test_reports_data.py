"""A small statement with hostile titles, shared by the report tests (no tests here)."""

from __future__ import annotations

from royalty.ingest import import_bytes

SCRIPT_TITLE = "<script>alert(1)</script>"
FORMULA_TITLE = '=HYPERLINK("http://x","y")'
ARTIST = "Hostile Band"

_HEADER = (
    "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage\t"
    "Song/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)\n"
)
ROWS = [
    # sale month, store, title, isrc, quantity, country, earnings (USD)
    ("2024-01", "Spotify", SCRIPT_TITLE, "QZHST2400001", "5000", "GB", "15.12345678"),
    ("2024-01", "Spotify", FORMULA_TITLE, "QZHST2400002", "3000", "US", "9.87654321"),
    ("2024-01", "Apple Music", SCRIPT_TITLE, "QZHST2400001", "2000", "GB", "14.5"),
    ("2024-02", "Spotify", FORMULA_TITLE, "QZHST2400002", "0", "US", "-0.5"),
    ("2024-02", "TIDAL", "+44 Plus", "QZHST2400003", "1200", "NO", "12.0"),
    ("2024-02", "Spotify", "@home", "QZHST2400004", "2500", "SE", "7.25"),
]
TOTAL = "58.24999999"
STREAMS = 13700


def statement() -> bytes:
    lines = []
    for month, store, title, isrc, qty, country, amount in ROWS:
        cells = ["2024-03-08", month, store, ARTIST, title, isrc, "195920900001", qty, "100",
                 "Song", country, "0", amount]  # fmt: skip
        lines.append("\t".join(cells))
    return (_HEADER + "\n".join(lines) + "\n").encode("utf-8")


def load(engine) -> None:
    result = import_bytes(engine, "distrokid_hostile.tsv", statement())
    assert result.status == "imported", result.message
