"""Exact sums, shares, orderings and rates over the frames the SQL aggregations return.

The figures are ``Decimal`` in object columns, and pandas' own sums and sorts would go through
floats or refuse them; these helpers add, divide and order them exactly, in one place for every
query module of the package.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from royalty.analytics.aggregate import RATE_QUANTUM, SHARE_QUANTUM, per_stream


def decimal_sum(values: pd.Series) -> Decimal:
    """The exact sum of Decimal values (0 for none)."""
    return sum(values, Decimal(0))


def share_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` / ``whole`` (0..1) at ``SHARE_QUANTUM``; None when the whole is 0."""
    if whole == 0:
        return None
    return (part / whole).quantize(SHARE_QUANTUM)


def sum_by(data: pd.DataFrame, key: str, measures: list[str]) -> pd.DataFrame:
    """``measures`` summed per ``key``: income columns as exact Decimal, the others as int."""
    out: dict[object, dict[str, object]] = {}
    for row in data[[key, *measures]].itertuples(index=False):
        acc = out.setdefault(
            row[0], {m: (Decimal(0) if m.endswith("income") else 0) for m in measures}
        )
        for m, v in zip(measures, row[1:], strict=True):
            acc[m] += v
    frame = pd.DataFrame([{key: k, **v} for k, v in out.items()], columns=[key, *measures])
    for m in measures:
        frame[m] = frame[m].astype(object if m.endswith("income") else "int64")
    if key == "month":
        frame[key] = frame[key].astype("int64")
    return frame


def sorted_by_income(frame: pd.DataFrame, tie: str, *, ascending_tie: bool = True) -> pd.DataFrame:
    """Largest income first (exact Decimal comparison), ties by ``tie``."""
    incomes, ties = frame["income"].tolist(), frame[tie].tolist()  # not a lookup per row
    order = sorted(range(len(frame)), key=lambda i: (-incomes[i], _tie_key(ties[i], ascending_tie)))
    return frame.iloc[order].reset_index(drop=True)


def _tie_key(value: object, ascending: bool) -> object:
    if isinstance(value, str):
        return value.casefold()
    return value if ascending else -int(value)  # type: ignore[call-overload]


def per_stream_rates(frame: pd.DataFrame) -> pd.Series:
    """Each row's stream income / streams at ``RATE_QUANTUM`` (None without streams)."""
    return pd.Series(
        [
            per_stream(i, int(s), RATE_QUANTUM)
            for i, s in zip(frame["stream_income"], frame["streams"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )
