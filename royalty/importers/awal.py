"""AWAL / The Orchard statement: upper-case CSV columns, usually delivered inside a ZIP.

The ZIP (one or several monthly CSVs) is opened by the reader; each CSV is a table of this
layout. ``NET SHARE ACCOUNT CURRENCY`` is the artist's money in ``ACCOUNT CURRENCY``;
``TRANSACTION DATE`` (``2023-11-30``) is the month of use and ``STATEMENT PERIOD``
(``January 2024``) the month credited. The store was paid in ``SALE CURRENCY`` and the
statement converted at ``CURRENCY CONVERSION RATE`` (sale currency -> account currency).
There is no net amount in the sale currency, so only the rate and that currency are kept.

Lines are filed under ``PRODUCT ARTIST`` (the release's artist, the account holder), so a
track credited "X feat. Y" stays with X; ``TRACK ARTIST`` is used when the product names no
one artist (compilations). ``TRANSACTION TYPE`` says the kind of use in words (``Audio
Streams``, ``Video Streams``, ``UGC Revenue``, ``Downloads``); ``kind_of`` reduces it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from royalty.importers.base import FileFacts, Layout
from royalty.vocabulary import KINDS

_NO_ONE_ARTIST = {"", "various artists", "various", "va"}


def kind_of(type_text: str) -> str:
    """AWAL's ``TRANSACTION TYPE`` -> one of ``KINDS`` ("" lets the store decide)."""
    t = type_text.strip().lower()
    if "download" in t:
        return "download"
    if "physical" in t:
        return "physical"
    if any(word in t for word in ("ugc", "video", "creation", "content id")):
        return "video"
    if "stream" in t:
        return "stream"
    return ""


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    if "kind" in data.columns:
        codes, uniques = pd.factorize(data["kind"], sort=False)
        data["kind"] = np.array([kind_of(u) for u in uniques], dtype=object)[codes]
    if "track_artist" in data.columns:
        product_artist = (
            data["artist"].str.strip()
            if "artist" in data.columns
            else pd.Series("", index=data.index)
        )
        no_one = product_artist.str.lower().isin(_NO_ONE_ARTIST)
        data["artist"] = product_artist.where(~no_one, data["track_artist"].str.strip())
    return data


LAYOUT = Layout(
    name="awal",
    source="AWAL / The Orchard",
    title="AWAL / The Orchard statement (CSV, or CSVs in a ZIP)",
    signature=("STATEMENT PERIOD", "NET SHARE ACCOUNT CURRENCY", "SERVICE DETAIL"),
    columns={
        "usage_month": "TRANSACTION DATE",
        "reporting_month": "STATEMENT PERIOD",
        "store": "STORE",
        "territory": "SALE COUNTRY",
        "artist": "PRODUCT ARTIST",
        "track_artist": "TRACK ARTIST",
        "release": "PRODUCT",
        "title": "TRACK",
        "upc": ("DISPLAY UPC", "UPC"),
        "isrc": "ISRC",
        "kind": "TRANSACTION TYPE",
        "quantity": "QUANTITY",
        "amount": "NET SHARE ACCOUNT CURRENCY",
        "currency": "ACCOUNT CURRENCY",
        "source_currency": "SALE CURRENCY",
        "fx_rate": "CURRENCY CONVERSION RATE",
    },
    kinds={k: k for k in KINDS},
    prepare=_prepare,
)
