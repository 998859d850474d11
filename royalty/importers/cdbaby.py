"""CD Baby digital accounting report (tab-separated ``.txt``).

Money is USD (the file never says so) and ``Subtotal`` is the artist's earning with up to ten
decimals, kept exactly. ``Sales Date`` (a month-end date) is the month of use and ``Report Date``
the month CD Baby credited it; both come as ``10/15/2023 12:00:00 AM`` or ``2023-10-15``.
``Barcode`` is quoted so spreadsheets keep its leading zeros. Some exports fill unknown codes with
``-----``, which means "none", not a code.
"""

from __future__ import annotations

import pandas as pd

from royalty.importers.base import FileFacts, Layout

_PLACEHOLDER = r"^\s*-+\s*$"


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    for fld in ("isrc", "upc", "territory"):
        if fld in data.columns:
            data[fld] = data[fld].str.replace(_PLACEHOLDER, "", regex=True)
    return data


LAYOUT = Layout(
    name="cdbaby",
    source="CD Baby",
    title="CD Baby digital accounting report (TXT)",
    signature=("Report Date", "Sales Date", "CDBabySku", "Partner Name", "Transaction Type"),
    columns={
        "usage_month": "Sales Date",
        "reporting_month": "Report Date",
        "store": "Partner Name",
        "artist": "Artist Name",
        "release": "Album Name",
        "title": "Track Name",
        "isrc": "Isrc",
        "upc": "Barcode",
        "territory": "Delivery Country",
        "kind": "Transaction Type",
        "quantity": "Quantity",
        "amount": "Subtotal",
    },
    currency="USD",
    kinds={
        "stream": "stream",
        "download": "download",
        "youtube audio tier": "stream",
        # Royalty rows are performance/rights income (SoundExchange and the like), not plays
        # a per-stream rate could be computed from.
        "royalty": "other",
    },
    prepare=_prepare,
)
