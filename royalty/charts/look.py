"""The one look of every chart, and the axis helpers the charts share.

The app and the reports (HTML, PDF, image card) show the same figures, so each chart is styled
in one place: the same font, title, margins and legend, money axes with the currency's symbol,
month axes as dates, long names shortened and escaped (statement text is not plotly markup).
Exact money becomes ``float`` here (``floats``) for plotting only; the text a chart shows
comes from the exact ``Decimal`` (``exact``) through ``royalty.formatting``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go

from royalty import formatting
from royalty.charts.palette import INK, label_color
from royalty.formatting import plotly_text

FONT = "Inter, system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
TITLE_LIMIT = 38
"""Longer track and platform names are shortened on axes (the full name is in the hover)."""


def style(
    fig: go.Figure, title: str, *, legend: bool | str = False, height: int = 400
) -> go.Figure:
    """One look for every chart: readable at laptop and phone width.

    ``legend``: ``True`` puts a one-line legend between the title and the plot; ``"bottom"``
    puts a long one (many platforms) under the plot, where it may wrap freely.
    """
    bottom = legend == "bottom"
    fig.update_layout(
        template="plotly_white",
        title={"text": plotly_text(title), "x": 0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT, "size": 13, "color": "#1F2937"},
        height=height,
        margin={"l": 8, "r": 8, "t": 88 if legend and not bottom else 56, "b": 8},
        showlegend=bool(legend),
        legend={
            "orientation": "h",
            "yanchor": "top" if bottom else "bottom",
            "y": -0.08 if bottom else 1.01,
            "xanchor": "left",
            "x": 0,
            "title": {"text": ""},
            "font": {"size": 12},
        },
        hoverlabel={"font": {"family": FONT}},
        separators=".,",
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    fig.update_xaxes(automargin=True, title_standoff=8)
    fig.update_yaxes(automargin=True, title_standoff=8, ticklabelstandoff=6)
    return fig


INSIDE_SHARE = 0.35
"""A bar at least this share of the longest holds its label; a shorter one has it outside."""


def bar_labels(colors: Iterable[str], values: Iterable[float | None]) -> dict[str, object]:
    """Value labels that read on their bars: inside a bar white or ink, whichever has the
    higher contrast with that bar's colour (at least WCAG AA for text, measured in the tests);
    outside, on the white background, ink. Where a label goes is decided here, not by
    plotly's "auto", which hides a label a little too long for its bar when text must keep
    one size (``uniformtext``): every bar keeps its figure."""
    lengths = [abs(v) if v is not None and v == v else 0.0 for v in values]
    top = max(lengths, default=0.0)
    return {
        "textposition": [
            "inside" if top and v >= INSIDE_SHARE * top else "outside" for v in lengths
        ],
        "insidetextfont": {"color": [label_color(c) for c in colors]},
        "outsidetextfont": {"color": INK},
        "textangle": 0,  # a label that does not fit goes outside, never turned on its side
    }


def bars_height(bars: int, per_bar: int = 36) -> int:
    """A horizontal bar chart tall enough for ``bars`` readable bars, and no taller."""
    return max(280, 80 + per_bar * bars)


def money_axis(currency: str, values: Iterable[float] | None = None) -> dict[str, object]:
    """Tick format for an axis in ``currency``: symbol prefix, thousands separators."""
    top = max((abs(v) for v in (values if values is not None else []) if v == v), default=0.0)
    fmt = ",.0f" if top >= 100 else ",.2f" if top >= 1 else ",.3~f"
    symbol = formatting.SYMBOLS.get(currency)
    axis: dict[str, object] = {"tickformat": fmt}
    if symbol:
        axis["tickprefix"] = symbol
    return axis


def rate_axis(currency: str, title: str = "Paid per stream") -> dict[str, object]:
    """An axis of per-stream rates in the unit their labels use ("0.24p" on an axis in pence,
    never pence on the bars and pounds per 1,000 on the axis); plot ``rate_values``."""
    _power, prefix, suffix, words = formatting.rate_unit(currency)
    axis: dict[str, object] = {"title": {"text": f"{title} ({words})"}}
    if prefix:
        axis["tickprefix"] = prefix
    if suffix:
        axis["ticksuffix"] = suffix
    return axis


def rate_values(values: Iterable[object], currency: str) -> list[float]:
    """Per-stream rates as floats in the unit of ``rate_axis`` (pence for GBP)."""
    power = formatting.rate_unit(currency)[0]
    scaled = [None if (r := exact(v)) is None else r.scaleb(power) for v in values]
    return floats(scaled)  # scaled exactly, then made a float: 0.7, not 0.7000000000000001


def floats(values: Iterable[object]) -> list[float]:
    """Exact values -> floats for plotting (None -> NaN, so plotly leaves a gap)."""
    return [float("nan") if v is None or v != v else float(v) for v in values]  # type: ignore[arg-type]


def month_dates(months: Iterable[int]) -> list[pd.Timestamp]:
    """``202407`` -> 2024-07-01, so plotly draws a time axis."""
    return [pd.Timestamp(year=int(m) // 100, month=int(m) % 100, day=1) for m in months]


def month_axis(months: Iterable[int]) -> dict[str, object]:
    """A time axis over exactly the months with data: a tick on the first month and every
    month, quarter or year after it, none past the last month, and half a month of room at
    each end (so neither end's bar is cut)."""
    dates = sorted(set(month_dates(months)))
    if not dates:
        return {}
    step = 1 if len(dates) <= 8 else 3 if len(dates) <= 36 else 12
    first, last = dates[0], dates[-1]
    count = (last.year - first.year) * 12 + last.month - first.month
    ticks = [first + pd.DateOffset(months=k) for k in range(0, count + 1, step)]
    half = pd.Timedelta(days=15)
    return {
        "tickvals": ticks,
        "tickformat": "%b %Y",
        "range": [first - half, last + half],
    }


def short(name: object, limit: int = TITLE_LIMIT) -> str:
    """Shorten a long name for an axis label and escape it (statement text is not markup)."""
    text = str(name)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return plotly_text(text)


def exact(value: object) -> Decimal | None:
    """A value as the exact ``Decimal`` the formatters take (None stays None, NaN too)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def empty(title: str, message: str) -> go.Figure:
    """A titled chart that says why there is nothing to draw, instead of empty axes."""
    fig = go.Figure()
    fig.add_annotation(
        text=plotly_text(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
        font={"size": 15, "color": "#6B7280"},
    )  # fmt: skip
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, title, height=260)
