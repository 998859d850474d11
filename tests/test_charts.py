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


def test_rates_bar_is_in_the_unit_of_its_per_stream_labels() -> None:
    """One unit per chart (issue 15): bars labelled in pence sit on an axis in pence."""
    fig = charts.platform_rates_bar(_table(), "GBP")
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    assert list(bar.y) == ["Spotify", "Apple Music"]  # Zvuk has no rate (too few streams)
    assert list(bar.x) == [0.3, 0.7]
    assert list(bar.text) == ["0.30p", "0.70p"]
    assert list(bar.marker.color) == ["#1DB954", "#FA2D48"]
    assert fig.layout.xaxis.ticksuffix == "p"
    assert fig.layout.xaxis.title.text == "Paid per stream (pence)"
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


# --- colours people can tell apart and read (issue 15) -------------------------------------------


def _lab(color: str) -> tuple[float, float, float]:
    """sRGB -> CIE L*a*b* (D65)."""
    code = color.lstrip("#")
    r, g, b = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (int(code[i : i + 2], 16) / 255 for i in (0, 2, 4))
    )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(c1: str, c2: str) -> float:
    """CIEDE2000 colour difference: about 2 is the smallest a person notices; 10 and more
    reads as another colour at a glance."""
    return _ciede2000(_lab(c1), _lab(c2))


