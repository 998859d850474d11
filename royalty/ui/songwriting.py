"""Songwriting income beside recording income on the pages: the Tracks page's two columns,
the Platforms page's sources, the Unwrapped page's line and its checkbox.

Shown only when the selection has songwriting income: an artist who imports no society or
publisher statement sees the pages as they were, without columns of zeros.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from royalty import analytics, formatting
from royalty.formatting import markdown_text
from royalty.ui import data, views
from royalty.ui.state import Selection

TRACK_COLUMNS = {"recording": ("Recording", "money"), "songwriting": ("Songwriting", "money")}
"""The Tracks page's columns beside Income: the recording's and the song's."""
CHECKBOX = "unwrapped_songwriting"


def has_songwriting(split: pd.DataFrame) -> bool:
    return bool(len(split)) and any(v != 0 for v in split["songwriting"])


def track_columns(
    columns: dict[str, tuple[str, str]], tracks: pd.DataFrame
) -> dict[str, tuple[str, str]]:
    """The Tracks table's columns, with Recording and Songwriting after Income when the
    selection's tracks have songwriting income."""
    if not has_songwriting(tracks):
        return columns
    out: dict[str, tuple[str, str]] = {}
    for name, spec in columns.items():
        out[name] = spec
        if name == "income":
            out.update(TRACK_COLUMNS)
    return out


def sources_section(engine: Engine, sel: Selection) -> None:
    """Who paid what: each statement source's recording and songwriting income (the
    Platforms page, when there is songwriting income)."""
    sources = data.income_by_source(engine, sel.filters, sel.currency)
    if not has_songwriting(sources):
        return
    st.subheader("Recordings and songwriting, per source")
    views.show(
        views.display_table(
            sources,
            sel.currency,
            {
                "source": ("Source", "text"),
                "income": ("Income", "money"),
                "recording": ("Recording", "money"),
                "songwriting": ("Songwriting", "money"),
            },
        ),
        hide_index=True,
        key="songwriting_sources",
    )
    st.caption(
        "A source is who sent the statement: a distributor or shop pays for the recording, a "
        "society or publisher for the song. Songwriting income is no stream: per-stream "
        "rates count recordings only."
    )


def checkbox() -> bool:
    """The Unwrapped page's choice: songwriting income in the summary (its own line), or
    recording income only."""
    return st.checkbox(
        "Include songwriting income",
        value=True,
        key=CHECKBOX,
        help="Royalties from societies and publishers (PRS, ASCAP, a publisher's statement), "
        "shown as their own line. Without: every figure is recording income only.",
    )


def summary_line(summary: analytics.Summary) -> str | None:
    """The Unwrapped page's songwriting line, as Markdown; None when there is none."""
    song = summary.songwriting
    if song is None:
        return None
    c = summary.currency
    paid = ", ".join(
        f"{markdown_text(p.source)} {formatting.money(p.income, c)}" for p in song.sources
    )
    return (
        f"**Songwriting** {formatting.money(song.songwriting_income, c)} ({paid}) and "
        f"**recordings** {formatting.money(song.recording_income, c)}. Per-stream rates count "
        "recordings only."
    )
