"""Did every statement arrive? Which usage months each source reported, the gaps its own
rhythm says are missing statements, how late each source and platform reports, and the
months whose income is far from the artist's trailing level.

A source's rhythm is how often it reports: the usual spacing of the months its lines were
reported in, where the layout says (monthly: DistroKid, TuneCore; quarterly: most labels'
distributors, societies), else how many usage months one of its statements usually covers. Inside the span a source has reported, a month (monthly) or a quarter
(quarterly) with no line at all is a gap; months after the last one it reported are not
flagged, since statements arrive three months to a year late (that is the lag, shown apart).
Sources whose statements each cover many months, such as lifetime exports, have no rhythm to
miss: their gaps are months without income, not missing statements, and are not flagged.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from sqlalchemy import Engine, func, select

from royalty.analytics.aggregate import Filters, needed_columns, source_for, where
from royalty.analytics.catalog import main_currency
from royalty.analytics.period import overview
from royalty.months import add_months, month_text
from royalty.store import rollup
from royalty.store.models import Platform, Statement

UNUSUAL_LOW = Decimal("0.5")
UNUSUAL_HIGH = Decimal("2")
"""A month below half or above twice the median of the 12 months before it is unusual."""
CENT = Decimal("0.01")
TRAILING = 12
MIN_TRAILING = 3
"""Months of history a month needs before it can be called unusual."""


@dataclass(frozen=True)
class Lag:
    median: float | None
    """Months from usage to reporting, median over the lines; None when the layout does not
    say when lines were reported."""
    max: int | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class SourceCoverage:
    source: str
    rhythm: str
    """``monthly``, ``quarterly`` or ``long periods`` (statements covering many months)."""
    months: list[str]
    """Usage months with at least one line."""
    missing: list[str]
    """Months inside the reported span that the rhythm expected and no statement gave."""
    statements: int
    lag_months: Lag
    platforms: dict[str, Lag] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["lag_months"] = self.lag_months.to_json()
        out["platforms"] = {p: lag.to_json() for p, lag in self.platforms.items()}
        return out


@dataclass(frozen=True)
class UnusualMonth:
    month: str
    income: str
    trailing_median: str
    ratio: str
    direction: str
    """``low`` or ``high``."""


@dataclass(frozen=True)
class Coverage:
    artist: str | None
    currency: str
    months: list[str]
    """Every usage month from the first to the last any source reported."""
    sources: list[SourceCoverage]
    unusual: list[UnusualMonth]

    def to_json(self) -> dict[str, object]:
        return {
            "artist": self.artist,
            "currency": self.currency,
            "months": self.months,
            "sources": [s.to_json() for s in self.sources],
            "unusual_months": [asdict(u) for u in self.unusual],
        }


def coverage(engine: Engine, artist: str | None = None, currency: str | None = None) -> Coverage:
    f = Filters(artist=artist)
    currency = currency or main_currency(engine, artist)
    spans, per_statement = _spans(engine, f)
    lags, platform_lags, reported = _lags(engine, f)
    sources = []
    for source in sorted(spans):
        months = sorted({m for first, last in spans[source] for m in _range(first, last)})
        rhythm = _rhythm(reported.get(source, set()), per_statement[source])
        sources.append(
            SourceCoverage(
                source=source,
                rhythm=rhythm,
                months=[month_text(m) for m in months],
                missing=[month_text(m) for m in _missing(months, rhythm)],
                statements=len(per_statement[source]),
                lag_months=_lag(lags.get(source, {})),
                platforms={p: _lag(c) for p, c in sorted(platform_lags.get(source, {}).items())},
            )
        )
    every = sorted({m for s in spans.values() for first, last in s for m in _range(first, last)})
    all_months = [month_text(m) for m in _range(every[0], every[-1])] if every else []
    monthly = overview(engine, f, currency).monthly if every else None
    unusual = _unusual(monthly) if monthly is not None else []
    return Coverage(artist, currency, all_months, sources, unusual)


def _spans(
    engine: Engine, f: Filters
) -> tuple[dict[str, set[tuple[int, int]]], dict[str, dict[int, set[int]]]]:
    """Source -> the (first, last) usage months its summary rows cover; source -> statement
    -> the usage months it covers."""
    t = source_for(needed_columns(f, ["statement", "month", "month_end"]))
    query = (
        select(Statement.source, t.c.statement_id, t.c.usage_month, t.c.usage_month_end)
        .join(Statement, Statement.id == t.c.statement_id)
        .where(*where(t, f))
        .distinct()
    )
    spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
    covered: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    with engine.connect() as conn:
        for source, statement_id, first, last in conn.execute(query):
            spans[source].add((int(first), int(last)))
            covered[source][int(statement_id)].update(_range(int(first), int(last)))
    return spans, covered


def _lags(
    engine: Engine, f: Filters
) -> tuple[dict[str, dict[int, int]], dict[str, dict[str, dict[int, int]]], dict[str, set[int]]]:
    """Source -> {lag in months: lines}, the same per platform, and source -> the months it
    reported in, from the lines that say when they were reported (counted in the summaries
    keyed by reporting month)."""
    t = source_for(needed_columns(f, ["platform", "month"]) | {"reporting_month"})
    query = (
        select(
            Statement.source,
            Platform.name,
            t.c.usage_month,
            t.c.reporting_month,
            (func.count() if t is rollup.LINE else func.sum(t.c.lines)).label("lines"),
        )
        .join(Statement, Statement.id == t.c.statement_id)
        .join(Platform, Platform.id == t.c.platform_id)
        .where(t.c.reporting_month.is_not(None), *where(t, f))
        .group_by(Statement.source, Platform.name, t.c.usage_month, t.c.reporting_month)
    )
    by_source: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_platform: dict[str, dict[str, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    reporting: dict[str, set[int]] = defaultdict(set)
    with engine.connect() as conn:
        for source, platform, usage, reported, lines in conn.execute(query):
            reporting[source].add(int(reported))
            lag = _months_between(int(usage), int(reported))
            if lag < 0:  # a reporting date before use is a layout's own convention, not a lag
                continue
            by_source[source][lag] += int(lines)
            by_platform[source][platform][lag] += int(lines)
    return by_source, by_platform, reporting


def _lag(counts: dict[int, int]) -> Lag:
    if not counts:
        return Lag(None, None)
    values: list[int] = []
    for lag, n in sorted(counts.items()):
        values.extend([lag] * min(n, 10_000))  # the median of a distribution, bounded in size
    return Lag(float(statistics.median(values)), max(counts))


def _rhythm(reported: set[int], statements: dict[int, set[int]]) -> str:
    """The most common spacing of the reporting months (the shorter on a tie); without two of
    them, how many usage months one statement usually covers."""
    if len(reported) >= 2:
        spacings = [_months_between(a, b) for a, b in itertools.pairwise(sorted(reported))]
        # the most common spacing (a missing statement makes one spacing longer, not usual)
        usual = min(statistics.multimode(spacings))
    else:
        usual = statistics.median(len(m) for m in statements.values())
    if usual <= 1:
        return "monthly"
    if usual <= 3:
        return "quarterly"
    return "long periods"


def _missing(months: list[int], rhythm: str) -> list[int]:
    if not months or rhythm == "long periods":
        return []
    have = set(months)
    span = _range(months[0], months[-1])
    if rhythm == "monthly":
        return [m for m in span if m not in have]
    quarters: dict[tuple[int, int], list[int]] = defaultdict(list)
    for m in _range(_quarter_start(months[0]), add_months(_quarter_start(months[-1]), 2)):
        quarters[(m // 100, (m % 100 - 1) // 3)].append(m)
    return [m for q in sorted(quarters) for m in quarters[q] if not have & set(quarters[q])]


def _unusual(monthly) -> list[UnusualMonth]:  # type: ignore[no-untyped-def]
    """Months far from the median of the (up to) 12 months before them, counting months
    without income as zero."""
    income = {
        int(m): Decimal(str(v)) for m, v in zip(monthly["month"], monthly["income"], strict=True)
    }
    if not income:
        return []
    months = _range(min(income), max(income))
    found = []
    for i, month in enumerate(months):
        history = [income.get(m, Decimal(0)) for m in months[max(0, i - TRAILING) : i]]
        if len(history) < MIN_TRAILING:
            continue
        level = statistics.median(history)
        value = income.get(month, Decimal(0))
        if level <= 0:
            continue
        ratio = value / level
        if ratio < UNUSUAL_LOW or ratio > UNUSUAL_HIGH:
            found.append(
                UnusualMonth(
                    month=month_text(month),
                    income=str(value.quantize(CENT)),
                    trailing_median=str(level.quantize(CENT)),
                    ratio=str(ratio.quantize(Decimal("0.01"))),
                    direction="low" if ratio < UNUSUAL_LOW else "high",
                )
            )
    return found


def _range(first: int, last: int) -> list[int]:
    months, m = [], first
    while m <= last:
        months.append(m)
        m = add_months(m, 1)
    return months


def _months_between(first: int, last: int) -> int:
    return (last // 100 - first // 100) * 12 + (last % 100 - first % 100)


def _quarter_start(month: int) -> int:
    return month // 100 * 100 + (month % 100 - 1) // 3 * 3 + 1
