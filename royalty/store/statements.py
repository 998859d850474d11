"""Statement-level writes: removing statements with everything only they left behind.

Artists, releases and tracks that no remaining line or summary names go with them, and the
links to and from those tracks; platforms, stores and territories stay (they are shared
vocabulary, not anybody's data), and so do the splits a person made (``track_split``): they
name tracks by artist, ISRC and title, so a statement imported again finds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, Engine, Select, delete, select

from royalty.store import rollup, track_links
from royalty.store.db import writing
from royalty.store.models import Artist, EarningLine, Release, Statement, StatementTotal, Track


class UnknownStatements(LookupError):
    """Ids that name no statement: nothing was removed."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        listed = ", ".join(str(i) for i in ids)
        super().__init__(
            f"no statement with id {listed}; nothing was removed (`royalty statements` lists them)"
        )


def remove_statements(
    engine: Engine,
    ids: Iterable[int],
    *,
    waiting: Callable[[float], None] | None = None,
    limit: float | None = None,
) -> list[int]:
    """Remove these statements in one transaction, after any import that is writing; raises
    ``UnknownStatements`` (removing nothing) if one of them does not exist."""
    wanted = sorted({int(i) for i in ids})
    with writing(engine, waiting, limit=limit) as conn:
        found = set(conn.execute(select(Statement.id).where(Statement.id.in_(wanted))).scalars())
        missing = [i for i in wanted if i not in found]
        if missing:
            raise UnknownStatements(missing)
        if wanted:
            remove(conn, wanted)
    return wanted


def remove(conn: Connection, ids: list[int]) -> None:
    """Statements, their rows, then the dimension rows nothing references any more, in the
    caller's transaction (all of it or nothing)."""
    line = EarningLine.__table__.c
    artists = _ids(conn, select(line.artist_id).where(line.statement_id.in_(ids)).distinct())
    tracks = _ids(conn, select(line.track_id).where(line.statement_id.in_(ids)).distinct())
    releases = _ids(conn, select(line.release_id).where(line.statement_id.in_(ids)).distinct())
    if tracks:
        releases |= _ids(conn, select(Track.release_id).where(Track.id.in_(tracks)))
        artists |= _ids(conn, select(Track.artist_id).where(Track.id.in_(tracks)))
    if releases:
        artists |= _ids(conn, select(Release.artist_id).where(Release.id.in_(releases)))

    for statement_id in ids:
        rollup.remove_statement(conn, statement_id)
    conn.execute(delete(EarningLine).where(EarningLine.statement_id.in_(ids)))
    conn.execute(delete(StatementTotal).where(StatementTotal.statement_id.in_(ids)))
    conn.execute(delete(Statement).where(Statement.id.in_(ids)))

    # children before parents: links name tracks, tracks name releases and artists, releases
    # name artists
    tracks -= _still_used(conn, "track_id", tracks)
    if tracks:
        relinked = _ids(conn, select(Track.artist_id).where(Track.id.in_(tracks)))
        track_links.forget(conn, tracks)
        conn.execute(delete(Track).where(Track.id.in_(tracks)))
        track_links.relink(conn, relinked)  # what is left of their artists' tracks
    releases -= _releases_still_used(conn, releases)
    releases -= _ids(conn, select(Track.release_id).where(Track.release_id.in_(releases)))
    if releases:
        conn.execute(delete(Release).where(Release.id.in_(releases)))
    artists -= _still_used(conn, "artist_id", artists)
    artists -= _ids(conn, select(Track.artist_id).where(Track.artist_id.in_(artists)))
    artists -= _ids(conn, select(Release.artist_id).where(Release.artist_id.in_(artists)))
    if artists:
        conn.execute(delete(Artist).where(Artist.id.in_(artists)))


def _ids(conn: Connection, query: Select[Any]) -> set[int]:
    return {int(v) for v in conn.execute(query).scalars() if v is not None}


def _still_used(conn: Connection, column: str, candidates: set[int]) -> set[int]:
    """Which of ``candidates`` (artist or track ids) a remaining line still names.

    Read from the track summary, not the lines: every line is summed into it by its
    statement, artist and track in the transaction that stores the line, so an id that no
    summary row names is named by no line, and the summary is a small fraction of the lines
    (the lines have no index on artist or track: a large database's removal would read them
    all).
    """
    if not candidates:
        return set()
    col = rollup.TRACK.c[column]
    return _ids(conn, select(col).where(col.in_(candidates)).distinct())


def _releases_still_used(conn: Connection, candidates: set[int]) -> set[int]:
    """Which of ``candidates`` a remaining line still names.

    No summary is keyed by release, so the lines are read, but only those of the statements
    that hold lines of the releases' artists (a line's release is always its artist's),
    through the lines' statement index.
    """
    if not candidates:
        return set()
    artists = select(Release.artist_id).where(Release.id.in_(candidates))
    holding = _ids(
        conn,
        select(rollup.TRACK.c.statement_id).where(rollup.TRACK.c.artist_id.in_(artists)).distinct(),
    )
    if not holding:
        return set()
    line = EarningLine.__table__.c
    return _ids(
        conn,
        select(line.release_id)
        .where(line.statement_id.in_(holding), line.release_id.in_(candidates))
        .distinct(),
    )
