"""Labelworx label statement: its XLSX, or that workbook saved as CSV.

``Royalty`` is the label's money for the line: ``Value`` (what the store paid Labelworx) times
the label's ``Deal`` share. The columns name no currency; the statement's footer does. Below
the lines come the sum of ``Royalty`` (as the spreadsheet adds it, in binary floating point:
``18.374492945750024``), a row naming the statement's currency with the same sum rounded
(``GBP``, ``18.37449295``) and a conversion into another currency (``Euro``, ``21.49``,
``Exchange rate 31.03.2024``). None of them is a line: the sums are checked against the lines
(``totals``), the currency row names the lines' currency, and the conversion is left out, for
it gives no rate to check it by. Without such a row the currency must be chosen on import.

The statement gives no month at all: it covers a quarter, named only in its file name
(``Kelp Forest Records Q1 2024.xlsx``). That quarter is the statement's, not when the
stores sold: the lines get it as ``usage_month`` to ``usage_month_end``, like a summary over
a period, and no ``reporting_month``. A file whose name names no one quarter needs the period
chosen on import (``ImportOptions.period``); nothing is guessed.

``Format`` says ``Stream`` or ``Digital Downloads``: a stream line is one unless its store
puts music under videos (Facebook, Instagram, TikTok: ``base.streamed_kinds``). ``Track
Artist`` is the line's artist, else ``Release Artist`` (a line for a whole release names no
track); ``Mix Name`` is kept in the title (``Brine Lights (Original Mix)``).
"""

from __future__ import annotations

import re
from pathlib import PurePath

import pandas as pd

from royalty.errors import StatementError
from royalty.importers.base import FileFacts, Layout, name_mixes_and_artists, streamed_kinds
from royalty.importers.totals import (
    Said,
    TotalRows,
    agrees_as_printed,
    currency_named,
    fills_none,
)
from royalty.months import month_text
from royalty.vocabulary import KINDS

KEYS = ("release", "title", "store", "upc")
"""Fields every line fills (a whole release's line has no title) and no footer row does."""
_QUARTER = re.compile(
    r"(?<![A-Za-z0-9])(?:Q([1-4])[\s_.-]*((?:19|20)\d{2})|((?:19|20)\d{2})[\s_.-]*Q([1-4]))"
    r"(?![0-9])",
    re.IGNORECASE,
)


def quarter_in(name: str) -> tuple[int, int] | None:
    """``Label Q1 2023.xlsx`` or ``label_2023-Q1.csv`` -> (202301, 202303); None unless the
    file's name names exactly one quarter."""
    base = PurePath(name.replace("\\", "/").split(" › ")[-1]).name
    found = {(int(m[2] or m[3]), int(m[1] or m[4])) for m in _QUARTER.finditer(base)}
    if len(found) != 1:
        return None
    year, quarter = found.pop()
    first = year * 100 + (quarter - 1) * 3 + 1
    return first, first + 2


def _notes(summary: pd.DataFrame) -> dict[str, object]:
    """The statement's currency: the first footer row that names one."""
    for text in summary.get("deal", pd.Series([], dtype=str)):
        code = currency_named(text)
        if code:
            return {"currency": code}
    return {}


def _says(row: pd.Series, facts: FileFacts) -> list[Said]:
    """A footer row's sum, unless it is a conversion into another currency than the
    statement's (no rate is given to check it by)."""
    if not row["amount"].strip():
        return []
    label = str(row.get("deal", "")).strip()
    said, currency = currency_named(label), facts.scanned.get("currency")
    if said is not None and currency is not None and said != currency:
        return []
    name = f"{label!r} sum" if label else "sum"
    return [Said("amount", row["amount"], facts.mapping["amount"], name)]


TOTALS = TotalRows(find=fills_none(*KEYS), says=_says, tolerance=agrees_as_printed, notes=_notes)


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    period = quarter_in(facts.file) or facts.options.period
    if period is None:
        raise StatementError(
            facts.file,
            "is a Labelworx statement, which gives no month: its quarter is read from the file "
            "name (such as 'Q1 2023'), and this name does not say it. Give the period, e.g. "
            "--period 2023-01..2023-03 on the command line or the Period field in the app",
        )
    data = TOTALS.drop(data, facts)
    data["usage_month"] = month_text(period[0])
    data["usage_month_end"] = month_text(period[1])
    if facts.scanned.get("currency"):
        data["currency"] = facts.scanned["currency"]
    fmt = data["kind"].str.strip().str.lower()
    data["kind"] = streamed_kinds(data["store"]).where(~fmt.str.contains("download"), "download")
    name_mixes_and_artists(data)
    return data


SIGNATURE = ("Label Name", "Release Artist", "Mix Name", "Deal", "Royalty", "Store Name")
COLUMNS = {
    "release_artist": "Release Artist",
    "release": "Release Name",
    "artist": "Track Artist",
    "title": "Track Title",
    "mix": "Mix Name",
    "kind": "Format",
    "quantity": "Qty",
    "deal": "Deal",
    "amount": "Royalty",
    "isrc": "ISRC",
    "upc": "EAN",
    "store": "Store Name",
}


def recognize(header: list[str]) -> dict[str, str] | None:
    """The signature's columns, found in any case; no month column is required, since the
    statement has none (``_prepare`` gives the quarter)."""
    cells = {h.lower(): h for h in header}
    if not all(s.lower() in cells for s in SIGNATURE):
        return None
    return {fld: cells[name.lower()] for fld, name in COLUMNS.items() if name.lower() in cells}


LAYOUT = Layout(
    name="labelworx",
    source="Labelworx",
    title="Labelworx label statement (XLSX, or CSV saved from it)",
    signature=SIGNATURE,
    columns=COLUMNS,
    kinds={k: k for k in KINDS},
    prepare=_prepare,
    recognize=recognize,
    scan=TOTALS.scan,
)
