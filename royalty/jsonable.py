"""Results as plain JSON types, in one place: what ``--json`` prints and reports embed.

Decimals become exact decimal strings (JSON numbers are floats to most readers, and money
must not be), dataclasses their fields, tuples lists.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal

from royalty.money import decimal_text


def plain(value: object) -> object:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value
