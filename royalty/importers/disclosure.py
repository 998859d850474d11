"""A disclosure summary: the small table bands publish, one row per platform.

``Platform,Streams,Income (GBP)`` with the words varying (``Service``/``Store``/``DSP``,
``Plays``/``Listens``, ``Revenue``/``Earnings``/``Royalties``/``Payout``), the currency in the
income header (``(GBP)``, ``GBP``, ``(£)``) or given by the person importing, and often a
per-stream column and a ``Total`` row.

Such a table covers a period but rarely has a date column. The period is read from the
header cells (``Streams Jul 2024 – Jun 2025``, ``Income 2024 (GBP)``), else taken from
``ImportOptions.period``; every line then gets ``usage_month`` = first month and
``usage_month_end`` = last month. Without either, the import stops and asks for it: a wrong
guess would put a year's income into one month.

The ``Total`` row is not a platform: it is dropped, but first checked against the rows above
it to the last digit, so a typo in the table (or a platform row missed by the reader) stops the
import instead of being published. The per-stream column is derived from the other two, rounded
for display, and is not read.

Facts carried by the header (currency, period) apply to every row; ``_prepare`` reads them
from the header it is given (``facts.mapping``). As for every layout, what the file says wins
over what the person importing chose for files that do not say it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

import pandas as pd
import pycountry

from royalty.errors import StatementError
from royalty.importers.base import EMPTY, FileFacts, Layout, drop_rows
from royalty.money import (
    exact_sum,
    guess_decimal_comma,
    parse_amounts,
    parse_quantities,
)
from royalty.months import month_text, parse_month

UNKNOWN_ARTIST = "Unknown artist"

_PLATFORM = re.compile(
    r"^(platform|service|store|dsp|streaming (service|platform)|outlet)s?$", re.IGNORECASE
)
_STREAMS = re.compile(r"^(total |number of |no\.? of |# ?)?(streams|plays|listens)\b", re.I)
_INCOME = re.compile(
    r"^(total |net |gross )?(income|revenue|earnings|royalties|payout|payouts|paid|amount|money)\b",
    re.IGNORECASE,
)
_PER_UNIT = re.compile(r"\bper\b|/\s*(stream|play)|\brate\b|%", re.IGNORECASE)
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
_SYMBOLS = {"£": "GBP", "€": "EUR", "US$": "USD"}  # "$" and "¥" name several currencies
_MONTH = r"(?:\d{4}[-/.]\d{1,2}|[A-Za-zéû]{3,9}\.? \d{4})"
_RANGE = re.compile(rf"({_MONTH})\s*(?:\.\.|–|—|-|to)\s*({_MONTH})")
_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/.-])")
_TOTAL = re.compile(r"^\s*(grand\s+)?(totals?|sum|all platforms|all services)\s*:?\s*$", re.I)


def currency_in(cell: str) -> str | None:
    """``Income (GBP)`` -> ``GBP``; ``Revenue (£)`` -> ``GBP``; ``Earnings ($)`` -> None."""
    for symbol, code in _SYMBOLS.items():
        if symbol in cell:
            return code
    codes = [c for c in _CODE.findall(cell) if pycountry.currencies.get(alpha_3=c) is not None]
    return codes[0] if codes else None


def period_in(cell: str) -> tuple[int, int] | None:
    """``Streams (Jul 2024 – Jun 2025)`` -> (202407, 202506); ``Income 2024`` -> the year."""
    if m := _RANGE.search(cell):
        first, last = parse_month(m[1]), parse_month(m[2])
        if first and last and first <= last:
            return first, last
    years = _YEAR.findall(cell)
    if len(years) == 1:
        return int(years[0]) * 100 + 1, int(years[0]) * 100 + 12
    return None


def _columns(header: list[str]) -> dict[str, str] | None:
    def first(pattern: re.Pattern[str]) -> str | None:
        return next(
            (h for h in header if pattern.search(h.strip()) and not _PER_UNIT.search(h)), None
        )

    platform, streams, income = first(_PLATFORM), first(_STREAMS), first(_INCOME)
    if platform is None or streams is None or income is None:
        return None
    return {"store": platform, "quantity": streams, "amount": income}


def recognize(header: list[str]) -> dict[str, str] | None:
    """A platform column, a streams column and an income column, in any of their wordings."""
    return _columns(header)


def _header_facts(mapping: Mapping[str, str]) -> tuple[str | None, tuple[int, int] | None]:
    """The currency and period the header cells give (``Income 2024 (GBP)``), if any."""
    currency = currency_in(mapping.get("amount", ""))
    for cell in (mapping.get("quantity", ""), mapping.get("amount", ""), mapping.get("store", "")):
        period = period_in(cell)
        if period:
            return currency, period
    return currency, None


def _check_total(
    data: pd.DataFrame,
    is_total: pd.Series,
    file: str,
    labels: dict[str, str],
    *,
    decimal_comma: bool,
) -> None:
    """Each Total row must equal the platform rows, exactly, in income and (if given) streams."""
    rows = data[~is_total]
    amounts = parse_amounts(rows["amount"].str.strip(), decimal_comma=decimal_comma)
    income = exact_sum(amounts.text) if not bool(amounts.bad.any()) else None
    qty, qty_bad = parse_quantities(rows["quantity"].str.strip(), decimal_comma=decimal_comma)
    streams = int(qty.sum()) if not bool(qty_bad.any()) else None
    for _, total in data[is_total].iterrows():
        row = int(total["row_number"])
        said = total["amount"].strip()
        if said and income is not None:
            parsed = parse_amounts(pd.Series([said]), decimal_comma=decimal_comma)
            value = None if bool(parsed.bad.iloc[0]) else Decimal(parsed.text.iloc[0])
            if value is None or value != income:
                raise StatementError(
                    file,
                    f"the {total['store'].strip()!r} row says {said} but the platforms above "
                    f"add up to {income}; correct the table (or remove the total row)",
                    row=row,
                    column=labels.get("amount"),
                )
        said_streams = total["quantity"].strip()
        if said_streams and streams is not None:
            counted, bad = parse_quantities(pd.Series([said_streams]), decimal_comma=decimal_comma)
            if bool(bad.iloc[0]) or int(counted[0]) != streams:
                raise StatementError(
                    file,
                    f"the {total['store'].strip()!r} row says {said_streams} streams but the "
                    f"platforms above add up to {streams:,}; correct the table "
                    "(or remove the total row)",
                    row=row,
                    column=labels.get("quantity"),
                )


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    options, file, labels = facts.options, facts.file, dict(facts.mapping)
    header_currency, header_period = _header_facts(labels)
    empty = (data["amount"].str.strip() == "") & (data["quantity"].str.strip() == "")
    data = drop_rows(data, empty, EMPTY)
    decimal_comma = facts.decimal_comma  # the importer's one decision for the file
    if decimal_comma is None:  # a preview of this table alone
        decimal_comma = guess_decimal_comma(data.loc[~empty, "amount"])
    is_total = data["store"].str.match(_TOTAL) & ~empty
    _check_total(data[~empty], is_total[~empty], file, labels, decimal_comma=decimal_comma)
    data = drop_rows(data, is_total, "total row")

    period = header_period or options.period
    if period is None:
        raise StatementError(
            file,
            "is a per-platform summary that does not say which months it covers; give the "
            "period, e.g. --period 2024-07..2025-06 on the command line or the Period field "
            "when importing in the app",
        )
    data["usage_month"] = month_text(period[0])
    data["usage_month_end"] = month_text(period[1])
    data["kind"] = "stream"
    data["artist"] = (options.artist or "").strip() or UNKNOWN_ARTIST
    if header_currency:  # the header's currency is every row's
        data["currency"] = header_currency
    return data


LAYOUT = Layout(
    name="disclosure",
    source="Disclosure summary",
    title="Disclosure summary (Platform, Streams, Income per platform)",
    signature=(),
    columns={"store": "Platform", "quantity": "Streams", "amount": "Income"},
    kinds={"stream": "stream"},
    recognize=recognize,
    prepare=_prepare,
    whole_table=True,  # one row per platform; the Total row is checked against all of them
)
