"""Plotly figures from the analytics frames, shared by the app and the reports.

Every chart colours a platform the same way (Spotify is always green, wherever it appears), so
a reader who learned the colours on one chart can read the next one at a glance. Money arrives
as exact ``Decimal``; it becomes ``float`` here and only here, because plotting is the one place
where rounding cannot change a number anyone relies on.

Per-stream rates are plotted per 1,000 streams: "$3.41 per 1,000 streams" is how the industry
quotes them and fits an axis, while "$0.00341" does not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go

from royalty import formatting
from royalty.formatting import plotly_text

PLATFORM_COLORS: dict[str, str] = {
    "Spotify": "#1DB954",
    "Apple Music": "#FA2D48",
    "iTunes": "#A2AAAD",
    "YouTube": "#E00000",
    "Amazon Music": "#00A8B5",
    "Amazon (downloads)": "#FF9900",
    "Deezer": "#A238FF",
    "TIDAL": "#1F1F1F",
    "Pandora": "#3668FF",
    "SoundCloud": "#FF5500",
    "TikTok": "#25F4EE",
    "Meta (Facebook/Instagram)": "#1877F2",
    "Snapchat": "#FFCC00",
    "Tencent Music": "#31C27C",
    "NetEase Cloud Music": "#C20C0C",
    "Boomplay": "#0E1F3F",
    "Napster": "#2259A5",
    "Anghami": "#8A2BE2",
    "Qobuz": "#4A6FA5",
    "Audiomack": "#FFA200",
    "JioSaavn": "#2BC5B4",
    "Yandex Music": "#FFDB4D",
    "KKBOX": "#09CEF6",
    "Beatport": "#94D500",
    "Bandcamp": "#1DA0C3",
    "SoundExchange": "#6C4AB6",
    "Peloton": "#D1222F",
    "VK / UMA": "#0077FF",
    "Download stores": "#7F8C8D",
}
"""Brand-like colours for the services statements name most (see ``royalty.platforms``)."""

HASH_PALETTE = (
    "#4E79A7", "#F28E2B", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
    "#9C755F", "#BAB0AC", "#8CD17D", "#86BCB6", "#D37295", "#A0CBE8", "#FFBE7D",
)  # fmt: skip
"""Colours for platforms without a fixed colour, picked by a stable hash of the name."""

OTHER_COLOR = "#9AA0A6"
KIND_COLORS = {
    "stream": "#4E79A7",
    "download": "#F28E2B",
    "video": "#E15759",
    "physical": "#59A14F",
    "other": "#9AA0A6",
    "performance": "#B07AA1",
    "mechanical": "#EDC948",
    "sync": "#76B7B2",
}
STREAMS_COLOR = "#B8C2CC"
INCOME_COLOR = "#6C4AB6"

FONT = "Inter, system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
SHARE_ROWS = 12
"""The share chart shows the platforms that earned most; the table lists them all."""
TITLE_LIMIT = 38
"""Longer track and platform names are shortened on axes (the full name is in the hover)."""


def platform_color(name: str) -> str:
    """The colour of ``name`` on every chart: fixed for known services, else a stable hash."""
    if name in PLATFORM_COLORS:
        return PLATFORM_COLORS[name]
    if name.startswith("Other ("):
        return OTHER_COLOR
    digest = hashlib.sha256(name.strip().lower().encode("utf-8")).digest()
    return HASH_PALETTE[int.from_bytes(digest[:4], "big") % len(HASH_PALETTE)]


# --- the charts ---------------------------------------------------------------------------------


def monthly_trend(overview, currency: str) -> go.Figure:
    """Income per month as bars, streams per month as a line on a second axis."""
    monthly = overview.monthly
    fig = go.Figure()
    if monthly is None or monthly.empty:
        return _empty("Income per month", "No income in this period")
    x = month_dates(monthly["month"])
    income = floats(monthly["income"])
    fig.add_bar(
        x=x,
        y=income,
        name="Income",
        marker_color=INCOME_COLOR,
        customdata=[formatting.money(_dec(v), currency) for v in monthly["income"]],
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
            line={"color": "#1F2937", "width": 2},
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
    fig.update_xaxes(title_text="Month of use", tickformat="%b %Y", dtick=_month_dtick(len(x)))
    fig.update_layout(
        yaxis=money_axis(currency, income)
        | {"title": {"text": f"Income ({currency})"}, "rangemode": "tozero"}
    )
    return style(fig, "Income and streams per month", legend=True)


def income_by_kind(overview, currency: str) -> go.Figure:
    """Income by kind of use (streams, downloads, video ...), largest first."""
    frame = overview.by_kind
    if frame is None or frame.empty:
        return _empty("Income by kind of use", "No income in this period")
    frame = frame.assign(_income=floats(frame["income"])).sort_values("_income")
    labels = [str(k).capitalize() for k in frame["kind"]]
    fig = go.Figure(
        go.Bar(
            x=frame["_income"],
            y=labels,
            orientation="h",
            marker_color=[KIND_COLORS.get(str(k), OTHER_COLOR) for k in frame["kind"]],
            text=[formatting.money(_dec(v), currency) for v in frame["income"]],
            textposition="auto",
            customdata=[formatting.count(int(q or 0)) for q in frame["quantity"]],
            hovertemplate="%{y}: %{text}<br>%{customdata} units<extra></extra>",
        )
    )
    fig.update_xaxes(money_axis(currency, frame["_income"]), title_text=f"Income ({currency})")
    fig.update_yaxes(title_text=None)
    return style(fig, "Income by kind of use", height=max(260, 70 + 48 * len(frame)))


def platform_rates_bar(table: pd.DataFrame, currency: str) -> go.Figure:
    """What each platform paid per 1,000 streams (only platforms with enough streams)."""
    frame = _rated(table)
    if frame.empty:
        return _empty("Income per 1,000 streams", "Not enough streams to compare rates")
    frame = frame.sort_values("_rate")
    per_1000 = frame["_rate"] * 1000
    fig = go.Figure(
        go.Bar(
            x=per_1000,
            y=[short(p) for p in frame["platform"]],
            orientation="h",
            marker_color=[platform_color(p) for p in frame["platform"]],
            text=[formatting.rate(_dec(v), currency) for v in frame["income_per_stream"]],
            textposition="auto",
            customdata=list(
                zip(
                    [plotly_text(str(p)) for p in frame["platform"]],
                    [formatting.count(int(s)) for s in frame["streams"]],
                    [
                        formatting.money(_dec(v) * 1000, currency)
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
    fig.update_xaxes(
        money_axis(currency, per_1000), title_text=f"Income per 1,000 streams ({currency})"
    )
    fig.update_yaxes(title_text=None)
    return style(fig, "What each platform paid per stream", height=max(280, 80 + 36 * len(frame)))


def share_streams_vs_income(table: pd.DataFrame) -> go.Figure:
    """Share of all streams next to share of all income, per platform.

    A platform whose income bar is shorter than its streams bar pays below the artist's average.
    """
    if table is None or table.empty:
        return _empty("Share of streams vs share of income", "No platforms in this period")
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
        height=max(300, 110 + 40 * len(frame)),
    )  # fmt: skip
    # the largest platforms are at the top, so the bottom right is free for the legend
    fig.update_layout(
        legend={"orientation": "v", "x": 0.99, "xanchor": "right", "y": 0.02,
                "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)"},
        margin={"t": 56},
    )  # fmt: skip
    return fig


def rates_over_time(by_month: pd.DataFrame, currency: str, *, min_streams: int = 0) -> go.Figure:
    """Income per 1,000 streams, month by month, one line per platform.

    Months with fewer than ``min_streams`` streams on a platform are left out: a rate from a
    handful of plays is noise.
    """
    if by_month is None or by_month.empty:
        return _empty("Income per 1,000 streams, month by month", "No streams in this period")
    frame = by_month[by_month["income_per_stream"].notna()]
    frame = frame[[int(s or 0) >= max(min_streams, 1) for s in frame["streams"]]]
    if frame.empty:
        return _empty("Income per 1,000 streams, month by month", "Not enough streams per month")
    fig = go.Figure()
    order = frame.groupby("platform")["streams"].sum().sort_values(ascending=False).index.tolist()
    all_rates: list[float] = []
    for platform in order:
        rows = frame[frame["platform"] == platform].sort_values("month")
        rates = [float(v) * 1000 for v in rows["income_per_stream"]]
        all_rates += rates
        fig.add_scatter(
            x=month_dates(rows["month"]),
            y=rates,
            name=short(platform, 24),
            mode="lines+markers",
            line={"color": platform_color(platform), "width": 2},
            marker={"size": 5},
            customdata=list(
                zip(
                    [formatting.rate(_dec(v), currency) for v in rows["income_per_stream"]],
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
    fig.update_xaxes(title_text=None, tickformat="%b %Y")
    fig.update_yaxes(
        money_axis(currency, all_rates),
        title_text=f"Per 1,000 streams ({currency})",
        rangemode="tozero",
    )
    return style(fig, "Income per 1,000 streams, month by month", legend="bottom", height=460)


def rates_vs_industry(table: pd.DataFrame, industry: pd.DataFrame, currency: str) -> go.Figure:
    """The artist's own rate next to published industry averages, per platform.

    ``industry`` has columns platform, rate (per stream, already in ``currency``), label (the
    source and year). Platforms appear when both the artist and a source have a figure.
    """
    own = _rated(table)
    if own.empty or industry is None or industry.empty:
        return _empty("Your rates vs published averages", "No platform to compare yet")
    shared = [
        p
        for p in own.sort_values("_rate", ascending=False)["platform"]
        if p in set(industry["platform"])
    ]
    if not shared:
        return _empty("Your rates vs published averages", "No published figure for your platforms")
    names = [short(p, 24) for p in shared]
    mine = own.set_index("platform").loc[shared]
    fig = go.Figure()
    fig.add_bar(
        x=names,
        y=[float(v) * 1000 for v in mine["income_per_stream"]],
        name="Your rate",
        marker_color=[platform_color(p) for p in shared],
        text=[formatting.rate(_dec(v), currency) for v in mine["income_per_stream"]],
        textposition="outside",
        hovertemplate="%{x}: you got %{text} per stream<extra></extra>",
    )
    ref = industry[industry["platform"].isin(shared)].copy()
    ref["_x"] = ref["platform"].map(dict(zip(shared, names, strict=True)))
    fig.add_scatter(
        x=ref["_x"],
        y=[float(v) * 1000 for v in ref["rate"]],
        name="Published average",
        mode="markers",
        marker={
            "symbol": "line-ew-open",
            "size": 30,
            "color": "#111827",
            "line": {"width": 3, "color": "#111827"},
        },
        customdata=list(
            zip(
                [plotly_text(str(s)) for s in ref["label"]],
                [formatting.rate(_dec(v), currency) for v in ref["rate"]],
                strict=True,
            )
        ),
        hovertemplate="%{x}: %{customdata[1]} per stream<br>%{customdata[0]}<extra></extra>",
    )
    values = [float(v) * 1000 for v in mine["income_per_stream"]] + [
        float(v) * 1000 for v in ref["rate"]
    ]
    fig.update_yaxes(
        money_axis(currency, values),
        title_text=f"Per 1,000 streams ({currency})",
        rangemode="tozero",
    )
    fig.update_xaxes(title_text=None)
    return style(fig, "Your rates vs published averages", legend=True)


def world_map(territories: pd.DataFrame, currency: str) -> go.Figure:
    """Income per country on a world map (territories without an ISO code are left out)."""
    if territories is None or territories.empty:
        return _empty("Income by country", "No territories in this period")
    frame = territories[territories["iso3"].notna() & (territories["iso3"].astype(str) != "")]
    if frame.empty:
        return _empty("Income by country", "The statements name no countries")
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
            colorbar={
                "title": {"text": currency},
                "tickprefix": formatting.SYMBOLS.get(currency, ""),
                "thickness": 12,
                "len": 0.75,
            },
            customdata=list(
                zip(
                    [plotly_text(str(n)) for n in frame["name"]],
                    [formatting.money(_dec(v), currency) for v in frame["income"]],
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
    )
    return style(fig, "Income by country", height=460)


def top_tracks_bar(tracks: pd.DataFrame, currency: str, *, limit: int = 15) -> go.Figure:
    """The tracks that earned most, largest at the top."""
    if tracks is None or tracks.empty:
        return _empty("Top tracks by income", "No tracks in this period")
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
            text=[formatting.money(_dec(v), currency) for v in frame["income"]],
            textposition="auto",
            customdata=list(
                zip(
                    [plotly_text(t) for t in titles],
                    [formatting.count(int(s or 0)) for s in frame["streams"]],
                    [formatting.rate(_dec(v), currency) for v in frame["income_per_stream"]],
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


# --- shared pieces ------------------------------------------------------------------------------


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


def _unique(labels: list[str]) -> list[str]:
    """Categorical axes merge equal labels; keep two tracks with one title apart."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0)
        seen[label] = n + 1
        out.append(label if n == 0 else f"{label} ({n + 1})")
    return out


def _rated(table: pd.DataFrame | None) -> pd.DataFrame:
    """Platforms that have a per-stream rate (enough streams), with a float ``_rate`` column."""
    if table is None or table.empty:
        return pd.DataFrame(columns=["platform", "streams", "income_per_stream", "_rate"])
    frame = table[table["income_per_stream"].notna()]
    return frame.assign(_rate=floats(frame["income_per_stream"]))


def _dec(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _month_dtick(n: int) -> str | None:
    """A tick every month for short periods, every quarter for long ones."""
    if n <= 1:
        return None
    return "M1" if n <= 8 else "M3" if n <= 36 else "M12"


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text=plotly_text(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
        font={"size": 15, "color": "#6B7280"},
    )  # fmt: skip
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, title, height=260)
