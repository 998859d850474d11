"""Reconciliation: the database holds, per currency, exactly the lines and the nano-units the
import meant to store, counted and summed in SQL, or nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sqlalchemy import (
    CursorResult,
    case,
    func,
    select,
)

from royalty.errors import StatementError
from royalty.money import (
    decimal_text,
    nano_to_decimal,
)
from royalty.store.models import (
    NANO,
    EarningLine,
)


class Tally:
    """What this import meant to store, per currency: lines, nano-units, and the sum of the
    lines' absolute nano-units (which bounds every partial sum SQL will make)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counts: dict[str, int] = {}
        self.nano: dict[str, int] = {}
        self.size: dict[str, int] = {}

    def add(self, lines: pd.DataFrame) -> None:
        for currency, nano in lines.groupby("currency", sort=False)["amount_nano"]:
            self.nano[currency] = self.nano.get(currency, 0) + _exact_int_sum(nano)
            self.counts[currency] = self.counts.get(currency, 0) + len(nano)
            size = self.size.get(currency, 0) + _exact_int_sum(nano.abs())
            self.size[currency] = size
            if size > INT64_MAX:  # SQL sums in 64-bit integers: refuse rather than overflow
                raise StatementError(
                    self.name,
                    f"its amounts in {currency} add up to more than "
                    f"{INT64_MAX // NANO:,} (in absolute value), which no statement does; "
                    "is a column read as money that holds something else?",
                )


def reconcile(execute: Callable[..., CursorResult], statement_id: int, tally: Tally) -> None:
    """Sum what the database now holds for this statement and compare, per currency.

    ``COUNT`` and ``SUM(amount_nano)`` in SQL are exact integers on every backend, and the
    very numbers every page sums; they must equal the lines this import meant to store.
    (The file's own decimal totals, at full precision, are kept in ``statement_total``.)
    """
    meant = {c: (tally.counts[c], tally.nano[c]) for c in tally.counts}
    held = _held(execute, statement_id, sorted(meant))
    for currency in sorted(set(held) | set(meant)):
        lines, nano = meant.get(currency, (0, 0))
        got_lines, got_nano = held.get(currency, (0, 0))
        if (got_lines, got_nano) != (lines, nano):
            raise StatementError(
                tally.name,
                f"does not reconcile in {currency}: the file sums to "
                f"{decimal_text(nano_to_decimal(nano))} in {lines:,} lines, the database "
                f"would hold {decimal_text(nano_to_decimal(got_nano))} in {got_lines:,}; "
                "nothing was stored",
            )


def _held(
    execute: Callable[..., CursorResult], statement_id: int, currencies: list[str]
) -> dict[str, tuple[int, int]]:
    """(lines, nano-units) the database holds for this statement, per currency.

    One pass over the statement's lines with a sum per expected currency (a ``GROUP BY``
    sorts them all: twice as slow on a million lines); only when some line is in none of
    those currencies are they grouped, to say which.
    """
    line = EarningLine.__table__.c
    sums = []
    for currency in currencies:
        mine = line.currency == currency
        sums.append(func.sum(case((mine, 1), else_=0)))
        sums.append(func.sum(case((mine, line.amount_nano), else_=0)))
    row = execute(select(func.count(), *sums).where(line.statement_id == statement_id)).one()
    held = {
        c: (int(row[1 + 2 * i] or 0), int(row[2 + 2 * i] or 0)) for i, c in enumerate(currencies)
    }
    if int(row[0]) == sum(lines for lines, _ in held.values()):
        return held
    return {
        currency: (int(lines), int(nano))
        for currency, lines, nano in execute(
            select(line.currency, func.count(), func.coalesce(func.sum(line.amount_nano), 0))
            .where(line.statement_id == statement_id)
            .group_by(line.currency)
        )
    }


INT64_MAX = 2**63 - 1


def _exact_int_sum(values: pd.Series) -> int:
    """Sum of int64 values with no silent overflow (Python ints when int64 could wrap)."""
    array = values.to_numpy(dtype=np.int64)
    if len(array) == 0:
        return 0
    if int(np.abs(array).max()) < (2**63 - 1) // len(array):
        return int(array.sum())
    return sum(int(v) for v in array)
