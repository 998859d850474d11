"""The frame around every page: the app's own CSS, the page bar a phone shows above the title,
and what the sidebar says on pages without filters.

Below 768 px Streamlit moves its top page list into the sidebar, behind a "»" icon, and
leaves the sidebar open over the page after a page is picked there. A phone gets the page
list as a bar of links in the page itself instead (``page_bar``; the CSS hides it on wider
screens and hides the sidebar's copy on narrow ones), so every page is one tap away and the
sidebar only ever holds the filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from royalty import formatting
from royalty.formatting import markdown_text
from royalty.ui import data

CSS = Path(__file__).with_name("assets") / "app.css"
FILTERS_LABEL = """<style>
@media (max-width: 767.98px) {
  [data-testid="stExpandSidebarButton"] { width: auto; gap: 0.25rem; padding: 0 0.5rem; }
  [data-testid="stExpandSidebarButton"]::after { content: "Filters"; font-size: 0.95rem; }
}
</style>"""
"""On pages with filters, the phone's "»" that opens them says what it opens."""


def style(*, filters: bool) -> None:
    """The app's CSS (``assets/app.css``); ``filters``: the page has sidebar filters."""
    st.html(CSS)
    if filters:
        st.html(FILTERS_LABEL)


def page_bar(pages: Sequence[Any]) -> None:
    """Every page as a link, in a row above the page's title (shown on phones only)."""
    with st.container(key="page_bar", horizontal=True, gap=None):
        for page in pages:
            st.page_link(page)


def stored_sidebar(engine: Engine) -> None:
    """The sidebar of a page without filters (Import, Statements): what is stored, rather
    than an empty panel left open from the page before."""
    artists = data.artists(engine)
    months = data.months(engine)
    sb = st.sidebar
    sb.header("Stored")
    lines = [formatting.plural(data.statement_count(engine), "statement")]
    if artists:
        names = formatting.names_text([markdown_text(a) for a in artists])
        lines.append(f"{formatting.plural(len(artists), 'artist')}: {names}")
    if months:
        lines.append(f"usage months {formatting.period_text(months[0], months[-1])}")
    sb.markdown("\n".join(f"- {line}" for line in lines))
    sb.caption("The filters of the other pages are kept while you are here.")
