"""The shareable yearly summary ("Unwrapped"): what each platform paid, per stream, and what if.

All from a handful of grouped queries on the summary tables (the benchmarks print how long
they take). ``summary_json`` is exactly what ``royalty summary --json`` prints: money, rates
and shares as exact decimal strings. One module, a little over the usual size, because the
summary, its what-ifs and its label-deal figure are one object computed from the same
grouped sums; split, each part would re-derive them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from sqlalchemy import Engine, and_, func, select

from royalty.analytics.aggregate import (
    NANO_QUANTUM,
    RATE_QUANTUM,
    SHARE_QUANTUM,
    Filters,
    most_streamed,
    needed_columns,
    per_stream,
    platform_names_by_id,
    round_money,
    source_for,
    stored_aliases,
    territory_details,
    totals,
    track_details,
    where,
)
from royalty.analytics.currency import Converter, FxNote
from royalty.analytics.deals import royalties
from royalty.formatting import minor_digits
from royalty.jsonable import plain
from royalty.months import add_months, month_text
from royalty.shares import largest_remainder
from royalty.store.models import Statement

if TYPE_CHECKING:
    from royalty.analytics.songwriting import Songwriting


@dataclass(frozen=True)
class PlatformRow:
    platform: str
    streams: int
    income: Decimal
    share_of_streams: Decimal | None
    income_per_stream: Decimal | None
    """Stream income / streams; None under ``min_streams`` streams."""
    share_of_income: Decimal | None = None
    stream_income: Decimal = Decimal(0)


@dataclass(frozen=True)
class FoldedPlatforms:
    """The platform list for a card: small platforms folded into one "Other (N sources)" row."""

    rows: list[PlatformRow]
    other: list[str]
    """Names folded into the last row (empty when nothing was folded)."""


@dataclass(frozen=True)
class TopTrack:
    track_id: int
    title: str
    isrc: str
    streams: int
    income: Decimal


@dataclass(frozen=True)
class TopCountry:
    code: str
    name: str
    streams: int
    income: Decimal


@dataclass(frozen=True)
class PreviousPeriod:
    """The period of the same length just before, and the change to this one (a fraction)."""

    period: str
    total_income: Decimal
    total_streams: int
    income_change: Decimal | None
    streams_change: Decimal | None


@dataclass(frozen=True)
class WhatIf:
    """The most-streamed platform's streams paid at another platform's rate."""

    from_platform: str
    to_platform: str
    extra_income: Decimal
    streams: int = 0
    from_rate: Decimal | None = None
    to_rate: Decimal | None = None


@dataclass(frozen=True)
class LabelDeal:
    """What a label paying ``royalty_rate`` of the same income would have paid."""

    royalty_rate: Decimal
    would_have_paid: Decimal
    difference: Decimal
    """Income kept by releasing independently (income - would_have_paid)."""


@dataclass(frozen=True)
class MemberShare:
    name: str
    share: Decimal
    income: Decimal
    """Exact to the minor unit; the members' incomes add up to the rounded total."""


@dataclass(frozen=True)
class Summary:
    period: str
    period_months: tuple[int, int] | tuple[()]
    currency: str
    artist: str | None
    total_streams: int
    total_income: Decimal
    income_per_stream: Decimal | None
    streams_per_unit: int | None
    """Streams it took to earn one unit of the currency (rounded up)."""
    platforms: list[PlatformRow]
    folded: FoldedPlatforms
    best_platform: PlatformRow | None
    worst_platform: PlatformRow | None
    top_track: TopTrack | None
    top_country: TopCountry | None
    previous: PreviousPeriod | None
    what_if: list[WhatIf]
    label_deal: LabelDeal
    members: list[MemberShare]
    fx: FxNote
    sources: list[str]
    fingerprint: str
    stream_income: Decimal = Decimal(0)
    min_streams: int = 1000
    songwriting: Songwriting | None = None
    """How much of the income was songwriting, from whom (``analytics.songwriting``)."""


