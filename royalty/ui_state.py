"""What the app's pages share: the engine, the sidebar filters and cached analytics calls.

Pages stay a description of the UI; this module owns the plumbing they all need.

* Cached analytics results are keyed by the filters, the reporting currency and the database's
  *data version* (latest statement id and statement count), so an import shows up on the next
  rerun without clearing anything by hand.
* The sidebar filters live in the entry script's run but are not drawn on the Import page;
  their values are kept in session state so that a visit to Import does not reset them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, func, select

from royalty import analytics, db, formatting
from royalty.ingest import ImportResult
from royalty.models import KINDS, Statement
from royalty.months import month_text
from royalty.settings import database_url

ALL_TIME = "All time"
CUSTOM = "Choose months…"
ALL_ARTISTS = "All artists"
COMMON_CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "SEK", "NOK", "DKK", "JPY", "CHF")
DEFAULT_MIN_STREAMS = 1000
MONTHLY_MIN_STREAMS = 100
"""A platform's month with fewer streams is left out of the rate-over-time lines (noise)."""
TRACKS_FETCHED = 500
"""Tracks fetched for the Tracks page; the best-paid ranking is taken from these."""
IMPORT_PAGE = "app_pages/import_statements.py"
CHART_CONFIG = {"displaylogo": False, "responsive": True, "topojsonURL": "app/static/"}
"""Maps load country outlines from the app's own static/world_110m.json, not from a CDN."""
MAX_TABLE_ROWS = 30
ROW_PX = 35
NO_SAMPLE_ENV = "ROYALTY_NO_SAMPLE"
"""Set to 1 to start with an empty database instead of loading the sample statements."""


@dataclass(frozen=True)
class Selection:
    """Everything the sidebar decides for the analytics pages."""

    filters: analytics.Filters
    currency: str
    min_streams: int
    period_label: str


# --- database ------------------------------------------------------------------------------------


def engine() -> Engine:
    """The app's database: ``DATABASE_URL``, else the same SQLite file the command line uses."""
    return db.get_engine(database_url(os.environ.get("ROYALTY_DB") or None))


def db_key(eng: Engine) -> str:
    """Identifies the database in cache keys (two test databases never share results)."""
    return eng.url.render_as_string(hide_password=True)


def data_version(eng: Engine) -> tuple[int, int]:
    """(latest statement id, number of statements): changes whenever an import lands."""
    with eng.connect() as conn:
        row = conn.execute(select(func.max(Statement.id), func.count(Statement.id))).one()
    return int(row[0] or 0), int(row[1] or 0)


def sample_wanted() -> bool:
    """False when ``ROYALTY_NO_SAMPLE`` is set (tests of the empty app, private installs)."""
    return os.environ.get(NO_SAMPLE_ENV, "").strip().lower() not in {"1", "true", "yes"}


# --- cached analytics ------------------------------------------------------------------------------


def _filters_key(f: analytics.Filters) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(asdict(f).items()))


def _kwargs_key(kwargs: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))


@st.cache_data(show_spinner=False, max_entries=300)
def _cached_filtered(
    name: str,
    database: str,
    version: tuple[int, int],
    filters: tuple[tuple[str, Any], ...],
    currency: str,
    kwargs: tuple[tuple[str, Any], ...],
    _engine: Engine,
) -> Any:
    f = analytics.Filters(**dict(filters))
    return getattr(analytics, name)(_engine, f, currency, **dict(kwargs))


@st.cache_data(show_spinner=False, max_entries=100)
def _cached_plain(
    name: str, database: str, version: tuple[int, int], args: tuple[Any, ...], _engine: Engine
) -> Any:
    if name == "is_sample_only":
        from royalty import sample

        return sample.is_sample_only(_engine)
    return getattr(analytics, name)(_engine, *args)


def analysis(
    name: str, eng: Engine, sel: Selection | analytics.Filters, currency: str | None = None,
    **kwargs: Any,
) -> Any:  # fmt: skip
    """``analytics.<name>(engine, filters, currency, **kwargs)``, cached until the next import."""
    if isinstance(sel, Selection):
        f, currency = sel.filters, currency or sel.currency
    else:
        f = sel
    assert currency is not None
    return _cached_filtered(
        name, db_key(eng), data_version(eng), _filters_key(f), currency, _kwargs_key(kwargs), eng
    )


