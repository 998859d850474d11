"""Tracks page: which recordings earn, which pay best per stream, which fell under Spotify's
1,000-stream line, and which titles were counted as one track (a wrong match split there)."""

import streamlit as st

from royalty import analytics, charts
from royalty.months import month_text
from royalty.ui import data, state, views
from royalty.ui import songwriting as songwriting_view
from royalty.ui import tracks as merged_titles

engine = state.engine()
st.title("Tracks")
state.require_data(engine)
sel = state.current()
views.caption(sel)

# the top tracks, each one's income parted into the recording's and the song's
tracks = data.income_by_track(engine, sel.filters, sel.currency, limit=state.TRACKS_FETCHED)
if tracks.empty:
    state.no_rows()
    merged_titles.merged_section(engine, sel.filters.artist)  # a split stays undoable
    st.stop()
merged = data.merged_tracks(engine, sel.filters.artist)
tracks = merged_titles.also_as(tracks, merged)

TRACK_COLUMNS = songwriting_view.track_columns(
    {
        "title": ("Track", "text"),
        **views.RANKED,
        "isrc": ("ISRC", "text"),
        **({"also_as": ("Also reported as", "text")} if merged else {}),
    },
    tracks,
)

views.chart(charts.top_tracks_bar(tracks, sel.currency), key="tracks_top")
by_income, by_rate = st.tabs(["Earned most", "Best paid per stream"])
with by_income:
    views.show(views.display_table(tracks.head(20), sel.currency, TRACK_COLUMNS), hide_index=True)
    if songwriting_view.has_songwriting(tracks):
        st.caption(
            "Income is the recording's (distributors, shops) and the song's (societies, "
            "publishers) together; a work is counted with its recording by ISRC, ISWC or "
            "title. Per stream and streams are the recording's."
        )
with by_rate:
    ranked = analytics.best_paid_tracks(tracks, sel.min_streams)
    if ranked.empty:
        st.info(f"No track has {sel.min_streams:,} streams or more in this selection.")
    else:
        views.show_by_rate(ranked.head(20), sel.currency, TRACK_COLUMNS)
        st.caption(f"Tracks with at least {sel.min_streams:,} streams, best rate first.")

st.subheader("Under Spotify's 1,000-stream line")
st.write(
    "Since 2024 Spotify pays no recording royalties for a track with fewer than 1,000 streams "
    "in the previous 12 months. These tracks were under that line in the last 12 months of "
    "the period; the income column shows what they earned on Spotify before."
)
low = data.low_stream_tracks(engine, sel.filters, sel.currency, threshold=1000)
if low.empty:
    st.success("No track is under the line in this period.")
else:
    views.show(
        views.display_table(
            low,
            sel.currency,
            {
                "title": ("Track", "text"),
                "artist": ("Artist", "text"),
                "streams": ("Spotify streams, last 12 months", "count"),
                "income": ("Income, last 12 months", "money"),
                "streams_before": ("Streams, 12 months before", "count"),
                "income_before": ("Income, 12 months before", "money"),
            },
        ),
        hide_index=True,
        key="tracks_low",
    )
    window = low.attrs.get("window")
    if window:
        st.caption(f"Last 12 months: {month_text(window[0])}..{month_text(window[1])}.")

merged_titles.merged_section(engine, sel.filters.artist)