def _period_text(period: tuple[int, int] | tuple[()]) -> str:
    return f"{month_text(period[0])}..{month_text(period[1])}" if period else ""


def _change(now: Decimal, before: Decimal) -> Decimal | None:
    return None if before == 0 else ((now - before) / before).quantize(SHARE_QUANTUM)


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else (part / whole).quantize(SHARE_QUANTUM)


def _platform_rows(engine: Engine, data, min_streams: int) -> list[PlatformRow]:  # type: ignore[no-untyped-def]
    names = platform_names_by_id(engine)
    sums: dict[str, list[object]] = {}
    for row in data.itertuples(index=False):
        acc = sums.setdefault(names[int(row.platform)], [0, Decimal(0), Decimal(0)])
        acc[0] += int(row.streams)  # type: ignore[operator]
        acc[1] += row.income  # type: ignore[operator]
        acc[2] += row.stream_income  # type: ignore[operator]
    total_streams = sum(int(v[0]) for v in sums.values())  # type: ignore[call-overload]
    total_income = sum((v[1] for v in sums.values()), Decimal(0))  # type: ignore[misc]
    rows = [
        PlatformRow(
            platform=name,
            streams=streams,
            income=round_money(income),
            share_of_streams=_share(Decimal(streams), Decimal(total_streams)),
            income_per_stream=per_stream(stream_income, streams, RATE_QUANTUM)
            if streams >= min_streams
            else None,
            share_of_income=_share(income, total_income),
            stream_income=round_money(stream_income),
        )
        for name, (streams, income, stream_income) in sums.items()  # type: ignore[misc]
    ]
    return sorted(rows, key=lambda r: (-r.income, -r.streams, r.platform.casefold()))


def fold(rows: Sequence[PlatformRow], below: Decimal) -> FoldedPlatforms:
    """Platforms under ``below`` of the income go into one "Other (N sources)" row.

    One small platform alone is shown as itself: an "Other (1 sources)" row says nothing.
    """
    small = [r for r in rows if r.share_of_income is not None and r.share_of_income < below]
    if len(small) < 2:
        return FoldedPlatforms(rows=list(rows), other=[])
    main = [r for r in rows if r not in small]
    streams = sum(r.streams for r in small)
    stream_income = sum((r.stream_income for r in small), Decimal(0))
    other = PlatformRow(
        platform=f"Other ({len(small)} sources)",
        streams=streams,
        income=sum((r.income for r in small), Decimal(0)),
        share_of_streams=sum((r.share_of_streams or Decimal(0) for r in small), Decimal(0)),
        income_per_stream=None,
        share_of_income=sum((r.share_of_income or Decimal(0) for r in small), Decimal(0)),
        stream_income=stream_income,
    )
    return FoldedPlatforms(rows=[*main, other], other=[r.platform for r in small])


def what_if(rows: Sequence[PlatformRow]) -> list[WhatIf]:
    """The most-streamed platform's streams paid at each other shown rate (largest gain first).

    The extra income is exact: streams x (other platform's stream income / its streams) minus
    what the most-streamed platform paid for them; negative when that platform paid more.
    """
    streamed = [r for r in rows if r.streams > 0]
    if not streamed:
        return []
    top = max(streamed, key=lambda r: (r.streams, r.income, r.platform))
    out = []
    for other in rows:
        if other is top or other.income_per_stream is None:
            continue
        paid = top.streams * other.stream_income / other.streams
        out.append(
            WhatIf(
                from_platform=top.platform,
                to_platform=other.platform,
                extra_income=(paid - top.stream_income).quantize(NANO_QUANTUM),
                streams=top.streams,
                from_rate=per_stream(top.stream_income, top.streams, RATE_QUANTUM),
                to_rate=other.income_per_stream,
            )
        )
    return sorted(out, key=lambda w: (-w.extra_income, w.to_platform.casefold()))


