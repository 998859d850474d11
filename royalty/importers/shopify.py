"""Shopify sales export (Analytics -> Reports -> Sales, CSV): a band's or label's own shop.

One row per order line (``Transaction type``: ``product``, ``shipping``, ...; ``Sale type``:
``order`` or ``return``). ``Net sales`` is the shop's income from the line: ``Gross sales``
less ``Discounts`` and ``Returns``; shipping and taxes are passed on, not earned, so they are
not read (``Total sales`` adds them back). Shipping rows carry no net sales and are left out;
one that did would be kept, as kind ``other``, so no money is lost. Product lines are merch
(records, shirts): kind ``physical``; anything else sold (gift cards, tips) is ``other``.

The export names no currency (the shop's own, set in its admin): the person importing says
which (``--currency``), or the import stops and asks. ``Date`` is the order's local time
(``2019-01-01T10:42:15-08:00``), whose month is the month of the sale. The store is the shop,
``Shopify``. ``Product`` is what was sold (blank in some exports, then ``Variant SKU``); the
goods went to ``Shipping country`` (``Billing country`` when nothing was shipped). ``Product
vendor`` is whatever the shop typed, not reliably an artist, so lines go to the artist the
person importing names (``--artist``), else to an unknown artist.

A total row of a person's spreadsheet is checked, not stored (``totals``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from royalty.importers.base import FileFacts, Layout
from royalty.importers.totals import SPREADSHEET_TOTALS

STORE = "Shopify"


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = SPREADSHEET_TOTALS.drop(data, facts)
    line = data["kind"].str.strip().str.lower()
    amount = data["amount"].str.strip()
    nothing_earned = amount.str.fullmatch(r"-?0*(\.0*)?") & (amount != "")
    data = data[~((line == "shipping") & nothing_earned)].copy()
    line = line[data.index]
    data["kind"] = np.where((line == "product").to_numpy(), "physical", "other")
    data["store"] = STORE
    if "sku" in data.columns:
        release = data["release"].str.strip() if "release" in data.columns else data["sku"]
        data["release"] = release.where(release != "", data["sku"].str.strip())
    if "billing_country" in data.columns:
        shipped = data.get("territory", pd.Series("", index=data.index)).str.strip()
        data["territory"] = shipped.where(shipped != "", data["billing_country"])
    return data


LAYOUT = Layout(
    name="shopify",
    source="Shopify",
    title="Shopify sales export (CSV)",
    signature=("Order ID", "Sale ID", "Transaction type", "Net sales", "Total sales"),
    columns={
        "usage_month": "Date",
        "kind": "Transaction type",
        "release": "Product",
        "sku": "Variant SKU",
        "territory": "Shipping country",
        "billing_country": "Billing country",
        "quantity": "Net quantity",
        "amount": "Net sales",
        "label": "Order ID",
    },
    decimal_comma=False,
    kinds={"physical": "physical", "other": "other"},
    prepare=_prepare,
    scan=SPREADSHEET_TOTALS.scan,
)
