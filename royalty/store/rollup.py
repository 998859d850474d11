"""Summary tables that keep the dashboard fast with millions of statement lines.

A statement line is already close to the finest grain a person asks about (month x store x
track x country), so one summary "by everything" would be as large as the lines. Instead each
statement is summed at the few grains the pages need, each keyed by the statement, month,
kind, currency and the statement's own exchange rate, plus:

* ``line_rollup``: artist and platform (overview, platform comparison, Unwrapped);
* ``line_rollup_track``: artist and track (top tracks);
* ``line_rollup_track_platform``: artist, track and platform (one platform's tracks: Spotify's
  1,000-stream rule, the tracks page filtered by platform);
* ``line_rollup_territory``: artist and territory (map, top countries);
* ``line_rollup_territory_platform``: artist, territory and platform (the map filtered by
  platform);
* ``line_rollup_reporting``: artist, platform, reporting month and what a line was paid
  (``PAID``): the statement list's reporting months, coverage's lags, where the money went;
* ``label_rollup_reporting`` and ``label_rollup_territory_platform``: the same without the
  artist, for a whole label's pages (a row per statement, platform and country, not per
  artist as well).

``royalty.analytics.aggregate`` picks the smallest table that has every column a query groups or filters
on, and reads ``earning_line`` itself only when none does (a track *and* a territory filter).
Because conversion keys and the statement stay in every key, conversion and filters give
exactly what the lines would. An import sums its lines batch by batch as it stores them
(``Sums``) and writes the summaries inside its own transaction, so a file and its summaries
are stored together or not at all; ``add_statement`` sums an already stored statement with
``INSERT ... SELECT ... GROUP BY`` (rebuilds, databases from before the summaries).
Every grain is in ``FILL_ORDER``: the import, ``add_statement``, ``rebuild`` and removal all
follow it.
"""

from __future__ import annotations

from weakref import WeakSet

import numpy as np
import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    select,
)

from royalty.store.models import (
    EarningLine,
    LabelReportingRollup,
    LabelTerritoryPlatformRollup,
    LineRollup,
    ReportingRollup,
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
REPORTING = ReportingRollup.__table__
LABEL_REPORTING = LabelReportingRollup.__table__
LABEL_TERRITORY_PLATFORM = LabelTerritoryPlatformRollup.__table__

LABEL_KEY = ("statement_id", "usage_month", "usage_month_end", "kind", "currency",
             "source_currency", "fx_rate")  # fmt: skip
"""Columns every grain groups by."""
KEY = ("statement_id", "artist_id", *LABEL_KEY[1:])
"""Columns every grain of one artist's rows groups by."""

KEYS: dict[str, tuple[str, ...]] = {
    PLATFORM.name: (*KEY, "platform_id"),
    TRACK.name: (*KEY, "track_id"),
    TRACK_PLATFORM.name: (*KEY, "platform_id", "track_id"),
    TERRITORY.name: (*KEY, "territory"),
    TERRITORY_PLATFORM.name: (*KEY, "platform_id", "territory"),
    REPORTING.name: (*KEY, "platform_id", "reporting_month", "paid"),
    LABEL_REPORTING.name: (*LABEL_KEY, "platform_id", "reporting_month", "paid"),
    LABEL_TERRITORY_PLATFORM.name: (*LABEL_KEY, "platform_id", "territory"),
}
"""Each grain's key: the columns it groups by."""

FILL_ORDER: tuple[tuple[Table, Table], ...] = (
    (TRACK_PLATFORM, LINE),
    (TERRITORY_PLATFORM, LINE),
    (REPORTING, LINE),
    (PLATFORM, TRACK_PLATFORM),
    (TRACK, TRACK_PLATFORM),
    (TERRITORY, TERRITORY_PLATFORM),
    (LABEL_TERRITORY_PLATFORM, TERRITORY_PLATFORM),
    (LABEL_REPORTING, REPORTING),
)
"""(summary, what it is summed from): the one list of grains. Only the finest read the
lines; each other one is summed from a finer grain whose key holds all of its own."""
TABLES: tuple[Table, ...] = tuple(target for target, _ in FILL_ORDER)
FINEST = tuple(target for target, source in FILL_ORDER if source is LINE)
"""The grains summed from the lines; the others are summed from these."""
COARSE_FROM = tuple((target, source) for target, source in FILL_ORDER if source is not LINE)
"""(coarser grain, the grain it is summed from)."""
SUMMED = ("quantity", "amount_nano", "lines")

PAID_LESS, PAID_NOTHING, PAID = -1, 0, 1
"""``paid``: a negative amount; no money for units played (quantity > 0); anything else.
A grain keyed by it sums each sort apart, so the lines that earned nothing or less than nothing
(``royalty.analytics.money_went``) are counted and summed exactly without reading them."""


def paid_sql(t: Table) -> ColumnElement[int]:
    """``paid`` of a line, in SQL."""
    return case(
        (t.c.amount_nano < 0, PAID_LESS),
        (and_(t.c.amount_nano == 0, t.c.quantity > 0), PAID_NOTHING),
        else_=PAID,
    )


def paid_values(lines: pd.DataFrame) -> np.ndarray:
    """``paid`` of each line of a batch, as ``paid_sql`` gives it."""
    nano = lines["amount_nano"].to_numpy(dtype=np.int64)
    quantity = lines["quantity"].to_numpy(dtype=np.int64)
    return np.where(nano < 0, PAID_LESS, np.where((nano == 0) & (quantity > 0), PAID_NOTHING, PAID))


_checked: WeakSet[Engine] = WeakSet()


def _fill(conn: Connection, target: Table, source: Table, statement_id: int) -> None:
    """One grouped ``INSERT ... SELECT`` of one statement from ``source`` into ``target``."""
    names = KEYS[target.name]
    keys = [
        paid_sql(source).label("paid") if n == "paid" and source is LINE else source.c[n]
        for n in names
    ]
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
    columns = [*names, "quantity", "amount_nano", "lines"]
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
