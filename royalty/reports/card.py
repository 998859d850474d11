"""The Unwrapped summary as an image for social posts: portrait 1080x1350 or story 1080x1920.

The card is a small HTML page (autoescaped template, no scripts, no network) screenshotted
by headless Chromium at exactly the target size: text layout, fonts and long-title ellipses
come from the browser, which is simpler and sturdier than positioning text on a plotly canvas.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from royalty import charts, formatting
from royalty.reports import browser
from royalty.reports.html import environment
from royalty.reports.view import ReportData, highlights, one_unit, period_name, sources_text, who

SIZES = {"portrait": (1080, 1350), "story": (1080, 1920)}
"""Instagram-style portrait post and full-screen story."""
MAX_BARS = {"portrait": 5, "story": 8}


def _bars(data: ReportData, size: str) -> list[dict[str, object]]:
    """Platforms by rate: the highest-paying first, among those with enough streams to rate."""
    frame = data.platforms
    if frame is None or frame.empty:
        return []
    rated = [
        (str(p), Decimal(r), s)
        for p, r, s in zip(
            frame["platform"], frame["income_per_stream"], frame["share_of_streams"], strict=True
        )
        if r is not None and r == r
    ]
    rated.sort(key=lambda x: x[1], reverse=True)
    rated = rated[: MAX_BARS[size]]
    top = max((r for _, r, _ in rated), default=Decimal(0))
    return [
        {
            "name": name,
            "value": formatting.rate(rate, data.currency),
            "width": float(max(rate, Decimal(0)) / top * 100) if top > 0 else 0.0,
            "color": charts.platform_color(name),
        }
        for name, rate, _ in rated
    ]


def card_html(data: ReportData, size: str = "portrait") -> str:
    """The card page; rates-only leads with the per-stream rate instead of income."""
    if size not in SIZES:
        raise ValueError(f"card size {size!r}: use one of {', '.join(SIZES)}")
    width, height = SIZES[size]
    s, cur = data.summary, data.currency
    story = size == "story"
    tiles = highlights(data)
    if data.rates_only:
        big = formatting.rate(s.income_per_stream, cur)
        big_note = "per stream, all platforms together"
        stats = [tiles["streams_per_unit"]] if "streams_per_unit" in tiles else []
    else:
        big = formatting.money(s.total_income, cur)
        big_note = f"from {formatting.count(s.total_streams)} streams"
        if s.songwriting is not None:  # its own words: no stream earned the songwriting part
            song = s.songwriting
            big_note = (
                f"{formatting.money(song.recording_income, cur)} {big_note} · "
                f"{formatting.money(song.songwriting_income, cur)} songwriting"
            )
        unit = tiles.get("streams_per_unit")
        note = f"{unit.value} streams = {one_unit(cur)}" if unit else ""
        stats = [replace(tiles["per_stream"], note=note)]
    stats += [tiles[k] for k in ("best", "top_track", "top_country") if k in tiles]
    artist, period = who(data), period_name(data)
    lines = _story_lines(data) if story else []
    return (
        environment()
        .get_template("card.html.j2")
        .render(
            title=f"{artist} {period}",
            width=width,
            height=height,
            pad=90 if story else 70,
            gap=56 if story else 34,
            artist_size=96 if story else 80,
            big_size=150 if story else 124,
            bar_gap=18 if story else 10,
            kicker=f"Royalties unwrapped · {period}",
            artist=artist,
            big=big,
            big_note=big_note,
            stats=stats[:4],
            bars=_bars(data, size),
            bars_title="Paid per stream",
            foot=f"Usage months {period} · {cur} · from {sources_text(data)}",
            fingerprint=s.fingerprint,
            lines=lines,
        )
    )


def _story_lines(data: ReportData) -> list[str]:
    """The taller story card has room for the comparison with the period before and a what-if
    (neither on a rates-only card: a change in income is an income figure too)."""
    s, cur = data.summary, data.currency
    out = []
    change = s.previous.income_change if s.previous is not None else None
    if change is not None and not data.rates_only:
        word = "up" if change > 0 else "down" if change < 0 else "level"
        out.append(f"Income {word} {formatting.percent(abs(change))} on the period before.")
    if s.what_if and not data.rates_only:
        best = max(s.what_if, key=lambda w: w.extra_income)
        if best.extra_income > 0:
            out.append(
                f"At {best.to_platform}'s rate, the {best.from_platform} streams would have paid "
                f"{formatting.money(best.extra_income, cur)} more."
            )
    return out


def card_png(data: ReportData, size: str = "portrait") -> bytes:
    """The card as PNG, exactly 1080x1350 (portrait) or 1080x1920 (story)."""
    page = card_html(data, size)  # validates ``size``
    width, height = SIZES[size]
    return browser.screenshot(page, width, height)
