"""Which split each piece of income follows, and the splits as stored.

For a track's income of one usage month and one kind, the split that applies is, in this
order: the track's own (by ISRC or title), its release's, the artist's whole catalogue's; the
first of those that has a group valid in that month (its ``from_month`` reached) for that kind
of income. Within one of them the latest ``from_month`` wins (a split that changes from July
replaces the earlier one from July on), and on the same month a split for master or publishing
income wins over one for all income. Income no split covers goes to the artist itself.

Lines without a track (album sales stated per release) follow the catalogue's split: the
summaries keep no release for them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import Engine, select

from royalty.months import month_text
from royalty.shares import SplitRow, applies, normal_isrc
from royalty.store.models import Artist, Payee, Release, Split, Track

SCOPES = ("track", "release", "catalogue")
"""Most specific first: the first with a valid group decides."""


@dataclass(frozen=True)
class TrackInfo:
    """A stored track as splits name it."""

    id: int | None
    artist: str
    isrc: str = ""
    title: str = ""
    release_upc: str = ""
    release_title: str = ""

    @property
    def label(self) -> str:
        return self.title or self.isrc or "(no track: lines stated per release)"


@dataclass(frozen=True)
class Applied:
    """The shares one piece of income is divided by, and where they come from."""

    shares: tuple[tuple[str, Fraction], ...]
    scope: str
    """``track``, ``release``, ``catalogue``, or ``none`` (all to the artist)."""
    from_month: int = 0
    applies_to: str = "all"

    @property
    def label(self) -> str:
        if self.scope == "none":
            return "no split: the artist's"
        start = f" from {month_text(self.from_month)}" if self.from_month else ""
        kind = "" if self.applies_to == "all" else f", {self.applies_to}"
        where = {"track": "track", "release": "release", "catalogue": "catalogue"}[self.scope]
        return f"{where} split{start}{kind}"


@dataclass(frozen=True)
class _Group:
    scope: str
    target: tuple[str, str]
    from_month: int
    applies_to: str
    shares: tuple[tuple[str, Fraction], ...]

    def order(self) -> tuple[int, bool, bool]:
        """Latest month first; then master/publishing over all; then ISRC over title."""
        return (self.from_month, self.applies_to != "all", self.target[0] == "isrc")


class Resolver:
    """One artist's splits, asked which applies to a track's income in a month."""

    def __init__(self, artist: str, rows: Sequence[SplitRow]) -> None:
        self.artist = artist
        grouped: dict[tuple, list[SplitRow]] = defaultdict(list)
        for row in rows:
            grouped[(row.scope, *row.group)].append(row)
        self.groups = [
            _Group(scope, target, month, kind, tuple((r.payee, r.share) for r in members))
            for (scope, target, month, kind), members in grouped.items()
        ]
        self._by_track: dict[int | None, dict[str, list[_Group]]] = {}

    @property
    def unshared(self) -> Applied:
        return Applied(((self.artist, Fraction(1)),), "none")

    def _candidates(self, track: TrackInfo | None) -> dict[str, list[_Group]]:
        key = track.id if track is not None else None
        found = self._by_track.get(key)
        if found is None:
            found = {scope: [] for scope in SCOPES}
            for g in self.groups:
                if _matches(g, track):
                    found[g.scope].append(g)
            for groups in found.values():
                groups.sort(key=_Group.order, reverse=True)
            self._by_track[key] = found
        return found

    def applied(self, track: TrackInfo | None, month: int, kind: str) -> Applied:
        """The split for ``track``'s income of ``kind`` in usage ``month`` (see the module)."""
        candidates = self._candidates(track)
        for scope in SCOPES:
            for g in candidates[scope]:
                if g.from_month <= month and applies(g.applies_to, kind):
                    return Applied(g.shares, g.scope, g.from_month, g.applies_to)
        return self.unshared


def _matches(g: _Group, track: TrackInfo | None) -> bool:
    kind, value = g.target
    if kind == "catalogue":
        return True
    if track is None:
        return False
    if kind == "isrc":
        return bool(track.isrc) and normal_isrc(track.isrc) == value
    if kind == "title":
        return track.title.casefold() == value
    return value in {track.release_upc.strip().casefold(), track.release_title.casefold()} - {""}


# --- reading what is stored ---------------------------------------------------------------------


def stored_splits(engine: Engine, artist: str | None = None) -> dict[str, list[SplitRow]]:
    """Artist -> its split rows (track, release, catalogue; by month), as stored."""
    t = Split.__table__
    query = (
        select(t.c.artist, t.c.isrc, t.c.title, t.c.release, Payee.name, t.c.share_numerator,
               t.c.share_denominator, t.c.from_month, t.c.applies_to)
        .join(Payee, Payee.id == t.c.payee_id)
        .order_by(t.c.artist, t.c.title, t.c.isrc, t.c.release, t.c.from_month, t.c.id)
    )  # fmt: skip
    if artist is not None:
        query = query.where(t.c.artist == artist)
    out: dict[str, list[SplitRow]] = defaultdict(list)
    with engine.connect() as conn:
        for a, isrc, title, release, payee, num, den, month, kind in conn.execute(query):
            out[a].append(SplitRow(payee, Fraction(int(num), int(den)), isrc, title, release,
                                   int(month), kind))  # fmt: skip
    return dict(out)


def payee_names(engine: Engine, artist: str | None = None) -> list[str]:
    """Everyone with a share of something (of ``artist``'s income), by name."""
    names = {r.payee for rows in stored_splits(engine, artist).values() for r in rows}
    return sorted(names, key=str.casefold)


def tracks(engine: Engine, ids: Sequence[int] = (), artist: str | None = None) -> list[TrackInfo]:
    """Stored tracks with their release, by id (``ids``) or all of ``artist``'s."""
    query = (
        select(Track.id, Artist.name, Track.isrc, Track.title, Release.upc, Release.title)
        .join(Artist, Artist.id == Track.artist_id)
        .outerjoin(Release, Release.id == Track.release_id)
    )
    if artist is not None:
        query = query.where(Artist.name == artist)
    wanted = sorted({int(i) for i in ids})
    with engine.connect() as conn:
        if not wanted:
            rows = conn.execute(query).all()
        else:
            rows = []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows += conn.execute(query.where(Track.id.in_(chunk))).all()
    found = {
        int(r[0]): TrackInfo(int(r[0]), r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "")
        for r in rows
    }
    return sorted(found.values(), key=lambda t: (t.artist.casefold(), t.title.casefold(), t.isrc))


def unmatched(rows: Sequence[SplitRow], known: Sequence[TrackInfo]) -> list[SplitRow]:
    """Rows for a track or release no stored track has (yet): a typo, or statements to come."""
    probe = Resolver("", rows)
    hit = {id(g) for track in known for scope in ("track", "release")
           for g in probe._candidates(track)[scope]}  # fmt: skip
    missing = {(g.scope, g.target) for g in probe.groups if g.scope != "catalogue"
               and id(g) not in hit}  # fmt: skip
    return [r for r in rows if (r.scope, r.target) in missing]
