"""TuneCore sales report (CSV), 21 columns and the newer 24-column variant.

``Total Earned`` is the artist's money in the account currency (``Currency``); the store paid
``Net Sales`` in ``Net Sales Currency`` and TuneCore converted it at ``Exchange Rate`` (empty when
no conversion happened). ``Sales Period`` is the month of use, ``Posted Date`` the month credited.

TuneCore issues every recording an ISRC (``TC Song ID``, e.g. ``USTCZ0928423``) and every release
a UPC, unless the artist brought their own (``Optional ISRC`` / ``Optional UPC``), which is then
the code the stores report. The 24-column variant adds ``Commission``, ``Youtube Video ID`` and
``Youtube Policy Type``: a row naming a YouTube video is a Content ID claim on a video, whatever
``Sales Type`` says.
"""

from __future__ import annotations

import pandas as pd

from royalty.importers.base import FileFacts, Layout


def _own_code_first(data: pd.DataFrame, own: str, assigned: str) -> pd.Series:
    own_code = data[own].str.strip() if own in data.columns else pd.Series("", index=data.index)
    if assigned not in data.columns:
        return own_code
    return own_code.where(own_code != "", data[assigned].str.strip())


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data["isrc"] = _own_code_first(data, "isrc", "tunecore_isrc")
    data["upc"] = _own_code_first(data, "upc", "tunecore_upc")
    if "youtube_video_id" in data.columns:
        on_video = data["youtube_video_id"].str.strip() != ""
        data["kind"] = data["kind"].where(~on_video, "video")
    return data


LAYOUT = Layout(
    name="tunecore",
    source="TuneCore",
    title="TuneCore sales report (CSV)",
    signature=("TC Song ID", "Optional ISRC", "# Units Sold", "Total Earned"),
    columns={
        "usage_month": "Sales Period",
        "reporting_month": "Posted Date",
        "store": "Store Name",
        "territory": "Country Of Sale",
        "artist": "Artist",
        "release": "Release Title",
        "title": "Song Title",
        "upc": "Optional UPC",
        "tunecore_upc": "UPC",
        "isrc": "Optional ISRC",
        "tunecore_isrc": "TC Song ID",
        "kind": "Sales Type",
        "quantity": "# Units Sold",
        "amount": "Total Earned",
        "currency": "Currency",
        "source_amount": "Net Sales",
        "source_currency": "Net Sales Currency",
        "fx_rate": "Exchange Rate",
        "youtube_video_id": "Youtube Video ID",
    },
    kinds={"streaming": "stream", "stream": "stream", "download": "download", "video": "video"},
    prepare=_prepare,
)
