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

import pandas as pd

from royalty.importers import periods
from royalty.importers.base import FileFacts, Layout
from royalty.importers.totals import TotalRows, agrees_exactly, cells

STORE = "YouTube Content ID"
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_TOTAL = re.compile(r"^(grand\s+)?totals?:?$", re.IGNORECASE)


def _is_total(data: pd.DataFrame) -> pd.Series:
    return data["video"].str.strip().str.match(_TOTAL)


def _is_legend(data: pd.DataFrame) -> pd.Series:
    """Rows of the legend below the data: no video ID, no amount, and no Total."""
    video = data["video"].str.strip()
    no_amount = data["amount"].str.strip() == ""
    return ~video.str.match(_TOTAL) & ~video.str.match(_VIDEO_ID) & no_amount


def _is_line(data: pd.DataFrame) -> pd.Series:
    return ~_is_legend(data)


TOTALS = TotalRows(
    find=_is_total,
    says=cells("amount", "quantity", name_in="video"),
    tolerance=agrees_exactly,
    lines=_is_line,
)


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = TOTALS.drop(data, facts)
    data = data[~_is_legend(data)].copy()  # counted as not a line
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
    scan=TOTALS.scan,
)
