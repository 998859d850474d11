"""What the label and store statements share: which store a stream belongs to, the stores they
name, and detection that takes no other layout's file (their footers: ``test_totals``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from royalty import importers
from royalty.importers.base import name_mixes_and_artists, streamed_kinds
from royalty.ingest import find_tables
from royalty.ingest.reader import Source
from royalty.platforms import canonical

FIXTURES = Path(__file__).parent / "fixtures"
MINE = ("symphonic", "beatport", "traxsource", "zebralution", "labelworx")


def test_a_stream_is_a_stream_unless_its_store_puts_music_under_videos():
    stores = pd.Series(
        ["Spotify", "Facebook", "TikTok", "Beatport Link", "iTunes", "Spotify", "Nowhere FM", ""]
    )
    assert streamed_kinds(stores).tolist() == [
        "stream", "video", "video", "stream", "stream", "stream", "stream", "stream",
    ]  # fmt: skip
    assert streamed_kinds(pd.Series([], dtype=str)).tolist() == []


def test_mixes_join_their_titles_and_a_release_lends_its_artist():
    data = pd.DataFrame(
        {
            "title": ["Copper Tones", "Copper Tones ", "", "Fathom"],
            "mix": ["Original Mix", "Club Mix", "", ""],
            "artist": ["Mira Castellan", "", "", "Tamsin Oake"],
            "release_artist": ["Mira Castellan", "Mira Castellan", "Various Artists", "VA"],
        }
    )
    name_mixes_and_artists(data)
    assert data["title"].tolist() == [
        "Copper Tones (Original Mix)", "Copper Tones (Club Mix)", "", "Fathom",
    ]  # fmt: skip
    assert data["artist"].tolist() == [
        "Mira Castellan", "Mira Castellan", "Various Artists", "Tamsin Oake",
    ]  # fmt: skip


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


def test_each_label_fixture_is_read_as_its_own_layout():
    seen = set()
    for path in sorted(FIXTURES.iterdir()):
        prefix = path.name.split("_")[0]
        if prefix not in MINE:
            continue
        table = find_tables(Source.from_path(path))[0]
        layout, _ = importers.detect(table.header)
        assert layout.name == prefix, path.name
        seen.add(prefix)
    assert seen == set(MINE)


def test_no_other_layouts_fixture_is_taken_by_a_label_layout():
    for path in sorted(FIXTURES.iterdir()):
        if path.name.split("_")[0] in MINE or path.suffix not in (".csv", ".tsv", ".txt"):
            continue
        tables = find_tables(Source.from_path(path))
        for table in tables:
            layout, _ = importers.detect(table.header)
            assert layout.name not in MINE, path.name
