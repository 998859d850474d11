"""Store names as real statements write them -> canonical platform and default kind of use.

The names come from DistroKid, TuneCore, CD Baby, SoundCloud and ASCAP exports; each service's
spellings must land on one platform so per-platform comparisons add up.
"""

from __future__ import annotations

import pytest

from royalty.platforms import OTHER, RULES, canonical
from royalty.store.models import KINDS

CASES = [
    # DistroKid (2023 and 2026 TSVs, quoted CSV)
    ("Spotify", "Spotify", "stream"),
    ("Amazon Unlimited (Streaming)", "Amazon Music", "stream"),
    ("Amazon Prime (Streaming)", "Amazon Music", "stream"),
    ("Amazon Unlimited", "Amazon Music", "stream"),
    ("Amazon Prime", "Amazon Music", "stream"),
    ("Apple Music", "Apple Music", "stream"),
    ("iTunes Match", "Apple Music", "stream"),
    ("iTunes Songs", "iTunes", "download"),
    ("iTunes Albums", "iTunes", "download"),
    ("iTunes", "iTunes", "download"),
    ("YouTube (Ads)", "YouTube", "video"),
    ("YouTube (Red)", "YouTube", "stream"),
    ("YouTube (Audio)", "YouTube", "stream"),
    ("Google Play All Access", "Google Play", "stream"),
    ("Facebook", "Meta (Facebook/Instagram)", "video"),
    ("Instagram/Facebook", "Meta (Facebook/Instagram)", "video"),
    ("TikTok", "TikTok", "video"),
    ("Resso", "Resso", "stream"),
    ("Luna", "Luna (Soda Music)", "stream"),
    ("Snap", "Snapchat", "video"),
    ("Snapchat", "Snapchat", "video"),
    ("Tencent Direct Deal", "Tencent Music", "stream"),
    ("Joox", "Tencent Music", "stream"),
    ("NetEase", "NetEase Cloud Music", "stream"),
    ("BoomplayCMS", "Boomplay", "stream"),
    ("Boomplay", "Boomplay", "stream"),
    ("Tidal", "TIDAL", "stream"),
    ("Deezer", "Deezer", "stream"),
    ("Pandora", "Pandora", "stream"),
    ("Yandex", "Yandex Music", "stream"),
    ("kkbox", "KKBOX", "stream"),
    ("Napster", "Napster", "stream"),
    ("Saavn", "JioSaavn", "stream"),
    # TuneCore
    ("Google Play", "Google Play", "download"),
    ("WiMP", "TIDAL", "stream"),
    ("YouTube Music", "YouTube", "stream"),
    ("Qobuz", "Qobuz", "stream"),
    # CD Baby partner names
    ("Apple iTunes", "iTunes", "download"),
    ("iTunes - Apple Music \u2013 US", "Apple Music", "stream"),
    ("iTunes - Apple Music - Europe", "Apple Music", "stream"),
    ("iTunes-Canada", "iTunes", "download"),
    ("iTunes Match - UK", "Apple Music", "stream"),
    ("iTunes Radio - Americas", "Apple Music", "stream"),
    ("Amazon Prime IN", "Amazon Music", "stream"),
    ("Amazon US Premium Service", "Amazon Music", "stream"),
    ("Amazon AU BR MX Prime", "Amazon Music", "stream"),
    ("Amazon Premium ROE", "Amazon Music", "stream"),
    ("Amazon Cloud Drive - US", "Amazon Music", "stream"),
    ("Amazon MP3-UK", "Amazon (downloads)", "download"),
    ("Amazon Disc on Demand", "Amazon (CDs on demand)", "physical"),
    ("Youtube Content ID", "YouTube", "video"),
    ("Pandora Premium", "Pandora", "stream"),
    ("Napster (2008-2012)", "Napster", "stream"),
    ("Tencent Music Entertainment (TME)", "Tencent Music", "stream"),
    ("United Media Agency (UMA)", "VK / UMA", "stream"),
    ("NetEase Cloud Music", "NetEase Cloud Music", "stream"),
    ("SoundExchange", "SoundExchange", "stream"),
    ("Google Music Store", "Google Play", "download"),
    ("Google Locker", "Google Play", "stream"),
    # SoundCloud partners
    ("MediaNet", "Download stores", "download"),
    ("Anghami", "Anghami", "stream"),
    ("Amazon Music", "Amazon Music", "stream"),
    # ASCAP music users
    ("SPOTIR", "Spotify", "stream"),
    ("APPLE SUBSCRIPTION", "Apple Music", "stream"),
    ("AMAZON PRIME MUSIC", "Amazon Music", "stream"),
    ("Amazon Music Unlimited", "Amazon Music", "stream"),
    ("YOUTUBE PREMIUM - MUSIC CONTENT", "YouTube", "stream"),
]


@pytest.mark.parametrize(("store", "platform", "kind"), CASES, ids=[c[0] for c in CASES])
def test_store_names_map_to_their_platform_and_kind(store, platform, kind):
    assert canonical(store) == (platform, kind)


def test_spacing_and_case_do_not_matter():
    assert canonical("  amazon unlimited (streaming) ") == ("Amazon Music", "stream")
    assert canonical("YOUTUBE (ADS)") == ("YouTube", "video")


def test_google_is_never_youtube():
    for store in ("Google Play", "Google Music Store", "Google Play All Access", "Google Locker"):
        assert canonical(store)[0] == "Google Play"


def test_words_inside_other_words_do_not_match():
    # "luna" and "uma" only as whole words; "Lunar Records" is nobody's Luna
    assert canonical("Lunar Records") == ("Lunar Records", "stream")
    assert canonical("Pumafy") == ("Pumafy", "stream")


def test_unknown_stores_keep_their_own_name():
    assert canonical("Claro Música") == ("Claro Música", "stream")
    assert canonical("") == (OTHER, "stream")


def test_every_rule_names_a_known_kind():
    assert {kind for _, _, kind in RULES} <= set(KINDS)