def lookup(name: str, eng: Engine, *args: Any) -> Any:
    """``analytics.<name>(engine, *args)`` (artists, months, ...), cached until the next import."""
    return _cached_plain(name, db_key(eng), data_version(eng), args, eng)


# --- first run ----------------------------------------------------------------------------------------


def ensure_sample(eng: Engine) -> None:
    """Load the sample statements into an empty database once per session (unless disabled)."""
    if not sample_wanted() or st.session_state.get("_sample_checked") == db_key(eng):
        return
    from royalty import sample

    if not lookup("has_data", eng):
        with st.spinner("First run: loading the sample statements (fictional artist)…"):
            sample.ensure_sample_data(eng)
    st.session_state["_sample_checked"] = db_key(eng)


def sample_banner(eng: Engine, import_page: Any) -> None:
    """Say plainly when every number on screen comes from the made-up sample."""
    if not lookup("has_data", eng) or not lookup("is_sample_only", eng):
        return
    with st.container(border=True):
        st.markdown(
            ":material/info: **Sample data.** The artist, tracks and amounts are fiction, made "
            "up to show what the dashboard does. Import your own statements on the Import page, "
            "or in a terminal with `royalty import FILE...`."
        )
        st.page_link(import_page, label="Import your statements", icon=":material/upload_file:")


def require_data(eng: Engine, import_page: Any) -> None:
    """Stop the page with a friendly message when nothing has been imported yet."""
    if lookup("has_data", eng):
        return
    st.info(
        "**No data yet.** Import the statements your distributor sends you (CSV, TSV, TXT, "
        "XLSX or a ZIP of them) and this page fills in."
    )
    st.page_link(import_page, label="Import statements", icon=":material/upload_file:")
    st.stop()


def no_rows(message: str = "Nothing matches these filters.") -> None:
    """For a filter combination that selects no income: say so instead of an empty chart."""
    st.info(f"{message} Widen the period or clear the platform and kind filters in the sidebar.")


# --- sidebar filters -------------------------------------------------------------------------------


def _kept(key: str, default: Any, valid: Callable[[Any], bool]) -> None:
    """Put the remembered (or default) value in place before the widget is drawn."""
    kept = st.session_state.setdefault("_kept_filters", {})
    if key in st.session_state and valid(st.session_state[key]):
        return
    value = kept.get(key, default)
    st.session_state[key] = value if valid(value) else default


def _remember(*keys: str) -> None:
    kept = st.session_state.setdefault("_kept_filters", {})
    for key in keys:
        kept[key] = st.session_state[key]


def reset_filters() -> None:
    """Forget every sidebar choice (the next run draws the defaults)."""
    for key in [k for k in st.session_state if str(k).startswith("f_")]:
        del st.session_state[key]
    st.session_state["_kept_filters"] = {}


