"""PRS for Music statement as a table (CSV): the UK society's performance royalties.

PRS sends its statements as PDF; the tables people import are exports or conversions of them,
in two shapes. The short one (``Record Number``, ``CAE Number``, ``Work Title``, ``Amount
(performance revenue)``, ``IP1``) has no date at all, so the person importing gives the
period. The converter's full one adds ``Perf Start Date`` and ``Perf End Date`` (the usage
months, day first as in the UK), ``Distribution (posted)`` (when PRS paid: the usage period
itself when a row has no performance dates), ``Usage Narrative`` (where the work was played,
the line's ``store``; PRS for Music when empty), ``Number of Perfs`` and ``Member Name``.

``Amount (performance revenue)`` is the member's money in GBP (PRS pays in pounds and the
files name no currency), and it is performance income by its own name: every line is a
``performance``, never a stream, whatever service the narrative names. Lines are filed under
``Member Name``, else ``IP1`` (the first interested party, the writer). ``ISWC`` holds PRS's
own work number in these conversions: only a cell that is an ISWC (``T-034.524.680-1``) is kept,
as the work's; the member's ``CAE Number`` is not stored.

A ``Total`` row (the PDF's total under the works) is checked against the lines, not stored
(``publishing.total_rows``); PRS's per-block ``Sub Total`` rows are refused there, naming the
first.
"""

from __future__ import annotations

import pandas as pd

from royalty.importers import publishing
from royalty.importers.base import FileFacts, Layout

SOCIETY = "PRS for Music"

SIGNATURE = ("CAE Number", "Work Title", "Amount (performance revenue)")
COLUMNS: dict[str, str | tuple[str, ...]] = {
    "record": "Record Number",
    "member_cae": "CAE Number",
    "work_number": "ISWC",
    "title": "Work Title",
    "artist": ("Member Name", "IP1"),
    "store": "Usage Narrative",
    "usage_month": "Perf Start Date",
    "usage_month_end": "Perf End Date",
    "reporting_month": "Distribution (posted)",
    "quantity": "Number of Perfs",
    "amount": "Amount (performance revenue)",
}
KEYS = ("member_cae", "work_number", "artist")
"""Fields a work's line fills and the PDF's Total row does not (a work called "Total" has
the member's CAE number)."""
TOTALS = publishing.total_rows(KEYS)


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = publishing.checked_totals(data, facts, TOTALS)
    start, end = publishing.text(data, "usage_month"), publishing.text(data, "usage_month_end")
    paid = publishing.text(data, "reporting_month")
    publishing.usage_period(data, facts, start.where(start != "", paid), end.where(start != "", ""))
    data["kind"] = "performance"
    data["iswc"] = publishing.text(data, "work_number")  # the normalizer keeps only ISWCs
    return publishing.fill_store(data, SOCIETY)


LAYOUT = Layout(
    name="prs",
    source=SOCIETY,
    title="PRS for Music statement (CSV)",
    signature=SIGNATURE,
    columns=COLUMNS,
    currency="GBP",
    day_first=True,
    kinds=publishing.KINDS,
    fills=("usage_month", "store"),
    prepare=_prepare,
    scan=TOTALS.scan,
)
