"""Recording (master) income and songwriting (publishing) income, side by side.

One song earns twice: the recording through distributors and shops, the composition through
performing-rights societies and publishers (``royalty.vocabulary``). An artist who writes their
own songs wants both in one place, but not mixed where they mean different things: a
society's performances are no streams, so per-stream rates stay the recordings' alone (stream
income over streams, as everywhere), and a summary says how much of its income was
songwriting, and from whom. A work is counted with its recording by the links
(``royalty.track_matching``: ISRC, ISWC, else title), so a track's two incomes sit in one row.

A source is who sent the statement (``DistroKid``, ``PRS for Music``, ``Publisher``): for a
songwriting line the society or publisher that paid it, whichever service its money came
from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from royalty.analytics.aggregate import Filters, round_money, totals
from royalty.analytics.currency import Converter
from royalty.analytics.tracks import top_tracks
from royalty.analytics.unwrapped import Summary, unwrapped
from royalty.store.models import Statement
from royalty.vocabulary import MASTER_KINDS, PUBLISHING_KINDS

TRACK_COLUMNS = ["track_id", "title", "isrc", "artist", "recording", "songwriting", "income",
                 "streams", "income_per_stream"]  # fmt: skip
SOURCE_COLUMNS = ["source", "recording", "songwriting", "income"]


@dataclass(frozen=True)
class SourceIncome:
    source: str
    income: Decimal


@dataclass(frozen=True)
class Songwriting:
    """The summary's songwriting line: how much of its income the songs earned, from whom."""

    recording_income: Decimal
    songwriting_income: Decimal
    sources: list[SourceIncome]
    """The societies and publishers that paid it, largest first."""


def recordings_only(f: Filters) -> Filters:
    """``f`` narrowed to recording income (the kinds it already names, if any)."""
    kinds = tuple(k for k in (f.kinds or MASTER_KINDS) if k in MASTER_KINDS)
    return replace(f, kinds=kinds or ("none",))


def _split(data: pd.DataFrame, key: str) -> dict[Any, dict[str, Decimal]]:
    """Per ``key``: recording and songwriting income, exactly."""
    out: dict[Any, dict[str, Decimal]] = {}
    for row in data.itertuples(index=False):
        acc = out.setdefault(
            getattr(row, key), {"recording": Decimal(0), "songwriting": Decimal(0)}
        )
        acc["songwriting" if row.kind in PUBLISHING_KINDS else "recording"] += row.income
    return out


def _by_income(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Largest income first (exact), ties by ``name``."""
    order = sorted(
        range(len(frame)),
        key=lambda i: (-frame["income"].iloc[i], str(frame[name].iloc[i]).casefold()),
    )
    return frame.iloc[order].reset_index(drop=True)


def by_track(engine: Engine, f: Filters, currency: str, limit: int | None = None) -> pd.DataFrame:
    """``top_tracks`` (a recording with the works counted as it, or a work no recording has;
    streams and the per-stream rate are the recording's) with its income parted into
    ``recording`` and ``songwriting``: ``TRACK_COLUMNS``, largest income first."""
    tracks = top_tracks(engine, f, currency, limit=limit)
    data = totals(engine, f, Converter(currency), by=["track", "kind"])
    sums = _split(data[data["track"].notna()], "track")
    for side in ("recording", "songwriting"):
        tracks[side] = pd.Series(
            [round_money(sums[int(t)][side]) for t in tracks["track_id"]],
            index=tracks.index,
            dtype=object,
        )
    out = tracks[TRACK_COLUMNS]
    out.attrs["fx"] = tracks.attrs["fx"]
    return out


def by_source(engine: Engine, f: Filters, currency: str) -> pd.DataFrame:
    """Per statement source: ``SOURCE_COLUMNS``, largest income first."""
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["statement", "kind"])
    ids = sorted({int(s) for s in data["statement"]})
    with engine.connect() as conn:
        query = select(Statement.id, Statement.source).where(Statement.id.in_(ids))
        source_of = {int(i): str(name) for i, name in conn.execute(query)}
    data["source"] = [source_of[int(s)] for s in data["statement"]]
    sums = _split(data, "source")
    frame = pd.DataFrame(
        [
            {"source": k, "recording": round_money(v["recording"]),
             "songwriting": round_money(v["songwriting"])}
            for k, v in sums.items()
        ],
        columns=["source", "recording", "songwriting"],
    )  # fmt: skip
    frame["income"] = pd.Series(
        [r + s for r, s in zip(frame["recording"], frame["songwriting"], strict=True)],
        dtype=object,
    )
    for name in ("recording", "songwriting"):
        frame[name] = frame[name].astype(object)
    frame = _by_income(frame, "source")[SOURCE_COLUMNS]
    frame.attrs["fx"] = conv.note()
    return frame


def songwriting_line(engine: Engine, f: Filters, currency: str) -> Songwriting | None:
    """The summary's line for ``f``; None when no songwriting income is in it."""
    sources = by_source(engine, f, currency)
    paid = sources[[s != 0 for s in sources["songwriting"]]]
    if paid.empty:
        return None
    ordered = sorted(
        zip(paid["source"], paid["songwriting"], strict=True),
        key=lambda p: (-p[1], p[0].casefold()),
    )
    return Songwriting(
        recording_income=sum(sources["recording"], Decimal(0)),
        songwriting_income=sum(paid["songwriting"], Decimal(0)),
        sources=[SourceIncome(name, income) for name, income in ordered],
    )


def summary(
    engine: Engine, f: Filters, currency: str, *, songwriting: bool = True, **options: Any
) -> Summary:
    """The Unwrapped summary (``unwrapped``, with ``options``) with songwriting as its own
    line when the period has any; ``songwriting=False``: recording income only, every figure
    of the summary without the songs' money."""
    if not songwriting:
        return unwrapped(engine, recordings_only(f), currency, **options)
    found = unwrapped(engine, f, currency, **options)
    scoped = replace(f, period=found.period_months or None)
    return replace(found, songwriting=songwriting_line(engine, scoped, currency))