def sidebar(eng: Engine) -> Selection:
    """Draw the shared filters in the sidebar and return what they select."""
    artists = lookup("artists", eng)
    platforms = lookup("platform_names", eng)

    sb = st.sidebar
    sb.header("Filters")
    artist_options = [ALL_ARTISTS, *artists]
    _kept("f_artist", ALL_ARTISTS if len(artists) != 1 else artists[0], artist_options.__contains__)
    artist_choice = sb.selectbox("Artist", artist_options, key="f_artist")
    artist = None if artist_choice == ALL_ARTISTS else artist_choice

    years = [str(y) for y in sorted(lookup("years", eng, artist), reverse=True)]
    months = lookup("months", eng, artist)
    period_options = [ALL_TIME, *years, CUSTOM]
    latest = lookup("latest_full_year", eng, artist)
    _kept("f_period", str(latest) if latest else ALL_TIME, period_options.__contains__)
    period_choice = sb.selectbox(
        "Period", period_options, key="f_period", help="Months in which the music was played."
    )
    labels = [month_text(m) for m in months]
    period: tuple[int, int] | None = None
    if period_choice == CUSTOM and len(labels) >= 2:

        def fits(v: Any) -> bool:
            return isinstance(v, tuple | list) and len(v) == 2 and all(x in labels for x in v)

        # a range slider needs its value passed (a tuple), not only set in session state
        kept = st.session_state.get("f_months", st.session_state["_kept_filters"].get("f_months"))
        if "f_months" in st.session_state and not fits(st.session_state["f_months"]):
            del st.session_state["f_months"]
        value = tuple(kept) if fits(kept) else (labels[0], labels[-1])
        first, last = sb.select_slider("Months", options=labels, value=value, key="f_months")
        period = (months[labels.index(first)], months[labels.index(last)])
        period_label = f"{first}..{last}"
    elif period_choice in years:
        year = int(period_choice)
        period = (year * 100 + 1, year * 100 + 12)
        period_label = period_choice
    else:
        period_label = f"{labels[0]}..{labels[-1]}" if labels else ALL_TIME

    _kept("f_platforms", [], lambda v: isinstance(v, list) and all(p in platforms for p in v))
    chosen_platforms = sb.multiselect(
        "Platforms", platforms, key="f_platforms", placeholder="All platforms"
    )
    _kept("f_kinds", [], lambda v: isinstance(v, list) and all(k in KINDS for k in v))
    chosen_kinds = sb.multiselect(
        "Kind of use", list(KINDS), key="f_kinds", placeholder="All kinds",
        format_func=str.capitalize,
    )  # fmt: skip
    default_currency = lookup("main_currency", eng, artist)
    currencies = list(dict.fromkeys([default_currency, *COMMON_CURRENCIES]))
    _kept("f_currency", default_currency, currencies.__contains__)
    currency = sb.selectbox(
        "Reporting currency", currencies, key="f_currency",
        help="Amounts in other currencies are converted: with the statement's own rate where "
        "it gives one, else the ECB reference rate for the month of use.",
    )  # fmt: skip
    _kept("f_min_streams", DEFAULT_MIN_STREAMS, lambda v: isinstance(v, int) and v >= 0)
    min_streams = sb.number_input(
        "Minimum streams for a rate", min_value=0, step=100, key="f_min_streams",
        help="Platforms with fewer streams get no per-stream rate: a few plays say little.",
    )  # fmt: skip
    sb.button("Reset filters", on_click=reset_filters, key="f_reset_button")
    _remember(*[k for k in ("f_artist", "f_period", "f_months", "f_platforms", "f_kinds",
                            "f_currency", "f_min_streams") if k in st.session_state])  # fmt: skip

    filters = analytics.Filters(
        artist=artist,
        period=period,
        platforms=tuple(chosen_platforms),
        kinds=tuple(chosen_kinds),
    )
    return Selection(filters, currency, int(min_streams), period_label)


def current() -> Selection:
    """The selection the entry script drew this run (pages call this)."""
    sel = st.session_state.get("_selection")
    if sel is None:  # the page was run on its own; draw the filters here
        sel = sidebar(engine())
    return sel


# --- import results ---------------------------------------------------------------------------------


