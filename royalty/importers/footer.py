"""Total rows checked for the songwriting statements (ASCAP, PRS, publishers): the older footer
checker, kept only for them because their totals come one per currency (``by``/``group``), which
``importers.totals`` does not take yet; every other layout uses ``totals``.

Label statements end with a summary block (Traxsource's ``Period Total:``) or a spreadsheet's
sum row (Zebralution, Labelworx). Such a row is no earning: stored, it would count the
statement twice. Dropping it unread would waste the one check the statement offers, so it is
compared with the lines instead, and a line the reader lost or read wrong stops the import.

A printed total is not exact: statements round it (Traxsource to the cent) and spreadsheets
add in binary floating point (``424.1077764579039`` under lines that add up to
``424.107776457904358998``). ``agrees`` allows half a unit of the total's last decimal plus
what float addition of those lines can lose, and nothing more.

A layout names the fields every line fills and no summary row does (``keys``); rows with all of
them empty are not lines. ``scan_sums(keys)`` is its ``scan``: a chunk's ``prepare`` sees only
its own rows, the total covers the whole file. ``prepare`` then checks each printed total with
``check_amount`` or ``check_quantity`` and keeps only ``lines(data, keys)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import pycountry

from royalty.errors import StatementError
from royalty.importers.base import FileFacts
from royalty.money import EXACT, decimal_text, exact_sum, parse_amounts, parse_quantities

FLOAT_EPSILON = Decimal(2) ** -53
"""What one binary floating-point addition may lose, relative to the numbers added."""


@dataclass(frozen=True)
class Sums:
    """The exact sums of a file's lines, in one number style."""

    amount: Decimal
    size: Decimal
    """The sum of the amounts without their signs: what float addition errs relative to."""
    quantity: int
    lines: int


def fields(chunk: pd.DataFrame, mapping: Mapping[str, str]) -> pd.DataFrame:
    """A raw chunk (header names) as text columns with field names, as ``prepare`` sees it."""
    return pd.DataFrame(
        {fld: chunk[col].fillna("").astype(str) for fld, col in mapping.items()},
        index=chunk.index,
    )


def lines(data: pd.DataFrame, keys: Iterable[str]) -> pd.Series:
    """Rows that fill any of ``keys``: lines. The others are summary rows or empty."""
    filled = pd.Series(False, index=data.index)
    for key in keys:
        if key in data.columns:
            filled |= data[key].str.strip() != ""
    return filled


def scan_sums(
    keys: tuple[str, ...],
    notes: Callable[[pd.DataFrame], Mapping[str, object]] | None = None,
    *,
    by: str | None = None,
) -> Callable[[Iterable[pd.DataFrame], FileFacts], dict[str, object]]:
    """A layout's ``scan``: the sums of all its lines, for ``check_amount``.

    The file's number style is decided after the scan, so the sums are made in both styles
    and ``prepare`` takes the one decided. ``notes`` reads the summary rows (with field names,
    all of them at once: they are few) for what else the lines need from them, such as the
    currency a footer names. ``by`` names a field whose values are summed apart as well (a
    publisher's ``currency``: one Total row per currency), for ``check_amount(group=...)``.
    """

    def scan(chunks: Iterable[pd.DataFrame], facts: FileFacts) -> dict[str, object]:
        amounts: dict[bool, list[pd.Series]] = {False: [], True: []}
        groups: dict[bool, list[pd.Series]] = {False: [], True: []}
        quantities = {False: 0, True: 0}
        count = 0
        summaries: list[pd.DataFrame] = []
        for chunk in chunks:
            data = fields(chunk, facts.mapping)
            is_line = lines(data, keys)
            if notes is not None and not bool(is_line.all()):
                summaries.append(data[~is_line])
            data = data[is_line]
            count += len(data)
            for style in (False, True):
                if "amount" in data.columns:
                    parsed = parse_amounts(data["amount"].str.strip(), decimal_comma=style)
                    amounts[style].append(parsed.text[~parsed.bad])
                    if by is not None:
                        groups[style].append(_group(data, by)[~parsed.bad])
                if "quantity" in data.columns:
                    qty, bad = parse_quantities(data["quantity"].str.strip(), decimal_comma=style)
                    quantities[style] += int(qty[~bad.to_numpy()].sum())
        sums, grouped = {}, {}
        for style in (False, True):
            text = pd.concat(amounts[style]) if amounts[style] else pd.Series([], dtype=object)
            sums[style] = _summed(text, quantities[style], count)
            if by is not None and len(text):
                group = pd.concat(groups[style])
                grouped[style] = {
                    str(g): _summed(t, 0, len(t)) for g, t in text.groupby(group, sort=False)
                }
            else:
                grouped[style] = {}
        found: dict[str, object] = {"sums": sums}
        if by is not None:
            found["sums_by"] = grouped
        if notes is not None:
            empty = pd.DataFrame(columns=list(facts.mapping))
            found.update(notes(pd.concat(summaries) if summaries else empty))
        return found

    return scan


