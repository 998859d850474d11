"""What the label and store statements share: which store a stream belongs to and the stores
they name."""

from __future__ import annotations

import pandas as pd
import pytest

from royalty.importers.base import streamed_kinds
from royalty.platforms import canonical


def test_a_stream_is_a_stream_unless_its_store_puts_music_under_videos():
    stores = pd.Series(
        ["Spotify", "Facebook", "TikTok", "Beatport Link", "iTunes", "Spotify", "Nowhere FM", ""]
    )
    assert streamed_kinds(stores).tolist() == [
        "stream", "video", "video", "stream", "stream", "stream", "stream", "stream",
    ]  # fmt: skip
    assert streamed_kinds(pd.Series([], dtype=str)).tolist() == []


@pytest.mark.parametrize(
    ("store", "platform", "kind"),
    [
        ("AppleMusic", "Apple Music", "stream"),  # Zebralution
        ("You Tube Music/Sound Rec", "YouTube", "stream"),
        ("You Tube Red/Art Track", "YouTube", "stream"),
        ("YouTube Red/Sound Record", "YouTube", "stream"),
        ("Traxsource", "Traxsource", "download"),  # Labelworx
        ("Juno Download", "Juno Download", "download"),
        ("Beatport Link", "Beatport", "download"),
        ("Facebook / Instagram - Revenue Share", "Meta (Facebook/Instagram)", "video"),  # Symphonic
        ("YouTube Streaming", "YouTube", "stream"),
        ("Soundcloud Ad Monetization", "SoundCloud", "stream"),
    ],
)
def test_stores_the_label_statements_name(store, platform, kind):
    assert canonical(store) == (platform, kind)