def results_table(results: list[ImportResult]) -> pd.DataFrame:
    """Per-file outcome of an import, as the Import page shows it."""
    rows = []
    for r in results:
        rows.append(
            {
                "File": r.file,
                "Status": r.status,
                "Layout": r.format or "",
                "Rows": r.rows,
                "Stored": r.stored,
                "Skipped": r.skipped,
                "Totals": ", ".join(f"{v} {c}" for c, v in r.totals.items()),
                "Period": "..".join(r.period) if r.period else "",
                "Message": r.message,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["File", "Status", "Layout", "Rows", "Stored", "Skipped", "Totals", "Period",
                 "Message"],
    )  # fmt: skip


# --- drawing helpers ------------------------------------------------------------------------------


def caption(sel: Selection) -> None:
    """One line under a page title saying what the numbers cover."""
    f = sel.filters
    parts = [f.artist or ALL_ARTISTS, sel.period_label]
    if f.platforms:
        parts.append(", ".join(f.platforms))
    if f.kinds:
        parts.append(", ".join(k.capitalize() for k in f.kinds))
    parts.append(f"amounts in {sel.currency}")
    st.caption(" · ".join(parts))
    sample_banner(engine(), IMPORT_PAGE)


def chart(fig: Any, *, key: str) -> None:
    """A plotly figure at full width, with our own styling (not Streamlit's theme)."""
    st.plotly_chart(fig, theme=None, key=key, config=CHART_CONFIG)


def fx_caption(fx: Any) -> None:
    """Which exchange rates turned other currencies into the reporting one."""
    text = str(getattr(fx, "text", None) or fx or "").strip()
    if text:
        st.caption(text)


FORMATS: dict[str, Callable[[Any, str], str]] = {
    "money": lambda v, c: formatting.money(v, c) if v is not None else "—",
    "rate": lambda v, c: formatting.rate(v, c),
    "count": lambda v, _c: formatting.count(int(v)) if v is not None else "—",
    "percent": lambda v, _c: formatting.percent(v) if v is not None else "—",
    "text": lambda v, _c: "" if v is None else str(v),
    "label": lambda v, _c: "" if v is None else str(v).capitalize(),
}


def display_table(
    frame: pd.DataFrame, currency: str, columns: dict[str, tuple[str, str]]
) -> pd.DataFrame:
    """Exact values -> display text, column by column: {source column: (label, format)}.

    Money is shown as text (formatted from the exact ``Decimal``) rather than as floats the
    table widget would round on its own terms.
    """
    out = pd.DataFrame(index=frame.index)
    for name, (label, kind) in columns.items():
        if name not in frame.columns:
            continue
        fmt = FORMATS[kind]
        out[label] = [fmt(None if _missing(v) else v, currency) for v in frame[name]]
    out = out.reset_index(drop=True)
    out.attrs["numeric"] = [
        label for _, (label, kind) in columns.items() if kind not in {"text", "label"}
    ]
    return out


def show(table: pd.DataFrame, **kwargs: Any) -> None:
    """A ``display_table`` with its number columns right-aligned, as numbers are read."""
    numeric = table.attrs.get("numeric", [])
    config = {label: st.column_config.TextColumn(label, alignment="right") for label in numeric}
    if len(table.columns) and table.columns[0] not in numeric:  # names: never cut short
        config[table.columns[0]] = st.column_config.TextColumn(table.columns[0], width="medium")
    kwargs.setdefault("hide_index", True)
    if len(table) <= MAX_TABLE_ROWS:  # show every row; no scrolling inside a short table
        kwargs.setdefault("height", ROW_PX * (len(table) + 1) + 3)
    st.dataframe(table, column_config=config, **kwargs)


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def best_paid(tracks: pd.DataFrame, min_streams: int) -> pd.DataFrame:
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


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in keep.split("-") if part) or "all"


def downloads(eng: Engine, sel: Selection, *, key: str) -> None:
    """Download buttons for the shareable report formats (built only when clicked)."""
    from royalty import reports

    rates_only = st.toggle(
        "Rates only (leave out income and stream counts)",
        key=f"{key}_rates_only",
        help="For sharing what each platform pays without saying what you earned.",
    )
    f, cur = sel.filters, sel.currency
    stem = f"royalty-{_slug(f.artist or 'all-artists')}-{_slug(sel.period_label)}"
    if rates_only:
        stem += "-rates"
    files = [
        ("HTML report", "html", "text/html", ":material/description:",
         lambda: reports.html_report(eng, f, cur, rates_only=rates_only).encode("utf-8")),
        ("PNG card", "png", "image/png", ":material/image:",
         lambda: reports.card_png(eng, f, cur, rates_only=rates_only)),
        ("Spreadsheet (XLSX)", "xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ":material/table_view:",
         lambda: reports.xlsx_bytes(eng, f, cur, rates_only=rates_only)),
        ("CSV", "csv", "text/csv", ":material/csv:",
         lambda: reports.csv_bytes(eng, f, cur, rates_only=rates_only)),
    ]  # fmt: skip
    for column, (label, ext, mime, icon, build) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(
            label, data=build, file_name=f"{stem}.{ext}", mime=mime, icon=icon,
            on_click="ignore", key=f"{key}_download_{ext}", width="stretch",
        )  # fmt: skip
    st.caption(
        "The files are made when you click (the card and the report take a few seconds). "
        "The same numbers, exactly, as on screen."
    )


