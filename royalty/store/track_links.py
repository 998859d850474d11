"""Which stored tracks the pages count as one recording, and the splits a person made.

The matching rule is ``royalty.track_matching``; this module keeps its result. Matching
happens when the pages read, not when lines are stored: an import gives every line the track
its statement names (one row per artist, ISRC and title), and ``track_link`` says which of
those rows is counted as which. Reading through the links costs a join on a small table; in
return

* an import does not depend on the order statements come in (Bandcamp before the
  distributor that gives the ISRC, or after), and never rewrites lines stored earlier;
* a split is one row in ``track_split`` and the links made again: no line and no summary is
  rewritten, and removing the split ("match again") gives the figures of before;
* summaries (``royalty.store.rollup``) keep the tracks their lines name, so every sum they
  hold is still exactly the sum of those lines, and a track's figures are the exact sum of
  its rows' figures;
* removing a statement removes the tracks only it named, as before; links to and from them go
  first, and the remaining tracks of their artists are linked again.

Links change only when tracks or splits do: an import links the artists it added tracks to,
in its own transaction; a removal and a split link their artists again in theirs. A database
opened for the first time by a version of the rule it was not linked by is linked again at
start (``ensure``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from weakref import WeakSet

from sqlalchemy import Connection, Engine, delete, func, insert, select

from royalty import track_matching
from royalty.store.db import DatabaseBusy, writing
from royalty.store.models import AppSetting, Artist, Track, TrackLink, TrackSplit

SETTING = "track_matching"
"""``app_setting`` key: the version of the rule the links were made by."""
ENSURE_WAIT = 5.0
"""Seconds start-up waits for an import before leaving the links to the next start."""
LINK = TrackLink.__table__
SPLIT = TrackSplit.__table__
TRACK = Track.__table__

_checked: WeakSet[Engine] = WeakSet()


def relink(conn: Connection, artist_ids: Iterable[int] | None = None) -> None:
    """Make the links of these artists' tracks (every artist's: None) what the rule says, in
    the caller's transaction."""
    query = select(TRACK.c.id, TRACK.c.artist_id, TRACK.c.isrc, TRACK.c.title)
    ids: list[int] | None = None
    if artist_ids is not None:
        ids = sorted({int(a) for a in artist_ids})
        if not ids:
            return
        query = query.where(TRACK.c.artist_id.in_(ids))
    tracks: dict[int, list[track_matching.StoredTrack]] = defaultdict(list)
    for row in conn.execute(query):
        tracks[row.artist_id].append(track_matching.StoredTrack(row.id, row.isrc, row.title))
    splits: dict[int, set[tuple[str, str]]] = defaultdict(set)
    split_query = select(Artist.id, SPLIT.c.isrc, SPLIT.c.title).join(
        Artist, Artist.name == SPLIT.c.artist
    )
    if ids is not None:
        split_query = split_query.where(Artist.id.in_(ids))
    for artist_id, isrc, title in conn.execute(split_query):
        splits[artist_id].add((isrc, title))
    wanted = [
        {"track_id": link.track, "canonical_id": link.canonical, "matched_by": link.by}
        for artist_id, rows in tracks.items()
        for link in track_matching.links(rows, splits[artist_id])
    ]
    if ids is None:
        conn.execute(delete(LINK))
    else:
        of_artists = select(TRACK.c.id).where(TRACK.c.artist_id.in_(ids))
        conn.execute(delete(LINK).where(LINK.c.track_id.in_(of_artists)))
    if wanted:
        conn.execute(insert(LINK), wanted)


def forget(conn: Connection, track_ids: set[int]) -> None:
    """Drop the links to and from tracks about to be deleted (relink their artists after)."""
    if track_ids:
        ids = sorted(track_ids)
        conn.execute(delete(LINK).where(LINK.c.track_id.in_(ids) | LINK.c.canonical_id.in_(ids)))


def ensure(engine: Engine) -> None:
    """Link every track again if the database was linked by another version of the rule
    (or never: a database from before the links), checked once per engine.

    Start-up waits a little for an import that is writing, then leaves it to the next start:
    until then the pages count each spelling apart, exactly.
    """
    if engine in _checked:
        return
    with engine.connect() as conn:
        if _linked_by(conn) == track_matching.RULE or not _has_tracks(conn):
            _checked.add(engine)
            return
    try:
        with writing(engine, limit=ENSURE_WAIT) as conn:
            if _linked_by(conn) != track_matching.RULE:  # again: another process may have
                relink(conn)
                conn.execute(delete(AppSetting).where(AppSetting.key == SETTING))
                conn.execute(insert(AppSetting).values(key=SETTING, value=track_matching.RULE))
    except DatabaseBusy:
        return
    _checked.add(engine)


def _linked_by(conn: Connection) -> str | None:
    return conn.execute(select(AppSetting.value).where(AppSetting.key == SETTING)).scalar()


def _has_tracks(conn: Connection) -> bool:
    return conn.execute(select(TRACK.c.id).limit(1)).first() is not None


def version(conn: Connection) -> tuple[int, str]:
    """(splits kept, the latest split's time): changes with every split and every undo, so
    that cached figures are not served after either."""
    count, latest = conn.execute(select(func.count(SPLIT.c.id), func.max(SPLIT.c.split_at))).one()
    return int(count or 0), str(latest or "")


