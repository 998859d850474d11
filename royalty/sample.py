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

from sqlalchemy import Engine, delete, insert, select

from royalty import ingest, settings
from royalty.ingest import ImportResult, Progress
from royalty.ingest.reader import Source
from royalty.store import statements
from royalty.store.db import writing
from royalty.store.models import (
    AppSetting,
    Statement,
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
    with writing(engine) as conn:  # after an import that is writing, not failing under it
        ids = (
            list(conn.execute(select(Statement.id).where(Statement.sha256.in_(digests))).scalars())
            if digests
            else []
        )
        if ids:
            statements.remove(conn, ids)
        conn.execute(delete(AppSetting).where(AppSetting.key == REMOVED_KEY))
        conn.execute(
            insert(AppSetting).values(key=REMOVED_KEY, value=datetime.now(UTC).isoformat())
        )
    return len(ids)
