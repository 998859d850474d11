"""DistroKid "Excruciating detail" bank export.

One layout covers the three shapes in the wild: the 13-column TSV (2023), the 15-column TSV
with ``Date Inserted``/``Recoup (USD)`` (2026, bare-CR line ends) and the quoted CSV where
``Source Type`` replaced ``Song/Album``. Money is always USD, already after the team split.
DistroKid has no kind column: the store says it (iTunes Songs = downloads, YouTube (Ads) = video).

A row whose ``Song/Album`` (or ``Source Type``) is ``Album`` is an album sale: its ``Title`` is
the album's and its ISRC is blank, so it belongs to the release and to no track.
"""

from __future__ import annotations

import pandas as pd

from royalty.importers.base import FileFacts, Layout


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    if "song_album" not in data.columns:
        return data
    album = data["song_album"].str.strip().str.lower() == "album"
    if not bool(album.any()):
        return data
    titles = data["title"] if "title" in data.columns else pd.Series("", index=data.index)
    data["release"] = titles.where(album, "")
    data["title"] = titles.where(~album, "")
    if "isrc" in data.columns:
        data["isrc"] = data["isrc"].where(~album, "")
    return data


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
        "song_album": ("Song/Album", "Source Type"),
    },
    currency="USD",
    prepare=_prepare,
)
