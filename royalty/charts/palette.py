"""The colours every chart shares: one per platform, one per kind of use, income and streams.

Every chart colours a platform the same way (Spotify is always green, wherever it appears), so
a reader who learned the colours on one chart can read the next one at a glance; a platform
without a colour of its own gets one from a stable hash of its name, so it too keeps it from
chart to chart and from one run to the next. The reports' cards use the same colours.
"""

from __future__ import annotations

import hashlib

PLATFORM_COLORS: dict[str, str] = {
    "Spotify": "#1DB954",
    "Apple Music": "#FA2D48",
    "iTunes": "#9F96AA",
    "YouTube": "#E00000",
    "Amazon Music": "#00A8B5",
    "Amazon (downloads)": "#FF8605",
    "Deezer": "#A238FF",
    "TIDAL": "#507784",
    "Pandora": "#3668FF",
    "SoundCloud": "#FF5500",
    "TikTok": "#25F4EE",
    "Meta (Facebook/Instagram)": "#2B89F8",
    "Snapchat": "#FFCC00",
    "Tencent Music": "#1CDB9D",
    "NetEase Cloud Music": "#BA550E",
    "Boomplay": "#2E3CFF",
    "Napster": "#4D6093",
    "Anghami": "#A32EA8",
    "Qobuz": "#1671AB",
    "Audiomack": "#FFA900",
    "JioSaavn": "#29C4B2",
    "Yandex Music": "#EBF041",
    "KKBOX": "#09CEF6",
    "Beatport": "#94D500",
    "Bandcamp": "#0096C2",
    "SoundExchange": "#6C4AB6",
    "Peloton": "#BE063D",
    "VK / UMA": "#42B1FF",
    "Download stores": "#7989A3",
}
"""Brand-like colours for the services statements name most (see ``royalty.platforms``),
moved off the brand where two would be hard to tell apart (Spotify's and Tencent's greens),
where one would vanish on a background (TIDAL's black on the dark card) or where neither
dark nor white text on it would be readable; ``tests/test_charts.py`` measures all three."""
HASH_PALETTE = (
    "#4E79A7", "#F28E2B", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#8C6D31",
    "#8CD17D", "#FFBE7D", "#5A4FCF", "#C4474F", "#2F8F83", "#D4A6C8", "#A0522D",
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
INK = "#111827"
"""Dark text and marks (labels on light bars, the published-average marker's outline)."""
PAPER = "#FFFFFF"
"""The background of every chart in the app and the reports."""
CARD_BACKGROUNDS = ("#17162B", "#2A1F4D", "#0F3B4A")
"""The dark gradient the image card draws its bars on (``reports/templates/card.html.j2``)."""


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB`` (0 black .. 1 white)."""
    code = color.lstrip("#")
    channels = [int(code[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 (none) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def label_color(background: str) -> str:
    """White or ``INK``, whichever reads better on ``background`` (a bar's own colour): the
    value printed inside a green bar is dark, inside a purple one white."""
    return max((PAPER, INK), key=lambda text: contrast_ratio(text, background))


def platform_color(name: str) -> str:
    """The colour of ``name`` on every chart: fixed for known services, else a stable hash."""
    if name in PLATFORM_COLORS:
        return PLATFORM_COLORS[name]
    if name.startswith("Other ("):
        return OTHER_COLOR
    digest = hashlib.sha256(name.strip().lower().encode("utf-8")).digest()
    return HASH_PALETTE[int.from_bytes(digest[:4], "big") % len(HASH_PALETTE)]
