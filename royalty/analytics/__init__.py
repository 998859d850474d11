"""What the pages show: totals, per-platform rates, top tracks and countries, exactly.

Every figure comes from SQL sums (``royalty.analytics.aggregate``) converted to one reporting currency
(``royalty.analytics.currency``). Money is ``Decimal`` in the reporting currency, streams are ints, and
DataFrames hold money in object columns of ``Decimal``; callers convert to float only to plot.

A "stream" is a unit of kind ``stream``; a per-stream rate is stream income / streams, so
downloads and video income never inflate it.

One module per question a page asks: what is stored (``catalog``), a period at a glance
(``period``), per platform (``platforms``), per track (``tracks``), per country
(``territories``), the yearly "Unwrapped" summary (``unwrapped``), what was imported
(``statements``), which months each source reported (``coverage``), where money went
(``money_went``), which titles were counted as one track (``tracks``), recording and
songwriting income side by side (``songwriting``); ``frames`` holds the exact sums and orderings they share. Callers write
``analytics.top_tracks(...)``: the names below are the package's API.
"""

from __future__ import annotations

from royalty.analytics.aggregate import Filters
from royalty.analytics.catalog import (
    artists,
    has_data,
    latest_full_year,
    main_currency,
    months,
    platform_names,
    statement_count,
    years,
)
from royalty.analytics.currency import FxNote
from royalty.analytics.period import Overview, overview
from royalty.analytics.platforms import platform_rates_by_month, platform_table
from royalty.analytics.songwriting import Songwriting, SourceIncome, songwriting_line
from royalty.analytics.songwriting import by_source as income_by_source
from royalty.analytics.songwriting import by_track as income_by_track
from royalty.analytics.songwriting import summary as unwrapped_with_songwriting
from royalty.analytics.territories import top_territories
from royalty.analytics.tracks import (
    KeptApart,
    MergedTrack,
    TrackTitle,
    best_paid_tracks,
    kept_apart,
    low_stream_tracks,
    merged_tracks,
    top_tracks,
)
from royalty.analytics.unwrapped import (
    FoldedPlatforms,
    LabelDeal,
    MemberShare,
    PlatformRow,
    PreviousPeriod,
    Summary,
    TopCountry,
    TopTrack,
    WhatIf,
    summary_json,
    unwrapped,
)

__all__ = [
    "Filters",
    "FoldedPlatforms",
    "FxNote",
    "KeptApart",
    "LabelDeal",
    "MemberShare",
    "MergedTrack",
    "Overview",
    "PlatformRow",
    "PreviousPeriod",
    "Songwriting",
    "SourceIncome",
    "Summary",
    "TopCountry",
    "TopTrack",
    "TrackTitle",
    "WhatIf",
    "artists",
    "best_paid_tracks",
    "has_data",
    "income_by_source",
    "income_by_track",
    "kept_apart",
    "latest_full_year",
    "low_stream_tracks",
    "main_currency",
    "merged_tracks",
    "months",
    "overview",
    "platform_names",
    "platform_rates_by_month",
    "platform_table",
    "songwriting_line",
    "statement_count",
    "summary_json",
    "top_territories",
    "top_tracks",
    "unwrapped",
    "unwrapped_with_songwriting",
    "years",
]  # fmt: skip
