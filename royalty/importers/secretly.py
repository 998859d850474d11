"""Secretly Distribution label statements: the digital and the physical CSV.

Both are invoice lines of Secretly's accounting. ``Label Net Total`` is the label's money
(``Total Gross Income`` less ``Distribution Fee Total``, and less ``MnD Fee Total`` on the
physical side), taken as US dollars: no column names a currency, and Secretly (in the US)
accounts to its labels in USD.
Dates are US style (``1/31/2020``).

**Digital.** ``invoice_description`` names the month of use (``2019.08 Streams``); the dates
are when the store paid (``datePaidlast``) and Secretly processed it (``dateProcessedlast``,
the month credited), months later. A row whose description names no month takes the
payment date. The store is ``Digital Service Provider_Subdescription`` (``Tidal``; the
``Customer`` is the company, ``TIDAL Music AS``); ``Title_Description`` is the release and
``Product Title`` the track, whose ISRC is the ``Product ID``. ``Transaction Type`` says
the kind of use in words (``Stream``, ``Download``).

**Physical.** Every row is a sale (or return) of records to the ``Customer``, often another
distributor's account (``Cargo Germ. Consignment Account``); the payment date is the only
month given. The same release may be written with several catalogue numbers and titles
(``TEST-01lp``, ``TEST01lp``); its UPC is what ties them.

Either may end in a total row of a person's spreadsheet: checked, not stored (``totals``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from royalty.importers.awal import kind_of  # the same words: Stream, Download
from royalty.importers.base import FileFacts, Layout
from royalty.importers.totals import SPREADSHEET_TOTALS
from royalty.vocabulary import KINDS

SOURCE = "Secretly Distribution"
_DESCRIBED_MONTH = r"^\s*(\d{4}[./-]\d{1,2})\b"


def _prepare_digital(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = SPREADSHEET_TOTALS.drop(data, facts)
    if "description" in data.columns:
        described = data["description"].str.extract(_DESCRIBED_MONTH, expand=False).fillna("")
        data["usage_month"] = described.where(described != "", data["usage_month"])
    if "customer" in data.columns:
        store = data["store"].str.strip()
        data["store"] = store.where(store != "", data["customer"])
    if "kind" in data.columns:
        codes, uniques = pd.factorize(data["kind"], sort=False)
        data["kind"] = np.array([kind_of(u) for u in uniques] or [""], dtype=object)[codes]
    return data


LAYOUT = Layout(
    name="secretly-digital",
    source=SOURCE,
    title="Secretly Distribution digital statement (CSV)",
    signature=(
        "Internal Invoice Number",
        "Digital Service Provider_Subdescription",
        "Label Net Total",
    ),
    columns={
        "usage_month": "datePaidlast",
        "reporting_month": "dateProcessedlast",
        "description": "invoice_description",
        "store": "Digital Service Provider_Subdescription",
        "customer": "Customer",
        "territory": "Country Code",
        "artist": "Artist",
        "release": "Title_Description",
        "title": "Product Title",
        "isrc": "Product ID",
        "upc": "UPC",
        "kind": "Transaction Type",
        "quantity": "Quantity",
        "amount": "Label Net Total",
        "label": "Internal Invoice Number",
    },
    currency="USD",
    decimal_comma=False,
    kinds={k: k for k in KINDS},
    prepare=_prepare_digital,
    scan=SPREADSHEET_TOTALS.scan,
)


def _prepare_physical(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = SPREADSHEET_TOTALS.drop(data, facts)
    data["kind"] = "physical"
    return data


PHYSICAL_LAYOUT = Layout(
    name="secretly-physical",
    source=SOURCE,
    title="Secretly Distribution physical statement (CSV)",
    signature=("Internal Invoice Number", "signedQuantity", "Label Net Total"),
    columns={
        "usage_month": "datePaidlast",
        "reporting_month": "dateProcessedlast",
        "store": "Customer",
        "territory": "Country Code",
        "artist": "Artist",
        "release": "Title_Description",
        "title": "Product Title",
        "upc": "UPC",
        "quantity": "signedQuantity",
        "amount": "Label Net Total",
        "label": "Internal Invoice Number",
    },
    currency="USD",
    decimal_comma=False,
    kinds={"physical": "physical"},
    prepare=_prepare_physical,
    scan=SPREADSHEET_TOTALS.scan,
)
