"""Believe (Backstage) sales report: semicolon-separated CSV, fields double-quoted.

``Net Revenue`` is the artist's money in ``Client Payment Currency`` (per row), after
``Client share rate`` was applied to ``Gross Revenue``. ``Sales Month`` is the month of use,
``Reporting month`` the month Believe credited it.

Numbers follow the exporting account's locale, so one file writes ``0.0055218`` and another
``0,0055218`` with ``1.234,56`` for thousands; the shared normalizer decides per file from the
amounts. Quantities follow the same locale: in a decimal-comma file ``12.480`` is twelve
thousand four hundred and eighty plays, not twelve, so ``prepare`` removes those separators
before the shared whole-number parser sees them. Dates written with slashes are day first
(``01/03/2024`` is March); ISO-style ``2024/03/01`` is read as written.

``Sales Type`` says the kind of use: ``Stream``, ``Download``, and ``Creation`` for music used
in user-generated videos (TikTok, Instagram, YouTube UGC), which counts as video.
"""

from __future__ import annotations

import pandas as pd

from royalty.importers.base import ImportOptions, Layout
from royalty.money import guess_decimal_comma

_GROUPED_WHOLE = r"^\s*-?\d{1,3}(?:[.\s\u00a0\u202f]\d{3})+(?:,0+)?\s*$"
_WHOLE_WITH_COMMA_ZERO = r"^\s*-?\d+,0+\s*$"


def ungroup_quantities(quantity: pd.Series) -> pd.Series:
    """Counts written in a decimal-comma locale (``12.480``, ``1 204``, ``3,0``) -> plain digits.

    Only whole numbers with thousands groups are touched; anything else is left for the
    shared parser to accept or report.
    """
    grouped = quantity.str.match(_GROUPED_WHOLE) | quantity.str.match(_WHOLE_WITH_COMMA_ZERO)
    plain = quantity.str.replace(r",0+\s*$", "", regex=True).str.replace(
        r"[.\s\u00a0\u202f]", "", regex=True
    )
    return quantity.where(~grouped, plain)


def _prepare(data: pd.DataFrame, options: ImportOptions, file: str) -> pd.DataFrame:
    if not {"quantity", "amount"} <= set(data.columns):
        return data
    if guess_decimal_comma(data["amount"]):
        data["quantity"] = ungroup_quantities(data["quantity"])
    return data


LAYOUT = Layout(
    name="believe",
    source="Believe",
    title="Believe sales report (semicolon CSV)",
    signature=("Release Catalog nb", "Client Payment Currency", "Net Revenue", "Sales Month"),
    columns={
        "usage_month": "Sales Month",
        "reporting_month": "Reporting month",
        "store": "Platform",
        "territory": "Country / Region",
        "artist": "Artist Name",
        "release": "Release title",
        "title": "Track title",
        "upc": "UPC",
        "isrc": "ISRC",
        "kind": "Sales Type",
        "quantity": "Quantity",
        "currency": "Client Payment Currency",
        "amount": "Net Revenue",
    },
    day_first=True,
    kinds={
        "stream": "stream",
        "streams": "stream",
        "streaming": "stream",
        "creation": "video",
        "ugc": "video",
        "video": "video",
        "download": "download",
        "downloads": "download",
        "physical": "physical",
    },
    prepare=_prepare,
)
