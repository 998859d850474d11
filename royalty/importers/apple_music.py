"""Apple Music streaming report ("S1", tab-separated), one per storefront and fiscal month.

Four rows of a name and a value open the file (``Start Date``, ``End Date``, ``Report Type``
``Apple Music``, ``Currency`` ``AUD``) above the header. ``Net Royalty Total`` is the label's
money for the row (``Quantity`` plays times the per-play ``Net Royalty``) in that currency;
amounts are written without a leading zero (``.021330``). ``Storefront Name`` is the country
(``AU``). ``Membership Type`` names the subscription the plays came from (``Indirect
Individual Monthly EXTENDED TRIAL``); with ``Offline Indicator`` (``0``/``1``) and the
numeric ``Item Type`` and ``Media Type`` it does not change what a row is: every row is a
stream.

The rows carry no date: the preamble's ``Start Date``..``End Date`` is one Apple fiscal
month, the month of use of every row (``apple_itunes.fiscal_month``); nothing says when it
was paid. The preamble reaches the layout as ``FileFacts.preamble``; when it is not given,
the period and currency the person importing chose are used, and without them the import
asks for them rather than guess.
"""

from __future__ import annotations

import pandas as pd

from royalty.errors import StatementError
from royalty.importers import periods
from royalty.importers.apple_itunes import fiscal_month
from royalty.importers.base import FileFacts, Layout, preamble_values
from royalty.months import parse_month

STORE = "Apple Music"


def _stated_period(said: dict[str, str], facts: FileFacts) -> tuple[int, int] | None:
    start, end = said.get("start date", ""), said.get("end date", "")
    if not start and not end:
        return None
    month = fiscal_month(start, end)
    if month is None:
        raise StatementError(
            facts.file,
            f"says its period is {start!r} to {end!r}, which are not two dates written "
            "MM/DD/YYYY, first date first",
        )
    first = parse_month(month)
    assert first is not None
    return first, first


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    said = preamble_values(facts.preamble)
    periods.stamp(data, periods.covered(facts, _stated_period(said, facts)))
    if currency := said.get("currency", "").strip():
        data["currency"] = currency
    data["store"] = said.get("report type", "").strip() or STORE
    data["kind"] = "stream"
    return data


LAYOUT = Layout(
    name="apple_music",
    source="Apple",
    title="Apple Music streaming report (S1, tab-separated)",
    signature=("Storefront Name", "Membership Type", "Net Royalty Total", "Apple Identifier"),
    columns={
        "territory": "Storefront Name",
        "isrc": "ISRC",
        "title": "Item_Title",
        "artist": "Item_Artist",
        "quantity": "Quantity",
        "amount": "Net Royalty Total",
    },
    kinds={"stream": "stream"},
    prepare=_prepare,
)
