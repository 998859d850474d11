"""Summary tables that keep the dashboard fast with millions of statement lines.

A statement line is already close to the finest grain a person asks about (month x store x
track x country), so one summary "by everything" would be as large as the lines. Instead each
statement is summed three times at the grains the pages need:

* ``line_rollup``: artist, month, platform, kind (overview, platform comparison, Unwrapped);
* ``line_rollup_track``: the same plus track (top tracks, Spotify's 1,000-stream rule);
* ``line_rollup_territory``: the same plus territory (map, top countries).

``royalty.aggregate`` picks the smallest table that has every column a query groups or filters
on, and reads ``earning_line`` itself only when none does (a track *and* a territory filter).

Every grain keeps the statement, kind, currency, source currency and the statement's own
exchange rate in its key, so conversion and filters give exactly what the lines would. The
sums are filled by ``INSERT ... SELECT ... GROUP BY`` for one statement inside its import
transaction (``add_statement``): a file and its summaries are stored together or not at all.
"""

from __future__ import annotations

from weakref import WeakSet

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select

from royalty.models import EarningLine, LineRollup, Statement, TerritoryRollup, TrackRollup

LINE = EarningLine.__table__
PLATFORM = LineRollup.__table__
TRACK = TrackRollup.__table__
TERRITORY = TerritoryRollup.__table__
TABLES: tuple[Table, ...] = (PLATFORM, TRACK, TERRITORY)

KEY = (
    "statement_id", "artist_id", "usage_month", "usage_month_end", "platform_id", "kind",
    "currency", "source_currency", "fx_rate",
)  # fmt: skip
"""Columns every grain groups by."""

EXTRA = {PLATFORM.name: (), TRACK.name: ("track_id",), TERRITORY.name: ("territory",)}
"""Columns a grain adds to ``KEY``."""

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
    """Sum one statement's stored lines into the three summary tables (same transaction).

    The by-platform grain is summed from the by-track one, a fraction of the lines' size.
    """
    _fill(conn, TRACK, LINE, statement_id)
    _fill(conn, TERRITORY, LINE, statement_id)
    _fill(conn, PLATFORM, TRACK, statement_id)


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
