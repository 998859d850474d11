"""Figures per track: the tracks that earned most, the best paid per stream, and those under
Spotify's 1,000-stream threshold; which titles were counted as one track, and which a person
split apart.

Tracks are where an artist decides what to promote, and since 2024 a track with fewer than
1,000 Spotify streams in 12 months earns no recording royalty there, so the threshold gets a
list of its own. A track is a recording, whichever distributors named it and however they
spelled it (``royalty.track_matching``); the titles it was counted from are listed, because a
wrong match is something a person must be able to see and undo.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, select

from royalty.analytics import track_ranks
from royalty.analytics.aggregate import LINK, Filters, rounded, totals, track_details
from royalty.analytics.catalog import months
from royalty.analytics.currency import Converter
from royalty.analytics.frames import per_stream_rates, sorted_by_income
from royalty.months import add_months
from royalty.store import rollup
from royalty.store.models import Artist, Statement, Track, TrackSplit
from royalty.track_matching import normalized_title

SPOTIFY = "Spotify"


def top_tracks(engine: Engine, f: Filters, currency: str, limit: int | None = 20) -> pd.DataFrame:
    """track_id, title, isrc, artist, streams, income, income_per_stream; by income, ties by
    streams (more first), then by track id.

    Release-level lines (album sales with no track) are not a track and are left out.
    """
    conv = Converter(currency)
    ranked = track_ranks.top(engine, f, conv, limit)
    if ranked is not None:  # every line in the reporting currency: ranked by the database
        data = pd.DataFrame(ranked, columns=["track_id", "streams", "income", "stream_income"])
        data = data.astype({"track_id": "Int64", "streams": "int64", "income": object,
                            "stream_income": object})  # fmt: skip
    else:
        data = totals(engine, f, conv, by=["track"])
        data = data[data["track"].notna()].rename(columns={"track": "track_id"})
        data = sorted_by_income(data.sort_values("track_id"), "streams", ascending_tie=False)
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
    found = track_ranks.under(engine, replace(spotify, period=(before[0], window[1])), conv,
                              window, threshold)  # fmt: skip
    rows = _low_rows(engine, spotify, conv, window, before, threshold) if found is None else [
        dict(zip(LOW_MEASURES, r, strict=True)) for r in found
    ]  # fmt: skip
    data = pd.DataFrame(rows, columns=LOW_MEASURES)
    data["track_id"] = data["track_id"].astype("Int64")
    frame = data.merge(track_details(engine, data["track_id"].tolist()), on="track_id", how="left")
    frame = rounded(frame, ["income", "income_before"])
    frame = frame.sort_values(["streams", "track_id"]).reset_index(drop=True)[columns]
    frame.attrs["fx"] = conv.note()
    frame.attrs["window"] = window
    return frame


LOW_MEASURES = ["track_id", "streams", "income", "streams_before", "income_before"]


def _low_rows(
    engine: Engine,
    spotify: Filters,
    conv: Converter,
    window: tuple[int, int],
    before: tuple[int, int],
    threshold: int,
) -> list[dict[str, object]]:
    """``low_stream_tracks``' rows when a line is in another currency: each year's sums
    converted per month and rate, then compared in Python."""
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
    return rows


@dataclass(frozen=True)
class TrackTitle:
    """One stored spelling of a track: what ``royalty tracks split`` takes by id."""

    track_id: int
    title: str
    isrc: str
    sources: tuple[str, ...]
    """The distributors (statement sources) whose lines name it."""
    matched_by: str | None
    """``isrc``, ``iswc`` or ``title``; None for the row the track is shown as."""

    def to_json(self) -> dict[str, object]:
        return {"track_id": self.track_id, "title": self.title, "isrc": self.isrc,
                "sources": list(self.sources), "matched_by": self.matched_by}  # fmt: skip


@dataclass(frozen=True)
class MergedTrack:
    """A track counted from more than one stored title: shown as ``titles[0]``."""

    track_id: int
    artist: str
    titles: tuple[TrackTitle, ...]

    @property
    def title(self) -> str:
        return self.titles[0].title

    @property
    def isrc(self) -> str:
        return self.titles[0].isrc

    def to_json(self) -> dict[str, object]:
        return {"track_id": self.track_id, "artist": self.artist, "title": self.title,
                "isrc": self.isrc, "titles": [t.to_json() for t in self.titles]}  # fmt: skip


def merged_tracks(engine: Engine, artist: str | None = None) -> list[MergedTrack]:
    """Every track counted from several titles (of one artist, or all), by artist and title."""
    track = Track.__table__
    query = select(LINK.c.track_id, LINK.c.canonical_id, LINK.c.matched_by).join(
        track, track.c.id == LINK.c.track_id
    )
    if artist is not None:
        query = query.join(Artist, Artist.id == track.c.artist_id).where(Artist.name == artist)
    with engine.connect() as conn:
        links = conn.execute(query).all()
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for member, canonical, matched_by in links:
        members[int(canonical)].append((int(member), str(matched_by)))
    ids = {*members, *(m for rows in members.values() for m, _ in rows)}
    details = _titles(engine, ids)
    sources = _sources(engine, ids)
    merged = []
    for canonical, rows in members.items():
        shown = [(canonical, None), *sorted(rows)]
        titles = tuple(
            TrackTitle(i, details[i][0], details[i][1], sources.get(i, ()), by) for i, by in shown
        )
        merged.append(MergedTrack(canonical, details[canonical][2], titles))
    return sorted(merged, key=lambda m: (m.artist.casefold(), m.title.casefold(), m.track_id))


@dataclass(frozen=True)
class KeptApart:
    """A split a person made: this title is a recording of its own."""

    artist: str
    isrc: str
    title: str
    split_at: str
    track_id: int | None
    """The stored track it names (what ``royalty tracks unsplit`` takes), for a split without
    ISRC any spelling of its title; None while no statement names it."""

    def to_json(self) -> dict[str, object]:
        return {"track_id": self.track_id, "artist": self.artist, "isrc": self.isrc,
                "title": self.title, "split_at": self.split_at}  # fmt: skip


def kept_apart(engine: Engine, artist: str | None = None) -> list[KeptApart]:
    """The splits kept (of one artist, or all), by artist and title."""
    split, track = TrackSplit.__table__, Track.__table__
    query = select(split.c.artist, split.c.isrc, split.c.title, split.c.split_at)
    if artist is not None:
        query = query.where(split.c.artist == artist)
    with engine.connect() as conn:
        splits = conn.execute(query).all()
        names = sorted({s.artist for s in splits})
        stored = conn.execute(
            select(Artist.name, track.c.id, track.c.isrc, track.c.title)
            .join(Artist, Artist.id == track.c.artist_id)
            .where(Artist.name.in_(names))
            .order_by(track.c.id)
        ).all()
    rows: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for name, track_id, isrc, title in stored:
        rows[(name, isrc)].append((int(track_id), title))
    found = []
    for s in splits:
        candidates = rows.get((s.artist, s.isrc), [])
        exact = [i for i, title in candidates if title == s.title]
        if not exact and not s.isrc:  # a split without ISRC holds for every spelling
            key = normalized_title(s.title)
            exact = [i for i, title in candidates if normalized_title(title) == key]
        when = s.split_at.isoformat(timespec="seconds")
        found.append(KeptApart(s.artist, s.isrc, s.title, when, exact[0] if exact else None))
    return sorted(found, key=lambda k: (k.artist.casefold(), k.title.casefold(), k.isrc))


def _titles(engine: Engine, ids: set[int]) -> dict[int, tuple[str, str, str]]:
    """Track id -> (title, ISRC, artist)."""
    frame = track_details(engine, sorted(ids))
    return {
        int(r.track_id): (str(r.title), str(r.isrc), str(r.artist))
        for r in frame.itertuples(index=False)
    }


def _sources(engine: Engine, ids: set[int]) -> dict[int, tuple[str, ...]]:
    """Track id -> the sources of the statements whose lines name it, sorted."""
    t = rollup.TRACK
    found: dict[int, set[str]] = defaultdict(set)
    wanted = sorted(ids)
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            rows = conn.execute(
                select(t.c.track_id, Statement.source)
                .join(Statement, Statement.id == t.c.statement_id)
                .where(t.c.track_id.in_(wanted[start : start + 500]))
                .distinct()
            )
            for track_id, source in rows:
                found[int(track_id)].add(str(source))
    return {i: tuple(sorted(s, key=str.casefold)) for i, s in found.items()}
