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

The ``Total`` row is not a platform: it is dropped, but first checked against the platform
rows to the last digit (``totals``), so a typo in the table (or a platform row missed by the
reader) stops the import instead of being published. The per-stream column is derived from the other two, rounded
for display, and is not read.

Facts carried by the header (currency, period) apply to every row; ``_prepare`` reads them
from the header it is given (``facts.mapping``). As for every layout, what the file says wins
over what the person importing chose for files that do not say it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
import pycountry

from royalty.errors import StatementError
from royalty.importers.base import EMPTY, FileFacts, Layout, drop_rows
from royalty.importers.totals import TotalRows, agrees_exactly, cells
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


def _has_numbers(data: pd.DataFrame) -> pd.Series:
    """Rows with streams or income; the others (a heading, a note) are empty of lines."""
    return (data["amount"].str.strip() != "") | (data["quantity"].str.strip() != "")


def _is_total(data: pd.DataFrame) -> pd.Series:
    return data["store"].str.match(_TOTAL) & _has_numbers(data)


TOTALS = TotalRows(
    find=_is_total,
    says=cells("amount", "quantity", name_in="store"),
    tolerance=agrees_exactly,
    lines=_has_numbers,
)


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    options, file, labels = facts.options, facts.file, dict(facts.mapping)
    header_currency, header_period = _header_facts(labels)
    data = drop_rows(data, ~_has_numbers(data), EMPTY)
    data = TOTALS.drop(data, facts)

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
    scan=TOTALS.scan,
)
