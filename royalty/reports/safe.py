"""Spreadsheet safety: statement text must never become a formula in Excel, LibreOffice or Sheets.

Track titles, store names and file names come from distributors' files, so a title such as
``=HYPERLINK("http://x","y")`` is possible. Spreadsheet programs treat a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and, after trimming, TAB or CR) as a formula, in CSV too. The
OWASP advice is to prefix such text with a single quote, which shows the text as typed.

Only TEXT cells are changed: amounts and counts are written as numbers (a negative amount is a
number, not text), so callers pass numbers through ``cell`` untouched.
"""

from __future__ import annotations

from decimal import Decimal

RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these would be read as a formula."""


def text(value: str) -> str:
    """A text cell, neutralized: ``=1+1`` -> ``'=1+1``; other text unchanged."""
    if value.startswith(RISKY_FIRST):
        return "'" + value
    return value


def cell(value: object) -> object:
    """Neutralize text; numbers (int, float, Decimal), None and booleans pass unchanged."""
    if isinstance(value, str):
        return text(value)
    return value


def is_number(value: object) -> bool:
    """True for values that a spreadsheet must store as numbers."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
