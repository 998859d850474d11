"""Payee statements: for a period, each payee's income per track and per source with the
share applied, in the reporting currency, adding up to the cent.

The income is the summaries' (track x platform x month x kind, converted to the reporting
currency as every page converts it); each piece follows the split ``analytics.splits`` finds
for it, and the shares are applied exactly (``Fraction``: a third of 1.01 stays a third). Only
then is anything rounded, once, by the largest-remainder method (``ROUNDING_RULE``): the
payees' amounts add up exactly to the total rounded to the cent, and each payee's lines add up
exactly to that payee's amount. A "source" is the platform that paid (Spotify, Bandcamp ...).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd
from sqlalchemy import Engine, select

from royalty.analytics.aggregate import Filters, platform_names_by_id, round_money, totals
from royalty.analytics.currency import Converter, FxNote
from royalty.analytics.splits import Applied, Resolver, TrackInfo, stored_splits, tracks
from royalty.formatting import minor_digits
from royalty.money import decimal_text
from royalty.months import month_text
from royalty.shares import largest_remainder, share_text
from royalty.store.models import Artist

ROUNDING_RULE = (
    "Every amount is first computed exactly (income × share, nothing rounded), then rounded to "
    "the {unit} once, by the largest-remainder method: each payee gets their exact amount "
    "rounded down to the {unit}, and the {units} that leaves over, up to the total rounded "
    "(half to even) to the {unit}, go one each to the payees with the largest remainders (on a "
    "tie, in alphabetical order). So the payees' amounts add up exactly to the total; each "
    "payee's lines are rounded the same way to add up exactly to the payee's amount."
)


@dataclass(frozen=True)
class Line:
    """One track's income from one source under one split, and the payee's part of it."""

    source: str
    months: tuple[int, int]
    """First and last usage month with income in this line."""
    split: str
    """Which split applied (``Applied.label``)."""
    share: Fraction
    streams: int
    income: Decimal
    """The whole income of the track from this source in these months (exact, to nano)."""
    exact: Fraction
    """income x share, unrounded."""
    amount: Decimal
    """Rounded to the minor unit by the largest-remainder method."""


@dataclass(frozen=True)
class TrackPart:
    title: str
    isrc: str
    artist: str
    amount: Decimal
    """The sum of its lines' amounts."""
    lines: list[Line]


@dataclass(frozen=True)
class PayeeStatement:
    payee: str
    amount: Decimal
    exact: Fraction
    share_of_total: Fraction | None
    """exact / the exact total; None when the total is 0."""
    tracks: list[TrackPart]


@dataclass(frozen=True)
class Payees:
    period: str
    period_months: tuple[int, int] | tuple[()]
    currency: str
    artist: str | None
    total: Decimal
    """The total income rounded (half to even) to the minor unit: the payees' amounts' sum."""
    exact_total: Fraction
    payees: list[PayeeStatement]
    fx: FxNote
    rounding: str = ""

    def payee(self, name: str) -> PayeeStatement | None:
        return next((p for p in self.payees if p.payee.casefold() == name.casefold()), None)


def rounding_rule(currency: str) -> str:
    unit, units = ("cent", "cents") if minor_digits(currency) else ("unit", "units")
    return ROUNDING_RULE.format(unit=unit, units=units)


def payees(engine: Engine, f: Filters, currency: str) -> Payees:
    """Every payee's statement for filters ``f`` (usually one artist and one period)."""
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["artist", "track", "platform", "month", "kind"])
    with engine.connect() as conn:
        artist_names = dict(conn.execute(select(Artist.id, Artist.name)).all())
    platforms = platform_names_by_id(engine)
    known = {t.id: t for t in tracks(engine, [int(t) for t in data["track"].dropna()])}
    resolvers = {a: Resolver(a, rows) for a, rows in stored_splits(engine, f.artist).items()}

    pieces: dict[tuple, list] = {}  # (payee, track, source, split, share) -> sums
    exact_total = Fraction(0)
    for row in data.itertuples(index=False):
        artist = artist_names[int(row.artist)]
        track = None if pd.isna(row.track) else known.get(int(row.track))
        resolver = resolvers.get(artist) or Resolver(artist, ())
        applied: Applied = resolver.applied(track, int(row.month), str(row.kind))
        income = Fraction(row.income)
        exact_total += income
        for payee, share in applied.shares:
            key = (payee, artist, track, platforms[int(row.platform)], applied.label, share)
            acc = pieces.setdefault(key, [Fraction(0), 0, int(row.month), int(row.month)])
            acc[0] += income
            acc[1] += int(row.streams)
            acc[2], acc[3] = min(acc[2], int(row.month)), max(acc[3], int(row.month))

    digits = minor_digits(conv.currency)
    scale = 10**digits
    by_payee: dict[str, list[tuple[tuple, list]]] = defaultdict(list)
    for key, acc in pieces.items():
        by_payee[key[0]].append((key, acc))
    for rows in resolvers.values():  # everyone with a share gets a statement, 0 or not
        for group in rows.groups:
            for payee, _ in group.shares:
                by_payee.setdefault(payee, [])
    names = sorted(by_payee, key=lambda n: (n.casefold(), n))
    exact = [sum((acc[0] * key[5] for key, acc in by_payee[n]), Fraction(0)) for n in names]
    total_units = round(exact_total * scale)
    units = largest_remainder([e * scale for e in exact], total_units)

    statements = [
        _statement(name, e, u, by_payee[name], exact_total, scale, digits)
        for name, e, u in zip(names, exact, units, strict=True)
    ]
    statements.sort(key=lambda s: (-s.amount, s.payee.casefold()))
    period: tuple[int, int] | tuple[()] = ()
    if f.period is not None:
        period = (int(f.period[0]), int(f.period[1]))
    elif len(data):
        period = (int(data["month"].min()), int(data["month"].max()))
    return Payees(
        period=f"{month_text(period[0])}..{month_text(period[1])}" if period else "",
        period_months=period,
        currency=conv.currency,
        artist=f.artist,
        total=_units(total_units, digits),
        exact_total=exact_total,
        payees=statements,
        fx=conv.note(),
        rounding=rounding_rule(conv.currency),
    )


