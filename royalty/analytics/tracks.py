"""Figures per track: the tracks that earned most, the best paid per stream, and those under
Spotify's 1,000-stream threshold.

Tracks are where an artist decides what to promote, and since 2024 a track with fewer than
1,000 Spotify streams in 12 months earns no recording royalty there, so the threshold gets a
list of its own.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from royalty.analytics.aggregate import Filters, rounded, totals, track_details
from royalty.analytics.catalog import months
from royalty.analytics.currency import Converter
from royalty.analytics.frames import per_stream_rates, sorted_by_income
from royalty.months import add_months

SPOTIFY = "Spotify"


def top_tracks(engine: Engine, f: Filters, currency: str, limit: int | None = 20) -> pd.DataFrame:
    """track_id, title, isrc, artist, streams, income, income_per_stream; by income.

    Release-level lines (album sales with no track) are not a track and are left out.
    """
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["track"])
    data = data[data["track"].notna()].rename(columns={"track": "track_id"})
    data = sorted_by_income(data, "streams", ascending_tie=False)
    if limit is not None:
        data = data.head(limit)
    details = track_details(engine, data["track_id"].tolist())
    frame = data.merge(details, on="track_id", how="left")
    frame["income_per_stream"] = per_stream_rates(frame)
    frame = rounded(frame)
    frame = frame[["track_id", "title", "isrc", "artist", "streams", "income",
                   "income_per_stream"]].reset_index(drop=True)  # fmt: skip
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
    rates = rated["income_per_stream"].tolist()
    order = sorted(range(len(rated)), key=lambda i: rates[i], reverse=True)
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
    earlier = {  # track -> (streams, income) of the year before, looked up once per track
        int(t): (int(s), i)
        for t, s, i in zip(then.index, then["streams"], then["income"], strict=True)
    }
    rows = []
    for track, streams, income in sorted(
        zip(now.index, now["streams"], now["income"], strict=True)
    ):
        if int(streams) >= threshold:
            continue
        streams_before, income_before = earlier.get(int(track), (0, Decimal(0)))
        rows.append(
            {
                "track_id": int(track),
                "streams": int(streams),
                "income": income,
                "streams_before": streams_before,
                "income_before": income_before,
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
