"""The ids an import wrote into its lines, checked once per import, not once per line.

The line and summary tables have no foreign keys on PostgreSQL (``royalty.store.models``):
the importer writes only ids it has just read or inserted in its own transaction. This is
the check the keys made, once per distinct id instead of once per row: every id names a row
that exists. On PostgreSQL those rows are locked ``FOR KEY SHARE`` until the import commits,
as each key's trigger locked them, so that nothing can delete them under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Column, Connection, select

from royalty.store.models import Artist, Platform, Release, Store, Territory, Track

TARGETS: dict[str, Column] = {
    "artist_id": Artist.__table__.c.id, "platform_id": Platform.__table__.c.id,
    "store_id": Store.__table__.c.id, "track_id": Track.__table__.c.id,
    "release_id": Release.__table__.c.id, "territory": Territory.__table__.c.code,
}  # fmt: skip
"""Line column -> the column its values name."""
PART = 5_000


class MissingReference(Exception):
    """A line would name a row that does not exist (a bug, or a row deleted under the import)."""


class Used:
    """The distinct ids of each referencing column, gathered batch by batch."""

    def __init__(self) -> None:
        self.ids: dict[str, set[object]] = {name: set() for name in TARGETS}

    def add(self, name: str, values: Iterable[object]) -> None:
        """Every id in ``values`` (None is no reference): the distinct ids an import has just
        looked up for a batch's lines, not the lines themselves."""
        self.ids[name].update(v for v in values if v is not None)


def check(conn: Connection, used: Used) -> None:
    """Raise ``MissingReference`` unless every id in ``used`` names a stored row."""
    lock = conn.dialect.name == "postgresql"
    for name, ids in used.ids.items():
        target = TARGETS[name]
        found: set[object] = set()
        for part in _parts(sorted(ids)):
            query = select(target).where(target.in_(part))
            if lock:
                query = query.with_for_update(read=True, key_share=True)  # FOR KEY SHARE
            found.update(conn.execute(query).scalars())
        missing = ids - found
        if missing:
            raise MissingReference(
                f"lines would name {name} {sorted(missing, key=str)[:5]}, which do not exist"
            )


def _parts(items: list[object]) -> Iterator[list[object]]:
    for start in range(0, len(items), PART):
        yield items[start : start + PART]
