"""What a report shows, gathered once from ``royalty.analytics`` and shared by every format.

``gather`` asks analytics for the summary and the comparison tables (SQL aggregates, exact
Decimals); ``facts``/``tables`` turn them into typed rows for spreadsheets, and ``display``
helpers into formatted text for HTML and the image card. Rates-only is applied here, in one
place: the tables drop their absolute columns and the facts their absolute lines.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from royalty import analytics, formatting
from royalty.months import month_text
from royalty.reports.table import Column, Fact, Table

TRACKS_LIMIT = None
"""Tracks listed in spreadsheets: all (the HTML report shows the first ``HTML_ROWS``)."""
HTML_ROWS = 25
GATHER_THREADS = 3


@dataclass(frozen=True)
class ReportData:
    """Everything a report needs, computed once."""

    filters: analytics.Filters
    currency: str
    rates_only: bool
    summary: analytics.Summary
    overview: analytics.Overview
    platforms: pd.DataFrame
    by_month: pd.DataFrame
    tracks: pd.DataFrame
    territories: pd.DataFrame
    artists: tuple[str, ...] = ()
    """The artists whose income is stored, for a summary of all of them (named, not "All
    artists")."""

    @property
    def has_data(self) -> bool:
        return bool(self.summary.total_streams) or bool(self.summary.total_income)


def gather(
    engine: Engine, f: analytics.Filters, currency: str, *, rates_only: bool = False
) -> ReportData:
    """Run the analytics queries a report needs (aggregates only, never every line).

    The summary runs first (it loads the ECB rate table when anything needs converting);
    the other five queries are independent and run on a few threads, so the database works on
    one while Python turns another's rows into Decimals.
    """
    summary = analytics.unwrapped_with_songwriting(engine, f, currency)
    calls = {
        "overview": (analytics.overview, {}),
        "platforms": (analytics.platform_table, {}),
        "by_month": (analytics.platform_rates_by_month, {}),
        "tracks": (analytics.top_tracks, {"limit": TRACKS_LIMIT}),
        "territories": (analytics.top_territories, {}),
    }
    if _in_memory(engine):  # one connection only: query it from this thread
        results = {name: func(engine, f, currency, **kw) for name, (func, kw) in calls.items()}
    else:
        with ThreadPoolExecutor(max_workers=GATHER_THREADS) as pool:
            futures = {
                name: pool.submit(func, engine, f, currency, **kw)
                for name, (func, kw) in calls.items()
            }
            results = {name: future.result() for name, future in futures.items()}
    artists = tuple(analytics.artists(engine)) if f.artist is None else (f.artist,)
    return ReportData(
        filters=f, currency=currency, rates_only=rates_only, summary=summary, artists=artists,
        **results,
    )  # fmt: skip


def _in_memory(engine: Engine) -> bool:
    """An in-memory SQLite database exists on one connection, seen from one thread only."""
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


# --- small readers for the summary's parts -----------------------------------------------------


def name_of(item: object) -> str:
    """The display name of a summary item (a platform row, a track, a country) or ""."""
    if item is None:
        return ""
    for attr in ("platform", "title", "name", "territory"):
        value = getattr(item, attr, None)
        if value:
            return str(value)
    return str(item)


def per_stream(item: object) -> Decimal | None:
    return getattr(item, "income_per_stream", None)


def who(data: ReportData) -> str:
    """Whom the report is about: the artist, or the artists by name."""
    return data.summary.artist or formatting.names_text(data.artists) or "All artists"


def period_name(data: ReportData) -> str:
    """The period as people name it: "2025", "Jul 2024 – Jun 2025"."""
    return formatting.period_words(period_label(data))


def sources_text(data: ReportData) -> str:
    """ "4 statements (Bandcamp, CD Baby, DistroKid, TuneCore)": what the figures come from."""
    sources = data.summary.sources
    names = sorted({s.rpartition(" (")[2].rstrip(")") for s in sources}, key=str.casefold)
    text = formatting.plural(len(sources), "statement")
    return f"{text} ({', '.join(names)})" if names and len(names) <= 5 else text


def period_label(data: ReportData) -> str:
    s = data.summary
    if s.period:
        return str(s.period)
    if data.filters.period:
        return f"{month_text(data.filters.period[0])}..{month_text(data.filters.period[1])}"
    return "all months"


# --- typed facts and tables (spreadsheets) -----------------------------------------------------


def facts(data: ReportData) -> list[Fact]:
    """The summary as label/value lines; rates-only drops the absolute ones."""
    s, cur = data.summary, data.currency
    out = [
        Fact("Artist", who(data)),
        Fact("Period (usage months)", period_label(data)),
        Fact("Currency", cur),
        Fact(f"Total income ({cur})", s.total_income, "money", absolute=True),
        Fact("Total streams", s.total_streams, "int", absolute=True),
    ]
    song = s.songwriting
    if song is not None:  # the rate below counts recordings only
        out += [
            Fact(f"{label} ({cur})", value, "money", absolute=True)
            for label, value in [
                ("Recording income", song.recording_income),
                ("Songwriting income", song.songwriting_income),
                *((f"Songwriting from {p.source}", p.income) for p in song.sources),
            ]
        ]
    out += [
        Fact(f"Income per stream ({cur})", s.income_per_stream, "rate"),
        Fact(f"Streams to earn 1 {cur}", s.streams_per_unit, "int"),
    ]
    if s.best_platform is not None:
        out.append(Fact("Best-paying platform", name_of(s.best_platform)))
        out.append(Fact("Best platform per stream", per_stream(s.best_platform), "rate"))
    if s.worst_platform is not None:
        out.append(Fact("Lowest-paying platform", name_of(s.worst_platform)))
        out.append(Fact("Lowest platform per stream", per_stream(s.worst_platform), "rate"))
    if s.top_track is not None:
        out.append(Fact("Top track", name_of(s.top_track)))
    if s.top_country is not None:
        out.append(Fact("Top country", name_of(s.top_country)))
    prev = s.previous
    if prev is not None:
        out.append(Fact("Previous period (usage months)", prev.period))
        out.append(
            Fact(f"Previous period income ({cur})", prev.total_income, "money", absolute=True)
        )
        out.append(Fact("Previous period streams", prev.total_streams, "int", absolute=True))
        if prev.income_change is not None:  # relative, but an income figure all the same
            out.append(
                Fact(
                    "Income change vs previous period", prev.income_change, "percent",
                    absolute=True,
                )
            )  # fmt: skip
        if prev.streams_change is not None:
            out.append(Fact("Streams change vs previous period", prev.streams_change, "percent"))
    for w in s.what_if:
        out.append(
            Fact(
                f"If {w.from_platform} streams had paid {w.to_platform}'s rate ({cur})",
                w.extra_income,
                "money",
                absolute=True,
            )
        )
    deal = s.label_deal
    if deal is not None:
        out.append(
            Fact(
                f"A {formatting.percent(deal.royalty_rate)} label deal would have paid ({cur})",
                deal.would_have_paid,
                "money",
                absolute=True,
            )
        )
    for m in s.members if len(s.members) > 1 else []:
        out.append(Fact(f"Share of {m.name}", m.share, "share"))
        out.append(Fact(f"Income of {m.name} ({cur})", m.income, "money", absolute=True))
    out.append(Fact("Exchange rates", fx_text(data)))
    out.append(Fact("Sources", "; ".join(s.sources)))
    out.append(Fact("Fingerprint", s.fingerprint))
    if data.rates_only:
        out = [f for f in out if not f.absolute]
    return out


def fx_text(data: ReportData) -> str:
    """Which exchange rates were used, in words; rates-only names currencies, never amounts."""
    fx = data.summary.fx
    if not data.rates_only:
        return str(getattr(fx, "text", fx))
    return fx_without_amounts(fx, data.currency)


def fx_without_amounts(fx: object, currency: str) -> str:
    """FxNote.text names the amounts converted; a rates-only report must not."""
    own = sorted(getattr(fx, "statement_rates", {}) or {})
    ecb = sorted(getattr(fx, "ecb", {}) or {})
    missing = sorted(getattr(fx, "missing", {}) or {})
    if not (own or ecb or missing):
        return f"All amounts are in {currency} as the statements give them; nothing was converted."
    parts = []
    if own:
        parts.append(f"{', '.join(own)} converted at the statements' own exchange rates")
    if ecb:
        parts.append(f"{', '.join(ecb)} converted at the ECB reference rate of each usage month")
    if missing:
        parts.append(f"{', '.join(missing)} left out (no ECB rate)")
    return "; ".join(parts) + f" (into {currency})."


def _cells(frame: pd.DataFrame, names: list[str]) -> tuple[tuple[object, ...], ...]:
    if frame is None or frame.empty:
        return ()
    rows = []
    for record in frame[names].itertuples(index=False, name=None):
        rows.append(tuple(None if _missing(v) else v for v in record))
    return tuple(rows)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def platforms_table(data: ReportData) -> Table:
    cur = data.currency
    frame = data.platforms
    if frame is not None and not frame.empty:
        frame = frame.assign(
            per_1000=[None if _missing(v) else v * 1000 for v in frame["income_per_stream"]]
        )
    columns = (
        Column("Platform"),
        Column("Streams", "int", absolute=True),
        Column(f"Income ({cur})", "money", absolute=True),
        Column("Share of streams", "share"),
        Column("Share of income", "share"),
        Column(f"Per stream ({cur})", "rate"),
        Column(f"Per 1,000 streams ({cur})", "money"),
        Column(f"Median monthly rate ({cur})", "rate"),
        Column(f"Rate, low month ({cur})", "rate"),
        Column(f"Rate, high month ({cur})", "rate"),
    )
    names = [
        "platform", "streams", "income", "share_of_streams", "share_of_income",
        "income_per_stream", "per_1000", "median_monthly_rate", "rate_low", "rate_high",
    ]  # fmt: skip
    table = Table(
        "Platforms",
        columns,
        _cells(frame, names),
        note="Per-stream rates are shown for platforms with at least 1,000 streams.",
    )
    return table.rates_only() if data.rates_only else table


def tracks_table(data: ReportData) -> Table:
    return _ranked("Tracks", ("Track", "ISRC"), data.tracks, ["title", "isrc"], data)


def territories_table(data: ReportData) -> Table:
    return _ranked(
        "Territories", ("Territory", "Country"), data.territories, ["territory", "name"], data
    )


def _ranked(
    title: str, labels: tuple[str, ...], frame: pd.DataFrame, names: list[str], data: ReportData
) -> Table:
    """A ranking by income: what identifies each row, then streams, income and the rate."""
    cur = data.currency
    columns = (
        *(Column(label) for label in labels),
        Column("Streams", "int", absolute=True),
        Column(f"Income ({cur})", "money", absolute=True),
        Column(f"Per stream ({cur})", "rate"),
    )
    table = Table(title, columns, _cells(frame, [*names, "streams", "income", "income_per_stream"]))
    return table.rates_only() if data.rates_only else table


@dataclass(frozen=True)
class Highlight:
    label: str
    value: str
    note: str = ""


def highlights(data: ReportData) -> dict[str, Highlight]:
    """The summary's headline figures as text, by kind; the HTML report shows them all as
    tiles, the card the few it has room for. Income and stream counts are left out when
    only rates may be shown."""
    s, cur = data.summary, data.currency
    out: dict[str, Highlight] = {}
    if not data.rates_only:
        out["income"] = Highlight("Total income", formatting.money(s.total_income, cur))
        out["streams"] = Highlight("Streams", formatting.count(s.total_streams))
    out["per_stream"] = Highlight(
        "Per stream", formatting.rate(s.income_per_stream, cur), "all platforms together"
    )
    if s.streams_per_unit:
        out["streams_per_unit"] = Highlight(
            f"Streams to earn {one_unit(cur)}", formatting.count(s.streams_per_unit)
        )
    if s.best_platform is not None:
        rate = formatting.rate(per_stream(s.best_platform), cur)
        out["best"] = Highlight("Best payer", name_of(s.best_platform), f"{rate} per stream")
    if s.worst_platform is not None and s.worst_platform != s.best_platform:
        rate = formatting.rate(per_stream(s.worst_platform), cur)
        out["lowest"] = Highlight("Lowest payer", name_of(s.worst_platform), f"{rate} per stream")
    if s.top_track is not None:
        out["top_track"] = Highlight("Top track", name_of(s.top_track))
    if s.top_country is not None:
        out["top_country"] = Highlight("Top country", name_of(s.top_country))
    return out


one_unit = formatting.one_unit


def tables(data: ReportData) -> list[Table]:
    return [platforms_table(data), tracks_table(data), territories_table(data)]


# --- display text (HTML, card) -----------------------------------------------------------------


def display(value: object, kind: str, currency: str) -> str:
    """One cell as people read it."""
    if _missing(value):
        return formatting.DASH
    if kind == "money":
        return formatting.money(Decimal(value), currency)
    if kind == "rate":
        return formatting.rate(Decimal(value), currency)
    if kind == "int":
        return formatting.count(int(value))
    if kind == "share":
        return formatting.percent(Decimal(value))
    if kind == "percent":
        return formatting.percent(Decimal(value), signed=True)
    return str(value)


ABSOLUTE_KEYS = frozenset(
    {
        "total_income", "stream_income", "total_streams", "income", "streams",
        "extra_income", "would_have_paid", "difference", "recording_income",
        "songwriting_income",
    }
)  # fmt: skip
"""Keys of ``analytics.summary_json`` whose values are absolute income or stream counts."""
INCOME_KEYS = ABSOLUTE_KEYS | {"income_change"}
"""What a rates-only summary leaves out: the absolute figures and the change in income (a
relative figure, but one about income, which rates only is meant not to tell)."""


def rates_only_json(summary: dict, fx: object, currency: str) -> dict:
    """``summary_json`` without absolute figures (recursively) and with an FX note sans amounts."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in INCOME_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    out = strip(summary)
    assert isinstance(out, dict)
    out["fx"] = fx_without_amounts(fx, currency)
    out["rates_only"] = True
    return out
