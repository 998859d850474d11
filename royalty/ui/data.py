"""The analytics calls pages make, cached until the data changes.

Each name here is the analytics (or sample) function itself, wrapped by ``cached``: the same
name, signature and docstring, so a page reads ``data.overview(engine, filters, currency)``
and a rename breaks at import time, where a reader and a linter can see it. A cached result is
keyed by its arguments and, through the engine, by the database and its *data version*
(``data_version``): an import or a removal shows on the next rerun by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

import streamlit as st
from sqlalchemy import Engine, func, select

from royalty import analytics, sample
from royalty.analytics import coverage as coverage_module
from royalty.analytics import money_went, statements
from royalty.store import track_links
from royalty.store.models import Statement

DataVersion = tuple[int, int, str, int, str]
"""What cached results are keyed by besides their arguments (see ``data_version``)."""


def db_key(eng: Engine) -> str:
    """Identifies the database in cache keys (two test databases never share results)."""
    return eng.url.render_as_string(hide_password=True)


def data_version(eng: Engine) -> DataVersion:
    """(latest statement id, number of statements, latest import time, splits kept, latest
    split time).

    An import adds a statement with the latest time; a removal lowers the count. The time is
    there because SQLite reuses the ids of deleted rows: without it, removing eight statements
    and importing eight others could look like nothing changed and serve stale results. A
    split of a track (or its undo) changes the track figures without a statement: the splits
    say so (``track_links.version``).
    """
    with eng.connect() as conn:
        row = conn.execute(
            select(
                func.max(Statement.id), func.count(Statement.id), func.max(Statement.imported_at)
            )
        ).one()
        splits = track_links.version(conn)
    return int(row[0] or 0), int(row[1] or 0), str(row[2] or ""), *splits


P = ParamSpec("P")
R = TypeVar("R")


def _engine_key(engine: Engine) -> tuple[str, DataVersion]:
    return db_key(engine), data_version(engine)


def cached(fn: Callable[P, R], *, max_entries: int = 300) -> Callable[P, R]:
    """``fn`` with its results kept per arguments and data version (see the module doc)."""
    wrapped = st.cache_data(
        show_spinner=False, max_entries=max_entries, hash_funcs={Engine: _engine_key}
    )(fn)
    return cast(Callable[P, R], wrapped)


# what the sidebar and the first run need
artists = cached(analytics.artists, max_entries=100)
platform_names = cached(analytics.platform_names, max_entries=100)
months = cached(analytics.months, max_entries=100)
years = cached(analytics.years, max_entries=100)
latest_full_year = cached(analytics.latest_full_year, max_entries=100)
main_currency = cached(analytics.main_currency, max_entries=100)
has_data = cached(analytics.has_data, max_entries=100)
is_sample_only = cached(sample.is_sample_only, max_entries=100)
has_sample_data = cached(sample.has_sample_data, max_entries=100)

# the pages' figures
overview = cached(analytics.overview)
platform_table = cached(analytics.platform_table)
platform_rates_by_month = cached(analytics.platform_rates_by_month)
top_territories = cached(analytics.top_territories)
low_stream_tracks = cached(analytics.low_stream_tracks)
merged_tracks = cached(analytics.merged_tracks)
kept_apart = cached(analytics.kept_apart)
unwrapped = cached(analytics.unwrapped)
unwrapped_with_songwriting = cached(analytics.unwrapped_with_songwriting)
income_by_track = cached(analytics.income_by_track)
income_by_source = cached(analytics.income_by_source)

# what was imported
statement_list = cached(statements.statement_list, max_entries=50)
statement_count = cached(analytics.statement_count)
receipt = cached(statements.receipt, max_entries=50)
coverage = cached(coverage_module.coverage, max_entries=50)
where_money_went = cached(money_went.where_money_went, max_entries=50)
line_sample = cached(money_went.line_sample, max_entries=50)