def industry_section(table: pd.DataFrame, sel: Selection) -> None:
    """The artist's rates next to published averages, with each figure's source and year."""
    from royalty import charts, industry

    ref = industry.industry_table(sel.currency)
    if ref.empty:
        st.info(f"No published averages can be converted to {sel.currency}.")
        return
    chart(charts.rates_vs_industry(table, ref, sel.currency), key="platform_industry")
    own = dict(zip(table["platform"], table["income_per_stream"], strict=True))
    rows = pd.DataFrame(
        {
            "platform": ref["platform"],
            "yours": [own.get(p) for p in ref["platform"]],
            "published": ref["rate"],
            "year": ref["year"].astype(str),
            "source": ref["source"],
        }
    )
    show(
        display_table(
            rows,
            sel.currency,
            {
                "platform": ("Platform", "text"),
                "yours": ("Your rate", "rate"),
                "published": ("Published average", "rate"),
                "year": ("Year", "text"),
                "source": ("Source", "text"),
            },
        ),
        hide_index=True,
        key="platform_industry_table",
    )
    st.caption(
        "Platforms do not pay a fixed rate per stream; each published figure is an average for "
        "one sample of artists and years, in US dollars, converted at the ECB rate of June of "
        'its year. "—" under Your rate: too few streams there (or none) for a rate.'
    )


# --- Unwrapped --------------------------------------------------------------------------------------


