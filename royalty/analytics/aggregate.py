"""The one grouped query behind every analytics figure.

``totals(engine, filters, converter, by=[...])`` sums streams, units and money in SQL
(``SUM(amount_nano)``, ``SUM(quantity)``, ``GROUP BY``) on the smallest summary table that has
the columns asked for (see ``royalty.store.rollup``), converts each currency's sums to the reporting
currency, and returns a small DataFrame: money as exact ``Decimal`` objects, counts as ints.

A track is the recording its row is counted as (``track_link``, see
``royalty.store.track_links``): grouped by track, the rows of one recording are summed
together, and a track filter takes all of them.

Written with SQLAlchemy Core only, so it runs unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    FromClause,
    Select,
    Table,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)

from royalty import territories
from royalty.analytics.currency import NANO_QUANTUM, Converter
from royalty.analytics.sql_in import in_subquery
from royalty.store import rollup
from royalty.store.models import Artist, Platform, Territory, Track, TrackLink

RATE_QUANTUM = Decimal("1e-12")
"""Per-stream rates are rounded half-even to 12 decimals (a millionth of a millionth)."""
SHARE_QUANTUM = Decimal("1e-6")
"""Shares (0..1) and changes are rounded half-even to 6 decimals (0.0001%)."""
__all__ = ["NANO_QUANTUM", "RATE_QUANTUM", "SHARE_QUANTUM", "Filters", "totals"]


@dataclass(frozen=True)
class Filters:
    """What a page shows: every field narrows the lines counted; empty means all."""

    artist: str | None = None
    """Artist name; None = all artists."""
    period: tuple[int, int] | None = None
    """Inclusive (YYYYMM, YYYYMM) of usage month; None = all."""
    platforms: tuple[str, ...] = ()
    """Canonical platform names; () = all."""
    tracks: tuple[int, ...] = ()
    """Track ids as the pages show them (each with every row counted as it); () = all."""
    territories: tuple[str, ...] = ()
    """Territory codes; () = all."""
    kinds: tuple[str, ...] = ()
    """Subset of ``models.KINDS``; () = all."""


COLUMN = {
    "platform": "platform_id",
    "track": "track_id",
    "territory": "territory",
    "month": "usage_month",
    "month_end": "usage_month_end",
    "kind": "kind",
    "artist": "artist_id",
    "statement": "statement_id",
    "currency": "currency",
}
"""Names ``by`` accepts -> columns."""

MEASURES = ["streams", "quantity", "income", "stream_income", "lines"]
SOURCES: tuple[Table, ...] = (
    rollup.LABEL_REPORTING,
    rollup.LABEL_TERRITORY_PLATFORM,
    rollup.PLATFORM,
    rollup.REPORTING,
    rollup.TRACK,
    rollup.TERRITORY,
    rollup.TERRITORY_PLATFORM,
    rollup.TRACK_PLATFORM,
    rollup.LINE,
)
"""Smallest first; the first holding every needed column answers the query (a whole label's
grains, without the artist, first: they have a row per statement, platform and country)."""


LINK = TrackLink.__table__


def column(t: Table, name: str, aliases: Mapping[str, str] | None = None) -> ColumnElement[Any]:
    """The value of ``by`` name ``name`` on ``t``: a track is the one its row is counted as
    (read from ``joined(t)``); a territory the code it is counted as (``aliases``, from
    ``stored_aliases``: ``UK`` as ``GB``)."""
    if name == "track":
        return func.coalesce(LINK.c.canonical_id, t.c.track_id)
    if name == "territory" and aliases:
        counted = [(t.c.territory == a, literal(code)) for a, code in sorted(aliases.items())]
        return case(*counted, else_=t.c.territory)
    return t.c[COLUMN[name]]


def stored_aliases(conn: Connection) -> dict[str, str]:
    """Stored territory codes that are counted as another (``UK`` as ``GB``, a country name a
    statement printed, kept as its first letters, as its country): usually none or one."""
    codes = conn.execute(select(Territory.code)).scalars().all()
    return {code: shown for code in codes if (shown := territories.counted_as(code)) != code}


def joined(t: Table, by: Sequence[str]) -> FromClause:
    """``t``, with the track links beside it when ``by`` groups by track."""
    if "track" in by:
        return t.outerjoin(LINK, LINK.c.track_id == t.c.track_id)
    return t


def track_rows(ids: Sequence[int]) -> Select[Any]:
    """Ids of every track row counted as one of the tracks ``ids`` (which may be any of their
    rows)."""
    track, link = Track.__table__.alias("chosen"), LINK.alias("chosen_link")
    shown = (
        select(func.coalesce(link.c.canonical_id, track.c.id))
        .select_from(track.outerjoin(link, link.c.track_id == track.c.id))
        .where(track.c.id.in_([int(x) for x in ids]))
    )
    every = Track.__table__.outerjoin(LINK, LINK.c.track_id == Track.__table__.c.id)
    return (
        select(Track.__table__.c.id)
        .select_from(every)
        .where(func.coalesce(LINK.c.canonical_id, Track.__table__.c.id).in_(shown))
    )


def needed_columns(f: Filters, by: Sequence[str]) -> set[str]:
    cols = {COLUMN[b] for b in by}
    if f.artist is not None:
        cols.add("artist_id")
    if f.kinds:
        cols.add("kind")
    if f.period is not None:
        cols.add("usage_month")
    if f.tracks:
        cols.add("track_id")
    if f.territories:
        cols.add("territory")
    if f.platforms:
        cols.add("platform_id")
    return cols


def source_for(cols: set[str]) -> Table:
    for table in SOURCES:
        if cols <= set(table.c.keys()):
            return table
    raise ValueError(f"no table has the columns {sorted(cols)}")  # pragma: no cover


def where(
    t: Table, f: Filters, aliases: Mapping[str, str] | None = None
) -> list[ColumnElement[bool]]:
    """Filters -> SQL conditions on summary table (or line table) ``t``; a territory is
    every stored code counted as it (``aliases``, from ``stored_aliases``)."""
    clauses: list[ColumnElement[bool]] = []
    if t is rollup.LINE and (f.artist is not None or f.period is not None):
        # Lines are indexed by statement only: find the statements with such lines in the
        # small platform summary, so the database reads those statements' lines, not all.
        narrow = Filters(artist=f.artist, period=f.period)
        cols = needed_columns(narrow, ["statement"])
        small = next(
            (s for s in SOURCES if s is not t and cols <= set(s.c.keys())), rollup.PLATFORM
        )
        statements = select(small.c.statement_id).where(*where(small, narrow))
        clauses.append(t.c.statement_id.in_(statements.distinct()))
    if f.artist is not None:
        clauses.append(
            t.c.artist_id == select(Artist.id).where(Artist.name == f.artist).scalar_subquery()
        )
    if f.period is not None:
        clauses.append(t.c.usage_month.between(int(f.period[0]), int(f.period[1])))
    if f.platforms:
        ids = select(Platform.id).where(Platform.name.in_(list(f.platforms)))
        clauses.append(in_subquery(t.c.platform_id, ids))
    if f.tracks:
        clauses.append(in_subquery(t.c.track_id, track_rows(f.tracks)))
    if f.territories:
        wanted = {territories.counted_as(code) for code in f.territories}
        spelled = wanted | {a for a, code in (aliases or {}).items() if code in wanted}
        clauses.append(t.c.territory.in_(sorted(spelled)))
    if f.kinds:
        clauses.append(t.c.kind.in_(list(f.kinds)))
    return clauses


def _sql(t: Table, f: Filters, currency: str, by: Sequence[str], aliases: Mapping[str, str]):
    """Grouped sums per ``by`` and per conversion key (currency, statement rate, month).

    Sums already in the reporting currency need no month or rate, so those keys collapse to
    NULL/0 for them and the result stays small. The keys are computed in a subquery and
    grouped outside it, so PostgreSQL sees plain columns in ``GROUP BY``.
    """
    foreign = t.c.currency != currency
    is_stream = t.c.kind == "stream"
    inner = select(
        *[column(t, b, aliases).label(b) for b in by],
        t.c.currency.label("_currency"),
        case((foreign, t.c.source_currency), else_=None).label("_source_currency"),
        case((foreign, t.c.fx_rate), else_=None).label("_fx_rate"),
        case((foreign, t.c.usage_month), else_=literal(0)).label("_month"),
        case((is_stream, t.c.quantity), else_=0).label("streams"),
        t.c.quantity.label("quantity"),
        t.c.amount_nano.label("nano"),
        case((is_stream, t.c.amount_nano), else_=0).label("stream_nano"),
        (literal(1) if t is rollup.LINE else t.c.lines).label("lines"),
    ).select_from(joined(t, by))
    clauses = where(t, f, aliases)
    if clauses:
        inner = inner.where(and_(*clauses))
    sub = inner.subquery()
    groups = [sub.c[b] for b in by] + [
        sub.c[k] for k in ("_currency", "_source_currency", "_fx_rate", "_month")
    ]
    sums = [
        func.sum(sub.c[m]).label(m) for m in ("streams", "quantity", "nano", "stream_nano", "lines")
    ]
    return select(*groups, *sums).group_by(*groups)


def totals(engine: Engine, f: Filters, conv: Converter, by: Sequence[str] = ()) -> pd.DataFrame:
    """Sums per ``by`` (names from ``COLUMN``) in ``conv.currency``; see the module docstring.

    Columns: ``by`` + streams (stream-kind units), quantity (all units), income, stream_income
    (Decimal, reporting currency), lines. Groups in a currency that cannot be converted are
    left out (``conv.note()`` says so).
    """
    table = source_for(needed_columns(f, by))
    with engine.connect() as conn:
        aliases = stored_aliases(conn) if "territory" in by or f.territories else {}
        rows = conn.execute(_sql(table, f, conv.currency, by, aliases)).all()
    sums: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        key = tuple(row[: len(by)])
        currency, source_currency, fx_rate, month = row[len(by) : len(by) + 4]
        streams, quantity, nano, stream_nano, lines = row[len(by) + 4 :]
        income = conv.convert(int(nano), currency, source_currency, fx_rate, month or None)
        if income is None:
            continue
        stream_income = conv.convert(
            int(stream_nano), currency, source_currency, fx_rate, month or None, record=False
        )
        acc = sums.get(key)
        if acc is None:
            sums[key] = [int(streams), int(quantity), income, stream_income, int(lines)]
        else:
            acc[0] += int(streams)
            acc[1] += int(quantity)
            acc[2] += income
            acc[3] += stream_income
            acc[4] += int(lines)
    records = [(*key, *values) for key, values in sums.items()]
    frame = pd.DataFrame.from_records(records, columns=[*by, *MEASURES])
    for name in ("income", "stream_income"):
        frame[name] = frame[name].astype(object)
    for name in ("streams", "quantity", "lines"):
        frame[name] = frame[name].astype("int64")
    for name in set(by) & {"platform", "track", "artist", "statement", "month", "month_end"}:
        frame[name] = frame[name].astype("Int64")
    return frame


def round_money(value: Decimal) -> Decimal:
    """A final money figure: half-even to nano-units (exact already when nothing was converted)."""
    return value.quantize(NANO_QUANTUM)


def rounded(
    frame: pd.DataFrame, columns: Sequence[str] = ("income", "stream_income")
) -> pd.DataFrame:
    """``frame`` with its money columns rounded by ``round_money`` (a copy)."""
    out = frame.copy()
    for name in columns:
        if name in out.columns:
            out[name] = pd.Series(
                [round_money(v) for v in out[name]], index=out.index, dtype=object
            )
    return out


def per_stream(income: Decimal, streams: int, quantum: Decimal) -> Decimal | None:
    """Income per stream, rounded half-even to ``quantum``; None without streams."""
    if streams <= 0:
        return None
    return (income / streams).quantize(quantum)


def platform_names_by_id(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {r.id: r.name for r in conn.execute(select(Platform.id, Platform.name))}


def track_details(engine: Engine, ids: Sequence[int]) -> pd.DataFrame:
    """track_id, title, isrc, artist for the given track ids (looked up in chunks; many ids:
    every track read at once, one query instead of a list of ids per chunk to send)."""
    wanted = sorted({int(i) for i in ids})
    rows: list[tuple[Any, ...]] = []
    query = select(Track.id, Track.title, Track.isrc, Artist.name).join(
        Artist, Artist.id == Track.artist_id
    )
    with engine.connect() as conn:
        if len(wanted) > MANY_TRACKS:
            keep = set(wanted)
            rows = [r for r in conn.execute(query) if r[0] in keep]
        else:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows += conn.execute(query.where(Track.id.in_(chunk))).all()
    frame = pd.DataFrame.from_records(rows, columns=["track_id", "title", "isrc", "artist"])
    frame["track_id"] = frame["track_id"].astype("Int64")
    return frame


MANY_TRACKS = 2_000
"""More ids than this: ``track_details`` reads every track rather than send the ids."""


def territory_details(engine: Engine) -> dict[str, tuple[str, str | None]]:
    """Code -> (name, ISO alpha-3) of every stored code, and of each code one is counted as
    (a file that writes only ``UK`` is shown as ``GB``, which no line stored)."""
    with engine.connect() as conn:
        details = {
            r.code: (r.name, r.iso3)
            for r in conn.execute(select(Territory.code, Territory.name, Territory.iso3))
        }
    for code in list(details):
        details.setdefault(territories.counted_as(code), territories.describe(code))
    return details


def most_streamed(engine: Engine, f: Filters, by: str) -> list[tuple[Any, int]]:
    """(value of ``by``, streams) with the most streams first; unknown values left out.

    Streams need no currency conversion, so SQL ranks them directly and only the winner's
    income has to be converted. Ties go to the smaller value (track id, country code).
    """
    t = source_for(needed_columns(f, [by]))
    with engine.connect() as conn:
        aliases = stored_aliases(conn) if by == "territory" or f.territories else {}
        value = column(t, by, aliases)
        streams = func.sum(t.c.quantity)
        clauses = [*where(t, f, aliases), t.c.kind == "stream", value.is_not(None)]
        if by == "territory":  # countries only: not "unknown" or "rest of the world"
            countries = select(Territory.code).where(Territory.iso3.is_not(None))
            named = [a for a, code in aliases.items() if territories.describe(code)[1]]
            clauses.append(or_(t.c.territory.in_(countries), t.c.territory.in_(named)))
        query = (
            select(value, streams)
            .select_from(joined(t, [by]))
            .where(and_(*clauses))
            .group_by(value)
            .having(streams > 0)
            .order_by(streams.desc(), value)
        )
        return [(row[0], int(row[1])) for row in conn.execute(query)]