def _units(units: int, digits: int) -> Decimal:
    return Decimal(units).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def _statement(
    name: str,
    exact: Fraction,
    units: int,
    pieces: list[tuple[tuple, list]],
    exact_total: Fraction,
    scale: int,
    digits: int,
) -> PayeeStatement:
    """One payee's lines, ordered by track, source and month, rounded to add up to ``units``."""

    def order(item: tuple[tuple, list]) -> tuple:
        (_, artist, track, source, label, _), acc = item
        info: TrackInfo | None = track
        title = info.label if info is not None else TrackInfo(None, artist).label
        return (title.casefold(), info.isrc if info else "", source.casefold(), acc[2], label)

    pieces = sorted(pieces, key=order)
    line_units = largest_remainder([acc[0] * key[5] * scale for key, acc in pieces], units)
    parts: dict[tuple, list[Line]] = {}
    for ((_, artist, track, source, label, share), acc), u in zip(pieces, line_units, strict=True):
        income = round_money(Decimal(acc[0].numerator) / Decimal(acc[0].denominator))
        line = Line(source, (acc[2], acc[3]), label, share, acc[1], income, acc[0] * share,
                    _units(u, digits))  # fmt: skip
        parts.setdefault((artist, track), []).append(line)
    track_parts = [
        TrackPart(
            title=(track or TrackInfo(None, artist)).label,
            isrc=track.isrc if track is not None else "",
            artist=artist,
            amount=sum((ln.amount for ln in lines), _units(0, digits)),
            lines=lines,
        )
        for (artist, track), lines in parts.items()
    ]
    return PayeeStatement(
        payee=name,
        amount=_units(units, digits),
        exact=exact,
        share_of_total=exact / exact_total if exact_total else None,
        tracks=track_parts,
    )


# --- JSON ------------------------------------------------------------------------------------------


def amount_text(value: Decimal, currency: str) -> str:
    """An amount with at least the currency's minor digits (``12.30``), every digit kept."""
    digits = minor_digits(currency)
    text = decimal_text(value)
    whole, _, frac = text.partition(".")
    frac = frac.ljust(digits, "0")
    return f"{whole}.{frac}" if frac else whole


def span_text(months: tuple[int, int]) -> str:
    """``2024-03`` for one month, ``2024-03..2024-05`` for several."""
    first, last = (month_text(m) for m in months)
    return first if first == last else f"{first}..{last}"


def payees_json(p: Payees) -> dict[str, object]:
    """What ``royalty payees --json`` prints: amounts as decimal strings rounded to the cent
    (adding up exactly to ``total``), shares as exact text (``20%``, ``1/3``)."""
    cur = p.currency
    return {
        "period": p.period,
        "currency": cur,
        "artist": p.artist,
        "total": amount_text(p.total, cur),
        "payees": [payee_json(s, cur) for s in p.payees],
        "rounding": p.rounding,
        "fx": p.fx.text,
    }


def payee_json(s: PayeeStatement, currency: str) -> dict[str, object]:
    return {
        "payee": s.payee,
        "amount": amount_text(s.amount, currency),
        "tracks": [_track_json(t, currency) for t in s.tracks],
    }


def _track_json(t: TrackPart, currency: str) -> dict[str, object]:
    return {
        "track": t.title, "isrc": t.isrc, "artist": t.artist,
        "amount": amount_text(t.amount, currency),
        "lines": [_line_json(ln, currency) for ln in t.lines],
    }  # fmt: skip


def _line_json(ln: Line, currency: str) -> dict[str, object]:
    return {
        "source": ln.source, "months": span_text(ln.months), "split": ln.split,
        "share": share_text(ln.share), "streams": ln.streams,
        "income": amount_text(ln.income, currency), "amount": amount_text(ln.amount, currency),
    }  # fmt: skip
