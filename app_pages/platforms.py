"""Platforms page: who paid what per stream, how steady that was, and against published averages."""

import streamlit as st

from royalty import charts, ui_state, ui_views

engine = ui_state.engine()
st.title("Platforms")
ui_state.require_data(engine, "app_pages/import_statements.py")
sel = ui_state.current()
ui_views.caption(sel)

table = ui_state.analysis("platform_table", engine, sel, min_streams=sel.min_streams)
if table.empty:
    ui_state.no_rows()
    st.stop()

ui_views.show(
    ui_views.display_table(
        table,
        sel.currency,
        {
            "platform": ("Platform", "text"),
            "streams": ("Streams", "count"),
            "income": ("Income", "money"),
            "share_of_streams": ("Share of streams", "percent"),
            "share_of_income": ("Share of income", "percent"),
            "income_per_stream": ("Per stream", "rate"),
            "median_monthly_rate": ("Monthly median", "rate"),
            "rate_low": ("Monthly low (25%)", "rate"),
            "rate_high": ("Monthly high (75%)", "rate"),
        },
    ),
    hide_index=True,
    key="platform_table",
)
st.caption(
    f"Per-stream rates are shown for platforms with at least {sel.min_streams:,} streams "
    "(change this in the sidebar). The monthly median and spread come from each month's own "
    "rate: a wide spread means the rate moved a lot from month to month."
)

left, right = st.columns(2)
with left:
    ui_views.chart(charts.platform_rates_bar(table, sel.currency), key="platform_rates")
with right:
    ui_views.chart(charts.share_streams_vs_income(table), key="platform_shares")

by_month = ui_state.analysis("platform_rates_by_month", engine, sel)
ui_views.chart(
    charts.rates_over_time(by_month, sel.currency, min_streams=ui_state.MONTHLY_MIN_STREAMS),
    key="platform_rates_over_time",
)
st.caption(
    f"Months with fewer than {ui_state.MONTHLY_MIN_STREAMS:,} streams on a platform are left "
    "out of the lines."
)

ui_views.industry_section(table, sel)

st.subheader("Download")
ui_views.downloads(engine, sel, key="platforms")
