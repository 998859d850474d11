"""Apple iTunes Store financial report (tab-separated ``.txt``, one per region and month).

``Extended Partner Share`` is the label's money for the row (``Quantity`` times the per-unit
``Partner Share``) in ``Partner Share Currency``, the region's currency whatever country
bought (a New Zealand sale in the Australian report is paid in AUD). ``Customer Price`` and
``Customer Currency`` are what the buyer paid, tax and Apple's share included: not the
label's money, not read. Returns (``Sales or Return`` ``R``) carry negative quantities and
amounts and are kept, so sales count net. Complete My Album shows as an album sale with
the promo code ``CMA`` and returns coded ``CMA-C``, the credit for tracks the buyer had
already bought; both count as written.

``Start Date`` and ``End Date`` bound one Apple fiscal month (``11/05/2017``..``12/02/2017``
is November 2017): four or five weeks from a Sunday that may fall in the month before. The
month of use is the calendar month the period's middle day falls in, for every row; the
report gives no month of payment.

A row with a ``UPC`` and no ``ISRC/ISBN`` sold a whole album, whose name is then ``Title``;
a row with an ISRC sold a track. Everything in this report is a download.

The report may end with summary rows, ``Total_Rows``, ``Total_Amount`` and ``Total_Units``
with their value in the next cell (older reports: ``Total_Amount:123.45`` in one cell). They
are no sales: each is checked against the lines to the last digit (``totals``), then dropped.
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from royalty.importers.base import FileFacts, Layout
from royalty.importers.totals import Said, TotalRows, agrees_exactly

STORE = "iTunes"
_SUMMARY = re.compile(r"^\s*Total_(Rows|Amount|Units)\b\s*:?\s*(.*)$", re.IGNORECASE)
_MEASURES = {"rows": "rows", "amount": "amount", "units": "quantity"}


def fiscal_month(start: str, end: str) -> str | None:
    """``11/05/2017``, ``12/02/2017`` -> ``2017-11``: the month holding the period's middle
    day, which is the fiscal month Apple names (None when the dates are not ``MM/DD/YYYY``)."""
    try:
        first = datetime.strptime(start.strip(), "%m/%d/%Y")
        last = datetime.strptime(end.strip(), "%m/%d/%Y")
    except ValueError:
        return None
    if last < first:
        return None
    middle = first + (last - first) / 2
    return f"{middle.year:04d}-{middle.month:02d}"


def _is_summary(data: pd.DataFrame) -> pd.Series:
    return data["usage_month"].str.match(_SUMMARY)


def _says(row: pd.Series, facts: FileFacts) -> list[Said]:
    """``Total_Amount`` and its value in the next cell, or after a colon in the same one."""
    match = _SUMMARY.match(row["usage_month"])
    assert match is not None
    inline = match[2].strip()
    said = inline or str(row.get("usage_month_end", ""))
    column = facts.mapping["usage_month" if inline else "usage_month_end"]
    return [Said(_MEASURES[match[1].lower()], said, column, f"'Total_{match[1]}'")]


TOTALS = TotalRows(find=_is_summary, says=_says, tolerance=agrees_exactly)


def _months(start: pd.Series, end: pd.Series) -> pd.Series:
    """Each row's fiscal month; a row whose dates are not Apple's keeps its ``Start Date``
    text, so the error names that cell."""
    pairs = pd.DataFrame({"start": start, "end": end})
    codes, uniques = pd.factorize(pairs["start"] + "\t" + pairs["end"], sort=False)
    months = []
    for pair in uniques:
        first, last = pair.split("\t")
        months.append(fiscal_month(first, last) or first)
    return pd.Series(pd.array(months, dtype="str").take(codes), index=start.index)


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = TOTALS.drop(data, facts)
    end = data["usage_month_end"] if "usage_month_end" in data.columns else data["usage_month"]
    data["usage_month"] = _months(data["usage_month"], end)
    data["usage_month_end"] = data["usage_month"]
    data["store"] = STORE
    if "title" in data.columns:
        album = (_cells(data, "isrc") == "") & (_cells(data, "upc") != "")
        data["release"] = data["title"].where(album, "")
        data["title"] = data["title"].where(~album, "")
    return data


def _cells(data: pd.DataFrame, name: str) -> pd.Series:
    return data[name].str.strip() if name in data.columns else pd.Series("", index=data.index)


LAYOUT = Layout(
    name="apple_itunes",
    source="Apple",
    title="Apple iTunes Store financial report (tab-separated)",
    signature=(
        "Vendor Identifier",
        "Extended Partner Share",
        "Partner Share Currency",
        "Apple Identifier",
    ),
    columns={
        "usage_month": "Start Date",
        "usage_month_end": "End Date",
        "upc": "UPC",
        "isrc": "ISRC/ISBN",
        "quantity": "Quantity",
        "amount": "Extended Partner Share",
        "currency": "Partner Share Currency",
        "artist": "Artist/Show/Developer/Author",
        "title": "Title",
        "territory": "Country Of Sale",
    },
    prepare=_prepare,
    scan=TOTALS.scan,
)
