"""YouTube CMS (Content ID) video report, the older CSV a content owner downloads.

One row per claimed video: ``Total Earnings`` (``Partner Revenue`` in another variant) is the
owner's money for the claim, ``Total Views`` its plays. The money belongs to the claimed
recording, so a line is filed under the asset (``Asset Title``, ``Artist``, ``Album``,
``ISRC``, ``UPC``); the uploader's ``Video Title`` names it only when the asset has no title.
Every line is Content ID video income.

Preamble lines sit above the header (the reader finds it below them) and a legend follows
the data: rows whose ``Video ID`` is no video ID (eleven letters, digits, ``-`` or ``_``)
and that carry no amount are that legend and are left out; a ``Total`` row is checked
against the lines to the last digit (``totals``), not stored.

The rows carry no date and no currency, and what the preamble says about them is not
documented in any report at hand: the person importing gives the period (every line covers
its first to last month) and the currency; without them the import asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from royalty.importers import periods, totals
from royalty.importers.base import FileFacts, Layout

STORE = "YouTube Content ID"
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_TOTAL = re.compile(r"^(grand\s+)?totals?:?$", re.IGNORECASE)


def _kinds_of_rows(videos: pd.Series, amounts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(Total rows, legend rows) among raw cells."""
    video = videos.fillna("").astype(str).str.strip()
    total = video.str.match(_TOTAL)
    no_amount = amounts.fillna("").astype(str).str.strip() == ""
    legend = ~total & ~video.str.match(_VIDEO_ID) & no_amount
    return total, legend


def _sums(chunks: Iterable[pd.DataFrame], facts: FileFacts) -> dict[str, object]:
    video, amount = facts.mapping["video"], facts.mapping["amount"]

    def not_lines(chunk: pd.DataFrame) -> pd.Series:
        total, legend = _kinds_of_rows(chunk[video], chunk[amount])
        return total | legend

    return {"sums": totals.file_sums(chunks, facts, not_lines)}


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    total, legend = _kinds_of_rows(data["video"], data["amount"])
    totals.check_total_rows(data[total], facts, label="video")
    data = data[~total & ~legend].copy()
    periods.stamp(data, periods.covered(facts, None))
    if "video_title" in data.columns:
        title = data["title"].str.strip() if "title" in data.columns else data["video_title"]
        data["title"] = title.where(title != "", data["video_title"].str.strip())
    data["store"] = STORE
    return data


LAYOUT = Layout(
    name="youtube_cms",
    source="YouTube",
    title="YouTube CMS (Content ID) video report (CSV)",
    signature=("Video ID", "Claim Type", "Asset ID"),
    columns={
        "video": "Video ID",
        "video_title": "Video Title",
        "title": "Asset Title",
        "artist": "Artist",
        "release": "Album",
        "isrc": "ISRC",
        "upc": "UPC",
        "quantity": "Total Views",
        "amount": ("Total Earnings", "Partner Revenue"),
    },
    prepare=_prepare,
    scan=_sums,
)
