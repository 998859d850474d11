"""Rates-only versions of the two charts whose hover text shows stream counts.

A rates-only report must not let a reader multiply streams by a rate to recover income, so
these figures carry per-stream rates and nothing absolute; colours, fonts, axes (in the unit
of the rate labels) and label colours come from ``royalty.charts`` so they look like the
other charts.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go

from royalty import charts, formatting
from royalty.formatting import plotly_text


def _rate(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def platform_rates_bar(table: pd.DataFrame, currency: str) -> go.Figure:
    """What each platform paid per stream; the hover shows the rate only."""
    title = "What each platform paid per stream"
    frame = table[table["income_per_stream"].notna()] if table is not None else None
    if frame is None or frame.empty:
        return charts.style(go.Figure(), title)
    rates = [_rate(v) for v in frame["income_per_stream"]]
    order = sorted(range(len(rates)), key=lambda i: rates[i] or 0)
    names = [str(frame["platform"].iloc[i]) for i in order]
    colors = [charts.platform_color(n) for n in names]
    values = charts.rate_values([rates[i] for i in order], currency)
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[charts.short(n) for n in names],
            orientation="h",
            marker_color=colors,
            text=[formatting.rate(rates[i], currency) for i in order],
            **charts.bar_labels(colors, values),
            customdata=[plotly_text(n) for n in names],
            hovertemplate="%{customdata}<br>%{text} per stream<extra></extra>",
        )
    )
    fig.update_xaxes(charts.rate_axis(currency), rangemode="tozero")
    fig.update_yaxes(title_text=None)
    return charts.style(fig, title, height=max(280, 80 + 36 * len(names)))


def rates_over_time(by_month: pd.DataFrame, currency: str) -> go.Figure:
    """What each platform paid per stream month by month, one line per platform, rates only."""
    title = "Paid per stream, month by month"
    if by_month is None or by_month.empty:
        return charts.style(go.Figure(), title)
    frame = by_month[by_month["income_per_stream"].notna()]
    fig = go.Figure()
    order = frame.groupby("platform")["streams"].sum().sort_values(ascending=False).index
    for platform in order:
        rows = frame[frame["platform"] == platform].sort_values("month")
        rates = [_rate(v) for v in rows["income_per_stream"]]
        fig.add_scatter(
            x=charts.month_dates(rows["month"]),
            y=charts.rate_values(rates, currency),
            name=charts.short(platform, 24),
            mode="lines+markers",
            line={"color": charts.platform_color(str(platform)), "width": 2},
            marker={"size": 5},
            customdata=[[formatting.rate(r, currency), plotly_text(platform)] for r in rates],
            hovertemplate=(
                "%{customdata[1]}<br>%{x|%b %Y}: %{customdata[0]} per stream<extra></extra>"
            ),
        )
    fig.update_xaxes(charts.month_axis(frame["month"]), title_text="Month of use")
    fig.update_yaxes(charts.rate_axis(currency), rangemode="tozero")
    return charts.style(fig, title, legend="bottom", height=460)
