"""Charts of what each platform paid per stream: the rates, their share of streams vs income,
month by month, and next to published averages.

Only income of kind ``stream`` counts towards a rate (see ``royalty.analytics``), and a
platform with too few streams has no rate: it is left off the charts of rates rather than drawn
as noise. Rates are plotted per stream in the unit their labels and the tables use (pence,
cents, yen: ``look.rate_axis``), so a bar labelled "0.24p" sits at 0.24 on an axis in pence;
the hover adds the figure per 1,000 streams.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from royalty import formatting
from royalty.charts.look import (
    bar_labels,
    bars_height,
    empty,
    exact,
    floats,
    month_axis,
    month_dates,
    rate_axis,
    rate_values,
    short,
    style,
)
from royalty.charts.palette import INCOME_COLOR, INK, PAPER, STREAMS_COLOR, platform_color
from royalty.formatting import plotly_text

SHARE_ROWS = 40
"""The share chart shows every platform up to this many (those that earned most)."""


def platform_rates_bar(
    table: pd.DataFrame, currency: str, *, height: int | None = None
) -> go.Figure:
    """What each platform paid per stream (only platforms with enough streams)."""
    frame = _rated(table)
    if frame.empty:
        return empty("What each platform paid per stream", "Not enough streams to compare rates")
    frame = frame.sort_values("_rate")
    colors = [platform_color(p) for p in frame["platform"]]
    values = rate_values(frame["income_per_stream"], currency)
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[short(p) for p in frame["platform"]],
            orientation="h",
            marker_color=colors,
            text=[formatting.rate(exact(v), currency) for v in frame["income_per_stream"]],
            **bar_labels(colors, values),
            customdata=list(
                zip(
                    [plotly_text(str(p)) for p in frame["platform"]],
                    [formatting.count(int(s)) for s in frame["streams"]],
                    [
                        formatting.money(exact(v) * 1000, currency)
                        for v in frame["income_per_stream"]
                    ],
                    strict=True,
                )
            ),
            hovertemplate=(
                "%{customdata[0]}<br>%{text} per stream<br>%{customdata[2]} per 1,000 streams"
                "<br>%{customdata[1]} streams<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(rate_axis(currency), rangemode="tozero")
    fig.update_yaxes(title_text=None)
    return style(
        fig, "What each platform paid per stream", height=height or bars_height(len(frame))
    )


def share_streams_vs_income(table: pd.DataFrame, *, height: int | None = None) -> go.Figure:
    """Share of all streams next to share of all income, per platform (every platform the
    table lists, up to ``SHARE_ROWS``).

    A platform whose income bar is shorter than its streams bar pays below the artist's average.
    """
    if table is None or table.empty:
        return empty("Share of streams vs share of income", "No platforms in this period")
    frame = table.assign(
        _streams=[v * 100 for v in floats(table["share_of_streams"])],
        _income=[v * 100 for v in floats(table["share_of_income"])],
    )
    frame = frame.sort_values("_income", ascending=False).head(SHARE_ROWS).iloc[::-1]
    names = [short(p) for p in frame["platform"]]
    fig = go.Figure()
    fig.add_bar(
        x=frame["_streams"],
        y=names,
        orientation="h",
        name="Share of streams",
        marker_color=STREAMS_COLOR,
        hovertemplate="%{y}: %{x:.1f}% of streams<extra></extra>",
    )
    fig.add_bar(
        x=frame["_income"],
        y=names,
        orientation="h",
        name="Share of income",
        marker_color=INCOME_COLOR,
        hovertemplate="%{y}: %{x:.1f}% of income<extra></extra>",
    )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_xaxes(title_text="Share of the total (%)", ticksuffix="%", rangemode="tozero")
    fig.update_yaxes(title_text=None)
    fig = style(
        fig, "Share of streams vs share of income", legend=True,
        height=height or pair_height(len(frame)),
    )  # fmt: skip
    # the largest platforms are at the top, so the bottom right is free for the legend
    fig.update_layout(
        legend={"orientation": "v", "x": 0.99, "xanchor": "right", "y": 0.02,
                "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)"},
        margin={"t": 56},
    )  # fmt: skip
    return fig


def pair_height(platforms: int) -> int:
    """The height of the share chart for ``platforms`` rows; the rates chart beside it takes
    the same, so the two end together instead of leaving a blank under the shorter."""
    return max(300, 100 + 32 * min(platforms, SHARE_ROWS))


OVER_TIME = "Paid per stream, month by month"


def rates_over_time(by_month: pd.DataFrame, currency: str, *, min_streams: int = 0) -> go.Figure:
    """What each platform paid per stream, month by month, one line per platform.

    Months with fewer than ``min_streams`` streams on a platform are left out: a rate from a
    handful of plays is noise.
    """
    if by_month is None or by_month.empty:
        return empty(OVER_TIME, "No streams in this period")
    frame = by_month[by_month["income_per_stream"].notna()]
    frame = frame[[int(s or 0) >= max(min_streams, 1) for s in frame["streams"]]]
    if frame.empty:
        return empty(OVER_TIME, "Not enough streams per month")
    fig = go.Figure()
    order = frame.groupby("platform")["streams"].sum().sort_values(ascending=False).index.tolist()
    for platform in order:
        rows = frame[frame["platform"] == platform].sort_values("month")
        fig.add_scatter(
            x=month_dates(rows["month"]),
            y=rate_values(rows["income_per_stream"], currency),
            name=short(platform, 24),
            mode="lines+markers",
            line={"color": platform_color(platform), "width": 2},
            marker={"size": 5},
            customdata=list(
                zip(
                    [formatting.rate(exact(v), currency) for v in rows["income_per_stream"]],
                    [formatting.count(int(s)) for s in rows["streams"]],
                    [plotly_text(str(platform))] * len(rows),
                    strict=True,
                )
            ),
            hovertemplate=(
                "%{customdata[2]}<br>%{x|%b %Y}: %{customdata[0]} per stream"
                "<br>%{customdata[1]} streams<extra></extra>"
            ),
        )
    fig.update_xaxes(month_axis(frame["month"]), title_text=None)
    fig.update_yaxes(rate_axis(currency), rangemode="tozero")
    return style(fig, OVER_TIME, legend="bottom", height=460)


AVERAGE_MARKER = {"symbol": "diamond-wide", "size": 16, "color": PAPER,
                  "line": {"width": 2.5, "color": INK}}  # fmt: skip
"""The published average on a bar: a white mark outlined in ink shows on every bar colour
(light bars against the ink, dark ones against the white) and on the white background."""


def rates_vs_industry(table: pd.DataFrame, industry: pd.DataFrame, currency: str) -> go.Figure:
    """The artist's own rate next to published industry averages, per platform.

    ``industry`` has columns platform, rate (per stream, already in ``currency``), label (the
    source and year). Platforms appear when both the artist and a source have a figure.
    """
    own = _rated(table)
    if own.empty or industry is None or industry.empty:
        return empty("Your rates vs published averages", "No platform to compare yet")
    shared = [
        p
        for p in own.sort_values("_rate", ascending=False)["platform"]
        if p in set(industry["platform"])
    ]
    if not shared:
        return empty("Your rates vs published averages", "No published figure for your platforms")
    names = [short(p, 24) for p in shared]
    mine = own.set_index("platform").loc[shared]
    fig = go.Figure()
    fig.add_bar(
        x=names,
        y=rate_values(mine["income_per_stream"], currency),
        name="Your rate",
        marker_color=[platform_color(p) for p in shared],
        text=[formatting.rate(exact(v), currency) for v in mine["income_per_stream"]],
        textposition="outside",
        outsidetextfont={"color": INK},
        cliponaxis=False,
        hovertemplate="%{x}: you got %{text} per stream<extra></extra>",
    )
    ref = industry[industry["platform"].isin(shared)].copy()
    ref["_x"] = ref["platform"].map(dict(zip(shared, names, strict=True)))
    fig.add_scatter(
        x=ref["_x"],
        y=rate_values(ref["rate"], currency),
        name="Published average",
        mode="markers",
        marker=AVERAGE_MARKER,
        customdata=list(
            zip(
                [plotly_text(str(s)) for s in ref["label"]],
                [formatting.rate(exact(v), currency) for v in ref["rate"]],
                strict=True,
            )
        ),
        hovertemplate="%{x}: %{customdata[1]} per stream<br>%{customdata[0]}<extra></extra>",
    )
    fig.update_yaxes(rate_axis(currency), rangemode="tozero")
    fig.update_xaxes(title_text=None)
    return style(fig, "Your rates vs published averages", legend=True)


def _rated(table: pd.DataFrame | None) -> pd.DataFrame:
    """Platforms that have a per-stream rate (enough streams), with a float ``_rate`` column."""
    if table is None or table.empty:
        return pd.DataFrame(columns=["platform", "streams", "income_per_stream", "_rate"])
    frame = table[table["income_per_stream"].notna()]
    return frame.assign(_rate=floats(frame["income_per_stream"]))
