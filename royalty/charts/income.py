"""Charts of what was earned: per month, per kind of use, per country and per track.

These answer "how much, when, from where and from what"; what each platform paid per stream is
in ``royalty.charts.rates``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from royalty import formatting
from royalty.charts.look import (
    bar_labels,
    empty,
    exact,
    floats,
    money_axis,
    month_axis,
    month_dates,
    short,
    style,
)
from royalty.charts.palette import INCOME_COLOR, INK, KIND_COLORS, OTHER_COLOR
from royalty.formatting import plotly_text


def monthly_trend(overview, currency: str) -> go.Figure:
    """Income per month as bars, streams per month as a line on a second axis."""
    monthly = overview.monthly
    fig = go.Figure()
    if monthly is None or monthly.empty:
        return empty("Income per month", "No income in this period")
    x = month_dates(monthly["month"])
    income = floats(monthly["income"])
    fig.add_bar(
        x=x,
        y=income,
        name="Income",
        marker_color=INCOME_COLOR,
        customdata=[formatting.money(exact(v), currency) for v in monthly["income"]],
        hovertemplate="%{x|%b %Y}<br>Income %{customdata}<extra></extra>",
    )
    streams = [int(v or 0) for v in monthly["streams"]]
    if any(streams):
        fig.add_scatter(
            x=x,
            y=streams,
            name="Streams",
            yaxis="y2",
            mode="lines+markers",
            line={"color": INK, "width": 2},
            marker={"size": 5},
            hovertemplate="%{x|%b %Y}<br>%{y:,} streams<extra></extra>",
        )
        fig.update_layout(
            yaxis2={
                "title": {"text": "Streams"},
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
                "rangemode": "tozero",
                "tickmode": "auto",
                "nticks": 6,
                "tickformat": "~s",
            }
        )
    fig.update_xaxes(month_axis(monthly["month"]), title_text="Month of use")
    fig.update_layout(
        yaxis=money_axis(currency, income)
        | {"title": {"text": f"Income ({currency})"}, "rangemode": "tozero"}
    )
    return style(fig, "Income and streams per month", legend=True)


def income_by_kind(overview, currency: str) -> go.Figure:
    """Income by kind of use (streams, downloads, video ...), largest first."""
    frame = overview.by_kind
    if frame is None or frame.empty:
        return empty("Income by kind of use", "No income in this period")
    frame = frame.assign(_income=floats(frame["income"])).sort_values("_income")
    labels = [str(k).capitalize() for k in frame["kind"]]
    colors = [KIND_COLORS.get(str(k), OTHER_COLOR) for k in frame["kind"]]
    fig = go.Figure(
        go.Bar(
            x=frame["_income"],
            y=labels,
            orientation="h",
            marker_color=colors,
            text=[formatting.money(exact(v), currency) for v in frame["income"]],
            **bar_labels(colors, frame["_income"]),
            customdata=[
                formatting.quantity(int(q or 0), str(k))
                for q, k in zip(frame["quantity"], frame["kind"], strict=True)
            ],
            hovertemplate="%{y}: %{text}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(money_axis(currency, frame["_income"]), title_text=f"Income ({currency})")
    fig.update_yaxes(title_text=None)
    return style(fig, "Income by kind of use", height=max(260, 70 + 48 * len(frame)))


def world_map(territories: pd.DataFrame, currency: str) -> go.Figure:
    """Income per country on a world map (territories without an ISO code are left out)."""
    if territories is None or territories.empty:
        return empty("Income by country", "No territories in this period")
    frame = territories[territories["iso3"].notna() & (territories["iso3"].astype(str) != "")]
    if frame.empty:
        return empty("Income by country", "The statements name no countries")
    income = floats(frame["income"])
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            locations=frame["iso3"].astype(str).tolist(),
            z=income,
            locationmode="ISO-3",
            colorscale=[[0, "#D8CCF0"], [1, "#3B1F7A"]],
            marker_line_color="#FFFFFF",
            marker_line_width=0.4,
            colorbar=money_axis(currency, income)
            | {
                # under the map, not beside it: on a phone a colour bar at the side takes
                # half the width from the map
                "title": {"text": f"Income ({currency})", "side": "top"},
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": -0.02,
                "yanchor": "top",
                "len": 0.6,
                "thickness": 10,
                "nticks": 5,
            },
            customdata=list(
                zip(
                    [plotly_text(str(n)) for n in frame["name"]],
                    [formatting.money(exact(v), currency) for v in frame["income"]],
                    [formatting.count(int(s or 0)) for s in frame["streams"]],
                    strict=True,
                )
            ),
            hovertemplate=(
                "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]} streams<extra></extra>"
            ),
        )
    )
    fig.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showland=False,
        showcountries=True,
        countrycolor="#D1D5DB",
        lataxis_range=[-58, 85],
        domain={"x": [0, 1], "y": [0.12, 1]},
    )
    return style(fig, "Income by country", height=440)


def top_tracks_bar(tracks: pd.DataFrame, currency: str, *, limit: int = 15) -> go.Figure:
    """The tracks that earned most, largest at the top."""
    if tracks is None or tracks.empty:
        return empty("Top tracks by income", "No tracks in this period")
    frame = tracks.assign(_income=floats(tracks["income"]))
    frame = frame.sort_values("_income", ascending=False).head(limit)
    titles = [str(t) if str(t).strip() else "(untitled)" for t in frame["title"]]
    labels = _unique([short(t) for t in titles])[::-1]  # largest at the top
    frame, titles = frame.iloc[::-1], titles[::-1]
    fig = go.Figure(
        go.Bar(
            x=frame["_income"],
            y=labels,
            orientation="h",
            marker_color=INCOME_COLOR,
            text=[formatting.money(exact(v), currency) for v in frame["income"]],
            **bar_labels([INCOME_COLOR] * len(frame), frame["_income"]),
            customdata=list(
                zip(
                    [plotly_text(t) for t in titles],
                    [formatting.count(int(s or 0)) for s in frame["streams"]],
                    [formatting.rate(exact(v), currency) for v in frame["income_per_stream"]],
                    strict=True,
                )
            ),
            hovertemplate=(
                "%{customdata[0]}<br>%{text}<br>%{customdata[1]} streams, "
                "%{customdata[2]} per stream<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(money_axis(currency, frame["_income"]), title_text=f"Income ({currency})")
    fig.update_yaxes(title_text=None)
    return style(fig, "Top tracks by income", height=max(280, 80 + 30 * len(frame)))


def _unique(labels: list[str]) -> list[str]:
    """Categorical axes merge equal labels; keep two tracks with one title apart."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0)
        seen[label] = n + 1
        out.append(label if n == 0 else f"{label} ({n + 1})")
    return out