def _group(data: pd.DataFrame, by: str) -> pd.Series:
    if by not in data.columns:
        return pd.Series("", index=data.index, dtype=str)
    return data[by].str.strip().str.upper()


def _summed(text: pd.Series, quantity: int, count: int) -> Sums:
    return Sums(
        amount=exact_sum(text),
        size=exact_sum(text.str.lstrip("-")) if len(text) else Decimal(0),
        quantity=quantity,
        lines=count,
    )


def groups(facts: FileFacts) -> list[str]:
    """The values of ``scan_sums``'s ``by`` field that lines have (an upper-cased currency
    cell, say); empty in a preview."""
    grouped = facts.scanned.get("sums_by")
    if not isinstance(grouped, dict) or facts.decimal_comma is None:
        return []
    return list(grouped[bool(facts.decimal_comma)])


def agrees(printed: Decimal, exact: Decimal, *, lines: int, size: Decimal) -> bool:
    """Whether a printed total is the exact sum, rounded as printed or added with floats."""
    exponent = printed.as_tuple().exponent
    assert isinstance(exponent, int)  # a parsed amount is finite
    rounding = Decimal(5).scaleb(exponent - 1)
    float_loss = EXACT.multiply(EXACT.multiply(size, lines), FLOAT_EPSILON)
    return abs(EXACT.subtract(printed, exact)) <= EXACT.add(rounding, float_loss)


def _sums(facts: FileFacts, group: str | None = None) -> Sums | None:
    """The sums in the file's number style (of the lines of ``group`` when given); None in a
    preview, which reads no whole file."""
    sums = facts.scanned.get("sums" if group is None else "sums_by")
    if not isinstance(sums, dict) or facts.decimal_comma is None:
        return None
    if group is None:
        return sums[bool(facts.decimal_comma)]
    return sums[bool(facts.decimal_comma)].get(group.strip().upper(), _summed(pd.Series(), 0, 0))


def check_amount(
    facts: FileFacts, printed: str, *, name: str, row: int, column: str, group: str | None = None
) -> None:
    """A printed total of the amounts must agree with the lines' (see ``agrees``); with
    ``group``, with those of the lines whose ``by`` field says it (``scan_sums``)."""
    sums = _sums(facts, group)
    if sums is None:
        return
    said = printed.strip()
    parsed = parse_amounts(pd.Series([said]), decimal_comma=bool(facts.decimal_comma))
    value = None if bool(parsed.bad.iloc[0]) else Decimal(parsed.text.iloc[0])
    if value is None or not agrees(value, sums.amount, lines=sums.lines, size=sums.size):
        raise StatementError(
            facts.file,
            f"the {name} row says {said} but the statement's {sums.lines:,} lines add up to "
            f"{decimal_text(sums.amount)}; a line is missing or wrong, or the total is: "
            "nothing was imported",
            row=row,
            column=column,
        )


def check_quantity(facts: FileFacts, printed: str, *, name: str, row: int, column: str) -> None:
    """A printed count of units must equal the lines' exactly."""
    sums = _sums(facts)
    if sums is None:
        return
    said = printed.strip()
    counted, bad = parse_quantities(pd.Series([said]), decimal_comma=bool(facts.decimal_comma))
    if bool(bad.iloc[0]) or int(counted[0]) != sums.quantity:
        raise StatementError(
            facts.file,
            f"the {name} row says {said} units but the statement's {sums.lines:,} lines count "
            f"{sums.quantity:,}; a line is missing or wrong, or the total is: nothing was "
            "imported",
            row=row,
            column=column,
        )


_CURRENCY_NAMES = {
    "us dollars": "USD",
    "us dollar": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pounds sterling": "GBP",
    "british pounds": "GBP",
    "sterling": "GBP",
}


def currency_named(text: str) -> str | None:
    """``GBP`` -> GBP, ``Euro`` -> EUR, ``US Dollars`` -> USD; None for anything else."""
    t = re.sub(r"\s+", " ", text.strip().strip("*").strip()).lower()
    if re.fullmatch(r"[a-z]{3}", t) and pycountry.currencies.get(alpha_3=t.upper()) is not None:
        return t.upper()
    return _CURRENCY_NAMES.get(t)
