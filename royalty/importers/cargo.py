"""Cargo Records (UK): the digital royalty report (Curve's ``royalty_extended.csv``, alone or
in the statement ZIP) and the physical sales workbook.

**Digital.** One row per sale line. ``Reported Royalty`` is the label's money, after the deal
(``Contract deal term``, e.g. 85% of ``Sale net receipts``). It is in the account currency,
which no column names: ``Currency`` is the currency the store paid in, and ``Sale net receipts
calculation`` shows the conversion (``$0.002781019 × 100% of sale × 100% of asset × 0.7957 £/$
= £``): the symbol after ``=`` is the account's, ``Exchange Rate`` the rate from the sale
currency. So the currency comes from that formula; a row without one takes the currency the
person importing chose, else the import stops and asks. ``Sale Start date`` .. ``Sale End
date`` is the month of use; ``Statement Run Name`` (``2023Q1``, in the ZIP's longer header) the
quarter credited. Lines are filed under ``Product Artist`` (the release's artist, as the ZIP's
per-artist table groups them), ``Asset Artist`` when the product names no one artist. ``DSP``
names the service a store belongs to (``Douyin`` -> ``TikTok``), so it is the store; ``Sale
Store Name`` when it is empty.

The ZIP also holds per-artist, -country, -label, -product, -store and -asset tables and a
``statement.xlsx`` summary. They add the same lines up another way, so they are not lines:
their headers carry no ``Royalty ID``, and the reader notes them as skipped.

**Physical.** One sheet, a row per sale or cost: ``Net after fee`` is the label's money
(in the sheets seen, ``Gross value`` times ``Distribution fee``, the share the label keeps),
taken as pounds sterling: the sheet names no currency, and Cargo UK accounts to labels in
GBP (a person's ``--currency`` does not change that). ``Period`` (``2023_01``) is the month
of the sale, ``Sold To`` the shop or distributor that bought it. ``Sale / Cost`` says whether
a row is a sale (kind physical) or a cost charged to the label (kind other; its ``Artist /
Invoice Ref`` and ``Title / More info`` then hold an invoice reference and a note, not a
release).

Both may end in a total row of a person's spreadsheet: checked, not stored (``totals``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from royalty.errors import StatementError
from royalty.importers.awal import kind_of  # the same words: Streaming, Video Stream, Download
from royalty.importers.base import DROPPED, FileFacts, Layout
from royalty.importers.totals import SPREADSHEET_TOTALS
from royalty.vocabulary import KINDS

SOURCE = "Cargo Records"
_NO_ONE_ARTIST = {"", "various artists", "various", "va"}
_SYMBOLS = {"£": "GBP", "€": "EUR", "US$": "USD"}  # "$" alone names several currencies
_RESULT = re.compile(r"=\s*(\S+)\s*$")
_RUN = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\b", re.IGNORECASE)


def account_currency(formula: str) -> str:
    """``... 0.7957 £/$ = £`` -> ``GBP``; "" when the formula names no currency we can tell."""
    found = _RESULT.search(formula)
    if found is None:
        return ""
    symbol = found.group(1)
    if re.fullmatch(r"[A-Z]{3}", symbol):
        return symbol
    return _SYMBOLS.get(symbol, "")


def _mapped(values: pd.Series, fn: Callable[[str], str]) -> np.ndarray:
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    return np.array([fn(u) for u in uniques] or [""], dtype=object)[codes]


def _prepare_digital(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = SPREADSHEET_TOTALS.drop(data, facts)
    formula = data["formula"]
    currency = pd.Series(_mapped(formula, account_currency), index=data.index)
    unknown = (currency == "") & (data[DROPPED] == "")  # a total row has no calculation
    if bool(unknown.any()):
        chosen = (facts.options.currency or "").upper()
        if not chosen:
            at = int(np.argmax(unknown.to_numpy()))
            raise StatementError(
                facts.file,
                f"does not say the currency of this row's royalty (its calculation reads "
                f"{formula.iloc[at]!r}); choose one (for example --currency GBP)",
                row=int(data["row_number"].iloc[at]),
                column=facts.mapping["formula"],
            )
        currency = currency.where(~unknown, chosen)
    data["currency"] = currency
    if "kind" in data.columns:
        data["kind"] = _mapped(data["kind"], kind_of)
    if "reporting_month" in data.columns:
        data["reporting_month"] = data["reporting_month"].str.replace(_RUN, r"\2Q\1", regex=True)
    if "dsp" in data.columns:
        dsp = data["dsp"].str.strip()
        data["store"] = dsp.where(dsp != "", data["store"])
    if "version" in data.columns:
        version = data["version"].str.strip()
        data["title"] = data["title"].where(version == "", data["title"] + " (" + version + ")")
    if "track_artist" in data.columns:
        artist = data["artist"].str.strip() if "artist" in data.columns else data["track_artist"]
        no_one = artist.str.lower().isin(_NO_ONE_ARTIST)
        data["artist"] = artist.where(~no_one, data["track_artist"].str.strip())
    return data


LAYOUT = Layout(
    name="cargo",
    source=SOURCE,
    title="Cargo Records digital royalty report (royalty_extended CSV, or the statement ZIP)",
    signature=(
        "Royalty ID",
        "Sale net receipts calculation",
        "Reported Royalty",
        "Sale Store Name",
    ),
    columns={
        "usage_month": "Sale Start date",
        "usage_month_end": "Sale End date",
        "reporting_month": "Statement Run Name",
        "store": "Sale Store Name",
        "dsp": "DSP",
        "territory": "Territory",
        "artist": "Product Artist",
        "track_artist": "Asset Artist",
        "release": "Product Title",
        "title": "Asset Title",
        "version": "Asset Version",
        "isrc": "Asset ISRC",
        "upc": "Product UPC",
        "kind": "Sale Type",
        "quantity": "Quantity",
        "amount": "Reported Royalty",
        "formula": "Sale net receipts calculation",
        "source_currency": "Currency",
        "fx_rate": "Exchange Rate",
        "label": "Royalty ID",
    },
    decimal_comma=False,
    kinds={k: k for k in KINDS},
    prepare=_prepare_digital,
    scan=SPREADSHEET_TOTALS.scan,
)


def _prepare_physical(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = SPREADSHEET_TOTALS.drop(data, facts)
    data["usage_month"] = (
        data["usage_month"].str.strip().str.replace(r"^(\d{4})_(\d{1,2})$", r"\1-\2", regex=True)
    )
    cost = (
        data["sale_or_cost"].str.strip().str.lower() == "cost"
        if "sale_or_cost" in data.columns
        else pd.Series(False, index=data.index)
    )
    data["kind"] = np.where(cost.to_numpy(), "other", "physical")
    for fld in ("artist", "release"):
        if fld in data.columns:
            data[fld] = data[fld].where(~cost, "")
    return data


PHYSICAL_LAYOUT = Layout(
    name="cargo-physical",
    source=SOURCE,
    title="Cargo Records physical sales (XLSX)",
    signature=("Period", "Catalogue No.", "Sold To", "Net after fee"),
    columns={
        "usage_month": "Period",
        "store": "Sold To",
        "territory": "Country",
        "artist": "Artist / Invoice Ref",
        "release": "Title / More info",
        "upc": "UPC on report",
        "sale_or_cost": "Sale / Cost",
        "quantity": "Net Qty",
        "amount": "Net after fee",
        "label": "Catalogue No.",
    },
    currency="GBP",
    decimal_comma=False,
    kinds={"physical": "physical", "other": "other"},
    prepare=_prepare_physical,
    scan=SPREADSHEET_TOTALS.scan,
)
