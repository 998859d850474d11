"""A statement's own total rows: checked against its lines, and never stored.

Many files say what they hold: Apple's ``Total_Amount`` footer, YouTube's ``Total`` row,
Traxsource's ``Period Total:``, the sum Excel or Labelworx writes below the lines, the
``Total`` a person adds to a spreadsheet of a Cargo, Secretly or Shopify export, a disclosure
table's ``Total``. Such a row is no line: stored, it would count the money twice. Dropped
unread, it would waste the one check the file offers on itself, and a line the reader lost
or misread, a truncated download or a hand edit would go unnoticed. So every total row is
compared with the lines, the import stops at the first that disagrees, naming its row and
column, and the total rows are dropped as ``total row`` (``base.drop_rows``).

A layout describes its total rows once, as a ``TotalRows`` (which rows they are, what each
says, how near it must be), names its ``scan`` as the layout's ``scan`` and calls its ``drop``
first in ``prepare``. The file is read once: the import's chunks come in file order, and
``drop`` adds up each chunk's lines in the file's one number style (``linesums.Running``, which
the scan sets up) before it checks the chunk's total rows against the lines above them and
since the total row above them. What only the whole file can settle (a total that is neither,
one per currency) is checked after the last chunk (the scan's ``FINISH``), inside the import's
transaction: a disagreement there rolls the file back like any other. Only a layout that needs
its total rows' content before its lines (``notes``, a footer's currency) or the values of
``by`` (``groups``) reads the file first, for those alone. Nothing is checked in a preview (there
is no scan) or when a line's cell is no number in the file's style (``normalize`` names that
cell).

A total covers the lines of the whole file, the lines above it, or the lines since the total
row above it (a subtotal); it must agree with one of them. A layout whose files print one
total for the whole file (a society's or publisher's statement) says so (``subtotals=False``):
a subtotal there is another figure than the file's and is refused, naming it; one that prints
a total per currency names the field (``by``), and each total row is checked against the lines
of its own. Counts of units and of lines are
whole numbers and must be equal. How near money must be depends on who wrote the total (``agreement``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pycountry

from royalty.importers.agreement import agrees_as_spreadsheet
from royalty.importers.base import FINISH, FileFacts, drop_rows
from royalty.importers.linesums import Running
from royalty.months import parse_months

TOTAL_ROW = "total row"  # why a total row is not stored (``dropped_because``)
Tolerance = Callable[..., bool]
"""``agrees_exactly``, ``agrees_as_printed`` or ``agrees_as_spreadsheet``."""


@dataclass(frozen=True)
class Said:
    """One figure a total row gives: ``text`` (as written) for ``measure`` (``amount``,
    ``quantity`` or ``rows``, the number of lines), in the header cell ``column``; ``name`` is
    how a message calls the row (``'Total_Amount'``, ``sum``)."""

    measure: str
    text: str
    column: str
    name: str


Finder = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class TotalRows:
    """A layout's total rows. Each callable gets rows with field names, as text."""

    find: Finder
    """The total rows (footer rows included) among rows that are not empty."""
    says: Callable[[pd.Series, FileFacts], Iterable[Said]]
    """What one total row says; a row may say nothing (a heading in a footer)."""
    tolerance: Tolerance
    lines: Finder | None = None
    """Which of the other rows are lines (default: all); the rest are left to ``prepare``."""
    notes: Callable[[pd.DataFrame], Mapping[str, object]] | None = None
    """What else the layout reads from its total rows (all at once: they are few), such as the
    currency a footer names; it joins ``facts.scanned``."""
    by: str | None = None
    """A field whose value each total row shares with the lines it adds up (``currency``)."""
    subtotals: bool = True
    """Whether a total may cover the lines above it or since the last total (else: the file's)."""

    def scan(self, chunks: Iterable[pd.DataFrame], facts: FileFacts) -> dict[str, object]:
        """The layout's ``scan``: where the import adds up the lines as it reads them
        (``linesums.Running``, checked after the last chunk: ``FINISH``). Only what ``prepare``
        needs before the lines is read from the file first: the total rows for ``notes``, the
        values of ``by`` for ``groups``; other layouts' files are read once."""
        running = Running(self.tolerance, self.subtotals)
        result: dict[str, object] = {"totals": running, FINISH: running.finish}
        if self.notes is None and self.by is None:
            return result
        found: list[pd.DataFrame] = []
        values: dict[str, None] = {}
        for chunk in chunks:
            data = pd.DataFrame(
                {f: chunk[c].fillna("").astype(str) for f, c in facts.mapping.items()},
                index=chunk.index,
            )
            blank = fills_none(*facts.mapping)(data)  # ``normalize`` drops it as ``empty``
            total = self.find(data) & ~blank
            if self.notes is not None and bool(total.any()):
                found.append(data[total])
            if self.by is not None:
                lines = ~total & ~blank
                if self.lines is not None:
                    lines &= self.lines(data)
                values.update(dict.fromkeys(_text(data[lines], self.by).str.upper().unique()))
        result["total_groups"] = [str(v) for v in values]
        if self.notes is not None:
            empty = pd.DataFrame(columns=list(facts.mapping))
            result.update(self.notes(pd.concat(found) if found else empty))
        return result

    def drop(self, data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
        """The first thing a layout's ``prepare`` does: the chunk's lines added up, each of its
        total rows checked against those above it (``StatementError`` naming the first that
        does not agree, or after the last chunk one that is not the file's either), then marked
        dropped."""
        total = self.find(data)
        running = facts.scanned.get("totals")
        if isinstance(running, Running) and facts.decimal_comma is not None:
            style = bool(facts.decimal_comma)
            lines = ~total
            if self.lines is not None:
                lines &= self.lines(data)
            cuts = np.flatnonzero(total.to_numpy())
            parts = running.add(data, lines.to_numpy(), cuts, style, self.by)
            for k, at in enumerate([*cuts, None]):
                running.stretch(parts[k])
                if at is None:
                    break
                row = data.iloc[at]
                group = str(row.get(self.by, "")).strip().upper() if self.by else None
                for said in self.says(row, facts):
                    running.check(said, int(row["row_number"]), facts, group, style=style)
                running.cut()
        return drop_rows(data, total, TOTAL_ROW)


def groups(facts: FileFacts) -> list[str]:
    """The values of ``TotalRows.by`` the file's lines have (empty in a preview)."""
    found = facts.scanned.get("total_groups")
    if not isinstance(found, list) or facts.decimal_comma is None:
        return []
    return found


def _text(data: pd.DataFrame, name: str, rows: np.ndarray | None = None) -> pd.Series:
    """A field's cells, stripped (of ``rows`` only, positions, when given)."""
    index = data.index if rows is None else data.index[rows]
    if name not in data.columns:
        return pd.Series("", index=index, dtype=str)
    cells = data[name] if rows is None else data[name].iloc[rows]
    return cells.fillna("").astype(str).str.strip()


def cells(
    *measures: str, name_in: str | None = None, name: str = "total"
) -> Callable[[pd.Series, FileFacts], list[Said]]:
    """``says`` for a total row that writes its figures in the lines' own columns (the
    ``amount`` or ``quantity`` field of each of ``measures``), named by the text of its
    ``name_in`` field (``'Total'``), else by ``name``."""

    def says(row: pd.Series, facts: FileFacts) -> list[Said]:
        label = str(row.get(name_in, "")).strip() if name_in else ""
        called = repr(label) if label else name
        return [
            Said(m, str(row[m]), facts.mapping[m], called)
            for m in measures
            if m in facts.mapping and str(row.get(m, "")).strip()
        ]

    return says


def fills_none(*keys: str) -> Finder:
    """``find`` for a layout whose every line fills one of ``keys`` and no total row does."""

    def find(data: pd.DataFrame) -> pd.Series:
        none = np.ones(len(data), dtype=bool)
        for key in keys:
            if key in data.columns:
                left = np.flatnonzero(none)  # lines fill the first keys: few rows are left
                none[left[(_text(data, key, left) != "").to_numpy()]] = False
        return pd.Series(none, index=data.index)

    return find


_TOTAL_WORD = re.compile(r"^\s*(grand\s+|sub\s*-?\s*)?(totals?|sum)\s*:?\s*$", re.IGNORECASE)
_IDENTIFYING = ("store", "artist", "title", "release", "isrc", "upc", "label")
"""Fields that a line fills and a person's total row leaves empty or says ``Total`` in;
``label`` is the field a layout maps to the cell where its files write it (an invoice or
royalty id)."""


def spreadsheet_total(data: pd.DataFrame) -> pd.Series:
    """A total row a person added to a spreadsheet of lines (a ``SUM`` with the other cells
    empty or saying ``Total``): an amount, no usage month (a line always has one), and no
    identifying cell but a total word."""
    total = (_text(data, "amount") != "").to_numpy().copy()
    for name in ("usage_month", *_IDENTIFYING):
        left = np.flatnonzero(total)  # a line has a month: few rows are left after it
        text = _text(data, name, left)
        if name == "usage_month":
            total[left] = parse_months(text)[1].to_numpy()
        else:
            total[left] = ((text == "") | text.str.match(_TOTAL_WORD)).to_numpy()
    return pd.Series(total, index=data.index)


SPREADSHEET_TOTALS = TotalRows(
    find=spreadsheet_total, says=cells("amount", name_in="label"), tolerance=agrees_as_spreadsheet
)
"""The total rows a person may add below any export's lines (Cargo, Secretly, Shopify)."""


_CURRENCY_NAMES = {
    "us dollars": "USD", "us dollar": "USD", "euro": "EUR", "euros": "EUR",
    "pounds sterling": "GBP", "british pounds": "GBP", "sterling": "GBP",
}  # fmt: skip


def currency_named(text: str) -> str | None:
    """The currency a footer row names: ``GBP`` -> GBP, ``Euro`` -> EUR, ``US Dollars`` ->
    USD; None for anything else (``Dollars`` says no one currency)."""
    t = re.sub(r"\s+", " ", text.strip().strip("*").strip()).lower()
    if re.fullmatch(r"[a-z]{3}", t) and pycountry.currencies.get(alpha_3=t.upper()) is not None:
        return t.upper()
    return _CURRENCY_NAMES.get(t)
