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
spreadsheet's) is checked against the lines with ``footer`` and not stored (``checked_totals``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from royalty.importers import footer, periods
from royalty.importers.base import DROPPED, NOT_A_LINE, FileFacts, drop_rows
from royalty.months import month_text
from royalty.vocabulary import PUBLISHING_KINDS

KINDS = {k: k for k in PUBLISHING_KINDS}
TOTAL_ROW = "total row"
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


def checked_totals(
    data: pd.DataFrame, facts: FileFacts, keys: tuple[str, ...], *, group: str | None = None
) -> pd.DataFrame:
    """Rows that fill none of ``keys`` are no lines: the statement's own total rows (a PDF's
    ``Total``, a spreadsheet's sum), each amount they give checked against the lines
    (``footer.check_amount``, per ``group`` value when given), or notes; both are marked as
    not lines (``base.drop_rows``)."""
    is_line = footer.lines(data, keys)
    if bool(is_line.all()):
        return data
    said = text(data, "amount")
    for at, row in data[~is_line & (said != "")].iterrows():
        words = [str(v).strip() for k, v in row.items() if k not in ("amount", "row_number")]
        footer.check_amount(
            facts,
            said[at],
            name=repr(next((w for w in words if w), "total")),
            row=int(row["row_number"]),
            column=facts.mapping["amount"],
            group=str(row.get(group, "")) if group else None,
        )
    data = drop_rows(data, ~is_line & (said != ""), TOTAL_ROW)
    return drop_rows(data, ~is_line, NOT_A_LINE)
