"""Numbers as people read them: money, per-stream rates, counts, percentages.

Every figure is rounded here and only here, from exact ``Decimal`` values. A per-stream rate
is a fraction of a penny, so it is written in minor units ("0.29p", "0.39¢") and never rounds
to a misleading "£0.00".
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥", "INR": "₹", "KRW": "₩",
           "AUD": "A$", "CAD": "CA$", "NZD": "NZ$"}  # fmt: skip
"""Currencies written with a symbol in front; any other is written "1,234.56 SEK"."""

MINOR_SUFFIX = {"GBP": "p", "USD": "¢", "EUR": " c", "AUD": "¢", "CAD": "¢", "NZD": "¢"}
"""Currencies whose per-stream rates read best in minor units (pence, cents)."""

MINOR_DIGITS = {
    **dict.fromkeys(("JPY", "KRW", "ISK", "CLP", "VND", "UGX", "PYG", "XOF", "XAF"), 0),
    **dict.fromkeys(("BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"), 3),
}
"""ISO 4217 minor-unit digits where they are not 2."""

DASH = "—"


def minor_digits(currency: str) -> int:
    """Decimal places of the currency's smallest unit (2 for GBP, 0 for JPY)."""
    return MINOR_DIGITS.get(currency.upper(), 2)


def _grouped(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{abs(value.quantize(quantum, rounding=ROUND_HALF_EVEN)):,.{places}f}"


def _with_symbol(number: str, currency: str, negative: bool, sign: str = "") -> str:
    code = currency.upper()
    lead = "-" if negative else sign
    if code in SYMBOLS:
        return f"{lead}{SYMBOLS[code]}{number}"
    return f"{lead}{number} {code}"


def money(value: Decimal, currency: str, *, signed: bool = False) -> str:
    """``£1,234.56``; a non-zero amount too small to show is ``<£0.01``, never ``£0.00``.

    ``signed`` writes a plus sign on gains ("+£12.30"), for differences.
    """
    places = minor_digits(currency)
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if value != 0 and rounded == 0:
        smallest = _with_symbol(_grouped(Decimal(1).scaleb(-places), places), currency, False)
        return f"<{smallest}" if value > 0 else f">-{smallest}"
    plus = "+" if signed and rounded > 0 else ""
    return _with_symbol(_grouped(value, places), currency, rounded < 0, plus)


def _significant(value: Decimal, minimum_places: int) -> str:
    """At least ``minimum_places`` decimals, more when needed to show 2 significant digits."""
    if value == 0:
        return "0"
    places = max(minimum_places, -value.adjusted() + 1)
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):,.{places}f}"


def rate(value: Decimal | None, currency: str) -> str:
    """A per-stream (per-unit) rate: ``0.29p``, ``0.39¢``, ``0.41 c``; ``—`` when unknown."""
    if value is None:
        return DASH
    code = currency.upper()
    if abs(value) >= 1:
        return money(value, code)
    if code in MINOR_SUFFIX:
        minor = value.scaleb(minor_digits(code))
        text = _significant(abs(minor), 2)
        return f"{'-' if minor < 0 else ''}{text}{MINOR_SUFFIX[code]}"
    return _with_symbol(_significant(abs(value), minor_digits(code)), code, value < 0)


def count(n: int) -> str:
    """``1,234,567``."""
    return f"{int(n):,}"


def percent(x: Decimal | None, *, signed: bool = False) -> str:
    """A fraction as a percentage with one decimal: ``Decimal("0.123")`` -> ``12.3%``.

    Non-zero shares below 0.05% read ``<0.1%`` rather than a misleading ``0.0%``.
    """
    if x is None:
        return DASH
    pct = (x * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    if x != 0 and pct == 0:
        return "<0.1%" if x > 0 else ">-0.1%"
    plus = "+" if signed and pct > 0 else ""
    return f"{plus}{pct:,.1f}%"
