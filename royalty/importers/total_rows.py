"""A statement's own total rows: checked against its lines, to the digit, and never stored.

Label exports and the spreadsheets people keep them in often end with a row that adds the
money column up (``Total``, or an Excel ``SUM`` with every other cell empty). Such a row is no
line: stored, it would double the statement. Dropped unread, a typo in it, or a line the
reader missed, would go unnoticed. So a layout that may carry one names ``scan_totals`` as
its ``scan`` and ``drop_totals`` in its ``prepare``: the scan reads the whole file once and
stops the import at a total row that does not add up, naming it; ``prepare`` then leaves the
total rows (and rows with nothing in them) out.

A total row is one whose usage-month cell is no date (a real line always has one) and whose
identifying cells are all empty or say ``Total``. It must equal the lines above it: all of
them, or those since the total row before it (a subtotal). Exactly, or as a spreadsheet
writes it: rounded to the decimals it shows (at least two: ``4.87`` for ``4.872``), or to the
15 significant digits binary arithmetic keeps (``4.872000000000001``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from royalty.errors import StatementError
from royalty.importers.base import FileFacts
from royalty.money import EXACT, exact_sum, guess_decimal_comma, parse_amounts
from royalty.months import parse_months

TOTAL_WORD = re.compile(r"^\s*(grand\s+|sub\s*-?\s*)?(totals?|sum)\s*:?\s*$", re.IGNORECASE)
IDENTIFYING = ("usage_month", "store", "artist", "title", "release", "isrc", "upc", "label")
"""Fields that a line fills and a total row leaves empty; ``label`` is the field a layout
maps to the cell where its files write ``Total`` (an invoice or royalty id)."""
SIGNIFICANT = 15
"""Digits a spreadsheet's binary sum keeps exactly (Excel's documented precision)."""


def _text(data: pd.DataFrame, name: str) -> pd.Series:
    if name not in data.columns:
        return pd.Series("", index=data.index, dtype=str)
    return data[name].fillna("").astype(str).str.strip()


def is_blank(data: pd.DataFrame) -> pd.Series:
    """Rows with nothing in any field (a spreadsheet's padding)."""
    blank = pd.Series(True, index=data.index)
    for name in data.columns:
        if name != "row_number":
            blank &= _text(data, name) == ""
    return blank


def is_total(data: pd.DataFrame) -> pd.Series:
    """Total rows of a frame with field names (see the module docstring)."""
    amount = _text(data, "amount")
    _, no_month = parse_months(_text(data, "usage_month"))
    empty = pd.Series(True, index=data.index)
    for name in IDENTIFYING:
        cells = _text(data, name)
        empty &= (cells == "") | cells.str.match(TOTAL_WORD)
    return (amount != "") & no_month & empty


def drop_totals(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` without its total rows and empty rows (checked by ``scan_totals`` first)."""
    return data[~(is_total(data) | is_blank(data))]


def agrees(said: Decimal, exact: Decimal) -> bool:
    """Whether a total as written is the exact sum, as a spreadsheet would write it."""
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


def _fields(chunk: pd.DataFrame, mapping: Mapping[str, str]) -> pd.DataFrame:
    """A raw chunk with the layout's field names, as ``prepare`` will see it."""
    return pd.DataFrame({f: chunk[c] for f, c in mapping.items()}, index=chunk.index)


def scan_totals(chunks: Iterable[pd.DataFrame], facts: FileFacts) -> dict[str, object]:
    """Every total row of the file checked against the lines above it; raises
    ``StatementError`` naming the first that does not add up. Lines whose amount is no number
    are left to ``normalize``, which names them; no total is judged then."""
    decimal_comma = facts.decimal_comma
    all_above, since = Decimal(0), Decimal(0)
    checked, unreadable = 0, False
    for chunk in chunks:
        data = _fields(chunk, facts.mapping)
        total = is_total(data)
        lines = ~total & ~is_blank(data)
        if decimal_comma is None:
            decimal_comma = guess_decimal_comma(_text(data, "amount")[lines])
        said_texts = _text(data, "amount")
        amounts = parse_amounts(said_texts, decimal_comma=decimal_comma)
        unreadable |= bool((amounts.bad & lines).any())
        line_amounts = amounts.text.where(lines)  # None for total and empty rows
        start = 0
        for at in total.to_numpy().nonzero()[0]:
            part = exact_sum(line_amounts.iloc[start:at])
            all_above, since = EXACT.add(all_above, part), EXACT.add(since, part)
            start = at + 1
            if unreadable:
                continue
            row = int(chunk.index[at])  # the reader's: the row in the file
            said_text = said_texts.iloc[at]
            if bool(amounts.bad.iloc[at]):
                raise StatementError(
                    facts.file,
                    f"this total row's amount is not a number: {said_text!r}",
                    row=row,
                    column=facts.mapping.get("amount"),
                )
            said = Decimal(amounts.text.iloc[at])
            if not (agrees(said, all_above) or agrees(said, since)):
                sub = f" ({since} since the total row above it)" if since != all_above else ""
                raise StatementError(
                    facts.file,
                    f"this total row says {said_text} but the lines above it add up to "
                    f"{all_above}{sub}; correct it (or remove the total row) and import again",
                    row=row,
                    column=facts.mapping.get("amount"),
                )
            since = Decimal(0)
            checked += 1
        part = exact_sum(line_amounts.iloc[start:])
        all_above, since = EXACT.add(all_above, part), EXACT.add(since, part)
    return {"total_rows": checked}