def label_deal(income: Decimal, royalty_rate: Decimal) -> LabelDeal:
    """The same royalties as a stored deal's account (``analytics.deals``), without its
    advance: what the period's income would have earned the artist on that rate."""
    paid = royalties(income, royalty_rate)
    return LabelDeal(royalty_rate=royalty_rate, would_have_paid=paid, difference=income - paid)


def split(
    income: Decimal,
    currency: str,
    members: int = 1,
    shares: Sequence[Decimal] | None = None,
    names: Sequence[str] | None = None,
) -> list[MemberShare]:
    """Split income among members exactly, in the currency's minor units.

    The total is rounded half-even to the minor unit (pence, cents); each member gets the
    floor of their share of it and the leftover units go to the largest remainders (the rule
    of payee statements, ``shares.largest_remainder``), so the parts always add up to the
    total and nobody is a unit further from their share than rounding needs. ``shares`` are
    weights (``[2, 1, 1]`` or ``[0.5, 0.25, 0.25]``); without them everyone gets the same.
    """
    weights = [Decimal(s) for s in shares] if shares else [Decimal(1)] * max(int(members), 1)
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError("member shares must be zero or more and not all zero")
    whole = sum(weights)
    unit = Decimal(1).scaleb(-minor_digits(currency))
    total = int((income / unit).to_integral_value(rounding=ROUND_HALF_EVEN))
    sign, units = (-1 if total < 0 else 1), abs(total)
    parts = largest_remainder(
        [Fraction(units) * Fraction(w) / Fraction(whole) for w in weights], units
    )
    labels = list(names or []) + [f"Member {i + 1}" for i in range(len(names or []), len(weights))]
    return [
        MemberShare(
            name=labels[i],
            share=(w / whole).quantize(SHARE_QUANTUM),
            income=(sign * part * unit).quantize(unit),
        )
        for i, (w, part) in enumerate(zip(weights, parts, strict=True))
    ]


def _top_track(engine: Engine, f: Filters, conv: Converter) -> TopTrack | None:
    ranked = most_streamed(engine, f, "track")
    if not ranked:
        return None
    track, streams = ranked[0]
    income = sum(totals(engine, replace(f, tracks=(int(track),)), conv)["income"], Decimal(0))
    info = track_details(engine, [int(track)]).iloc[0]
    return TopTrack(int(track), str(info["title"]), str(info["isrc"]), streams,
                    round_money(income))  # fmt: skip


def _top_country(engine: Engine, f: Filters, conv: Converter) -> TopCountry | None:
    """The country with most streams; pseudo-territories ("unknown", "rest of world") are none."""
    ranked = most_streamed(engine, f, "territory")
    if not ranked:
        return None
    code, streams = ranked[0]
    scoped = replace(f, territories=(code,))
    income = sum(totals(engine, scoped, conv)["income"], Decimal(0))
    name = territory_details(engine).get(code, (code, None))[0]
    return TopCountry(code, name, streams, round_money(income))


def _sources(engine: Engine, f: Filters, currency: str, period: str) -> tuple[list[str], str]:
    """Statement files behind the figures, and a short fingerprint of exactly what was summed.

    The fingerprint hashes each statement's SHA-256 with its exact per-currency sums, so two
    copies of a summary made from the same files and filters carry the same code.
    """
    t = source_for(needed_columns(f, ["statement"]))
    query = select(
        t.c.statement_id, t.c.currency, func.sum(t.c.amount_nano), func.sum(t.c.quantity),
        func.sum(t.c.lines),
    )  # fmt: skip
    with engine.connect() as conn:
        clauses = where(t, f, stored_aliases(conn) if f.territories else None)
        if clauses:
            query = query.where(and_(*clauses))
        sums = conn.execute(query.group_by(t.c.statement_id, t.c.currency)).all()
        ids = sorted({int(r[0]) for r in sums})
        info = {
            r.id: r
            for r in conn.execute(
                select(Statement.id, Statement.file_name, Statement.source, Statement.sha256)
                .where(Statement.id.in_(ids))
            )
        } if ids else {}  # fmt: skip
    names = sorted({f"{info[i].file_name} ({info[i].source})" for i in ids}, key=str.casefold)
    material = sorted([info[int(r[0])].sha256, r[1], int(r[2]), int(r[3]), int(r[4])] for r in sums)
    digest = hashlib.sha256(
        json.dumps([currency, period, f.artist, material], separators=(",", ":")).encode()
    ).hexdigest()
    return names, digest[:12]


