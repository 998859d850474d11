"""What songwriting (publishing) statements share: the kind of right, who paid, which months.

A performing-rights society (ASCAP, PRS) or a publisher pays for the composition, never for
the recording, so each of their lines is one of ``PUBLISHING_KINDS``: never ``stream``, even
when the money came from Spotify (per-stream rates count recordings only). The statements say
the right in their own words or codes (``PR``, ``Public Performance``, ``Reproduction``,
``Synchronisation``); ``kind_of`` reduces them, and a society's line that says nothing is a
performance, the right those societies license.

Some of these files give no month at all (a PRS statement converted from its PDF, a publisher's
table); the person importing then gives the period (``periods``): a guessed month would put a
quarter's royalties into the wrong one. A Total row they print under their lines (a PDF's, a
spreadsheet's) is checked against the whole file's lines (``total_rows``: a statement's total,
as printed, never a block's subtotal) and not stored (``checked_totals``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from royalty.importers import agreement, periods, totals
from royalty.importers.base import DROPPED, NOT_A_LINE, FileFacts, drop_rows
from royalty.importers.totals import Said, TotalRows
from royalty.months import month_text
from royalty.vocabulary import PUBLISHING_KINDS

KINDS = {k: k for k in PUBLISHING_KINDS}
TOTAL_ROW = totals.TOTAL_ROW
"""Why a statement's own total is not a line (``base.drop_rows``), as for a summary's."""
"""``Layout.kinds`` for these layouts: ``prepare`` has already reduced the text to a kind."""

# CISAC right-type codes (CWR: PR performing, MR mechanical, SR synchronisation) and their
# usual abbreviations, as whole cells
_CODES = {
    "pr": "performance", "per": "performance", "perf": "performance",
    "mr": "mechanical", "mec": "mechanical", "mech": "mechanical",
    "sr": "sync", "syn": "sync", "sync": "sync",
}  # fmt: skip
# words inside a longer description; the first that matches wins (a "TV sync" is a sync)
_WORDS = (
    (re.compile(r"synch?ro|\bsync\b", re.I), "sync"),
    (re.compile(r"mechanic|reproduction|\bmech\b", re.I), "mechanical"),
    (
        re.compile(
            r"perform|broadcast|radio|\btv\b|television|\blive\b|concert|public|cinema",
            re.I,
        ),
        "performance",
    ),
)


def kind_of(*texts: str, default: str = "performance") -> str:
    """The first of ``texts`` that names a right -> one of ``PUBLISHING_KINDS``; else
    ``default``. Codes count only as whole cells (``PR``), words anywhere in a description."""
    for text in texts:
        code = _CODES.get(text.strip().lower())
        if code:
            return code
        for pattern, kind in _WORDS:
            if pattern.search(text):
                return kind
    return default


def kinds_of(data: pd.DataFrame, fields: tuple[str, ...]) -> np.ndarray:
    """``kind_of`` for every row, over the ``fields`` it has (in order), once per distinct
    combination: statements repeat a few descriptions over many rows."""
    present = [f for f in fields if f in data.columns]
    if not present or data.empty:
        return np.full(len(data), kind_of(), dtype=object)
    codes, uniques = pd.MultiIndex.from_frame(data[present].astype(str)).factorize()
    return np.array([kind_of(*texts) for texts in uniques], dtype=object)[codes]


def text(data: pd.DataFrame, fld: str) -> pd.Series:
    """A field's cells, stripped (ASCAP's blank is a space); empty when the file lacks it."""
    if fld not in data.columns:
        return pd.Series("", index=data.index, dtype=str)
    return data[fld].str.strip()


def lines(data: pd.DataFrame) -> pd.Series:
    """Rows still lines: not marked by ``base.drop_rows`` (a footer)."""
    if DROPPED not in data.columns:
        return pd.Series(True, index=data.index)
    return data[DROPPED] == ""


def fill_store(data: pd.DataFrame, society: str) -> pd.DataFrame:
    """Who paid: the music user, licensor or source the row names, else the society itself."""
    if "store" not in data.columns:
        data["store"] = society
        return data
    store = data["store"].str.strip()
    data["store"] = store.where(store != "", society)
    return data


def usage_period(data: pd.DataFrame, facts: FileFacts, first: pd.Series, last: pd.Series) -> None:
    """``usage_month``..``usage_month_end`` from the dates the file gives (``first``, and
    ``last`` when given); lines without any cover the period the person importing gave
    (``periods.covered``: without one the import stops and asks)."""
    first, last = first.str.strip(), last.str.strip()
    undated = (first == "") & lines(data)
    data["usage_month"] = first
    data["usage_month_end"] = last.where((last != "") & (first != ""), first)
    if bool(undated.any()):
        period = periods.covered(facts, None)
        data.loc[undated, "usage_month"] = month_text(period[0])
        data.loc[undated, "usage_month_end"] = month_text(period[1])


def total_rows(keys: tuple[str, ...], *, by: str | None = None) -> TotalRows:
    """A songwriting layout's total rows: rows that fill none of ``keys`` and give an amount
    (a PDF's ``Total``, a spreadsheet's sum). Each must agree, as printed, with the whole
    file's lines (those of its own ``by`` value when given: a publisher's currency); a
    block's subtotal is another figure and is refused, naming it."""
    none = totals.fills_none(*keys)
    return TotalRows(
        find=lambda data: none(data) & (text(data, "amount") != ""),
        says=_says,
        tolerance=agreement.agrees_as_printed,
        lines=lambda data: ~none(data),
        by=by,
        subtotals=False,
    )


def _says(row: pd.Series, facts: FileFacts) -> list[Said]:
    """The amount a total row gives, the row named by its first word (``'Sub Total'``)."""
    skip = ("amount", "row_number", DROPPED)
    words = [str(v).strip() for k, v in row.items() if k not in skip]
    name = repr(next((w for w in words if w), "total"))
    return [Said("amount", str(row["amount"]), facts.mapping["amount"], name)]


def checked_totals(data: pd.DataFrame, facts: FileFacts, rows: TotalRows) -> pd.DataFrame:
    """The statement's own total rows checked and marked as such (``TotalRows.drop``); other
    rows that are no lines (notes, with no amount) marked as not lines (``base.drop_rows``)."""
    data = rows.drop(data, facts)
    assert rows.lines is not None
    return drop_rows(data, ~rows.lines(data), NOT_A_LINE)
