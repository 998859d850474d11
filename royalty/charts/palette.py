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


def platform_color(name: str) -> str:
    """The colour of ``name`` on every chart: fixed for known services, else a stable hash."""
    if name in PLATFORM_COLORS:
        return PLATFORM_COLORS[name]
    if name.startswith("Other ("):
        return OTHER_COLOR
    digest = hashlib.sha256(name.strip().lower().encode("utf-8")).digest()
    return HASH_PALETTE[int.from_bytes(digest[:4], "big") % len(HASH_PALETTE)]
