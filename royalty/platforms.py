"""Raw store strings -> canonical platforms, and what kind of use a store reports.

Distributors spell one service many ways ("Amazon Unlimited (Streaming)", "Amazon Prime IN",
"Amazon US Premium Service"); comparisons only make sense per service. The raw string is kept
in the ``store`` table; this module decides the platform it belongs to. Rules are tried in
order, first match wins, so specific patterns (Apple Music's "iTunes Match") come before broad
ones ("iTunes" downloads).
"""

from __future__ import annotations

import re
from functools import lru_cache

# (pattern, canonical platform, default kind when the statement does not say)
RULES: list[tuple[str, str, str]] = [
    # Apple: the subscription, its radio and iTunes Match pay like streams; iTunes sells downloads
    (r"itunes match|itunes radio|apple music|apple subscription|shazam", "Apple Music", "stream"),
    (r"itunes", "iTunes", "download"),
    # Amazon: web-store purchases are downloads (Disc on Demand: CDs pressed to order); the
    # subscriptions and the Cloud Drive locker pay like streams
    (r"amazon.*disc on demand", "Amazon (CDs on demand)", "physical"),
    (r"amazon.*(mp3|digital|store|download)", "Amazon (downloads)", "download"),
    (r"amazon|prime music", "Amazon Music", "stream"),
    (r"spotify|spotir", "Spotify", "stream"),
    # YouTube: ad-funded plays of videos and Content ID claims are video; Red/Premium/Music stream
    (r"content id|youtube \(ads\)|youtube ugc", "YouTube", "video"),
    (r"youtube", "YouTube", "stream"),
    # Google Play (the old store, its All Access subscription and locker), not YouTube
    (r"google.*(all access|locker)", "Google Play", "stream"),
    (r"google", "Google Play", "download"),
    (r"tidal|wimp", "TIDAL", "stream"),
    (r"deezer", "Deezer", "stream"),
    (r"pandora", "Pandora", "stream"),
    (r"soundcloud", "SoundCloud", "stream"),
    # ByteDance's music services are streaming apps; TikTok and CapCut put music under videos
    (r"resso", "Resso", "stream"),
    (r"\bluna\b|soda music", "Luna (Soda Music)", "stream"),
    (r"tiktok|capcut", "TikTok", "video"),
    (r"facebook|instagram|\bmeta\b", "Meta (Facebook/Instagram)", "video"),
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
    (r"\buma\b|united media agency|\bvk\b", "VK / UMA", "stream"),
    # label statements: Zebralution writes "AppleMusic" and "You Tube Music/Sound Rec"
    (r"applemusic", "Apple Music", "stream"),
    (r"you tube", "YouTube", "stream"),
    (r"traxsource", "Traxsource", "download"),
    (r"\bjuno\b", "Juno Download", "download"),
    # a band's or label's own web shop: merch and records it sells itself
    (r"shopify", "Shopify", "physical"),
    # ClicknClear licenses music for routines (cheer, dance, fitness): sync licences, no plays
    (r"click ?n ?clear", "ClicknClear", "other"),
    # performing-rights societies paying for the composition, when a statement names no user
    (r"\bascap\b", "ASCAP", "performance"),
    (r"\bprs\b", "PRS for Music", "performance"),
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
