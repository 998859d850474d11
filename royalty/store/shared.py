"""Rows every import shares (platforms, stores, territories), inserted beside other imports.

Imports of different artists run at the same time on PostgreSQL (``royalty.store.locks``), and
two of them may meet the same new store. Each inserts the vocabulary it needs with ``ON
CONFLICT DO NOTHING`` in its own transaction (a failed import stores none of it), so the second
waits at that row until the first import ends, saying so like any wait for another import,
and then finds the row stored (or inserts it, if the first one rolled back). Vocabulary is
new only in a database's first imports and now and then after, so imports rarely wait here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection


def insert_missing(
    conn: Connection,
    table: type,
    rows: list[dict[str, object]],
    key: str,
    waiting: Callable[[float], None] | None = None,
) -> None:
    """Insert the rows whose ``key`` is not stored yet, in ``conn``'s transaction."""
    from sqlalchemy.dialects.postgresql import insert

    from royalty.store import db, locks

    if not rows:
        return
    statement = insert(table).on_conflict_do_nothing(index_elements=[key])
    locks.patiently(conn, lambda: conn.execute(statement, rows), waiting, db.WAIT_LIMIT)
