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


def money_axis(currency: str, values: Iterable[float] | None = None) -> dict[str, object]:
    """Tick format for an axis in ``currency``: symbol prefix, thousands separators."""
    top = max((abs(v) for v in (values if values is not None else []) if v == v), default=0.0)
    fmt = ",.0f" if top >= 100 else ",.2f" if top >= 1 else ",.3~f"
    symbol = formatting.SYMBOLS.get(currency)
    axis: dict[str, object] = {"tickformat": fmt}
    if symbol:
        axis["tickprefix"] = symbol
    return axis


def floats(values: Iterable[object]) -> list[float]:
    """Exact values -> floats for plotting (None -> NaN, so plotly leaves a gap)."""
    return [float("nan") if v is None or v != v else float(v) for v in values]  # type: ignore[arg-type]


def month_dates(months: Iterable[int]) -> list[pd.Timestamp]:
    """``202407`` -> 2024-07-01, so plotly draws a time axis."""
    return [pd.Timestamp(year=int(m) // 100, month=int(m) % 100, day=1) for m in months]


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
