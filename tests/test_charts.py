"""Charts: consistent platform colours, titles and axis labels, exact values kept in labels."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go

from royalty import charts

D = Decimal


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "platform": ["Spotify", "Apple Music", "Zvuk"],
            "streams": [100_000, 20_000, 500],
            "income": [D("300.00"), D("140.00"), D("2.50")],
            "share_of_streams": [D("0.8299"), D("0.1660"), D("0.0041")],
            "share_of_income": [D("0.6780"), D("0.3164"), D("0.0056")],
            "income_per_stream": [D("0.003"), D("0.007"), None],
            "median_monthly_rate": [D("0.0031"), D("0.0068"), None],
            "rate_low": [D("0.0029"), D("0.0065"), None],
            "rate_high": [D("0.0033"), D("0.0072"), None],
        }
    )


def test_known_platforms_have_their_colours_and_others_a_stable_one() -> None:
    assert charts.platform_color("Spotify") == "#1DB954"
    assert charts.platform_color("YouTube") == "#E00000"
    assert charts.platform_color("Zvuk") == charts.platform_color("Zvuk")
    assert charts.platform_color("Zvuk") in charts.HASH_PALETTE
    assert charts.platform_color("Other (4 sources)") == charts.OTHER_COLOR


def test_rates_bar_is_per_1000_streams_with_exact_per_stream_labels() -> None:
    fig = charts.platform_rates_bar(_table(), "GBP")
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    assert list(bar.y) == ["Spotify", "Apple Music"]  # Zvuk has no rate (too few streams)
    assert list(bar.x) == [3.0, 7.0]
    assert list(bar.text) == ["0.30p", "0.70p"]
    assert list(bar.marker.color) == ["#1DB954", "#FA2D48"]
    assert fig.layout.xaxis.tickprefix == "£"
    assert fig.layout.xaxis.title.text == "Income per 1,000 streams (GBP)"
    assert fig.layout.title.text


def test_share_chart_puts_streams_next_to_income() -> None:
    fig = charts.share_streams_vs_income(_table())
    names = [t.name for t in fig.data]
    assert names == ["Share of streams", "Share of income"]
    assert round(fig.data[0].x[-1], 2) == 82.99  # Spotify, the largest income, on top
    assert fig.layout.xaxis.ticksuffix == "%"


def test_monthly_trend_has_income_bars_and_a_streams_line() -> None:
    ov = SimpleNamespace(
        monthly=pd.DataFrame(
            {"month": [202401, 202402], "income": [D("10.5"), D("12")], "streams": [3000, 3500]}
        )
    )
    fig = charts.monthly_trend(ov, "USD")
    assert [t.type for t in fig.data] == ["bar", "scatter"]
    assert list(fig.data[0].customdata) == ["$10.50", "$12.00"]
    assert fig.layout.yaxis.title.text == "Income (USD)"
    assert fig.layout.yaxis2.title.text == "Streams"


def test_rates_over_time_leaves_out_thin_months() -> None:
    by_month = pd.DataFrame(
        {
            "month": [202401, 202402, 202401],
            "platform": ["Spotify", "Spotify", "Deezer"],
            "streams": [5000, 40, 3000],
            "income": [D("15"), D("0.2"), D("12")],
            "income_per_stream": [D("0.003"), D("0.005"), D("0.004")],
        }
    )
    fig = charts.rates_over_time(by_month, "EUR", min_streams=100)
    assert [t.name for t in fig.data] == ["Spotify", "Deezer"]
    assert [len(t.x) for t in fig.data] == [1, 1]
    assert fig.data[0].line.color == "#1DB954"


def test_world_map_uses_iso3_and_skips_pseudo_territories() -> None:
    places = pd.DataFrame(
        {
            "territory": ["US", "OU", "GB"],
            "name": ["United States", "Outside the United States (unspecified)", "United Kingdom"],
            "iso3": ["USA", None, "GBR"],
            "streams": [10, 5, 3],
            "income": [D("1.00"), D("0.40"), D("0.30")],
            "income_per_stream": [D("0.1"), D("0.08"), D("0.1")],
        }
    )
    fig = charts.world_map(places, "USD")
    assert list(fig.data[0].locations) == ["USA", "GBR"]
    assert list(fig.data[0].z) == [1.0, 0.3]


def test_track_titles_are_escaped_shortened_and_kept_apart() -> None:
    tracks = pd.DataFrame(
        {
            "track_id": [1, 2, 3],
            "title": ["<b>Bold</b>", "Same", "Same"],
            "isrc": ["A", "B", "C"],
            "streams": [10, 20, 30],
            "income": [D("3"), D("2"), D("1")],
            "income_per_stream": [D("0.3"), D("0.1"), D("0.0333")],
        }
    )
    fig = charts.top_tracks_bar(tracks, "USD")
    assert list(fig.data[0].y) == ["Same (2)", "Same", "&lt;b&gt;Bold&lt;/b&gt;"]


def test_quotes_in_titles_stay_quotes_on_the_axis() -> None:
    """Plotly prints ``&quot;`` literally, so only markup characters are escaped."""
    tracks = pd.DataFrame(
        {
            "track_id": [1],
            "title": ['=HYPERLINK("x","y")'],
            "isrc": ["A"],
            "streams": [10],
            "income": [D("3")],
            "income_per_stream": [D("0.3")],
        }
    )
    fig = charts.top_tracks_bar(tracks, "USD")
    assert list(fig.data[0].y) == ['=HYPERLINK("x","y")']


def test_empty_frames_give_a_titled_message_not_an_error() -> None:
    empty = pd.DataFrame(columns=list(_table().columns))
    for fig in [
        charts.platform_rates_bar(empty, "USD"),
        charts.share_streams_vs_income(empty),
        charts.world_map(pd.DataFrame(), "USD"),
        charts.top_tracks_bar(pd.DataFrame(), "USD"),
        charts.monthly_trend(SimpleNamespace(monthly=pd.DataFrame()), "USD"),
    ]:
        assert fig.layout.title.text
        assert fig.layout.annotations[0].text


def test_the_world_map_draws_from_outlines_the_app_serves() -> None:
    import tomllib
    from pathlib import Path

    from royalty import world
    from royalty.ui import views as ui_views

    root = Path(__file__).resolve().parent.parent
    served = (root / "static" / f"{world.TOPOJSON_NAME}.json").read_text(encoding="utf-8")
    assert served == world.plotly_topojson_text()  # regenerate static/ when the source changes
    ids = {g["id"] for g in world.plotly_topojson()["objects"]["countries"]["geometries"]}
    assert {"USA", "GBR", "DEU", "BRA", "JPN", "AUS", "IND"} <= ids
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert ui_views.CHART_CONFIG["topojsonURL"] == "app/static/"
