"""What the app's pages share: the engine, the sidebar filters and cached analytics calls.

Pages stay a description of the UI; this module owns the plumbing they all need (cached
analytics calls are in ``ui.data``, drawing helpers in ``ui.views``, the Unwrapped page's
pieces in ``ui.unwrapped``).

* Cached results are keyed by their arguments and the database's *data version* (latest
  statement id, statement count and import time), so an import or a removal shows up on the
  next rerun without clearing anything by hand.
* The sidebar filters live in the entry script's run but are not drawn on the Import page;
  their values are kept in session state so that a visit to Import does not reset them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from royalty import analytics
from royalty.formatting import period_text
from royalty.months import month_text
from royalty.settings import database_url
from royalty.store import db
from royalty.ui import data
from royalty.vocabulary import KINDS

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
FAVICON = str(Path(__file__).with_name("assets") / "favicon.png")
"""The tab's icon, served by the app itself (a Material icon name would be fetched from a font
CDN, and the app makes no request to any address but its own)."""
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


db_key = data.db_key


def sample_wanted() -> bool:
    """False when ``ROYALTY_NO_SAMPLE`` is set (tests of the empty app, private installs)."""
    return os.environ.get(NO_SAMPLE_ENV, "").strip().lower() not in {"1", "true", "yes"}


# --- first run ----------------------------------------------------------------------------------------


def ensure_sample(eng: Engine) -> None:
    """Load the sample statements into an empty database once per session (unless disabled)."""
    if not sample_wanted() or st.session_state.get("_sample_checked") == db_key(eng):
        return
    from royalty import sample

    if not data.has_data(eng):
        with st.spinner("First run: loading the sample statements (fictional artist)…"):
            sample.ensure_sample_data(eng)
    st.session_state["_sample_checked"] = db_key(eng)


def sample_banner(eng: Engine, import_page: Any = IMPORT_PAGE) -> None:
    """Say plainly when every number on screen comes from the made-up sample."""
    if not data.has_data(eng) or not data.is_sample_only(eng):
        return
    with st.container(border=True):
        st.markdown(
            ":material/info: **Sample data.** The artist, tracks and amounts are fiction, made "
            "up to show what the dashboard does. Import your own statements on the Import page, "
            "or in a terminal with `royalty import FILE...`."
        )
        st.page_link(import_page, label="Import your statements", icon=":material/upload_file:")


def require_data(eng: Engine, import_page: Any = IMPORT_PAGE) -> None:
    """Stop the page with a friendly message when nothing has been imported yet."""
    if data.has_data(eng):
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
    artists = data.artists(eng)
    platforms = data.platform_names(eng)

    sb = st.sidebar
    sb.header("Filters")
    artist_options = [ALL_ARTISTS, *artists]
    _kept("f_artist", ALL_ARTISTS if len(artists) != 1 else artists[0], artist_options.__contains__)
    artist_choice = sb.selectbox("Artist", artist_options, key="f_artist")
    artist = None if artist_choice == ALL_ARTISTS else artist_choice

    years = [str(y) for y in sorted(data.years(eng, artist), reverse=True)]
    months = data.months(eng, artist)
    period_options = [ALL_TIME, *years, CUSTOM]
    latest = data.latest_full_year(eng, artist)
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
        period_label = period_text(*period)
    elif period_choice in years:
        year = int(period_choice)
        period = (year * 100 + 1, year * 100 + 12)
        period_label = period_choice
    else:
        period_label = period_text(months[0], months[-1]) if months else ALL_TIME

    _kept("f_platforms", [], lambda v: isinstance(v, list) and all(p in platforms for p in v))
    chosen_platforms = sb.multiselect(
        "Platforms", platforms, key="f_platforms", placeholder="All platforms"
    )
    _kept("f_kinds", [], lambda v: isinstance(v, list) and all(k in KINDS for k in v))
    chosen_kinds = sb.multiselect(
        "Kind of use", list(KINDS), key="f_kinds", placeholder="All kinds",
        format_func=str.capitalize,
    )  # fmt: skip
    default_currency = data.main_currency(eng, artist)
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