# --- splits -------------------------------------------------------------------------------


class TrackNotFound(LookupError):
    """The id names no track, or the title none of its titles: nothing was changed."""


@dataclass(frozen=True)
class Split:
    """What a split or its undo did: the tracks (artist, ISRC, title) it applies to."""

    track_id: int
    """The track the titles were counted as before."""
    artist: str
    titles: tuple[tuple[int, str, str], ...]
    """(track id, ISRC, title) of each row split off (or matched again)."""

    def to_json(self) -> dict[str, object]:
        return {
            "track_id": self.track_id,
            "artist": self.artist,
            "titles": [{"track_id": i, "isrc": s, "title": t} for i, s, t in self.titles],
        }


def split(
    engine: Engine,
    track_id: int,
    title: str | None = None,
    *,
    waiting: Callable[[float], None] | None = None,
    limit: float | None = None,
) -> Split:
    """Record that a title counted as track ``track_id`` is another recording, and link again.

    With ``title``: the rows of that track's group with this title (other than the track the
    group is shown as, when others have it). Without: the row ``track_id`` itself. Raises
    ``TrackNotFound`` (changing nothing) for an unknown id or title, or a track that is not
    counted with any other.
    """
    with writing(engine, waiting, limit=limit) as conn:
        shown, artist_id, artist, chosen = _chosen(conn, track_id, title)
        known = {
            (isrc, t)
            for isrc, t in conn.execute(
                select(SPLIT.c.isrc, SPLIT.c.title).where(SPLIT.c.artist == artist)
            )
        }
        new = [(isrc, t) for _, isrc, t in chosen if (isrc, t) not in known]
        if new:
            conn.execute(insert(SPLIT), [{"artist": artist, "isrc": i, "title": t} for i, t in new])
        relink(conn, [artist_id])
    return Split(shown, artist, tuple(chosen))


def unsplit(
    engine: Engine,
    track_id: int,
    *,
    waiting: Callable[[float], None] | None = None,
    limit: float | None = None,
) -> Split:
    """Forget the split of track ``track_id`` (it is matched by the rule again) and link again.

    A track without ISRC can be any spelling of the split title: such a split applies to all
    of them (``royalty.track_matching``), and so does its undo. Raises ``TrackNotFound`` (changing nothing) for an unknown id or a track never split.
    """
    with writing(engine, waiting, limit=limit) as conn:
        row = _track(conn, track_id)
        decisions = conn.execute(
            select(SPLIT.c.id, SPLIT.c.title).where(
                SPLIT.c.artist == row.artist, SPLIT.c.isrc == row.isrc
            )
        ).all()
        if row.isrc:
            found = [i for i, title in decisions if title == row.title]
        else:  # a split without ISRC took every spelling of its normalized title
            key = track_matching.normalized_title(row.title)
            found = [i for i, title in decisions if track_matching.normalized_title(title) == key]
        if not found:
            raise TrackNotFound(f"track {track_id} ({row.title!r}) was not split")
        conn.execute(delete(SPLIT).where(SPLIT.c.id.in_(found)))
        relink(conn, [row.artist_id])
    return Split(track_id, row.artist, ((track_id, row.isrc, row.title),))


def _track(conn: Connection, track_id: int):  # type: ignore[no-untyped-def]
    row = conn.execute(
        select(
            TRACK.c.id, TRACK.c.artist_id, TRACK.c.isrc, TRACK.c.title, Artist.name.label("artist")
        )
        .join(Artist, Artist.id == TRACK.c.artist_id)
        .where(TRACK.c.id == int(track_id))
    ).first()
    if row is None:
        raise TrackNotFound(f"no track with id {track_id} (`royalty tracks merged` lists them)")
    return row


def _chosen(
    conn: Connection, track_id: int, title: str | None
) -> tuple[int, int, str, list[tuple[int, str, str]]]:
    """(the track shown, artist id, artist, the rows to split off) for ``split``."""
    row = _track(conn, track_id)
    shown = conn.execute(
        select(LINK.c.canonical_id).where(LINK.c.track_id == row.id)
    ).scalar() or int(row.id)
    members = conn.execute(
        select(TRACK.c.id, TRACK.c.isrc, TRACK.c.title)
        .outerjoin(LINK, LINK.c.track_id == TRACK.c.id)
        .where(func.coalesce(LINK.c.canonical_id, TRACK.c.id) == shown)
        .order_by(TRACK.c.id)
    ).all()
    if len(members) < 2:
        raise TrackNotFound(
            f"track {track_id} ({row.title!r}) is not counted with any other track: "
            "nothing to split"
        )
    if title is None:
        return shown, row.artist_id, row.artist, [(int(row.id), row.isrc, row.title)]
    same = [m for m in members if m.title == title] or [
        m for m in members if m.title.casefold() == title.casefold()
    ]
    if not same:
        titles = ", ".join(repr(m.title) for m in members)
        raise TrackNotFound(f"track {shown} has no title {title!r} (its titles: {titles})")
    others = [m for m in same if m.id != shown]
    chosen = others or same
    return shown, row.artist_id, row.artist, [(int(m.id), m.isrc, m.title) for m in chosen]