def _ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    from math import atan2, cos, degrees, exp, hypot, radians, sin, sqrt

    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    cbar = (hypot(a1, b1) + hypot(a2, b2)) / 2
    g = 0.5 * (1 - sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = hypot(a1p, b1), hypot(a2p, b2)
    h1p, h2p = degrees(atan2(b1, a1p)) % 360, degrees(atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * sqrt(c1p * c2p) * sin(radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    else:
        hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1 - 0.17 * cos(radians(hbar - 30)) + 0.24 * cos(radians(2 * hbar))
        + 0.32 * cos(radians(3 * hbar + 6)) - 0.20 * cos(radians(4 * hbar - 63))
    )  # fmt: skip
    rc = 2 * sqrt(cbarp**7 / (cbarp**7 + 25**7))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    rt = -sin(radians(60 * exp(-(((hbar - 275) / 25) ** 2)))) * rc
    return sqrt((d_l / sl) ** 2 + (d_c / sc) ** 2 + (d_h / sh) ** 2 + rt * (d_c / sc) * (d_h / sh))


DISTINCT = 10.0
"""CIEDE2000 between any two platforms' colours: another colour at a glance, not a shade."""
OFF_BACKGROUND = 20.0
"""CIEDE2000 between a platform's colour and a background it is drawn on."""
BAR_COLORS = {
    **{f"platform {k}": v for k, v in charts.PLATFORM_COLORS.items()},
    **{f"kind {k}": v for k, v in charts.KIND_COLORS.items()},
    **{f"hash {i}": v for i, v in enumerate(charts.HASH_PALETTE)},
    "income": charts.INCOME_COLOR,
    "other": charts.OTHER_COLOR,
}


def test_delta_e_matches_published_pairs() -> None:
    """Pairs 1, 7 and 17 of Sharma, Wu and Dalal's CIEDE2000 test data, then sRGB sanity."""
    assert round(_ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4) == 2.0425
    assert round(_ciede2000((50, 0, 0), (50, -1, 2)), 4) == 2.3669
    assert round(_ciede2000((50, 2.5, 0), (73, 25, -18)), 4) == 27.1492
    assert delta_e("#FFFFFF", "#FFFFFF") == 0
    assert 99 < delta_e("#FFFFFF", "#000000") < 101
    assert 2 < delta_e("#1DB954", "#31C27C") < 8  # the two greens the issue saw collide


def test_every_platform_colour_is_distinct_from_every_other() -> None:
    colors = {**charts.PLATFORM_COLORS, "Other (N sources)": charts.OTHER_COLOR}
    close = [
        (a, b, round(delta_e(colors[a], colors[b]), 1))
        for i, a in enumerate(colors)
        for b in list(colors)[i + 1 :]
        if delta_e(colors[a], colors[b]) < DISTINCT
    ]
    assert close == []
    assert len(set(charts.HASH_PALETTE)) == len(charts.HASH_PALETTE)
    hashed = charts.HASH_PALETTE
    assert min(delta_e(a, b) for i, a in enumerate(hashed) for b in hashed[i + 1 :]) >= DISTINCT


def test_every_platform_colour_stands_out_from_the_chart_and_card_backgrounds() -> None:
    for name, color in BAR_COLORS.items():
        assert delta_e(color, charts.PAPER) >= OFF_BACKGROUND, (name, color, "white chart")
        for card in charts.CARD_BACKGROUNDS:
            assert delta_e(color, card) >= OFF_BACKGROUND, (name, color, "dark card", card)


def test_text_on_every_bar_meets_wcag_aa() -> None:
    """Labels inside bars are white or ink, whichever reads: at least 4.5:1 (WCAG 2 AA)."""
    for name, color in BAR_COLORS.items():
        text = charts.label_color(color)
        assert charts.contrast_ratio(text, color) >= 4.5, (name, color, text)
    assert charts.contrast_ratio(charts.INK, charts.PAPER) >= 4.5  # labels outside bars
    assert round(charts.contrast_ratio("#FFFFFF", "#000000"), 2) == 21.0
    assert round(charts.contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48  # WCAG's own example


def test_the_published_average_marker_shows_on_every_bar() -> None:
    """White filled, ink outlined: one of the two has 3:1 (WCAG non-text) on any bar."""
    marker = charts.AVERAGE_MARKER
    for name, color in BAR_COLORS.items():
        best = max(
            charts.contrast_ratio(marker["color"], color),
            charts.contrast_ratio(marker["line"]["color"], color),
        )
        assert best >= 3, (name, color)


def test_bar_labels_use_the_readable_colour_for_each_bar() -> None:
    fig = charts.platform_rates_bar(_table(), "GBP")
    bar = fig.data[0]
    assert list(bar.insidetextfont.color) == [charts.label_color(c) for c in ["#1DB954", "#FA2D48"]]
    assert charts.label_color("#1DB954") == charts.INK  # dark text on Spotify green
    assert charts.label_color(charts.INCOME_COLOR) == "#FFFFFF"
    assert bar.outsidetextfont.color == charts.INK


def test_every_bar_keeps_its_label_inside_or_beside_it() -> None:
    """Plotly's "auto" hid the label of a bar a little too short for it (Pandora's 0.12p
    beside TIDAL's 0.86p, seen at phone width): a short bar has its label outside."""
    table = pd.DataFrame(
        {
            "platform": ["TIDAL", "Pandora", "Boomplay"],
            "streams": [10_000, 9_631, 1_631],
            "income": [D("86.00"), D("11.56"), D("0.13")],
            "income_per_stream": [D("0.0086"), D("0.0012"), D("0.000082")],
        }
    )
    bar = charts.platform_rates_bar(table, "GBP").data[0]
    assert list(bar.y) == ["Boomplay", "Pandora", "TIDAL"]
    assert list(bar.text) == ["0.0082p", "0.12p", "0.86p"]
    assert list(bar.textposition) == ["outside", "outside", "inside"]
    by_kind = pd.DataFrame(
        {"kind": ["stream", "download"], "quantity": [1000, 3], "income": [D("100"), D("2")]}
    )
    kinds = charts.income_by_kind(SimpleNamespace(by_kind=by_kind), "GBP").data[0]
    assert list(kinds.textposition) == ["outside", "inside"]


def test_the_share_chart_shows_every_platform_and_matches_its_neighbours_height() -> None:
    names = [f"Platform {i}" for i in range(14)]
    table = pd.DataFrame(
        {
            "platform": names,
            "streams": [1000 * (i + 1) for i in range(14)],
            "income": [D(i + 1) for i in range(14)],
            "share_of_streams": [D(i + 1) / 105 for i in range(14)],
            "share_of_income": [D(i + 1) / 105 for i in range(14)],
            "income_per_stream": [D("0.001")] * 14,
        }
    )
    fig = charts.share_streams_vs_income(table)
    assert len(fig.data[0].y) == 14
    height = charts.pair_height(14)
    assert fig.layout.height == height
    assert charts.platform_rates_bar(table, "GBP", height=height).layout.height == height


def test_month_axes_end_at_the_last_month_with_data() -> None:
    axis = charts.month_axis(range(202501, 202513))
    ticks = [t.strftime("%Y-%m") for t in axis["tickvals"]]
    assert ticks == ["2025-01", "2025-04", "2025-07", "2025-10"]
    assert axis["range"][1] < pd.Timestamp("2025-12-31")
    ov = SimpleNamespace(
        monthly=pd.DataFrame(
            {"month": [202401, 202402], "income": [D("10.5"), D("12")], "streams": [3000, 3500]}
        )
    )
    fig = charts.monthly_trend(ov, "USD")
    assert [t.strftime("%Y-%m") for t in fig.layout.xaxis.tickvals] == ["2024-01", "2024-02"]


def test_the_world_map_colour_bar_lies_under_the_map_with_separated_ticks() -> None:
    places = pd.DataFrame(
        {
            "territory": ["US", "GB"],
            "name": ["United States", "United Kingdom"],
            "iso3": ["USA", "GBR"],
            "streams": [10, 3],
            "income": [D("1500.00"), D("0.30")],
            "income_per_stream": [D("0.1"), D("0.1")],
        }
    )
    bar = charts.world_map(places, "GBP").data[0].colorbar
    assert bar.orientation == "h"
    assert bar.tickformat.startswith(",")  # £1,500, not £1500
    assert bar.tickprefix == "£"


def test_rate_axes_are_in_the_unit_of_the_rate_labels() -> None:
    assert charts.rate_axis("USD")["ticksuffix"] == "¢"
    assert charts.rate_axis("JPY")["tickprefix"] == "¥"
    assert charts.rate_values([D("0.0029"), None], "GBP")[0] == 0.29
    assert charts.rate_values([D("0.57")], "JPY") == [0.57]
