"""Summary tables that keep the dashboard fast with millions of statement lines.

A statement line is already close to the finest grain a person asks about (month x store x
track x country), so one summary "by everything" would be as large as the lines. Instead each
statement is summed at the few grains the pages need, each keyed by artist, month, kind,
currency and the statement's own exchange rate, plus:

* ``line_rollup``: platform (overview, platform comparison, Unwrapped);
* ``line_rollup_track``: track (top tracks);
* ``line_rollup_track_platform``: track and platform (one platform's tracks: Spotify's
  1,000-stream rule, the tracks page filtered by platform);
* ``line_rollup_territory``: territory (map, top countries);
* ``line_rollup_territory_platform``: territory and platform (the map filtered by platform).

``royalty.aggregate`` picks the smallest table that has every column a query groups or filters
on, and reads ``earning_line`` itself only when none does (a track *and* a territory filter).
Because conversion keys and the statement stay in every key, conversion and filters give
exactly what the lines would. The sums are filled by ``INSERT ... SELECT ... GROUP BY`` for one
statement inside its import transaction (``add_statement``): a file and its summaries are
stored together or not at all.
"""

from __future__ import annotations

from weakref import WeakSet

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select

from royalty.models import (
    EarningLine,
    LineRollup,
    Statement,
    TerritoryPlatformRollup,
    TerritoryRollup,
    TrackPlatformRollup,
    TrackRollup,
)

LINE = EarningLine.__table__
PLATFORM = LineRollup.__table__
TRACK = TrackRollup.__table__
TRACK_PLATFORM = TrackPlatformRollup.__table__
TERRITORY = TerritoryRollup.__table__
TERRITORY_PLATFORM = TerritoryPlatformRollup.__table__
TABLES: tuple[Table, ...] = (PLATFORM, TRACK, TRACK_PLATFORM, TERRITORY, TERRITORY_PLATFORM)

KEY = ("statement_id", "artist_id", "usage_month", "usage_month_end", "kind", "currency",
       "source_currency", "fx_rate")  # fmt: skip
"""Columns every grain groups by."""

EXTRA = {
    PLATFORM.name: ("platform_id",),
    TRACK.name: ("track_id",),
    TRACK_PLATFORM.name: ("platform_id", "track_id"),
    TERRITORY.name: ("territory",),
    TERRITORY_PLATFORM.name: ("platform_id", "territory"),
}
"""Columns a grain adds to ``KEY``."""

FILL_ORDER: tuple[tuple[Table, Table], ...] = (
    (TRACK_PLATFORM, LINE),
    (TERRITORY_PLATFORM, LINE),
    (PLATFORM, TRACK_PLATFORM),
    (TRACK, TRACK_PLATFORM),
    (TERRITORY, TERRITORY_PLATFORM),
)
"""(summary, what it is summed from): only the two finest grains read the lines."""

_checked: WeakSet[Engine] = WeakSet()


def _fill(conn: Connection, target: Table, source: Table, statement_id: int) -> None:
    """One grouped ``INSERT ... SELECT`` of one statement from ``source`` into ``target``."""
    keys = [source.c[name] for name in (*KEY, *EXTRA[target.name])]
    lines = func.count() if source is LINE else func.sum(source.c.lines)
    query = (
        select(
            *keys,
            func.sum(source.c.quantity).label("quantity"),
            func.sum(source.c.amount_nano).label("amount_nano"),
            lines.label("lines"),
        )
        .where(source.c.statement_id == statement_id)
        .group_by(*keys)
    )
    columns = [*KEY, *EXTRA[target.name], "quantity", "amount_nano", "lines"]
    conn.execute(insert(target).from_select(columns, query))


def add_statement(conn: Connection, statement_id: int) -> None:
    """Sum one statement's stored lines into the summary tables (in the caller's transaction).

    Only the two finest grains read the lines; the others are summed from those.
    """
    for target, source in FILL_ORDER:
        _fill(conn, target, source, statement_id)


def remove_statement(conn: Connection, statement_id: int) -> None:
    """Drop one statement's sums (call before deleting the statement's lines)."""
    for table in TABLES:
        conn.execute(delete(table).where(table.c.statement_id == statement_id))


def rebuild(engine: Engine) -> int:
    """Recompute every summary from the lines; returns the number of statements summed."""
    with engine.begin() as conn:
        for table in TABLES:
            conn.execute(delete(table))
        ids = conn.execute(select(Statement.id).order_by(Statement.id)).scalars().all()
        for statement_id in ids:
            add_statement(conn, statement_id)
    _checked.add(engine)
    return len(ids)


def ensure(engine: Engine) -> None:
    """Sum statements stored before the summary tables existed (checked once per engine).

    A statement whose lines were all skipped as overlap has no sums and needs none.
    """
    if engine in _checked:
        return
    with engine.begin() as conn:
        summed = select(PLATFORM.c.statement_id)
        missing = (
            conn.execute(
                select(Statement.id).where(Statement.lines_stored > 0, Statement.id.not_in(summed))
            )
            .scalars()
            .all()
        )
        for statement_id in missing:
            remove_statement(conn, statement_id)
            add_statement(conn, statement_id)
    _checked.add(engine)
