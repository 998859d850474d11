"""DistroKid "Excruciating detail" bank export.

One layout covers the three shapes in the wild: the 13-column TSV (2023), the 15-column TSV
with ``Date Inserted``/``Recoup (USD)`` (2026, bare-CR line ends) and the quoted CSV where
``Source Type`` replaced ``Song/Album``. Money is always USD, already after the team split.
DistroKid has no kind column: the store says it (iTunes Songs = downloads, YouTube (Ads) = video).
"""

from royalty.importers.base import Layout

LAYOUT = Layout(
    name="distrokid",
    source="DistroKid",
    title="DistroKid bank details (Excruciating detail TSV/CSV)",
    signature=("Sale Month", "Store", "Team Percentage", "Earnings (USD)"),
    columns={
        "usage_month": "Sale Month",
        "reporting_month": "Reporting Date",
        "store": "Store",
        "artist": "Artist",
        "title": "Title",
        "isrc": "ISRC",
        "upc": "UPC",
        "quantity": "Quantity",
        "territory": "Country of Sale",
        "amount": "Earnings (USD)",
    },
    currency="USD",
)
