"""Unwrapped page: the year in numbers a band can post, with what-ifs and a fair split."""

from decimal import Decimal

import streamlit as st

from royalty import formatting
from royalty.formatting import markdown_text
from royalty.ui import data, state, views
from royalty.ui import splits as split_view
from royalty.ui import unwrapped as unwrapped_view

engine = state.engine()
st.title("Unwrapped")
state.require_data(engine)
sel = state.current()
views.caption(sel)
cur = sel.currency

with st.expander("Label deal and band split", expanded=False):
    c1, c2 = st.columns(2)
    royalty_pct = c1.slider(
        "Label royalty rate (%)", min_value=0, max_value=100, value=20, step=1,
        key="unwrapped_royalty",
        help="A traditional label deal pays the artist this share of what the label receives.",
    )  # fmt: skip
    split_mode = c2.radio(
        "Split between members", ["Equal shares", "Custom shares"], horizontal=True,
        key="unwrapped_split_mode",
    )  # fmt: skip
    shares = None
    members = 1
    if split_mode == "Equal shares":
        members = int(
            c2.number_input("Members", min_value=1, max_value=50, value=4, key="unwrapped_members")
        )
    else:
        text = c2.text_input(
            "Shares, comma separated", value="40, 30, 30", key="unwrapped_shares",
            help="One number per member: percentages (40, 30, 30) or parts (2, 1, 1).",
        )  # fmt: skip
        shares, problem = unwrapped_view.parse_shares(text)
        if problem:
            st.error(problem)
            shares = None
        members = len(shares) if shares else 1

summary = data.unwrapped(
    engine, sel.filters, sel.currency,
    label_royalty=Decimal(royalty_pct) / 100, members=members,
    shares=tuple(shares) if shares else None, min_streams=sel.min_streams,
)  # fmt: skip
if not summary.total_income and not summary.total_streams:
    state.no_rows()
    st.stop()

who = markdown_text(summary.artist) if summary.artist else "All artists"
st.header(f"{who} · {summary.period}")

c1, c2, c3, c4 = st.columns(4)
change = unwrapped_view.previous_change(summary)
c1.metric("Income", formatting.money(summary.total_income, cur), delta=change, border=True)
c2.metric("Streams", formatting.count(summary.total_streams), border=True)
c3.metric("Average per stream", formatting.rate(summary.income_per_stream, cur), border=True)
c4.metric(
    f"Streams to earn {formatting.money(Decimal(1), cur)}",
    formatting.count(summary.streams_per_unit) if summary.streams_per_unit else "—",
    border=True,
)
if change is None:
    st.caption("Pick a year or a month range in the sidebar to compare with the period before.")

st.subheader("Per platform")
unwrapped_view.unwrapped_platforms(summary)

left, right = st.columns(2)
with left:
    st.markdown(unwrapped_view.highlights_markdown(summary))
with right:
    st.markdown("**What if**")
    names = [p.platform for p in summary.platforms if p.income_per_stream is not None]
    if len(names) >= 2:
        a, b = st.columns(2)
        src = a.selectbox("Streams from", names, index=0, key="whatif_from")
        dst = b.selectbox(
            "paid at the rate of", [n for n in names if n != src], index=0, key="whatif_to"
        )
        st.write(unwrapped_view.what_if_sentence(summary, src, dst))
    else:
        st.caption("Needs two platforms with enough streams for a rate.")

st.subheader("Label deal and split")
l1, l2 = st.columns(2)
with l1:
    st.write(unwrapped_view.label_deal_sentence(summary))
    last = summary.period_months[1] if summary.period_months else None
    for terms in split_view.stored_deals(engine, summary.artist) if summary.artist else []:
        if last is None or terms.from_month <= last:
            st.write(unwrapped_view.deal_sentence(split_view.deal_account(engine, terms, last)))
with l2:
    unwrapped_view.members_table(summary)

views.fx_caption(summary.fx)
with st.expander("Where these numbers come from"):
    for source in summary.sources:
        st.write(f"- {markdown_text(source)}")
    st.caption(f"Fingerprint {summary.fingerprint}: the same statements give the same code.")

st.subheader("Share it")
views.downloads(engine, sel, key="unwrapped")
