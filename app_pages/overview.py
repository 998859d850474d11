"""Overview page: how much, from how many streams, and how it moved month by month."""

import streamlit as st

from royalty import charts, formatting
from royalty.ui import data, state, views

engine = state.engine()
st.title("Overview")
state.require_data(engine)
sel = state.current()
views.caption(sel)

ov = data.overview(engine, sel.filters, sel.currency)
if not ov.total_income and not ov.total_streams:
    state.no_rows()
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric("Total income", formatting.money(ov.total_income, sel.currency), border=True)
c2.metric("Streams", formatting.count(ov.total_streams), border=True)
c3.metric(
    "Average per stream",
    formatting.rate(ov.income_per_stream, sel.currency),
    help="Streaming income divided by streams (downloads and video are not streams).",
    border=True,
)
c4.metric(
    "Per 1,000 streams",
    formatting.money(ov.income_per_1000, sel.currency) if ov.income_per_1000 is not None else "—",
    border=True,
)

views.chart(charts.monthly_trend(ov, sel.currency), key="overview_trend")
left, right = st.columns([3, 2])
with left:
    views.chart(charts.income_by_kind(ov, sel.currency), key="overview_kinds")
with right:
    st.write("")
    kinds = ov.by_kind.assign(  # each kind in its own unit: streams, items sold, views
        counted=[
            formatting.quantity(int(q or 0), str(k))
            for q, k in zip(ov.by_kind["quantity"], ov.by_kind["kind"], strict=True)
        ]
    )
    views.show(
        views.display_table(
            kinds,
            sel.currency,
            {
                "kind": ("Kind", "label"),
                "income": ("Income", "money"),
                "counted": ("How many", "figure"),
            },
        ),
        hide_index=True,
    )
views.fx_caption(ov.fx)
