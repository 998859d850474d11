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
exactly what the lines would. An import sums its lines batch by batch as it stores them
(``Sums``) and writes the summaries inside its own transaction, so a file and its summaries
are stored together or not at all; ``add_statement`` sums an already stored statement with
``INSERT ... SELECT ... GROUP BY`` (rebuilds, databases from before the summaries).
"""

from __future__ import annotations

from weakref import WeakSet

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, delete, func, insert, select

from royalty.bulk import Writer
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


FINEST = (TRACK_PLATFORM, TERRITORY_PLATFORM)
"""The grains summed from the lines; the others are summed from these (``FILL_ORDER``)."""
SUMMED = ("quantity", "amount_nano", "lines")


COARSE_FROM = ((PLATFORM, TRACK_PLATFORM), (TRACK, TRACK_PLATFORM), (TERRITORY, TERRITORY_PLATFORM))
"""(coarser grain, the finest grain it is summed from) when an import writes its sums."""


class Sums:
    """One statement's summaries, summed from its lines in memory as they are stored.

    Summing each batch in memory spares reading every stored line back with ``GROUP BY``.
    Keys become small integer codes, the same in every batch, and are grouped with numpy
    (sort, then sum each run of equal keys): exact int64 sums, or Python integers where int64
    could overflow. Grouping text and NULL keys in pandas took several times longer; the codes
    turn back into the stored values once, when the sums are written.
    """

    COMPACT_ROWS = 200_000
    """Batch sums kept apart until they hold this many rows (and as many as the sums so far):
    then they are summed into one, which bounds memory at little cost."""

    def __init__(self) -> None:
        self.names = sorted({n for t in FINEST for n in (*KEY, *EXTRA[t.name])})
        self.codes: dict[str, dict[object, int]] = {n: {} for n in self.names}
        self.parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {t.name: [] for t in FINEST}

    def add(self, lines: pd.DataFrame) -> None:
        """Sum a batch of lines exactly as inserted (columns of ``earning_line``)."""
        if lines.empty:
            return
        codes = {name: self._encode(name, lines[name]) for name in self.names}
        values = np.column_stack(
            [
                lines["quantity"].to_numpy(dtype=np.int64),
                lines["amount_nano"].to_numpy(dtype=np.int64),
                np.ones(len(lines), dtype=np.int64),
            ]
        )
        for target in FINEST:
            keys = np.column_stack([codes[n] for n in (*KEY, *EXTRA[target.name])])
            parts = self.parts[target.name]
            parts.append(_group_sum(keys, values))
            pending = sum(len(k) for k, _ in parts[1:])
            if len(parts) > 2 and pending >= max(self.COMPACT_ROWS, len(parts[0][0])):
                parts[:] = [_group_sum(*_concat(parts))]

    def write(self, writer: Writer, statement_id: int) -> None:
        """Insert every grain's sums, in the writer's transaction."""
        finest = {}
        for target in FINEST:
            if self.parts[target.name]:
                finest[target.name] = _group_sum(*_concat(self.parts[target.name]))
        for target, source in (*((t, t) for t in FINEST), *COARSE_FROM):
            if source.name not in finest:
                continue
            keys, sums = finest[source.name]
            names = [*KEY, *EXTRA[source.name]]
            if target is not source:  # a coarser grain: the same sums without some keys
                wanted = [*KEY, *EXTRA[target.name]]
                keys, sums = _group_sum(keys[:, [names.index(n) for n in wanted]], sums)
                names = wanted
            rows = pd.DataFrame({n: self._decode(n, keys[:, i]) for i, n in enumerate(names)})
            for i, name in enumerate(SUMMED):
                rows[name] = sums[:, i]
            if set(rows["statement_id"].unique()) != {statement_id}:
                raise ValueError("summed lines of another statement")
            # in key order, so the summary tables' indexes are filled in order
            writer.append(target, rows.sort_values(["artist_id", "usage_month"]))

    def _encode(self, name: str, values: pd.Series) -> np.ndarray:
        """Values -> int codes kept for the whole statement; NULL is a value of its own."""
        known = self.codes[name]
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        lookup = [known.setdefault(_plain(u), len(known)) for u in uniques]
        return np.asarray(lookup, dtype=np.int64)[codes]

    def _decode(self, name: str, codes: np.ndarray) -> np.ndarray:
        values = list(self.codes[name])
        if all(isinstance(v, int) for v in values):
            return np.asarray(values, dtype=np.int64)[codes]
        return np.asarray(values, dtype=object)[codes]


def _plain(value: object) -> object:
    """A key as the database takes it: None for every kind of missing, ints as Python ints."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # an id column that pandas turned to float because of a NULL
    return value


def _concat(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate([k for k, _ in parts]), np.concatenate([v for _, v in parts])


INT64_SAFE = float(2**62)
"""Sums whose absolute values add up to less than this cannot overflow int64 (with margin
for the float estimate)."""


def _one_key(keys: np.ndarray) -> np.ndarray | None:
    """Rows of small non-negative codes as one int64 each (mixed radix), if they fit."""
    sizes = keys.max(axis=0) + 1
    if float(np.prod(sizes, dtype=np.float64)) >= 2**62:
        return None
    one = np.zeros(len(keys), dtype=np.int64)
    for column, size in zip(keys.T, sizes, strict=True):
        one = one * size + column
    return one


def _group_sum(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``GROUP BY`` the rows of ``keys`` with ``SUM`` of each column of ``values``, exactly."""
    if len(keys) == 0:
        return keys, values
    one = _one_key(keys)
    if one is not None:  # one int64 per row: a single sort
        order = np.argsort(one)
        one = one[order]
        starts = np.flatnonzero(np.r_[True, one[1:] != one[:-1]])
    else:
        order = np.lexsort(keys.T[::-1])
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)])
    keys, values = keys[order[starts]], values[order]
    if np.abs(values).sum(axis=0, dtype=np.float64).max() < INT64_SAFE:
        return keys, np.add.reduceat(values.astype(np.int64), starts, axis=0)
    ends = np.r_[starts[1:], len(values)]  # could overflow int64: Python integers
    sums = [[sum(int(v) for v in values[a:b, j]) for j in range(values.shape[1])]
            for a, b in zip(starts, ends, strict=True)]  # fmt: skip
    return keys, np.array(sums, dtype=object).reshape(len(starts), values.shape[1])


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
