"""Exact money: statement text -> canonical decimal text and integer nano-units.

Amounts never pass through float. A column is cleaned as text (currency signs, thousands
separators, decimal commas, ``(1.23)`` negatives), validated, and then converted with pyarrow
decimals, which are exact and vectorized (a million values in well under a second).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    InvalidOperation,
    Overflow,
)

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from royalty.vocabulary import NANO

_PLAIN = r"^-?\d+(\.\d+)?$"
_STRIP = r"[\s\x{00a0}\x{202f}$£€¥'\"]"
MAX_SCALE = 30

# A number style is a file's way of writing decimals: a point (``1,234.56``) or a comma
# (``1.234,56``, ``1 234,56``). A cell is *evidence* of a style when only that style reads it:
# ``0.05``, ``12.5``, ``1,234.56`` or ``1,234,567`` say point; ``0,05``, ``12,5``, ``1.234,56``
# say comma. ``1,250``, ``1.250`` and whole numbers could be either and say nothing.
_POINT_EVIDENCE = (
    r"^-?\d*\.(\d{1,2}|\d{4,})$|^-?0*\.\d+$|,\d{3}\.|,\d{3},|^-?\d+(\.\d+)?[eE][-+]?\d+$"
)
_COMMA_EVIDENCE = r"^-?\d*,(\d{1,2}|\d{4,})$|^-?0*,\d+$|\.\d{3},|\.\d{3}\."
# What each style accepts (after currency signs, spaces and signs are tidied): plain digits or
# correct thousands groups, then the decimal part; the point style also takes ``1.2E-05``.
_POINT_FORM = r"^-?((\d+|\d{1,3}(,\d{3})+)(\.\d*)?|\.\d+|\d+(\.\d+)?[eE][-+]?\d+)$"
_COMMA_FORM = r"^-?((\d+|\d{1,3}(\.\d{3})+)(,\d*)?|,\d+)$"
_FAST = {False: _PLAIN, True: r"^-?\d+$"}
"""Cells that need no clean-up in each style (the common case skips it)."""
_FAST_COMMA = r"^-?\d+(,\d+)?$"
"""Decimal-comma cells whose only clean-up is the comma made a point."""
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, Overflow])
"""Decimal arithmetic that never rounds: the default context keeps 28 significant digits,
and a statement may give 40."""


def style_name(decimal_comma: bool) -> str:
    return "a decimal comma (1.234,56)" if decimal_comma else "a decimal point (1,234.56)"


@dataclass
class ParsedAmounts:
    text: pd.Series
    """Canonical exact decimal text, e.g. ``-0.01308573`` (None where invalid)."""
    nano: np.ndarray
    """The same values in nano-units (int64), rounded half-even beyond 9 decimals."""
    bad: pd.Series
    """Boolean mask of values that are not numbers."""


def _arrow(values: pd.Series | pa.Array | pa.ChunkedArray) -> pa.Array:
    """Text values as one pyarrow string array, without a trip through Python objects."""
    if isinstance(values, pa.ChunkedArray):
        # ``pa.array`` of a chunked array converts value by value, ten times slower
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.string())
    return pc.fill_null(arr, "")


def _series(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=index, dtype=object)


def _tidy(arr: pa.Array) -> pa.Array:
    """Currency signs and spaces dropped, ``(1.23)`` and ``+1.23`` as plain signs."""
    s = pc.replace_substring_regex(arr, pattern=_STRIP, replacement="")
    s = pc.replace_substring_regex(s, pattern=r"^\((.*)\)$", replacement=r"-\1")
    return pc.replace_substring_regex(s, pattern=r"^\+", replacement="")


def style_evidence(values: pd.Series | pa.Array) -> tuple[int, int]:
    """(cells only a decimal point reads, cells only a decimal comma reads)."""
    arr = _arrow(values)
    if not pc.any(pc.match_substring_regex(arr, r"[.,]")).as_py():
        return 0, 0
    arr = _tidy(arr)
    point = pc.sum(pc.match_substring_regex(arr, _POINT_EVIDENCE)).as_py() or 0
    comma = pc.sum(pc.match_substring_regex(arr, _COMMA_EVIDENCE)).as_py() or 0
    return int(point), int(comma)


def decide_style(point: int, comma: int) -> bool | None:
    """Decimal comma (True), point (False), or None when nothing tells them apart.

    The style most cells show wins; the cells of the other style are then errors, each named
    by its row and column, so one stray ``12,5`` among ``0.05``s is reported, not obeyed.
    """
    if point == comma == 0:
        return None
    return comma > point


def guess_decimal_comma(values: pd.Series) -> bool:
    """True when a column writes decimals with a comma (Believe, European re-saves).

    ``1,200`` alone says nothing and is read with a decimal point (a thousands separator).
    """
    return bool(decide_style(*style_evidence(values)))


def clean_numbers(
    values: pd.Series | pa.Array, *, decimal_comma: bool
) -> tuple[pa.Array, pa.Array]:
    """Statement number text -> (plain ``-?digits(.digits)?`` text, cells not in the style).

    A cell is read only by the file's one style: in a decimal-point file ``12,5`` and
    ``1 234,56`` are errors, never 125 or 123456; in a decimal-comma file so is ``11.4008``.
    """
    s = _tidy(_arrow(values))
    fits = pc.match_substring_regex(s, _COMMA_FORM if decimal_comma else _POINT_FORM)
    if decimal_comma:
        s = pc.replace_substring(pc.replace_substring(s, ".", ""), ",", ".")
    else:
        s = pc.replace_substring(s, ",", "")
    s = pc.replace_substring_regex(s, pattern=r"^(-?)\.", replacement=r"\10.")  # RE2: \1 "0."
    s = pc.replace_substring_regex(s, pattern=r"^(-?\d+)\.$", replacement=r"\1")
    return s, pc.invert(fits)


def _scientific_to_plain(text: str) -> str | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return format(value, "f")


def parse_amounts(values: pd.Series, *, decimal_comma: bool | None = None) -> ParsedAmounts:
    """Parse a column of money text exactly, in one number style (``None``: the style the
    column itself shows, see ``decide_style``). Empty cells are invalid (callers decide
    defaults); so is every cell the style does not read."""
    text = _arrow(values)
    if decimal_comma is None:
        decimal_comma = guess_decimal_comma(values)
    plain = pc.match_substring_regex(text, _FAST[decimal_comma])
    misfit = None
    if (
        decimal_comma
        and not pc.all(plain).as_py()
        and pc.all(pc.match_substring_regex(text, _FAST_COMMA)).as_py()
    ):  # ``0,0234``: only the comma changes
        text = pc.replace_substring(text, ",", ".")
        plain = pa.array(np.ones(len(text), dtype=bool))
    if not pc.all(plain).as_py():  # the common case, plain numbers, skips the clean-up
        # only the cells that need it: each is cleaned alone, and a plain one would stay as is
        odd = pc.fill_null(pc.invert(plain), False)
        cleaned, odd_misfit = clean_numbers(pc.filter(text, odd), decimal_comma=decimal_comma)
        text = pc.replace_with_mask(text, odd, cleaned)
        misfit = pc.replace_with_mask(pa.array(np.zeros(len(text), dtype=bool)), odd, odd_misfit)
        plain = pc.match_substring_regex(text, _PLAIN)
    if not pc.all(plain).as_py():
        # Rare forms such as 1.2E-05 (a spreadsheet re-save, a small amount in a workbook) are
        # still exact via Decimal; only those cells are made Python objects
        odd = pc.fill_null(pc.invert(plain), False)
        fixed = [_scientific_to_plain(t) or t for t in pc.filter(text, odd).to_pylist()]
        text = pc.replace_with_mask(text, odd, pa.array(fixed, type=text.type))
        plain = pc.match_substring_regex(text, _PLAIN)
    # Nano-units in int64 hold up to 9.2 billion per line; more is a mis-parse, not a royalty.
    # Leading zeros are padding, not size (ASCAP writes `` 00000000000000000.00262``).
    too_big = pc.match_substring_regex(text, r"^-?0*[1-9]\d{9,}")
    bad = pc.or_(pc.invert(plain), too_big)
    if misfit is not None:
        bad = pc.or_(bad, misfit)
    any_bad = bool(pc.any(bad).as_py())
    nano = to_nano(pc.if_else(bad, "0", text) if any_bad else text)
    negative = pc.starts_with(text, "-0").to_numpy(zero_copy_only=False)
    if (negative & (nano == 0)).any():  # a negative zero is zero (worth a look only then)
        text = pc.replace_substring_regex(text, pattern=r"^-(0(\.0+)?)$", replacement=r"\1")
    if any_bad:
        text = pc.if_else(bad, pa.scalar(None, pa.string()), text)
    return ParsedAmounts(
        text=_series(text, values.index),
        nano=nano,
        bad=pd.Series(bad.to_numpy(zero_copy_only=False), index=values.index),
    )


def _digits(arr: pa.Array) -> tuple[int, int]:
    """(most characters before the point, sign included; most digits after it)."""
    dot = pc.find_substring(arr, ".")
    length = pc.binary_length(arr)
    has_dot = pc.greater_equal(dot, 0)
    whole = pc.if_else(has_dot, dot, length)
    frac = pc.if_else(has_dot, pc.subtract(pc.subtract(length, dot), 1), 0)
    return int(pc.max(whole).as_py() or 0), int(pc.max(frac).as_py() or 0)


DECIMAL128_DIGITS = 38


def to_nano(text: pd.Series | pa.Array) -> np.ndarray:
    """Exact text -> int64 nano-units (round half-even past the 9th decimal).

    Amounts of up to 9 whole digits are parsed as 128-bit decimals (faster than 256-bit
    ones); at 9 decimals their unscaled integers are the nano-units themselves.
    """
    arr = _arrow(text)
    if len(arr) == 0:
        return np.zeros(0, dtype=np.int64)
    whole, scale = _digits(arr)
    if scale > MAX_SCALE:
        return np.array([decimal_to_nano(Decimal(t)) for t in arr.to_pylist()], dtype=np.int64)
    if whole + max(scale, 9) <= INT64_DIGITS:
        nano = _int_nano(arr)
        if nano is not None:
            return nano
    fits = whole <= 9 and whole + max(scale, 9) <= DECIMAL128_DIGITS
    if fits and sys.byteorder == "little":
        exact = pc.cast(arr, pa.decimal128(DECIMAL128_DIGITS, max(scale, 9)))
        if scale > 9:
            exact = pc.round(exact, ndigits=9, round_mode="half_to_even")
        nano = _unscaled(pc.cast(exact, pa.decimal128(DECIMAL128_DIGITS, 9)))
        if nano is not None:
            return nano
    exact = pc.cast(arr, pa.decimal256(76, max(scale, 9)))
    if scale > 9:
        exact = pc.round(exact, ndigits=9, round_mode="half_to_even")
    nine = pc.cast(exact, pa.decimal256(40, 9))
    scaled = pc.multiply(nine, pa.scalar(Decimal(NANO), pa.decimal256(10, 0)))
    return pc.cast(scaled, pa.int64()).to_numpy(zero_copy_only=False)


INT64_DIGITS = 18
"""Digits every int64 holds."""
_POWERS = 10 ** np.arange(INT64_DIGITS + 1, dtype=np.int64)


def _int_nano(arr: pa.Array) -> np.ndarray | None:
    """Nano-units of decimal text whose digits, and whose value at 9 decimals, fit in int64:
    the digits read as one integer and scaled (rounded half-even past the 9th decimal) in
    integer arithmetic, cheaper than a decimal cast. None for text that is not such a
    number."""
    if arr.null_count:
        return None
    length = pc.binary_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
    dot = pc.find_substring(arr, ".").to_numpy(zero_copy_only=False).astype(np.int64)
    digits = pc.replace_substring(arr, ".", "")
    if not np.array_equal(pc.binary_length(digits).to_numpy(zero_copy_only=False),
                          length - (dot >= 0)):  # fmt: skip
        return None  # more than one point
    try:
        value = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    frac = np.where(dot >= 0, length - dot - 1, 0)
    if not (frac > 9).any():
        return value * _POWERS[9 - frac]
    short = frac <= 9
    nano = np.empty(len(value), dtype=np.int64)
    nano[short] = value[short] * _POWERS[9 - frac[short]]
    long = ~short
    unit = _POWERS[frac[long] - 9]
    size = np.abs(value[long])
    whole, rest = size // unit, size % unit
    whole += (2 * rest > unit) | ((2 * rest == unit) & (whole % 2 == 1))  # half to even
    nano[long] = np.where(value[long] < 0, -whole, whole)
    return nano


def _unscaled(values: pa.Array) -> np.ndarray | None:
    """The unscaled integers of a 128-bit decimal array without nulls, or None when one does
    not fit in int64. (Each value is 16 bytes, low half first, on little-endian machines.)"""
    if values.null_count:
        return None
    words = np.frombuffer(values.buffers()[1], dtype=np.int64)
    words = words[2 * values.offset : 2 * (values.offset + len(values))]
    low, high = words[0::2], words[1::2]
    if not np.array_equal(high, low >> 63):
        return None
    return low.copy()


def decimal_to_nano(value: Decimal) -> int:
    """Rounded once, half-even at the 9th decimal (never first to 28 digits, then again)."""
    return int(EXACT.multiply(value, NANO).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def nano_to_decimal(nano: int) -> Decimal:
    return Decimal(int(nano)).scaleb(-9, EXACT).normalize(EXACT) if nano else Decimal(0)


def exact_sum(text: pd.Series | pa.Array) -> Decimal:
    """Exact sum of canonical decimal text, at the full precision the values carry."""
    arr = pc.drop_null(_arrow(text)) if isinstance(text, pa.Array) else _arrow(text.dropna())
    if len(arr) == 0:
        return Decimal(0)
    whole, scale = _digits(arr)
    if scale > MAX_SCALE:
        return exact_add(Decimal(t) for t in arr.to_pylist())
    # the sum has at most as many whole digits as a value plus as many as the count
    narrow = whole + len(str(len(arr))) + scale <= DECIMAL128_DIGITS
    exact = pa.decimal128(DECIMAL128_DIGITS, scale) if narrow else pa.decimal256(76, scale)
    total = pc.sum(pc.cast(arr, exact)).as_py()
    return Decimal(total) if total is not None else Decimal(0)


def exact_add(values: Iterable[Decimal]) -> Decimal:
    """The sum of Decimals with every digit kept."""
    total = Decimal(0)
    for value in values:
        total = EXACT.add(total, value)
    return total


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain text, without exponent and without trailing zeros beyond the unit
    (every digit kept: ``normalize`` in the default context would round to 28)."""
    if value == 0:
        return "0"
    return format(value.normalize(EXACT), "f")


