"""A period at a glance (the Overview page): total income and streams, the per-stream rate,
income and streams month by month, income by kind of use.

(Not named ``overview``: the package exports the function ``overview``, and a module of the same
name would be hidden behind it.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from royalty.analytics.aggregate import (
    RATE_QUANTUM,
    Filters,
    per_stream,
    round_money,
    rounded,
    totals,
)
from royalty.analytics.currency import Converter, FxNote
from royalty.analytics.frames import decimal_sum, sorted_by_income, sum_by


@dataclass(frozen=True)
class Overview:
    currency: str
    total_income: Decimal
    total_streams: int
    stream_income: Decimal
    income_per_stream: Decimal | None
    """Stream income / streams; None without streams."""
    income_per_1000: Decimal | None
    monthly: pd.DataFrame
    """month (int YYYYMM), income, streams."""
    by_kind: pd.DataFrame
    """kind, income, quantity."""
    fx: FxNote


def overview(engine: Engine, f: Filters, currency: str) -> Overview:
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["month", "kind"])
    monthly = rounded(sum_by(data, "month", ["income", "streams"]).sort_values("month"))
    by_kind = rounded(sorted_by_income(sum_by(data, "kind", ["income", "quantity"]), "kind"))
    total_income = decimal_sum(data["income"])
    stream_income = decimal_sum(data["stream_income"])
    streams = int(data["streams"].sum())
    rate = per_stream(stream_income, streams, RATE_QUANTUM)
    return Overview(
        currency=conv.currency,
        total_income=round_money(total_income),
        total_streams=streams,
        stream_income=round_money(stream_income),
        income_per_stream=rate,
        income_per_1000=None
        if rate is None
        else (stream_income * 1000 / streams).quantize(RATE_QUANTUM),
        monthly=monthly.reset_index(drop=True),
        by_kind=by_kind.reset_index(drop=True),
        fx=conv.note(),
    )
