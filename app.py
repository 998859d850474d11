"""Royalty transparency dashboard: the router and frame every page shares.

Run with ``streamlit run app.py``. The database is ``DATABASE_URL`` (SQLite or PostgreSQL),
else the same SQLite file the ``royalty`` command line uses. On first run the fictional sample
statements are loaded so there is something to look at; ``ROYALTY_NO_SAMPLE=1`` starts empty.
"""

import streamlit as st

from royalty.ui import data, frame, state

st.set_page_config(
    page_title="Royalty transparency", page_icon=state.FAVICON, layout="wide",
    initial_sidebar_state="auto",
)  # fmt: skip

engine = state.engine()
state.ensure_sample(engine)

import_page = st.Page(
    "app_pages/import_statements.py",
    title="Import",
    icon=":material/upload_file:",
    url_path="import",
)
pages = [
    st.Page(
        "app_pages/overview.py",
        title="Overview",
        icon=":material/dashboard:",
        url_path="overview",
        default=True,
    ),
    st.Page(
        "app_pages/platforms.py",
        title="Platforms",
        icon=":material/equalizer:",
        url_path="platforms",
    ),
    st.Page("app_pages/tracks.py", title="Tracks", icon=":material/music_note:", url_path="tracks"),
    st.Page(
        "app_pages/territories.py",
        title="Territories",
        icon=":material/public:",
        url_path="territories",
    ),
    st.Page(
        "app_pages/unwrapped.py", title="Unwrapped", icon=":material/redeem:", url_path="unwrapped"
    ),
    st.Page("app_pages/splits.py", title="Splits", icon=":material/call_split:", url_path="splits"),
    st.Page(
        "app_pages/statements.py",
        title="Statements",
        icon=":material/receipt_long:",
        url_path="statements",
    ),
    import_page,
]
page = st.navigation(pages, position="top")

st.session_state.pop("_selection", None)
filtered = page.url_path not in {"import", "statements"} and data.has_data(engine)
if filtered:
    st.session_state["_selection"] = state.sidebar(engine)
elif data.has_data(engine):
    frame.stored_sidebar(engine)
frame.style(filters=filtered)
frame.page_bar(pages)

page.run()