def parse_shares(text: str) -> tuple[list[Decimal] | None, str | None]:
    """ "40, 30, 30" or "2, 1, 1" -> weights; (None, message) when they make no split."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    if not parts:
        return None, "Shares: write one number per member, e.g. 40, 30, 30."
    try:
        weights = [Decimal(p.strip().rstrip("%")) for p in parts]
    except ArithmeticError:
        return None, f"Shares: {text!r} is not a list of numbers, e.g. 40, 30, 30."
    if any(not w.is_finite() or w < 0 for w in weights) or sum(weights) <= 0:
        return None, "Shares: numbers must be zero or more, and not all zero."
    return weights, None


def previous_change(summary: analytics.Summary) -> str | None:
    """Metric delta text, "+12.3% vs 2024-01..2024-12", or None without a previous period."""
    prev = summary.previous
    if prev is None or prev.income_change is None:
        return None
    period = prev.period
    first, _, last = period.partition("..")
    if first.endswith("-01") and last.endswith("-12") and first[:4] == last[:4]:
        period = first[:4]  # a calendar year reads as the year
    return f"{formatting.percent(prev.income_change, signed=True)} vs {period}"


def unwrapped_platforms(summary: analytics.Summary) -> None:
    """The per-platform table a band would post (small platforms folded into "Other") and
    what each platform paid per stream."""
    from royalty import charts

    cur = summary.currency
    rows = pd.DataFrame(
        [
            {
                "platform": r.platform,
                "streams": r.streams,
                "income": r.income,
                "share": r.share_of_streams,
                "rate": r.income_per_stream,
            }
            for r in summary.folded.rows
        ]
    )
    rated = pd.DataFrame(
        [
            {"platform": r.platform, "streams": r.streams, "income_per_stream": r.income_per_stream}
            for r in summary.platforms
        ],
        columns=["platform", "streams", "income_per_stream"],
    )
    table_col, chart_col = st.columns([3, 2])
    with table_col:
        show(
            display_table(
                rows,
                cur,
                {
                    "platform": ("Platform", "text"),
                    "streams": ("Streams", "count"),
                    "income": ("Income", "money"),
                    "share": ("% of streams", "percent"),
                    "rate": ("Per stream", "rate"),
                },
            ),
            key="unwrapped_platforms",
        )
        if summary.folded.other:
            with st.expander(f"Other ({len(summary.folded.other)} sources): which ones"):
                st.write(", ".join(summary.folded.other))
        st.caption(
            f"Per stream is shown for platforms with at least {summary.min_streams:,} streams; "
            "platforms under 1% of income are folded into Other."
        )
    with chart_col:
        chart(charts.platform_rates_bar(rated, cur), key="unwrapped_rates")


def highlights_markdown(summary: analytics.Summary) -> str:
    """Best and worst payer, top track and country, and the change on the period before."""
    cur = summary.currency
    lines = []
    if summary.best_platform is not None:
        b = summary.best_platform
        lines.append(
            f"**Best payer:** {b.platform}, {formatting.rate(b.income_per_stream, cur)} a stream"
        )
    if summary.worst_platform is not None and summary.worst_platform != summary.best_platform:
        w = summary.worst_platform
        lines.append(
            f"**Lowest payer:** {w.platform}, {formatting.rate(w.income_per_stream, cur)} a stream"
        )
    if summary.top_track is not None:
        t = summary.top_track
        lines.append(
            f"**Top track:** {_md(t.title)} ({formatting.count(t.streams)} streams, "
            f"{formatting.money(t.income, cur)})"
        )
    if summary.top_country is not None:
        c = summary.top_country
        lines.append(f"**Top country:** {_md(c.name)} ({formatting.count(c.streams)} streams)")
    if summary.streams_per_unit:
        lines.append(
            f"**Streams to earn {formatting.money(Decimal(1), cur)}:** "
            f"{formatting.count(summary.streams_per_unit)}"
        )
    prev = summary.previous
    if prev is not None:
        lines.append(
            f"**{prev.period}:** {formatting.money(prev.total_income, cur)} from "
            f"{formatting.count(prev.total_streams)} streams"
            + (
                f" (income {formatting.percent(prev.income_change, signed=True)})"
                if prev.income_change is not None
                else ""
            )
        )
    return "\n".join(f"- {line}" for line in lines)


def what_if_pair(summary: analytics.Summary, src: str, dst: str) -> analytics.WhatIf | None:
    """``src``'s streams paid at ``dst``'s rate: exact, as ``analytics.unwrapped`` computes it."""
    rows = {r.platform: r for r in summary.platforms}
    a, b = rows.get(src), rows.get(dst)
    if a is None or b is None or b.income_per_stream is None or not b.streams:
        return None
    paid = a.streams * b.stream_income / b.streams
    return analytics.WhatIf(
        from_platform=src, to_platform=dst, extra_income=paid - a.stream_income,
        streams=a.streams, from_rate=a.income_per_stream, to_rate=b.income_per_stream,
    )  # fmt: skip


def what_if_sentence(summary: analytics.Summary, src: str, dst: str) -> str:
    w = what_if_pair(summary, src, dst)
    if w is None:
        return "—"
    cur = summary.currency
    verb = "more" if w.extra_income >= 0 else "less"
    return (
        f"If your {formatting.count(w.streams)} {_md(src)} streams had paid "
        f"{_md(dst)}'s {formatting.rate(w.to_rate, cur)} a stream (instead of "
        f"{formatting.rate(w.from_rate, cur)}), you would have earned "
        f"**{formatting.money(abs(w.extra_income), cur)} {verb}**."
    )


def label_deal_sentence(summary: analytics.Summary) -> str:
    deal, cur = summary.label_deal, summary.currency
    return (
        f"On a label deal paying {formatting.percent(deal.royalty_rate)} royalties, the same "
        f"{formatting.money(summary.total_income, cur)} would have paid you "
        f"**{formatting.money(deal.would_have_paid, cur)}**: releasing independently kept "
        f"{formatting.money(deal.difference, cur)} more."
    )


def members_table(summary: analytics.Summary) -> None:
    rows = pd.DataFrame(
        [{"name": m.name, "share": m.share, "income": m.income} for m in summary.members]
    )
    show(
        display_table(
            rows,
            summary.currency,
            {
                "name": ("Member", "text"),
                "share": ("Share", "percent"),
                "income": ("Income", "money"),
            },
        ),
        hide_index=True,
        key="unwrapped_members_table",
    )


def _md(text: str) -> str:
    """Statement text shown in markdown: no accidental formatting or links."""
    out = str(text)
    for ch in "\\`*_[]<>#|~$":
        out = out.replace(ch, "\\" + ch)
    return out
