"""What the pages show: totals, per-platform rates, top tracks and countries, exactly.

Every figure comes from SQL sums (``royalty.analytics.aggregate``) converted to one reporting currency
(``royalty.analytics.currency``). Money is ``Decimal`` in the reporting currency, streams are ints, and
DataFrames hold money in object columns of ``Decimal``; callers convert to float only to plot.

A "stream" is a unit of kind ``stream``; a per-stream rate is stream income / streams, so
downloads and video income never inflate it. The yearly "Unwrapped" summary is in
``royalty.analytics.unwrapped`` and re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, func, select

from royalty.analytics.aggregate import (
    RATE_QUANTUM,
    SHARE_QUANTUM,
    Filters,
    per_stream,
    platform_names_by_id,
    round_money,
    rounded,
    territory_details,
    totals,
    track_details,
)
from royalty.analytics.currency import Converter, FxNote, ecb_rate
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
from royalty.months import add_months
from royalty.store import rollup
from royalty.store.models import Artist, Platform

SPOTIFY = "Spotify"

__all__ = [
    "Filters",
    "FoldedPlatforms",
    "FxNote",
    "LabelDeal",
    "MemberShare",
    "Overview",
    "PlatformRow",
    "PreviousPeriod",
    "Summary",
    "TopCountry",
    "TopTrack",
    "WhatIf",
    "artists",
    "best_paid_tracks",
    "has_data",
    "low_stream_tracks",
    "main_currency",
    "months",
    "overview",
    "platform_names",
    "platform_rates_by_month",
    "platform_table",
    "summary_json",
    "top_territories",
    "top_tracks",
    "unwrapped",
    "years",
]  # fmt: skip


# --- what is there -----------------------------------------------------------------------------


def artists(engine: Engine) -> list[str]:
    """Names of artists with stored income, sorted."""
    present = select(rollup.PLATFORM.c.artist_id).distinct()
    with engine.connect() as conn:
        rows = conn.execute(select(Artist.name).where(Artist.id.in_(present))).scalars()
        return sorted(rows, key=str.casefold)


def months(engine: Engine, artist: str | None = None) -> list[int]:
    """Usage months (YYYYMM) with lines, sorted."""
    t = rollup.PLATFORM
    query = select(t.c.usage_month).distinct()
    if artist is not None:
        query = query.where(
            t.c.artist_id == select(Artist.id).where(Artist.name == artist).scalar_subquery()
        )
    with engine.connect() as conn:
        return sorted(int(m) for m in conn.execute(query).scalars())


def years(engine: Engine, artist: str | None = None) -> list[int]:
    return sorted({m // 100 for m in months(engine, artist)})


def platform_names(engine: Engine) -> list[str]:
    """Canonical platforms with stored lines, sorted."""
    present = select(rollup.PLATFORM.c.platform_id).distinct()
    with engine.connect() as conn:
        rows = conn.execute(select(Platform.name).where(Platform.id.in_(present))).scalars()
        return sorted(rows, key=str.casefold)


def has_data(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(rollup.PLATFORM.c.id).limit(1)).first() is not None


def main_currency(engine: Engine, artist: str | None = None) -> str:
    """The currency most of the income is in (compared at recent ECB rates); USD when empty."""
    t = rollup.PLATFORM
    query = select(t.c.currency, func.sum(t.c.amount_nano), func.max(t.c.usage_month))
    if artist is not None:
        query = query.where(
            t.c.artist_id == select(Artist.id).where(Artist.name == artist).scalar_subquery()
        )
    with engine.connect() as conn:
        rows = conn.execute(query.group_by(t.c.currency)).all()
    if not rows:
        return "USD"
    if len(rows) == 1:
        return str(rows[0][0])

    def in_euro(row: tuple[str, int, int]) -> Decimal:
        rate = ecb_rate(row[0], "EUR", int(row[2]))
        return Decimal(int(row[1])) * (rate if rate is not None else Decimal(0))

    return str(max(rows, key=lambda r: (in_euro(r), r[0]))[0])


def latest_full_year(engine: Engine, artist: str | None = None) -> int | None:
    """The latest year whose December has data, else the latest year with any data."""
    present = months(engine, artist)
    if not present:
        return None
    full = [m // 100 for m in present if m % 100 == 12]
    return max(full) if full else present[-1] // 100


# --- overview ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    currency: str
    total_income: Decimal
    total_streams: int
    stream_income: Decimal
    income_per_stream: Decimal | None
    """Stream income / streams; None without streams."""
    income_per_1000: Decimal | None
    monthly: pd.DataFrame
    """month (int YYYYMM), income, streams."""
    by_kind: pd.DataFrame
    """kind, income, quantity."""
    fx: FxNote


def overview(engine: Engine, f: Filters, currency: str) -> Overview:
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["month", "kind"])
    monthly = rounded(_sum_by(data, "month", ["income", "streams"]).sort_values("month"))
    by_kind = rounded(_sorted_by_income(_sum_by(data, "kind", ["income", "quantity"]), "kind"))
    total_income = _dsum(data["income"])
    stream_income = _dsum(data["stream_income"])
    streams = int(data["streams"].sum())
    rate = per_stream(stream_income, streams, RATE_QUANTUM)
    return Overview(
        currency=conv.currency,
        total_income=round_money(total_income),
        total_streams=streams,
        stream_income=round_money(stream_income),
        income_per_stream=rate,
        income_per_1000=None
        if rate is None
        else (stream_income * 1000 / streams).quantize(RATE_QUANTUM),
        monthly=monthly.reset_index(drop=True),
        by_kind=by_kind.reset_index(drop=True),
        fx=conv.note(),
    )


# --- platforms ---------------------------------------------------------------------------------


def _percentile(values: list[Decimal], q: Decimal) -> Decimal:
    """Linear-interpolated percentile of sorted ``values`` (the common "type 7" definition)."""
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def platform_table(
    engine: Engine, f: Filters, currency: str, min_streams: int = 1000
) -> pd.DataFrame:
    """One row per platform, by income (largest first).

    Columns: platform, streams, income, stream_income, share_of_streams, share_of_income
    (Decimal 0..1), income_per_stream, and the spread of its monthly rates: median_monthly_rate,
    rate_low and rate_high (25th/75th percentile), months (with streams). Rates are None for a
    platform with fewer than ``min_streams`` streams: a rate from a handful of plays is noise.
    ``frame.attrs["fx"]`` is the FxNote.
    """
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["platform", "month"])
    names = platform_names_by_id(engine)
    total_streams = int(data["streams"].sum())
    total_income = _dsum(data["income"])
    rows = []
    for platform_id, group in data.groupby("platform", sort=False):
        streams = int(group["streams"].sum())
        income = _dsum(group["income"])
        stream_income = _dsum(group["stream_income"])
        monthly = sorted(
            s_inc / s
            for s_inc, s in zip(group["stream_income"], group["streams"], strict=True)
            if s > 0
        )
        shown = streams >= min_streams and streams > 0
        spread = (
            [
                _percentile(monthly, Decimal(q)).quantize(RATE_QUANTUM)
                for q in ("0.5", "0.25", "0.75")
            ]
            if shown and monthly
            else [None, None, None]
        )
        rows.append(
            {
                "platform": names[int(platform_id)],
                "streams": streams,
                "income": round_money(income),
                "stream_income": round_money(stream_income),
                "share_of_streams": _share(Decimal(streams), Decimal(total_streams)),
                "share_of_income": _share(income, total_income),
                "income_per_stream": per_stream(stream_income, streams, RATE_QUANTUM)
                if shown
                else None,
                "median_monthly_rate": spread[0],
                "rate_low": spread[1],
                "rate_high": spread[2],
                "months": len(monthly),
            }
        )
    columns = ["platform", "streams", "income", "stream_income", "share_of_streams",
               "share_of_income", "income_per_stream", "median_monthly_rate", "rate_low",
               "rate_high", "months"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame = _sorted_by_income(frame, "platform")
    frame.attrs["fx"] = conv.note()
    return frame


def platform_rates_by_month(engine: Engine, f: Filters, currency: str) -> pd.DataFrame:
    """month, platform, streams, income, income_per_stream (stream income / streams)."""
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["month", "platform"])
    names = platform_names_by_id(engine)
    frame = pd.DataFrame(
        {
            "month": data["month"].astype("int64"),
            "platform": [names[int(p)] for p in data["platform"]],
            "streams": data["streams"],
            "income": rounded(data)["income"],
            "income_per_stream": pd.Series(
                [
                    per_stream(i, s, RATE_QUANTUM)
                    for i, s in zip(data["stream_income"], data["streams"], strict=True)
                ],
                dtype=object,
            ),
        }
    )
    frame = frame.sort_values(["month", "platform"]).reset_index(drop=True)
    frame.attrs["fx"] = conv.note()
    return frame


# --- tracks and territories --------------------------------------------------------------------


def top_tracks(engine: Engine, f: Filters, currency: str, limit: int | None = 20) -> pd.DataFrame:
    """track_id, title, isrc, artist, streams, income, income_per_stream; by income.

    Release-level lines (album sales with no track) are not a track and are left out.
    """
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["track"])
    data = data[data["track"].notna()].rename(columns={"track": "track_id"})
    data = _sorted_by_income(data, "streams", ascending_tie=False)
    if limit is not None:
        data = data.head(limit)
    details = track_details(engine, data["track_id"].tolist())
    frame = data.merge(details, on="track_id", how="left")
    frame["income_per_stream"] = _rates(frame)
    frame = rounded(frame)
    frame = frame[["track_id", "title", "isrc", "artist", "streams", "income",
                   "income_per_stream"]].reset_index(drop=True)  # fmt: skip
    frame.attrs["fx"] = conv.note()
    return frame


def top_territories(
    engine: Engine, f: Filters, currency: str, limit: int | None = None
) -> pd.DataFrame:
    """territory, name, iso3, streams, income, income_per_stream; by income.

    Lines without a territory appear once, as territory None named "Not stated".
    """
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["territory"])
    data = _sorted_by_income(data, "streams", ascending_tie=False)
    if limit is not None:
        data = data.head(limit)
    info = territory_details(engine)
    codes = [None if pd.isna(c) else str(c) for c in data["territory"]]
    frame = pd.DataFrame(
        {
            "territory": pd.Series(codes, dtype=object),
            "name": [info.get(c, (c, None))[0] if c else "Not stated" for c in codes],
            "iso3": pd.Series(
                [info.get(c, (c, None))[1] if c else None for c in codes], dtype=object
            ),
            "streams": data["streams"].to_numpy(),
            "income": rounded(data)["income"].to_numpy(),
            "income_per_stream": _rates(data).to_numpy(),
        }
    )
    frame.attrs["fx"] = conv.note()
    return frame


def best_paid_tracks(tracks: pd.DataFrame, min_streams: int) -> pd.DataFrame:
    """Tracks with at least ``min_streams`` streams, best per-stream rate first (exact sort)."""
    if tracks.empty:
        return tracks
    keep = [
        int(s or 0) >= max(min_streams, 1) and r is not None and r == r
        for s, r in zip(tracks["streams"], tracks["income_per_stream"], strict=True)
    ]
    rated = tracks[keep]
    order = sorted(
        range(len(rated)), key=lambda i: rated["income_per_stream"].iloc[i], reverse=True
    )
    return rated.iloc[order]


def low_stream_tracks(
    engine: Engine, f: Filters, currency: str, threshold: int = 1000
) -> pd.DataFrame:
    """Tracks under ``threshold`` Spotify streams in the last 12 months of the period.

    Since 2024 Spotify pays no recording royalties on a track with fewer than 1,000 streams in
    the past 12 months. The window ends at the period's last month (or the latest month with
    data); ``streams``/``income`` are the track's Spotify figures in it, and
    ``streams_before``/``income_before`` those of the 12 months before: what such a track
    earned while it was still paid. Only tracks with Spotify lines in the window are listed
    (least streamed first): a track missing from it may just have statements not imported yet. Columns: track_id, title, isrc, artist, streams, income, streams_before,
    income_before.
    """
    columns = ["track_id", "title", "isrc", "artist", "streams", "income", "streams_before",
               "income_before"]  # fmt: skip
    if f.platforms and SPOTIFY not in f.platforms:
        return pd.DataFrame(columns=columns)
    end = f.period[1] if f.period else None
    if end is None:
        present = months(engine, f.artist)
        if not present:
            return pd.DataFrame(columns=columns)
        end = present[-1]
    window = (add_months(end, -11), end)
    before = (add_months(end, -23), add_months(end, -12))
    conv = Converter(currency)
    spotify = replace(f, platforms=(SPOTIFY,), kinds=("stream",))
    now = totals(engine, replace(spotify, period=window), conv, by=["track"])
    then = totals(engine, replace(spotify, period=before), conv, by=["track"])
    now = now[now["track"].notna()].set_index("track")
    then = then[then["track"].notna()].set_index("track")
    rows = []
    for track in sorted(now.index):
        streams = int(now["streams"].get(track, 0))
        if streams >= threshold:
            continue
        rows.append(
            {
                "track_id": int(track),
                "streams": streams,
                "income": now["income"].get(track, Decimal(0)),
                "streams_before": int(then["streams"].get(track, 0)),
                "income_before": then["income"].get(track, Decimal(0)),
            }
        )
    data = pd.DataFrame(rows, columns=["track_id", "streams", "income", "streams_before",
                                       "income_before"])  # fmt: skip
    data["track_id"] = data["track_id"].astype("Int64")
    frame = data.merge(track_details(engine, data["track_id"].tolist()), on="track_id", how="left")
    frame = rounded(frame, ["income", "income_before"])
    frame = frame.sort_values(["streams", "track_id"]).reset_index(drop=True)[columns]
    frame.attrs["fx"] = conv.note()
    frame.attrs["window"] = window
    return frame


# --- helpers -----------------------------------------------------------------------------------


def _dsum(values: pd.Series) -> Decimal:
    return sum(values, Decimal(0))


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part / whole).quantize(SHARE_QUANTUM)


def _sum_by(data: pd.DataFrame, key: str, measures: list[str]) -> pd.DataFrame:
    out: dict[object, dict[str, object]] = {}
    for row in data[[key, *measures]].itertuples(index=False):
        acc = out.setdefault(
            row[0], {m: (Decimal(0) if m.endswith("income") else 0) for m in measures}
        )
        for m, v in zip(measures, row[1:], strict=True):
            acc[m] += v
    frame = pd.DataFrame([{key: k, **v} for k, v in out.items()], columns=[key, *measures])
    for m in measures:
        frame[m] = frame[m].astype(object if m.endswith("income") else "int64")
    if key == "month":
        frame[key] = frame[key].astype("int64")
    return frame


def _sorted_by_income(frame: pd.DataFrame, tie: str, *, ascending_tie: bool = True) -> pd.DataFrame:
    """Largest income first (exact Decimal comparison), ties by ``tie``."""
    order = sorted(
        range(len(frame)),
        key=lambda i: (-frame["income"].iloc[i], _tie_key(frame[tie].iloc[i], ascending_tie)),
    )
    return frame.iloc[order].reset_index(drop=True)


def _tie_key(value: object, ascending: bool) -> object:
    if isinstance(value, str):
        return value.casefold()
    return value if ascending else -int(value)  # type: ignore[call-overload]


def _rates(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            per_stream(i, int(s), RATE_QUANTUM)
            for i, s in zip(frame["stream_income"], frame["streams"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )
