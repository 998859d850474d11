"""Plotly figures from the analytics frames, shared by the app and the reports.

Money arrives as exact ``Decimal``; it becomes ``float`` in this package and only here,
because plotting is the one place where rounding cannot change a number anyone relies on.
One module per job: the colours every chart shares (``palette``), the one look and the axis
helpers (``look``), the charts of income (``income``) and of per-stream rates (``rates``).
Callers write ``charts.monthly_trend(...)``: the names below are the package's API.
"""

from __future__ import annotations

from royalty.charts.income import income_by_kind, monthly_trend, top_tracks_bar, world_map
from royalty.charts.look import FONT, TITLE_LIMIT, floats, money_axis, month_dates, short, style
from royalty.charts.palette import (
    HASH_PALETTE,
    INCOME_COLOR,
    KIND_COLORS,
    OTHER_COLOR,
    PLATFORM_COLORS,
    STREAMS_COLOR,
    platform_color,
)
from royalty.charts.rates import (
    SHARE_ROWS,
    platform_rates_bar,
    rates_over_time,
    rates_vs_industry,
    share_streams_vs_income,
)

__all__ = [
    "FONT",
    "HASH_PALETTE",
    "INCOME_COLOR",
    "KIND_COLORS",
    "OTHER_COLOR",
    "PLATFORM_COLORS",
    "SHARE_ROWS",
    "STREAMS_COLOR",
    "TITLE_LIMIT",
    "floats",
    "income_by_kind",
    "money_axis",
    "month_dates",
    "monthly_trend",
    "platform_color",
    "platform_rates_bar",
    "rates_over_time",
    "rates_vs_industry",
    "share_streams_vs_income",
    "short",
    "style",
    "top_tracks_bar",
    "world_map",
]
