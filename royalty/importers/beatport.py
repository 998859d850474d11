"""Beatport label statement (CSV): one row per purchase, upper-case columns.

``NET_TOTAL`` is the label's money for the purchase, in US dollars (Beatport accounts to
labels in USD; the file has no currency column): ``NET_CONTENT_REVENUE`` plus
``NET_WAV_REVENUE`` (the lossless upgrade) less ``WITHHELD_AMOUNT`` (the mechanical
withholding on sales outside the US). ``TRANSACTION_DATE`` is the day of the purchase, so the
month of use; the file names no statement period (only its file name says the quarter), so
``reporting_month`` stays empty.

Each row is one purchase, and ``TRACK_COUNT`` is the number of tracks in what was bought, not
a number of units: a line is one unit, and a ``Void`` row (``SALE_TYPE``, negative amounts)
takes one back. ``CONTENT_TYPE`` ``release`` rows are whole releases: no track title or ISRC,
the release's UPC. ``REMIX`` (``Original Mix``, ``Club Mix``) tells recordings of one title
apart and is kept in the title, as Beatport shows it: ``Copper Tones (Tollan Vey Remix)``.
"""

from __future__ import annotations

import pandas as pd

from royalty.importers.base import FileFacts, Layout, name_mixes_and_artists

STORE = "Beatport"


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data["store"] = STORE
    void = data["sale_type"].str.strip().str.lower() == "void"
    data["quantity"] = pd.Series("1", index=data.index).where(~void, "-1")
    name_mixes_and_artists(data)
    return data


LAYOUT = Layout(
    name="beatport",
    source="Beatport",
    title="Beatport label statement (CSV)",
    signature=("TRACK_ISRC_CODE", "PURCHASE_STATUS", "NET_TOTAL", "SALE_TYPE"),
    columns={
        "usage_month": "TRANSACTION_DATE",
        "upc": "PRODUCT_UPC",
        "isrc": "TRACK_ISRC_CODE",
        "release": "RELEASE",
        "title": "TRACK_TITLE",
        "mix": "REMIX",
        "artist": "TRACK_ARTIST",
        "territory": "TERRITORY",
        "kind": "DELIVERY",
        "sale_type": "SALE_TYPE",
        "amount": "NET_TOTAL",
    },
    currency="USD",
    kinds={"download": "download", "stream": "stream", "streaming": "stream"},
    prepare=_prepare,
)
