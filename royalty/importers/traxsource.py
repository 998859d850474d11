"""Traxsource label statement (CSV): one month's download sales, with a summary block below.

``Amount Due`` is the label's money for the line: the price less Traxsource's transaction
share (``Trans %``), times the label's ``Percentage``, less the ``Mechanical Withholding`` on
sales outside the US. ``Qty`` is the units sold; every line is a download. ``Period``
(``Jul - 2017``) is the month the sales were made and the month the statement accounts for:
both ``usage_month`` and ``reporting_month``.

After the lines, in the first column, comes a block of ``Name: value`` rows (``Company:``,
``Period:``, ``Purchases:``, ``Label Net:``, ``Period Total:``, ...) and the note
``** All values are in US Dollars **``. None of it is a line: ``Period Total`` (rounded to
the cent) and ``Total Purchases`` are checked against the lines, and the note names the
currency (``totals``).

``Track Title`` is ``Whole Release`` (track number 0, no track artist) when the release was
bought as a whole: such a line belongs to the release, not to a track. A barcode now and then
sits in the ``ISRC`` column (twelve or thirteen digits, no country code); it is no ISRC, and
it is the release's UPC when that column is empty.
"""

from __future__ import annotations

import re

import pandas as pd

from royalty.errors import StatementError
from royalty.importers.base import FileFacts, Layout, name_mixes_and_artists
from royalty.importers.totals import (
    Said,
    TotalRows,
    agrees_as_printed,
    currency_named,
    fills_none,
)

STORE = "Traxsource"
KEYS = ("release", "title", "isrc", "territory", "quantity", "amount")
"""Fields every line fills and no row of the summary block does."""
_SUMMARY = re.compile(r"^\s*([^:]+?)\s*:\s*(.*?)\s*$")
_CURRENCY_NOTE = re.compile(r"all values are in\s+(.+?)[\s*]*$", re.IGNORECASE)
_BARCODE = re.compile(r"^\d{12,13}$")
_CHECKED = {"period total": "amount", "total purchases": "quantity"}


def _notes(summary: pd.DataFrame) -> dict[str, object]:
    """The currency the summary block's note names (``** All values are in US Dollars **``)."""
    for text in summary.get("label", pd.Series([], dtype=str)):
        if m := _CURRENCY_NOTE.search(text):
            return {"currency_said": m[1], "currency": currency_named(m[1])}
    return {}


def _says(row: pd.Series, facts: FileFacts) -> list[Said]:
    """``Period Total:`` (money) and ``Total Purchases:`` (units); the block's other rows
    restate them or name the statement."""
    m = _SUMMARY.match(str(row.get("label", "")))
    measure = _CHECKED.get(m[1].lower()) if m else None
    if m is None or measure is None:
        return []
    return [Said(measure, m[2], facts.mapping["label"], repr(m[1]))]


TOTALS = TotalRows(find=fills_none(*KEYS), says=_says, tolerance=agrees_as_printed, notes=_notes)


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    said = facts.scanned.get("currency_said")
    if said is not None and facts.scanned.get("currency") is None:
        raise StatementError(
            facts.file, f"says its values are in {said!r}, a currency this app does not know"
        )
    data = TOTALS.drop(data, facts)
    if facts.scanned.get("currency"):
        data["currency"] = facts.scanned["currency"]
    data["store"] = STORE
    data["kind"] = "download"
    data["usage_month"] = data["usage_month"].str.replace(r"\s*-\s*", " ", regex=True)
    data["reporting_month"] = data["usage_month"]
    whole = data["title"].str.strip().str.lower() == "whole release"
    data["title"] = data["title"].where(~whole, "")
    name_mixes_and_artists(data)
    barcode = data["isrc"].str.strip().str.match(_BARCODE)
    if "upc" in data.columns:
        no_upc = barcode & (data["upc"].str.strip() == "")
        data.loc[no_upc, "upc"] = data.loc[no_upc, "isrc"]
    data.loc[barcode, "isrc"] = ""
    return data


LAYOUT = Layout(
    name="traxsource",
    source="Traxsource",
    title="Traxsource label statement (CSV)",
    signature=("UPC - EAN", "Trans %", "Amount Due"),
    columns={
        "label": "Label",
        "usage_month": "Period",
        "upc": "UPC - EAN",
        "release_artist": "Release Artist",
        "release": "Release Title",
        "isrc": "ISRC",
        "artist": "Track Artist",
        "title": "Track Title",
        "mix": "Track Version",
        "territory": "Territory",
        "quantity": "Qty",
        "amount": "Amount Due",
    },
    currency="USD",
    kinds={"download": "download"},
    prepare=_prepare,
    scan=TOTALS.scan,
)
