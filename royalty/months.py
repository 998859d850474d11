"""Statement dates -> integer months ``YYYYMM``.

Statements repeat a handful of distinct dates over millions of rows, so each distinct text is
parsed once (in Python, readable) and mapped back to the column (vectorized).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd

MONTH_NAMES = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan", "janvier", "janv"),
            ("february", "feb", "février", "fevrier", "févr"),
            ("march", "mar", "mars"),
            ("april", "apr", "avril", "avr"),
            ("may", "mai"),
            ("june", "jun", "juin"),
            ("july", "jul", "juillet", "juil"),
            ("august", "aug", "août", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "octobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "décembre", "decembre", "déc"),
        ],
        start=1,
    )
    for name in names
}

_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T].*)?$")
_MDY = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})(?:[ T].*)?$")
_NAME_YEAR = re.compile(r"^([A-Za-zéûô]+)\.?,? (\d{4})$")
_NAME_DAY_YEAR = re.compile(r"^([A-Za-zéûô]+)\.? \d{1,2},? (\d{4})$")
_DAY_NAME_YEAR = re.compile(r"^\d{1,2} ([A-Za-zéûô]+)\.? (\d{4})(?: .*)?$")
_QUARTER = re.compile(r"^([1-4])Q(\d{4})$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_month(text: str, *, day_first: bool = False) -> int | None:
    """One date-ish text -> ``YYYYMM``; ``None`` when it is not a date we understand.

    ``day_first`` decides ``03/04/2024`` (Believe FR writes DD/MM/YYYY; US layouts M/D/YYYY).
    """
    t = text.strip()
    if not t:
        return None
    if m := _YMD.match(t):
        year, month = int(m[1]), int(m[2])
    elif m := _MDY.match(t):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:
            year += 2000
        month = second if day_first else first
        if month > 12 and not day_first and second <= 12:
            month = second  # unambiguous day-first date in a month-first column
    elif (
        (m := _NAME_YEAR.match(t))
        or (m := _NAME_DAY_YEAR.match(t))
        or (m := _DAY_NAME_YEAR.match(t))
    ):
        month = MONTH_NAMES.get(m[1].lower(), 0)
        year = int(m[2])
    elif m := _QUARTER.match(t):
        year, month = int(m[2]), (int(m[1]) - 1) * 3 + 1
    elif _SERIAL.match(t):
        day = _EXCEL_EPOCH + timedelta(days=int(float(t)))
        year, month = day.year, day.month
    else:
        return None
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return None
    return year * 100 + month


def parse_months(values: pd.Series, *, day_first: bool = False) -> tuple[np.ndarray, pd.Series]:
    """Vectorized ``parse_month``: returns (months as int64 with 0 for bad, bad mask)."""
    codes, uniques = pd.factorize(values.fillna("").astype(str), sort=False)
    parsed = np.array([parse_month(u, day_first=day_first) or 0 for u in uniques], dtype=np.int64)
    months = parsed[codes] if len(uniques) else np.zeros(len(values), dtype=np.int64)
    bad = pd.Series(months == 0, index=values.index)
    return months, bad


def month_text(month: int | None) -> str:
    """``202407`` -> ``2024-07``."""
    if not month:
        return ""
    return f"{month // 100:04d}-{month % 100:02d}"


def parse_period(text: str) -> tuple[int, int]:
    """``2024-07..2025-06`` or ``2024`` -> (first month, last month); raises ValueError."""
    t = text.strip()
    if re.fullmatch(r"\d{4}", t):
        return int(t) * 100 + 1, int(t) * 100 + 12
    parts = re.split(r"\.\.|–|—|\s+to\s+", t)
    if len(parts) != 2:
        raise ValueError(f"period {text!r}: write it as YYYY-MM..YYYY-MM or a year")
    first, last = (parse_month(p) for p in parts)
    if not first or not last or first > last:
        raise ValueError(f"period {text!r}: write it as YYYY-MM..YYYY-MM, first month first")
    return first, last


def add_months(month: int, n: int) -> int:
    index = (month // 100) * 12 + (month % 100 - 1) + n
    return (index // 12) * 100 + index % 12 + 1
