"""Tracks ranked in SQL: what ``tracks`` asks of a catalogue of tens of thousands of tracks.

When every line of a selection is in the reporting currency, a track's income is its summed
nano-units and nothing needs converting, so the database can rank the tracks and return only
the rows a page shows; exact money is made for those rows alone. A line in another currency
is converted per usage month and rate, which only the Python path does; each query says, in
the same pass, whether the selection has such a row, and the caller takes that path when it
has (returned here as None).

Tracks are summed per stored track first and only then counted as the recording they belong
to (``track_link``): the links join a row per track, not a row per summary row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    Table,
    and_,
    case,
    func,
    select,
)

from royalty.analytics.aggregate import LINK, Filters, needed_columns, source_for, where
from royalty.analytics.currency import Converter
from royalty.analytics.plans import without_jit

Ranked = list[tuple[int, int, Any, Any]]
"""(track_id, streams, income, stream_income): exact ``Decimal`` income, nothing converted."""


def _money(conv: Converter) -> Callable[[Any], Any]:
    """Summed nano-units as the Python path makes them (the reporting currency's own)."""
    return lambda nano: conv.convert(int(nano), conv.currency, record=False)


def _per_track(t: Table, f: Filters, currency: str, **measures: ColumnElement[Any]) -> Select[Any]:
    """``measures`` summed per stored track, with its last month and whether a row is in
    another currency: ``max`` of plain integers, which PostgreSQL keeps in the row of each
    group, where each ``SUM`` of a bigint takes an allocated state (fewer of them: fewer
    groups spilled to disk)."""
    foreign = case((t.c.currency != currency, 1), else_=0)
    sums = [func.sum(m).label(name) for name, m in measures.items()]
    return (
        select(
            t.c.track_id,
            *sums,
            func.max(t.c.usage_month).label("last_month"),
            func.max(foreign).label("foreign"),
        )
        .where(*where(t, f))
        .group_by(t.c.track_id)
    )


def top(engine: Engine, f: Filters, conv: Converter, limit: int | None) -> Ranked | None:
    """The tracks by income, ties by streams (more first) then track id; None when a row of
    the selection is in another currency than ``conv.currency``."""
    t = source_for(needed_columns(f, ["track"]))
    stream = t.c.kind == "stream"
    with engine.connect() as conn:
        without_jit(conn)
        inner = _per_track(
            t, f, conv.currency,
            streams=case((stream, t.c.quantity), else_=0),
            nano=t.c.amount_nano,
            stream_nano=case((stream, t.c.amount_nano), else_=0),
        ).subquery()  # fmt: skip
        track = func.coalesce(LINK.c.canonical_id, inner.c.track_id)
        streams, nano = func.sum(inner.c.streams), func.sum(inner.c.nano)
        query = (
            select(
                track, streams, nano, func.sum(inner.c.stream_nano),
                func.max(func.max(inner.c.foreign)).over(),
            )
            .select_from(inner.outerjoin(LINK, LINK.c.track_id == inner.c.track_id))
            .group_by(track)
            .order_by(track.is_(None), nano.desc(), streams.desc(), track)  # no track: last
        )  # fmt: skip
        if limit is not None:
            query = query.limit(limit)
        rows = conn.execute(query).all()
    if any(int(r[4]) for r in rows[:1]):
        return None
    money = _money(conv)
    return [(int(r[0]), int(r[1]), money(r[2]), money(r[3])) for r in rows if r[0] is not None]


def under(
    engine: Engine,
    f: Filters,
    conv: Converter,
    window: tuple[int, int],
    threshold: int,
) -> list[tuple[int, int, Any, int, Any]] | None:
    """(track_id, streams, income, streams_before, income_before) of the tracks with rows in
    ``window`` and fewer than ``threshold`` streams in it, by track id; ``f.period`` is the
    window and the 12 months before it. None when a row is in another currency.

    Both years in one pass; the first group (by track) is kept whatever it holds, so that
    the count of rows in another currency comes back even when no track is under the line.
    """
    t = source_for(needed_columns(f, ["track"]))
    now = t.c.usage_month >= window[0]
    streams = case((t.c.kind == "stream", t.c.quantity), else_=0)
    names = ("streams_now", "nano_now", "streams_then", "nano_then")
    with engine.connect() as conn:
        without_jit(conn)
        inner = _per_track(
            t, f, conv.currency,
            streams_now=case((now, streams), else_=0),
            nano_now=case((now, t.c.amount_nano), else_=0),
            streams_then=case((now, 0), else_=streams),
            nano_then=case((now, 0), else_=t.c.amount_nano),
        ).subquery()  # fmt: skip
        track = func.coalesce(LINK.c.canonical_id, inner.c.track_id)
        grouped = (
            select(
                track.label("track"),
                *[func.sum(inner.c[n]).label(n) for n in names],
                func.max(inner.c.last_month).label("last_month"),
                func.max(func.max(inner.c.foreign)).over().label("foreign"),
                func.row_number().over(order_by=track).label("n"),
            )
            .select_from(inner.outerjoin(LINK, LINK.c.track_id == inner.c.track_id))
            .group_by(track)
            .subquery()
        )
        g = grouped.c
        now_too = g.last_month >= window[0]  # rows in the window
        wanted = and_(g.track.is_not(None), now_too, g.streams_now < threshold)
        query = select(g.track, *[g[n] for n in names], g.last_month, g.foreign).where(
            wanted | (g.n == 1)
        )
        rows = conn.execute(query.order_by(g.track)).all()
    if any(int(r[-1]) for r in rows[:1]):
        return None
    money = _money(conv)
    return [
        (int(r[0]), int(r[1]), money(r[2]), int(r[3]), money(r[4]))
        for r in rows
        if r[0] is not None and int(r[5]) >= window[0] and int(r[1]) < threshold
    ]
