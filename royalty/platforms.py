"""Raw store strings -> canonical platforms, and what kind of use a store reports.

Distributors spell one service many ways ("Amazon Unlimited (Streaming)", "Amazon Prime IN",
"Amazon US Premium Service"); comparisons only make sense per service. The raw string is kept
in the ``store`` table; this module decides the platform it belongs to. Rules are tried in
order, first match wins, so specific patterns (iTunes downloads) come before broad ones (Apple).
"""

from __future__ import annotations

import re
from functools import lru_cache

# (pattern, canonical platform, default kind when the statement does not say)
RULES: list[tuple[str, str, str]] = [
    (r"itunes match", "Apple Music", "stream"),
    (r"itunes radio", "Apple Music", "stream"),
    (r"itunes.*apple music|apple music", "Apple Music", "stream"),
    (r"itunes|apple itunes", "iTunes", "download"),
    (r"amazon.*(mp3|digital|disc on demand|store|download)", "Amazon (downloads)", "download"),
    (r"amazon|prime music", "Amazon Music", "stream"),
    (r"spotify|spotir", "Spotify", "stream"),
    (r"content id|youtube \(ads\)|youtube ugc", "YouTube", "video"),
    (
        r"youtube|content id|google play all access|google music|google locker|google play",
        "YouTube",
        "stream",
    ),
    (r"tidal|wimp", "TIDAL", "stream"),
    (r"deezer", "Deezer", "stream"),
    (r"pandora", "Pandora", "stream"),
    (r"soundcloud", "SoundCloud", "stream"),
    (r"tiktok|resso|luna|capcut", "TikTok", "video"),
    (r"facebook|instagram|meta\b", "Meta (Facebook/Instagram)", "video"),
    (r"snap", "Snapchat", "video"),
    (r"tencent|\btme\b|qq music|kugou|kuwo|joox", "Tencent Music", "stream"),
    (r"netease", "NetEase Cloud Music", "stream"),
    (r"boomplay", "Boomplay", "stream"),
    (r"napster|rhapsody", "Napster", "stream"),
    (r"anghami", "Anghami", "stream"),
    (r"qobuz", "Qobuz", "stream"),
    (r"audiomack", "Audiomack", "stream"),
    (r"saavn", "JioSaavn", "stream"),
    (r"yandex", "Yandex Music", "stream"),
    (r"kkbox", "KKBOX", "stream"),
    (r"beatport", "Beatport", "download"),
    (r"bandcamp", "Bandcamp", "download"),
    (r"soundexchange", "SoundExchange", "stream"),
    (r"7digital|medianet|media net", "Download stores", "download"),
    (r"peloton", "Peloton", "stream"),
    (r"shazam", "Apple Music", "stream"),
    (r"\buma\b|united media agency|vk\b", "VK / UMA", "stream"),
]
_COMPILED = [(re.compile(p, re.IGNORECASE), name, kind) for p, name, kind in RULES]

OTHER = "Other stores"


@lru_cache(maxsize=4096)
def canonical(store: str) -> tuple[str, str]:
    """``store`` as written -> (canonical platform, default kind)."""
    text = store.strip()
    for pattern, name, kind in _COMPILED:
        if pattern.search(text):
            return name, kind
    return (text or OTHER), "stream"
