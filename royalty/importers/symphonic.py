"""Symphonic Distribution earnings detail (CSV export).

``Royalty ($US)`` is the artist's or label's money for the line, in US dollars. ``Activity
Period`` (``June 2025``) is the month the music was played or bought and ``Reporting Period``
(``JUN-25``, month and two-digit year) the month Symphonic reported it; one report carries
several months of use (stores report late).

``Delivery`` says ``Streaming`` or ``Download``. A streaming line is a stream unless its store
puts music under videos (Facebook / Instagram, TikTok: ``base.streamed_kinds``) or its
``Content Type`` says ``User Generated Content`` (a YouTube Content ID claim is music under
someone's video too). ``Sale or Void`` ``Void`` rows take back money reported before: their
royalty is negative and ``Count`` may be 0 (Symphonic writes 1 where a store gives no count).
``Track Artists`` is the line's artist, else ``Release Artists``; ``Mix Version`` is kept in
the title (``Harbour Static (Kestrel Dub)``).
"""

from __future__ import annotations

import pandas as pd

from royalty.importers.base import FileFacts, Layout, name_mixes_and_artists, streamed_kinds
from royalty.vocabulary import KINDS


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    if "reporting_month" in data.columns:  # JUN-25 -> JUN 2025
        data["reporting_month"] = (
            data["reporting_month"]
            .str.strip()
            .str.replace(r"^([A-Za-z]{3,9})[-\s]+(\d{2})$", r"\1 20\2", regex=True)
        )
    delivery = data["kind"].str.strip().str.lower()
    kind = streamed_kinds(data["store"]).where(delivery != "download", "download")
    if "content_type" in data.columns:
        ugc = data["content_type"].str.contains("user generated", case=False, regex=False)
        kind = kind.where(~ugc | (delivery == "download"), "video")
    data["kind"] = kind
    name_mixes_and_artists(data)
    return data


LAYOUT = Layout(
    name="symphonic",
    source="Symphonic",
    title="Symphonic earnings detail (CSV)",
    signature=("Digital Service Provider", "Activity Period", "Sale or Void", "Royalty ($US)"),
    columns={
        "usage_month": "Activity Period",
        "reporting_month": "Reporting Period",
        "release": "Release Name",
        "release_artist": "Release Artists",
        "upc": "UPC Code",
        "title": "Track Title",
        "mix": "Mix Version",
        "isrc": "ISRC Code",
        "artist": "Track Artists",
        "store": "Digital Service Provider",
        "territory": "Territory",
        "kind": "Delivery",
        "content_type": "Content Type",
        "quantity": "Count",
        "amount": "Royalty ($US)",
    },
    currency="USD",
    kinds={k: k for k in KINDS},
    prepare=_prepare,
)
