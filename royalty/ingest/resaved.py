"""Identifiers a spreadsheet re-save damaged, restored where the file or database knows them.

Excel writes a 12-13 digit UPC as ``1.98005E+11``: the release is the same, but its digits are
gone. Read as missing, such lines would name no release and differ from the same lines stored
from the original export, which would then be stored a second time. So each such UPC is
restored to the one known UPC it can be (same artist; the same ISRC's release, else the same
release title, else any of the artist's releases) whose digits round to what the cell shows.
Where none or several fit, the UPC stays missing.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

import pandas as pd
from sqlalchemy import Connection, select

from royalty.store.models import Artist, Release, Track


def fits(upc: str, hint: str) -> bool:
    """Whether ``upc`` rounds to ``hint`` (``1.98005E+11`` covers 198004500000..198005500000)."""
    try:
        shown = Decimal(hint)
        whole = int(upc)
    except (InvalidOperation, ValueError):
        return False
    digits = len(shown.as_tuple().digits)
    half = Decimal(5).scaleb(shown.adjusted() - digits)
    return abs(whole - shown) <= half


class UpcRestorer:
    """Known UPCs by artist, by (artist, ISRC) and by (artist, release title)."""

    def __init__(self) -> None:
        self.by_isrc: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_release: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_artist: dict[str, set[str]] = defaultdict(set)

    @classmethod
    def from_database(cls, conn: Connection) -> UpcRestorer:
        restorer = cls()
        rows = conn.execute(
            select(Artist.name, Release.upc, Release.title, Track.isrc)
            .join(Artist, Artist.id == Release.artist_id)
            .outerjoin(Track, Track.release_id == Release.id)
            .where(Release.upc != "")
        )
        for artist, upc, title, isrc in rows:
            restorer._learn(artist, upc, title or "", isrc or "")
        return restorer

    def _learn(self, artist: str, upc: str, title: str, isrc: str) -> None:
        self.by_artist[artist].add(upc)
        if isrc:
            self.by_isrc[(artist, isrc)].add(upc)
        if title:
            self.by_release[(artist, title)].add(upc)

    def restore(self, lines: pd.DataFrame) -> pd.DataFrame:
        """``lines`` with each damaged UPC restored where exactly one known UPC fits it.

        Lines with a whole UPC are learnt first, so a file's own rows restore each other.
        """
        hint = lines["upc_hint"]
        whole = lines["upc"] != ""
        if whole.any():
            for artist, upc, title, isrc in (
                lines.loc[whole, ["artist", "upc", "release", "isrc"]]
                .drop_duplicates()
                .itertuples(index=False)
            ):
                self._learn(artist, upc, title, isrc)
        damaged = hint != ""
        if not damaged.any():
            return lines
        keys = lines.loc[damaged, ["artist", "isrc", "release", "upc_hint"]]
        found = {key: self._one(*key) for key in keys.drop_duplicates().itertuples(index=False)}
        restored = [found[key] for key in keys.itertuples(index=False)]
        lines = lines.copy()
        lines.loc[damaged, "upc"] = restored
        return lines

    def _one(self, artist: str, isrc: str, title: str, hint: str) -> str:
        for known in (
            self.by_isrc.get((artist, isrc)) if isrc else None,
            self.by_release.get((artist, title)) if title else None,
            self.by_artist.get(artist),
        ):
            candidates = {upc for upc in known or () if fits(upc, hint)}
            if len(candidates) == 1:
                return candidates.pop()
            if candidates:  # several releases fit: which one is not known
                return ""
        return ""
