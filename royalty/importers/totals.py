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
first in ``prepare``. The scan adds up the lines of the whole file, which a chunk does not
see; ``drop`` checks the total rows of its chunk, whose row numbers it knows. The number style
is decided after the scan, so the scan adds up both ways and the check takes the one decided.
Nothing is checked in a preview (there is no scan) or when a line's cell is no number in that
style (``normalize`` names that cell).

A total covers the lines of the whole file, the lines above it, or the lines since the total
row above it (a subtotal); it must agree with one of them. Counts of units and of lines are
whole numbers and must be equal. How near money must be depends on who wrote the total:

* ``agrees_exactly`` when the file prints every digit its lines have (Apple, YouTube, a
  disclosure table): the total is their exact sum, and a last digit off is a line lost or
  changed.
* ``agrees_as_printed`` for the footer a statement prints below its lines (Traxsource,
  Labelworx, and Zebralution's sum row, which Excel writes with the decimals its cells show).
  The program that wrote it rounds to the places it prints, whatever they are (``498.67`` for
  ``498.665080``, the unit too), or writes the float its binary additions reached, which over
  a statement's thousands of lines drifts from the exact sum (``424.1077764579039`` for
  ``424.107776457904358998``). So it may be off by half a unit of its last decimal plus what
  float addition of those lines can lose (in proportion to their number and size), no more.
* ``agrees_as_spreadsheet`` for a total row a person adds to a spreadsheet of an export
  (Cargo, Secretly, Shopify), often a subtotal: a ``SUM`` cell as Excel keeps it, to 15
  significant digits (``4.872000000000001`` for ``4.872``), or shown in a number format that
  rounds it to the decimals it shows, at least two (``4.87``). A whole ``5`` under lines of
  ``4.872`` is no money format's rounding, and a total off in the digits Excel keeps was
  typed rather than summed: both are another figure than the lines', and a person's sheet is
  theirs to correct, so no allowance grows with the lines here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pycountry

from royalty.errors import StatementError
from royalty.importers.base import FileFacts, drop_rows
from royalty.money import EXACT, decimal_text, exact_sum, parse_amounts, parse_quantities
from royalty.months import parse_months

TOTAL_ROW = "total row"  # why a total row is not stored (``dropped_because``)
SIGNIFICANT = 15  # the digits Excel keeps of a number (its documented precision)
FLOAT_EPSILON = Decimal(2) ** -53  # what one float addition may lose, relative to its terms


def agrees_exactly(said: Decimal, exact: Decimal, **_: object) -> bool:
    """A total the file writes with every digit of its lines (see the module docstring)."""
    return said == exact


def agrees_as_printed(
    said: Decimal, exact: Decimal, *, lines: int = 1, size: Decimal | None = None
) -> bool:
    """A statement's footer: within half a unit of its last decimal, plus what float addition
    of ``lines`` lines whose amounts add up to ``size`` without their signs (``abs(exact)``
    unless given) may lose."""
    rounding = Decimal(5).scaleb(int(said.as_tuple().exponent) - 1)  # a parsed amount is finite
    size = abs(exact) if size is None else size
    lost = EXACT.multiply(EXACT.multiply(size, lines), FLOAT_EPSILON)
    return abs(EXACT.subtract(said, exact)) <= EXACT.add(rounding, lost)


def agrees_as_spreadsheet(said: Decimal, exact: Decimal, **_: object) -> bool:
    """A person's total row: the exact sum, or that sum rounded to the decimals it shows (at
    least two), or to Excel's 15 significant digits."""
    if said == exact:
        return True
    decimals = -int(said.as_tuple().exponent)
    if decimals >= 2 and exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) == said:
        return True
    return _significant(said) == _significant(exact)


def _significant(value: Decimal) -> Decimal:
    if value == 0:
        return value
    place = value.adjusted() - SIGNIFICANT + 1
    return value.quantize(Decimal(1).scaleb(place), ROUND_HALF_UP, context=EXACT)


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


@dataclass(frozen=True)
class Sums:
    """What some lines add up to, in one number style."""

    lines: int = 0
    amount: Decimal | None = Decimal(0)
    """None once a line's amount is no number in this style."""
    size: Decimal = Decimal(0)
    """The amounts without their signs, added: what float addition errs relative to."""
    quantity: int | None = 0
    """None when the layout reads no units, or a line's units are no number."""

    def __add__(self, other: Sums) -> Sums:
        return Sums(
            self.lines + other.lines,
            None if self.amount is None or other.amount is None
            else EXACT.add(self.amount, other.amount),
            EXACT.add(self.size, other.size),
            None if self.quantity is None or other.quantity is None
            else self.quantity + other.quantity,
        )  # fmt: skip


