"""Platforms page: who paid what per stream, how steady that was, and against published averages."""

import streamlit as st

from royalty import charts
from royalty.ui import data, state, views

engine = state.engine()
st.title("Platforms")
state.require_data(engine)
sel = state.current()
views.caption(sel)

table = data.platform_table(engine, sel.filters, sel.currency, min_streams=sel.min_streams)
if table.empty:
    state.no_rows()
    st.stop()

views.show(
    views.display_table(
        table,
        sel.currency,
        {
            "platform": ("Platform", "text"),
            **views.RANKED,
            "share_of_streams": ("Share of streams", "percent"),
            "share_of_income": ("Share of income", "percent"),
            "median_monthly_rate": ("Median month", "rate"),
            "rate_low": ("Low (25%)", "rate"),
            "rate_high": ("High (75%)", "rate"),
        },
    ),
    hide_index=True,
    key="platform_table",
)
st.caption(
    f"Per-stream rates are shown for platforms with at least {sel.min_streams:,} streams "
    "(change this in the sidebar). Median month, low and high: each month's own rate, the "
    "middle one and the quartiles; a wide spread means the rate moved a lot from month to "
    "month."
)

left, right = st.columns(2)
height = charts.pair_height(len(table))  # side by side: the two charts end together
with left:
    views.chart(charts.platform_rates_bar(table, sel.currency, height=height), key="platform_rates")
with right:
    views.chart(charts.share_streams_vs_income(table, height=height), key="platform_shares")

by_month = data.platform_rates_by_month(engine, sel.filters, sel.currency)
views.chart(
    charts.rates_over_time(by_month, sel.currency, min_streams=state.MONTHLY_MIN_STREAMS),
    key="platform_rates_over_time",
)
st.caption(
    f"Months with fewer than {state.MONTHLY_MIN_STREAMS:,} streams on a platform are left "
    "out of the lines."
)

views.industry_section(table, sel)

st.subheader("Download")
views.downloads(engine, sel, key="platforms")
