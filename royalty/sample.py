"""The sample statements in ``data/``: loaded on first run, recognised afterwards.

A new user opens the app to an empty database and would see nothing but empty charts. So the
first run imports the fictional band's statements shipped in ``data/`` (through the same
``ingest.import_path`` as any other file), and the app can tell, later, whether the database
still holds only that sample (every stored statement's SHA-256 is one of the sample files'),
to say "this is sample data; import your own on the Import page".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, select

from royalty import ingest, settings
from royalty.ingest import ImportResult, Progress
from royalty.models import Statement
from royalty.reader import Source


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

    Re-running is harmless: files already imported come back as ``duplicate``.
    """
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
    """Load the sample into an empty database; ``None`` when there were statements already.

    Two sessions starting at once cannot double the sample: the second import of the same bytes
    is refused by the statement's unique SHA-256.
    """
    if has_statements(engine):
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
