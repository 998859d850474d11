"""Known statement layouts and detection by header fingerprint.

To add a layout: write ``royalty/importers/<source>.py`` with a ``LAYOUT`` (see ``base.Layout``)
and list it in ``LAYOUTS``. Layouts are tried in order; more specific ones come first.
"""

from __future__ import annotations

from collections.abc import Sequence

from royalty.importers import (
    apple_itunes,
    apple_music,
    ascap,
    awal,
    bandcamp,
    beatport,
    believe,
    cargo,
    cdbaby,
    clicknclear,
    disclosure,
    distrokid,
    labelworx,
    prs,
    publisher,
    secretly,
    shopify,
    soundcloud,
    spotify_finetunes,
    symphonic,
    traxsource,
    tunecore,
    youtube_cms,
    youtube_studio,
    zebralution,
)
from royalty.importers.base import FIELDS, FileFacts, ImportOptions, Layout
from royalty.importers.normalizer import normalize

LAYOUTS: list[Layout] = [
    distrokid.LAYOUT,
    tunecore.LAYOUT,
    cdbaby.LAYOUT,
    bandcamp.LAYOUT,
    soundcloud.LAYOUT,
    believe.LAYOUT,
    awal.LAYOUT,
    symphonic.LAYOUT,
    beatport.LAYOUT,
    traxsource.LAYOUT,
    zebralution.LAYOUT,
    labelworx.LAYOUT,
    apple_itunes.LAYOUT,
    apple_music.LAYOUT,
    spotify_finetunes.LAYOUT,
    youtube_studio.LAYOUT,
    youtube_cms.LAYOUT,
    cargo.LAYOUT,
    cargo.PHYSICAL_LAYOUT,
    secretly.LAYOUT,
    secretly.PHYSICAL_LAYOUT,
    shopify.LAYOUT,
    clicknclear.LAYOUT,
    ascap.DOMESTIC,
    ascap.INTERNATIONAL,
    prs.LAYOUT,
    publisher.LAYOUT,
    disclosure.LAYOUT,  # last: its loose wording must not take another layout's file
]


def detect(header: list[str], extra: Sequence[Layout] = ()) -> tuple[Layout, dict[str, str]] | None:
    """The first layout whose fingerprint this header carries, with its column map; ``extra``
    layouts (a mapping given for this import, then saved ones) are tried before the built-in
    ones, so that a person's own choice wins."""
    for layout in (*extra, *LAYOUTS):
        mapping = layout.column_map(header)
        if mapping is not None:
            return layout, mapping
    return None


def is_known_header(header: list[str], extra: Sequence[Layout] = ()) -> bool:
    return detect(header, extra) is not None


def headerless_columns(first_row: list[str]) -> list[str] | None:
    """The column names the first layout that writes files without a header gives a file whose
    first row is this one (``Layout.headerless``); None when none does."""
    for layout in LAYOUTS:
        if layout.headerless is not None and (names := layout.headerless(first_row)):
            return names
    return None


def known_layouts() -> str:
    """Human list for "unknown layout" messages."""
    return "; ".join(layout.title for layout in LAYOUTS)


__all__ = [
    "FIELDS", "LAYOUTS", "FileFacts", "ImportOptions", "Layout", "detect", "headerless_columns",
    "known_layouts", "normalize",
]  # fmt: skip
