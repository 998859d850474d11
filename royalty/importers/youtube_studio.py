"""YouTube Studio's Content export (Analytics, Advanced mode, Content, Export): ``Table
data.csv``, usually inside a ZIP named ``Content 2026-09-12_2026-10-01 <Channel>``.

One row per video: ``Content`` is its ID (a leading space keeps IDs that start with ``-``
from reading as a formula), ``Video title`` its title, ``Views`` its plays. ``Estimated
revenue (USD)`` is the channel's money for the period, in the currency the header names. The
columns are the person's choice in Studio; an export without a revenue column carries no
money and is no statement.

The rows carry no date (``Video publish time`` is when the video went up, not when it
earned): the period is the one in the export's name, else the one the person importing
gives, and every line covers its first to last month. The channel in that name is the artist
of the lines, unless the person importing names another.

The row under the header is a ``Total`` for the whole table: checked against the video rows
to the last digit (``totals``), not stored. Studio exports only the rows it lists (about
500); for a channel with more videos the Total counts them all and the check stops the
import, rather than store part of the money as all of it. ``Chart data.csv`` in the same ZIP
(a ``Date`` column: the same videos day by day) is not this layout, so nothing counts twice.
"""

from __future__ import annotations

import re

import pandas as pd

from royalty.importers import periods
from royalty.importers.base import FileFacts, Layout
from royalty.importers.totals import TotalRows, agrees_exactly, cells
from royalty.months import parse_month

STORE = "YouTube"
_REVENUE = re.compile(r"^Estimated revenue \(([A-Z]{3})\)$", re.IGNORECASE)
_EXPORT = re.compile(r"^Content (\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})(?: (.+?))?(?:\.zip)?$")
_PARTS = re.compile(r" › |[/\\]")


def recognize(header: list[str]) -> dict[str, str] | None:
    """``Content``, ``Video title`` and one ``Estimated revenue (<currency>)``; a ``Date``
    column is the chart's day-by-day copy of the same money."""
    by_lower = {h.strip().lower(): h for h in header}
    if "content" not in by_lower or "video title" not in by_lower or "date" in by_lower:
        return None
    revenue = [h for h in header if _REVENUE.match(h.strip())]
    if len(revenue) != 1:
        return None
    mapping = {"video": by_lower["content"], "title": by_lower["video title"]}
    mapping["amount"] = revenue[0]
    if "views" in by_lower:
        mapping["quantity"] = by_lower["views"]
    return mapping


def export_name(file: str) -> tuple[tuple[int, int] | None, str | None]:
    """``…/Content 2026-09-12_2026-10-01 Marsh Lights.zip › Table data.csv`` ->
    ((202609, 202610), "Marsh Lights"); (None, None) for any other name."""
    for part in reversed(_PARTS.split(file)):
        if match := _EXPORT.match(part.strip()):
            first, last = parse_month(match[1]), parse_month(match[2])
            if first and last and first <= last:
                return (first, last), (match[3] or "").strip() or None
    return None, None


def _is_total(data: pd.DataFrame) -> pd.Series:
    return data["video"].str.strip().str.lower() == "total"


TOTALS = TotalRows(
    find=_is_total, says=cells("amount", "quantity", name_in="video"), tolerance=agrees_exactly
)


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = TOTALS.drop(data, facts)
    period, channel = export_name(facts.file)
    periods.stamp(data, periods.covered(facts, period))
    match = _REVENUE.match(facts.mapping["amount"].strip())
    assert match is not None
    data["currency"] = match[1].upper()
    data["store"] = STORE
    data["kind"] = "video"
    if channel:
        data["artist"] = channel
    return data


LAYOUT = Layout(
    name="youtube_studio",
    source="YouTube",
    title="YouTube Studio content export (Table data.csv)",
    signature=(),
    columns={"video": "Content", "title": "Video title", "amount": "Estimated revenue (USD)"},
    kinds={"video": "video"},
    recognize=recognize,
    prepare=_prepare,
    scan=TOTALS.scan,
)
