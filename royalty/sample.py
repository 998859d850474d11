"""The sample statements in ``data/``: loaded on first run, recognised afterwards.

A new user opens the app to an empty database and would see nothing but empty charts. So the
first run imports the fictional band's statements shipped in ``data/`` (through the same
``ingest.import_path`` as any other file), and the app can tell, later, whether the database
still holds only that sample (every stored statement's SHA-256 is one of the sample files'),
to say "this is sample data; import your own on the Import page".

Once the user has their own statements the fiction only gets in the way, so it can be removed
(``remove_sample_data``) and stays removed: the choice is kept in the database's
``app_setting`` table, so an emptied database does not fill up with the sample on the next
start. ``load_sample_data`` brings it back on request and forgets that choice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, delete, insert, select

from royalty import ingest, settings
from royalty.ingest import ImportResult, Progress
from royalty.reader import Source
from royalty.store import rollup
from royalty.store.models import (
    AppSetting,
    Artist,
    EarningLine,
    Release,
    Statement,
    StatementTotal,
    Track,
)


def sample_files(folder: str | Path = settings.SAMPLE_DATA_DIR) -> list[Path]:
    """The statement files in ``folder`` (sorted; README and hidden files are not statements)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return list(ingest.statement_files([folder]))


def has_statements(engine: Engine) -> bool:
    """Whether anything at all has been imported."""
    with engine.connect() as conn:
        return conn.execute(select(Statement.id).limit(1)).first() is not None


def load_sample_data(
    engine: Engine,
    folder: str | Path = settings.SAMPLE_DATA_DIR,
    progress: Progress | None = None,
) -> list[ImportResult]:
    """Import every sample file; a file that fails is an error result, never an exception.

    Re-running is harmless: files already imported come back as ``duplicate``. Asking for the
    sample undoes an earlier ``remove_sample_data``: the next start keeps it again.
    """
    _forget_removal(engine)
    files = sample_files(folder)
    if not files:
        return [
            ImportResult(
                file=str(folder),
                status="error",
                message=f"{folder}: no sample statements found (the data folder is missing)",
            )
        ]
    return [ingest.import_path(engine, path, progress=progress) for path in files]


def ensure_sample_data(engine: Engine) -> list[ImportResult] | None:
    """Load the sample into an empty database; ``None`` when there were statements already,
    or when the user removed the sample (an empty database is then what they asked for).

    Two sessions starting at once cannot double the sample: the second import of the same bytes
    is refused by the statement's unique SHA-256.
    """
    if has_statements(engine) or sample_removed(engine):
        return None
    return load_sample_data(engine)


def sample_digests(folder: str | Path = settings.SAMPLE_DATA_DIR) -> frozenset[str]:
    """SHA-256 of each sample file, computed the way ``ingest`` records it."""
    files = sample_files(folder)
    stamp = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _digests(stamp)


@lru_cache(maxsize=4)
def _digests(stamp: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    # keyed on size and mtime so a regenerated data folder is hashed again, and only then
    return frozenset(ingest.sha256_of(Source.from_path(path)) for path, _, _ in stamp)


def is_sample_only(engine: Engine, folder: str | Path = settings.SAMPLE_DATA_DIR) -> bool:
    """True when there are statements and every one of them is a sample file."""
    with engine.connect() as conn:
        stored = set(conn.execute(select(Statement.sha256)).scalars())
    return bool(stored) and stored <= sample_digests(folder)


def has_sample_data(engine: Engine, folder: str | Path = settings.SAMPLE_DATA_DIR) -> bool:
    """True when at least one sample statement is stored (there is something to remove)."""
    digests = sample_digests(folder)
    if not digests:
        return False
    with engine.connect() as conn:
        found = conn.execute(
            select(Statement.id).where(Statement.sha256.in_(digests)).limit(1)
        ).first()
    return found is not None


# --- removing the sample -------------------------------------------------------------------------

REMOVED_KEY = "sample_removed"
"""``app_setting`` key present once the user removed the sample (the value says when)."""


def sample_removed(engine: Engine) -> bool:
    """Whether the user removed the sample (and has not asked for it again since)."""
    with engine.connect() as conn:
        row = conn.execute(select(AppSetting.key).where(AppSetting.key == REMOVED_KEY)).first()
    return row is not None


def _forget_removal(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(delete(AppSetting).where(AppSetting.key == REMOVED_KEY))


def remove_sample_data(engine: Engine, folder: str | Path = settings.SAMPLE_DATA_DIR) -> int:
    """Delete every sample statement with all it left behind; returns how many were removed.

    In one transaction (all of it or nothing): the statements whose SHA-256 is a sample file's,
    their lines, summary rows and stated totals, then the artists, releases and tracks that only
    the sample used. Platforms, stores and territories stay: they are shared vocabulary, not
    anybody's data. The removal is recorded so that the next start does not load the sample
    into the (possibly now empty) database again.
    """
    digests = sample_digests(folder)
    with engine.begin() as conn:
        ids = (
            list(conn.execute(select(Statement.id).where(Statement.sha256.in_(digests))).scalars())
            if digests
            else []
        )
        if ids:
            _delete_statements(conn, ids)
        conn.execute(delete(AppSetting).where(AppSetting.key == REMOVED_KEY))
        conn.execute(
            insert(AppSetting).values(key=REMOVED_KEY, value=datetime.now(UTC).isoformat())
        )
    return len(ids)


def _delete_statements(conn: Connection, ids: list[int]) -> None:
    """Statements, their rows, then the dimension rows nothing references any more."""
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

    # children before parents: tracks name releases and artists, releases name artists
    tracks -= _still_used(conn, "track_id", tracks)
    if tracks:
        conn.execute(delete(Track).where(Track.id.in_(tracks)))
    releases -= _still_used(conn, "release_id", releases)
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
    """Which of ``candidates`` a remaining line or summary row still names.

    One scan per table with ``IN`` rather than a ``NOT EXISTS`` per candidate: the lines have
    no index on track or release.
    """
    if not candidates:
        return set()
    used: set[int] = set()
    for table in (EarningLine.__table__, *rollup.TABLES):
        if column in table.c:
            col = table.c[column]
            used |= _ids(conn, select(col).where(col.in_(candidates)).distinct())
    return used
