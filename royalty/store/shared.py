"""Rows every import shares (platforms, stores, territories), written on PostgreSQL in a
transaction of their own.

Imports of different artists run at the same time there (``royalty.store.locks``). Had each
inserted a new store in its own long transaction, the second would wait at that row until the
first one ended, or the two would wait for each other. These rows are vocabulary, not anybody's
data (removing statements keeps them), so each import writes the ones it needs at once,
skipping those another import wrote meanwhile, and reads their ids back.
"""

from __future__ import annotations

from sqlalchemy import Engine


def insert_missing(engine: Engine, table: type, rows: list[dict[str, object]], key: str) -> None:
    """Insert the rows whose ``key`` is not stored yet, committed before this returns."""
    from sqlalchemy.dialects.postgresql import insert

    if not rows:
        return
    with engine.begin() as conn:
        conn.execute(insert(table).on_conflict_do_nothing(index_elements=[key]), rows)
