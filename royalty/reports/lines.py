"""Every stored line of a selection, joined with its names, streamed in chunks.

This is the "show me the raw data" export: one row per statement line with the exact amount
text as the statement gave it (no conversion: each line keeps its own currency, and the FX rate
the statement used where it gave one). Lines are read with a server-side cursor in chunks, so a
five-million-line export never holds more than one chunk in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Engine, Select, select

from royalty.analytics.aggregate import where
from royalty.months import month_text
from royalty.store.models import Artist, EarningLine, Platform, Release, Statement, Store, Track

if TYPE_CHECKING:
    from royalty.analytics.aggregate import Filters

CHUNK_ROWS = 50_000

COLUMNS = (
    ("month", "text"),
    ("platform", "text"),
    ("store", "text"),
    ("artist", "text"),
    ("release", "text"),
    ("track", "text"),
    ("isrc", "text"),
    ("territory", "text"),
    ("kind", "text"),
    ("quantity", "int"),
    ("amount", "amount"),
    ("currency", "text"),
    ("source_amount", "amount"),
    ("source_currency", "text"),
    ("fx_rate", "amount"),
    ("statement_file", "text"),
)
"""Export columns and their cell kind: ``text`` (neutralized), ``int``, ``amount`` (exact text)."""


def lines_query(f: Filters) -> Select:
    """Lines of the selection in storage order (the primary key: no sort over millions)."""
    query = (
        select(
            EarningLine.usage_month,
            EarningLine.usage_month_end,
            Platform.name.label("platform"),
            Store.raw_name.label("store"),
            Artist.name.label("artist"),
            Release.title.label("release"),
            Track.title.label("track"),
            Track.isrc,
            EarningLine.territory,
            EarningLine.kind,
            EarningLine.quantity,
            EarningLine.amount,
            EarningLine.currency,
            EarningLine.source_amount,
            EarningLine.source_currency,
            EarningLine.fx_rate,
            Statement.file_name,
        )
        .join(Artist, Artist.id == EarningLine.artist_id)
        .join(Platform, Platform.id == EarningLine.platform_id)
        .join(Store, Store.id == EarningLine.store_id)
        .join(Statement, Statement.id == EarningLine.statement_id)
        .outerjoin(Track, Track.id == EarningLine.track_id)
        .outerjoin(Release, Release.id == EarningLine.release_id)
        .order_by(EarningLine.id)
    )
    query = query.where(*where(EarningLine.__table__, f))
    return query


def _month(first: int, last: int) -> str:
    if last and last != first:
        return f"{month_text(first)}..{month_text(last)}"
    return month_text(first)


def iter_lines(
    engine: Engine, f: Filters, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[list[tuple]]:
    """Chunks of export rows (tuples in ``COLUMNS`` order); ints as int, amounts as exact text.

    There is no rates-only variant: every line carries an amount and a quantity, so a
    rates-only report does not offer the lines at all.
    """
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(
            lines_query(f)
        )
        for part in result.partitions(chunk_rows):
            chunk = []
            for r in part:
                chunk.append(
                    (
                        _month(r.usage_month, r.usage_month_end),
                        r.platform,
                        r.store,
                        r.artist,
                        r.release or "",
                        r.track or "",
                        r.isrc or "",
                        r.territory or "",
                        r.kind,
                        r.quantity,
                        r.amount,
                        r.currency,
                        r.source_amount or "",
                        r.source_currency or "",
                        r.fx_rate or "",
                        r.file_name,
                    )
                )
            yield chunk
