"""Plotly figures from the analytics frames, shared by the app and the reports.

Money arrives as exact ``Decimal``; it becomes ``float`` in this package and only here,
because plotting is the one place where rounding cannot change a number anyone relies on.
One module per job: the colours every chart shares (``palette``), the one look and the axis
helpers (``look``), the charts of income (``income``) and of per-stream rates (``rates``).
Callers write ``charts.monthly_trend(...)``: the names below are the package's API.
"""

from __future__ import annotations

from royalty.charts.income import income_by_kind, monthly_trend, top_tracks_bar, world_map
from royalty.charts.look import (
    FONT,
    TITLE_LIMIT,
    bar_labels,
    floats,
    money_axis,
    month_axis,
    month_dates,
    rate_axis,
    rate_values,
    short,
    style,
)
from royalty.charts.palette import (
    CARD_BACKGROUNDS,
    HASH_PALETTE,
    INCOME_COLOR,
    INK,
    KIND_COLORS,
    OTHER_COLOR,
    PAPER,
    PLATFORM_COLORS,
    STREAMS_COLOR,
    contrast_ratio,
    label_color,
    platform_color,
)
from royalty.charts.rates import (
    AVERAGE_MARKER,
    SHARE_ROWS,
    pair_height,
    platform_rates_bar,
    rates_over_time,
    rates_vs_industry,
    share_streams_vs_income,
)

__all__ = [
    "AVERAGE_MARKER",
    "CARD_BACKGROUNDS",
    "FONT",
    "HASH_PALETTE",
    "INCOME_COLOR",
    "INK",
    "KIND_COLORS",
    "OTHER_COLOR",
    "PAPER",
    "PLATFORM_COLORS",
    "SHARE_ROWS",
    "STREAMS_COLOR",
    "TITLE_LIMIT",
    "bar_labels",
    "contrast_ratio",
    "floats",
    "income_by_kind",
    "label_color",
    "money_axis",
    "month_axis",
    "month_dates",
    "monthly_trend",
    "pair_height",
    "platform_color",
    "platform_rates_bar",
    "rate_axis",
    "rate_values",
    "rates_over_time",
    "rates_vs_industry",
    "share_streams_vs_income",
    "short",
    "style",
    "top_tracks_bar",
    "world_map",
]