@dataclass(frozen=True)
class _Scanned:
    file: dict[bool, Sums]
    """The whole file's lines, by number style (``decimal_comma``)."""
    above: dict[int, dict[bool, Sums]] = field(default_factory=dict)
    """Total row -> the lines above it."""
    since: dict[int, dict[bool, Sums]] = field(default_factory=dict)
    """Total row -> the lines since the total row above it, if there is one."""


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

    def scan(self, chunks: Iterable[pd.DataFrame], facts: FileFacts) -> dict[str, object]:
        """The layout's ``scan``: the lines added up, for the whole file and above each
        total row, in both number styles."""
        styles = (False, True)
        running = {style: Sums() for style in styles}
        since: dict[bool, Sums] | None = None  # None above the first total row
        scanned = _Scanned(file=running)
        found: list[pd.DataFrame] = []
        for chunk in chunks:
            data = pd.DataFrame(
                {f: chunk[c].fillna("").astype(str) for f, c in facts.mapping.items()},
                index=chunk.index,
            )
            blank = fills_none(*facts.mapping)(data)  # ``normalize`` drops it as ``empty``
            total = self.find(data) & ~blank
            lines = ~total & ~blank
            if self.lines is not None:
                lines &= self.lines(data)
            cuts = np.flatnonzero(total.to_numpy())
            # a style a line's amount does not fit is not the file's: only its lines counted
            parts = {
                style: self._sums(data, lines, cuts, style, running[style].amount is not None)
                for style in styles
            }
            for k, at in enumerate([*cuts, None]):
                for style in styles:
                    running[style] = running[style] + parts[style][k]
                    if since is not None:
                        since[style] = since[style] + parts[style][k]
                if at is None:
                    break
                row = int(chunk.index[at])  # the reader's index: the row in the file
                scanned.above[row] = dict(running)
                if since is not None:
                    scanned.since[row] = since
                since = {style: Sums() for style in styles}
            if self.notes is not None and len(cuts):
                found.append(data[total])
        result: dict[str, object] = {"totals": scanned}
        if self.notes is not None:
            empty = pd.DataFrame(columns=list(facts.mapping))
            result.update(self.notes(pd.concat(found) if found else empty))
        return result

    def _sums(
        self, data: pd.DataFrame, lines: pd.Series, cuts: np.ndarray, style: bool, read: bool
    ) -> list[Sums]:
        """The lines of each stretch of a chunk cut at its total rows (one more than cuts)."""
        where = np.flatnonzero(lines.to_numpy())
        stretch = np.searchsorted(cuts, where)
        amounts = units = None
        if read:
            parsed = parse_amounts(data["amount"].iloc[where].str.strip(), decimal_comma=style)
            amounts = None if bool(parsed.bad.any()) else parsed.text
        if amounts is not None and "quantity" in data.columns:
            counts, bad = parse_quantities(
                data["quantity"].iloc[where].str.strip(), decimal_comma=style
            )
            units = None if bool(bad.any()) else counts
        sums = []
        for k in range(len(cuts) + 1):
            part = stretch == k
            text = amounts[part] if amounts is not None else None
            sums.append(
                Sums(
                    lines=int(part.sum()),
                    amount=exact_sum(text) if text is not None else None,
                    size=exact_sum(text.str.lstrip("-")) if text is not None else Decimal(0),
                    quantity=int(units[part].sum()) if units is not None else None,
                )
            )
        return sums

    def drop(self, data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
        """The first thing a layout's ``prepare`` does: each total row of ``data`` checked
        (``StatementError`` naming the first that does not agree), then marked dropped."""
        total = self.find(data)
        scanned = facts.scanned.get("totals")
        if isinstance(scanned, _Scanned) and facts.decimal_comma is not None:
            for _, row in data[total].iterrows():
                for said in self.says(row, facts):
                    self._check(said, int(row["row_number"]), scanned, facts)
        return drop_rows(data, total, TOTAL_ROW)

    def _check(self, said: Said, row: int, scanned: _Scanned, facts: FileFacts) -> None:
        text = said.text.strip()
        style = bool(facts.decimal_comma)
        file = scanned.file[style]
        if not text or _count(file, said.measure) is None:
            return
        above = scanned.above.get(row, {}).get(style)
        since = scanned.since.get(row, {}).get(style)
        scopes = [file, *(s for s in (above, since) if s is not None and s.lines > 0)]
        if said.measure == "amount":
            parsed = parse_amounts(pd.Series([text]), decimal_comma=style)
            money = None if bool(parsed.bad.iloc[0]) else Decimal(parsed.text.iloc[0])
            if money is not None and any(
                s.amount is not None and self.tolerance(money, s.amount, lines=s.lines, size=s.size)
                for s in scopes
            ):
                return
        else:
            counted, bad = parse_quantities(pd.Series([text]), decimal_comma=style)
            count = None if bool(bad.iloc[0]) else int(counted[0])
            if count is not None and any(count == _count(s, said.measure) for s in scopes):
                return
        raise StatementError(
            facts.file,
            _disagreement(said, text, file, above, since, facts),
            row=row,
            column=said.column,
        )


def _count(sums: Sums, measure: str) -> Decimal | int | None:
    """What ``sums`` says for ``measure``: the amount, the units or the number of lines."""
    if measure == "amount":
        return sums.amount
    return sums.lines if measure == "rows" else sums.quantity


def _disagreement(
    said: Said, text: str, file: Sums, above: Sums | None, since: Sums | None, facts: FileFacts
) -> str:
    """``the 'Period Total' row says 30.53 but the statement's 8 lines add up to 30.35097``,
    with the lines above it and since the total row above it when they are others."""

    def shown(sums: Sums) -> str:
        value = _count(sums, said.measure)
        if value is None:
            return "?"
        return decimal_text(value) if isinstance(value, Decimal) else f"{value:,}"

    where = []
    if above is not None and 0 < above.lines != file.lines:
        where.append(f"{shown(above)} above it")
    if since is not None and since.lines > 0:
        where.append(f"{shown(since)} since the total row above it")
    more = f" ({', '.join(where)})" if where else ""
    if said.measure == "rows":
        found = f"the file has {shown(file)} lines{more}"
    elif said.measure == "quantity":
        column = facts.mapping.get("quantity", "quantity")
        more = f"; {', '.join(where)}" if where else ""
        found = (
            f"the statement's {file.lines:,} lines count {shown(file)} (their {column!r} "
            f"cells add up to {shown(file)} units{more})"
        )
        text += " units"
    else:
        found = f"the statement's {file.lines:,} lines add up to {shown(file)}{more}"
    return (
        f"the {said.name} row says {text} but {found}; a line is missing or was changed, or "
        "the total was: nothing was imported (export the statement again, or correct or "
        "remove that row)"
    )


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