_WHOLE = r"^-?\d{1,15}$"
_QUANTITY_FORM = {
    False: r"^-?(\d+|\d{1,3}(,\d{3})+)(\.0*)?$",  # 1,200 and a spreadsheet's 3.0
    True: r"^-?(\d+|\d{1,3}(\.\d{3})+)(,0*)?$",  # 12.480 and 3,0
}


def parse_quantities(
    values: pd.Series, *, decimal_comma: bool = False
) -> tuple[np.ndarray, pd.Series]:
    """Units are whole numbers, written in the file's number style; empty is none.

    ``1,200`` is twelve hundred with a decimal point and ``12.480`` twelve thousand four
    hundred and eighty with a decimal comma; ``12,5`` units is an error in either.
    """
    s = _arrow(values)
    if not pc.all(pc.match_substring_regex(s, _WHOLE)).as_py():  # plain whole numbers need none
        s = _tidy(s)
        fits = pc.or_(pc.match_substring_regex(s, _QUANTITY_FORM[decimal_comma]), pc.equal(s, ""))
        group, point = (".", ",") if decimal_comma else (",", ".")
        s = pc.replace_substring(s, group, "")
        s = pc.replace_substring_regex(s, pattern=f"\\{point}0*$", replacement="")
        s = pc.if_else(pc.equal(s, ""), "0", s)
        s = pc.if_else(fits, s, "not a count")
    bad = pc.invert(pc.match_substring_regex(s, _WHOLE))
    good = pc.cast(pc.if_else(bad, "0", s), pa.int64()).to_numpy(zero_copy_only=False)
    return good, pd.Series(bad.to_numpy(zero_copy_only=False), index=values.index)
