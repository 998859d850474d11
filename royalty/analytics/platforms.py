"""Figures per platform: income, shares of streams and income, per-stream rates and their spread
from month to month, and each platform's rate month by month.

These are what the Platforms page compares; a rate from a handful of plays is noise, so a
platform under ``min_streams`` streams gets none. (Which raw store name is which platform is
``royalty.platforms``.)
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from royalty.analytics.aggregate import (
    RATE_QUANTUM,
    Filters,
    per_stream,
    platform_names_by_id,
    round_money,
    rounded,
    totals,
)
from royalty.analytics.currency import Converter
from royalty.analytics.frames import decimal_sum, share_of, sorted_by_income


def _percentile(values: list[Decimal], q: Decimal) -> Decimal:
    """Linear-interpolated percentile of sorted ``values`` (the common "type 7" definition)."""
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def platform_table(
    engine: Engine, f: Filters, currency: str, min_streams: int = 1000
) -> pd.DataFrame:
    """One row per platform, by income (largest first).

    Columns: platform, streams, income, stream_income, share_of_streams, share_of_income
    (Decimal 0..1), income_per_stream, and the spread of its monthly rates: median_monthly_rate,
    rate_low and rate_high (25th/75th percentile), months (with streams). Rates are None for a
    platform with fewer than ``min_streams`` streams: a rate from a handful of plays is noise.
    ``frame.attrs["fx"]`` is the FxNote.
    """
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["platform", "month"])
    names = platform_names_by_id(engine)
    total_streams = int(data["streams"].sum())
    total_income = decimal_sum(data["income"])
    rows = []
    for platform_id, group in data.groupby("platform", sort=False):
        streams = int(group["streams"].sum())
        income = decimal_sum(group["income"])
        stream_income = decimal_sum(group["stream_income"])
        monthly = sorted(
            s_inc / s
            for s_inc, s in zip(group["stream_income"], group["streams"], strict=True)
            if s > 0
        )
        shown = streams >= min_streams and streams > 0
        spread = (
            [
                _percentile(monthly, Decimal(q)).quantize(RATE_QUANTUM)
                for q in ("0.5", "0.25", "0.75")
            ]
            if shown and monthly
            else [None, None, None]
        )
        rows.append(
            {
                "platform": names[int(platform_id)],
                "streams": streams,
                "income": round_money(income),
                "stream_income": round_money(stream_income),
                "share_of_streams": share_of(Decimal(streams), Decimal(total_streams)),
                "share_of_income": share_of(income, total_income),
                "income_per_stream": per_stream(stream_income, streams, RATE_QUANTUM)
                if shown
                else None,
                "median_monthly_rate": spread[0],
                "rate_low": spread[1],
                "rate_high": spread[2],
                "months": len(monthly),
            }
        )
    columns = ["platform", "streams", "income", "stream_income", "share_of_streams",
               "share_of_income", "income_per_stream", "median_monthly_rate", "rate_low",
               "rate_high", "months"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame = sorted_by_income(frame, "platform")
    frame.attrs["fx"] = conv.note()
    return frame


def platform_rates_by_month(engine: Engine, f: Filters, currency: str) -> pd.DataFrame:
    """month, platform, streams, income, income_per_stream (stream income / streams)."""
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["month", "platform"])
    names = platform_names_by_id(engine)
    frame = pd.DataFrame(
        {
            "month": data["month"].astype("int64"),
            "platform": [names[int(p)] for p in data["platform"]],
            "streams": data["streams"],
            "income": rounded(data)["income"],
            "income_per_stream": pd.Series(
                [
                    per_stream(i, s, RATE_QUANTUM)
                    for i, s in zip(data["stream_income"], data["streams"], strict=True)
                ],
                dtype=object,
            ),
        }
    )
    frame = frame.sort_values(["month", "platform"]).reset_index(drop=True)
    frame.attrs["fx"] = conv.note()
    return frame
