"""Where the database lives and what the app starts with.

The database URL comes from ``--db`` (command line), else ``DATABASE_URL``, else a SQLite file
in the user's data folder, so the app and the command line share one database by default.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA_DIR = PROJECT_ROOT / "data"
MAX_UPLOAD_MB = 200


def default_database_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "royalty" / "royalty.db"


def normalize_url(url: str) -> str:
    """Accept the ``postgres://`` spelling hosting providers hand out; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(explicit: str | None = None) -> str:
    url = explicit or os.environ.get("DATABASE_URL")
    if url:
        return normalize_url(url)
    path = default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"
