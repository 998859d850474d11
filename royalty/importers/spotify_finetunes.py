"""Spotify's DSP sales report as Finetunes delivers it (tab-separated, one month).

A metadata block of two rows, names over values (``Format version``, ``Start date``, ``End
date``, ``Sender``, ``Recipient``, ``Disclaimer`` over ``2``, ``2017-10-01``,
``2017-10-31``, ``Spotify``, ``Finetunes``, ``Confidential``), sits above the header. The
rows carry no date: ``Start date``..``End date`` is the month of use of every row, read from
that block (``FileFacts.preamble``), else the period the person importing gives; nothing says
when it was paid.

``USD Payable`` is the label's money for the row, in the currency its header names, written
with up to 33 decimals (``0.000004728602417533660881608229722``). Every digit is stored as
written; sums over many lines (the pages) count each line rounded to 9 decimals, and the
import says so when that differs from the exact total. ``Product`` is Spotify's code for
the product the plays came through (``P``, ``A``, ``FAM6``, ``PDS``, partner bundles such as
``SYBSMB349``; Finetunes gives no list of them): every row is a stream. ``UPC`` holds the
release's EAN-13; ``EAN`` fills in when it is empty. ``Composer name`` (often ``N/A``),
``Label`` and ``URI`` are not read.
"""

from __future__ import annotations

import re

import pandas as pd

from royalty.importers import periods
from royalty.importers.base import FileFacts, Layout, preamble_values
from royalty.months import parse_month

STORE = "Spotify"
_PAYABLE = re.compile(r"^([A-Z]{3}) Payable$")
COLUMNS = {
    "territory": "Country",
    "upc": "UPC",
    "ean": "EAN",
    "isrc": "ISRC",
    "title": "Track name",
    "artist": "Artist name",
    "release": "Album name",
    "quantity": "Quantity",
}
_NEEDED = ("URI", "Track name", "Artist name", "Album name", "Quantity")


def recognize(header: list[str]) -> dict[str, str] | None:
    """The Finetunes columns and one ``<currency> Payable`` money column."""
    by_lower = {h.strip().lower(): h for h in header}
    if not all(n.lower() in by_lower for n in _NEEDED):
        return None
    payable = [h for h in header if _PAYABLE.match(h.strip())]
    if len(payable) != 1:
        return None
    mapping = {f: by_lower[c.lower()] for f, c in COLUMNS.items() if c.lower() in by_lower}
    mapping["amount"] = payable[0]
    return mapping


def _stated_period(said: dict[str, str]) -> tuple[int, int] | None:
    first, last = parse_month(said.get("start date", "")), parse_month(said.get("end date", ""))
    return (first, last) if first and last and first <= last else None


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    said = preamble_values(facts.preamble)
    periods.stamp(data, periods.covered(facts, _stated_period(said)))
    match = _PAYABLE.match(facts.mapping["amount"].strip())
    assert match is not None
    data["currency"] = match[1]
    data["store"] = said.get("sender", "").strip() or STORE
    data["kind"] = "stream"
    if "ean" in data.columns:
        upc = data["upc"].str.strip() if "upc" in data.columns else data["ean"]
        data["upc"] = upc.where(upc != "", data["ean"].str.strip())
    return data


LAYOUT = Layout(
    name="spotify_finetunes",
    source="Finetunes",
    title="Spotify DSP sales report via Finetunes (tab-separated)",
    signature=(),
    columns={**COLUMNS, "amount": "USD Payable"},
    kinds={"stream": "stream"},
    recognize=recognize,
    prepare=_prepare,
)