def unwrapped(
    engine: Engine,
    f: Filters,
    currency: str,
    *,
    label_royalty: Decimal = Decimal("0.20"),
    members: int = 1,
    shares: Sequence[Decimal] | None = None,
    min_streams: int = 1000,
    fold_below: Decimal = Decimal("0.01"),
    member_names: Sequence[str] | None = None,
) -> Summary:
    """The yearly summary for filters ``f`` (usually one artist and one year)."""
    conv = Converter(currency)
    side = Converter(currency)  # same rates; the note describes the headline figures only
    data = totals(engine, f, conv, by=["platform", "month", "month_end"])
    if f.period is not None:
        period: tuple[int, int] | tuple[()] = (int(f.period[0]), int(f.period[1]))
    elif len(data):
        period = (int(data["month"].min()), int(data["month_end"].max()))
    else:
        period = ()
    scoped = replace(f, period=period or None)
    rows = _platform_rows(engine, data, min_streams)
    total_income = round_money(sum(data["income"], Decimal(0)))
    stream_income = round_money(sum(data["stream_income"], Decimal(0)))
    streams = int(data["streams"].sum())
    shown = [r for r in rows if r.income_per_stream is not None]
    best = max(shown, key=lambda r: (r.income_per_stream, r.streams), default=None)
    worst = min(shown, key=lambda r: (r.income_per_stream, -r.streams), default=None)

    previous = None
    if period:
        length = (period[1] // 100 - period[0] // 100) * 12 + period[1] % 100 - period[0] % 100 + 1
        before = (add_months(period[0], -length), add_months(period[0], -1))
        prev = totals(engine, replace(f, period=before), side)
        prev_income = round_money(sum(prev["income"], Decimal(0)))
        prev_streams = int(prev["streams"].sum())
        previous = PreviousPeriod(
            period=_period_text(before),
            total_income=prev_income,
            total_streams=prev_streams,
            income_change=_change(total_income, prev_income),
            streams_change=_change(Decimal(streams), Decimal(prev_streams)),
        )
    per_unit = None
    if streams > 0 and stream_income > 0:
        per_unit = int((streams / stream_income).to_integral_value(rounding=ROUND_CEILING))
    sources, fingerprint = _sources(engine, scoped, conv.currency, _period_text(period))
    return Summary(
        period=_period_text(period),
        period_months=period,
        currency=conv.currency,
        artist=f.artist,
        total_streams=streams,
        total_income=total_income,
        income_per_stream=per_stream(stream_income, streams, RATE_QUANTUM),
        streams_per_unit=per_unit,
        platforms=rows,
        folded=fold(rows, fold_below),
        best_platform=best,
        worst_platform=worst,
        top_track=_top_track(engine, scoped, side),
        top_country=_top_country(engine, scoped, side),
        previous=previous,
        what_if=what_if(rows),
        label_deal=label_deal(total_income, Decimal(label_royalty)),
        members=split(total_income, conv.currency, members, shares, member_names),
        fx=conv.note(),
        sources=sources,
        fingerprint=fingerprint,
        stream_income=stream_income,
        min_streams=min_streams,
    )


# --- JSON --------------------------------------------------------------------------------------


def summary_json(s: Summary) -> dict[str, object]:
    """The summary as plain JSON types; money, rates and shares as exact decimal strings, the
    exchange-rate note as its sentence."""
    out = plain(s)
    assert isinstance(out, dict)
    out["fx"] = s.fx.text
    return out
