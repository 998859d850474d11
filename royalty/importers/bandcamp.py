"""Bandcamp sales report ("raw data report", CSV, usually UTF-16 with a BOM).

Headers are lower-case and the column set depends on the options chosen when downloading, so
every column is found by name. ``net amount`` is what the artist keeps (after fees and
Bandcamp's share) in the row's own ``currency``. Refunds and reversals keep their negative
amounts so sales are counted net. ``payout`` rows move money already counted to the artist's
bank; they are not income and are dropped (as transfers) before anything is summed. A refund
row whose amount cells are blank (one part of a refunded order) moved no money: it is a line of
0, not an error.

The report also carries buyer names, e-mails and addresses; none of those columns is mapped, so
no buyer's personal data is ever stored.
"""

from __future__ import annotations

import pandas as pd

from royalty.importers.base import FileFacts, Layout, drop_rows

STORE = "Bandcamp"
TRANSFERS = {"payout"}
REVERSALS = {"refund", "reversal"}
# A refund's note names what was refunded ("REFUND 1 ALBUM DIGI", "REFUND 1 CASSETTE").
_PHYSICAL = r"(?i)cassette|tape|vinyl|\blp\b|\b7\"|compact disc|\bcd\b|shirt|poster|merch|\bbox\b"


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    item = data["kind"].str.strip().str.lower()
    data = drop_rows(data, item.isin(TRANSFERS), "transfer")
    data["store"] = STORE
    isrc = data["isrc"].str.strip() if "isrc" in data.columns else pd.Series("", index=data.index)
    reversed_sale = item.isin(REVERSALS)
    # a refund of one part of an order can come with its amount cells blank: no money moved
    data.loc[reversed_sale & (data["amount"].str.strip() == ""), "amount"] = "0"
    if "package" in data.columns:
        physical = reversed_sale & data["package"].str.contains(_PHYSICAL, regex=True)
        data.loc[physical, "kind"] = "package"
    # ``item name`` is a track for track sales, else the album, bundle or package sold.
    is_track = (item == "track") | (reversed_sale & (isrc != ""))
    data["release"] = data["title"].where(~is_track, "")
    data["title"] = data["title"].where(is_track, "")
    return data


LAYOUT = Layout(
    name="bandcamp",
    source="Bandcamp",
    title="Bandcamp sales report (raw data CSV)",
    signature=("bandcamp transaction id", "item type", "net amount"),
    columns={
        "usage_month": "date",
        "reporting_month": "date",
        "kind": "item type",
        "title": "item name",
        "artist": "artist",
        "currency": "currency",
        "quantity": "quantity",
        "amount": "net amount",
        "isrc": "isrc",
        "upc": "upc",
        "territory": "country code",
        "package": "package",
    },
    kinds={
        "album": "download",
        "track": "download",
        "bundle": "download",
        "package": "physical",
        "refund": "download",
        "reversal": "download",
        "adjustment": "other",
    },
    prepare=_prepare,
)
