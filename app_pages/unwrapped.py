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

# The deal and split controls sit beside their results, further down; the summary needs
# their values before they are drawn, so it reads them from the session (the widgets' own
# defaults on the first run).
ROYALTY, MEMBERS, SHARES = 20, 4, "40, 30, 30"
royalty_pct = int(st.session_state.get("unwrapped_royalty", ROYALTY))
split_mode = st.session_state.get("unwrapped_split_mode", "Equal shares")
member_names = unwrapped_view.parse_names(st.session_state.get("unwrapped_names", ""))
shares, problem = None, None
if split_mode == "Equal shares":
    members = int(st.session_state.get("unwrapped_members", MEMBERS))
else:
    shares, problem = unwrapped_view.parse_shares(st.session_state.get("unwrapped_shares", SHARES))
    members = len(shares) if shares else 1

summary = data.unwrapped(
    engine, sel.filters, sel.currency,
    label_royalty=Decimal(royalty_pct) / 100, members=members,
    shares=tuple(shares) if shares else None, min_streams=sel.min_streams,
    member_names=tuple(member_names[:members]) or None,
)  # fmt: skip
if not summary.total_income and not summary.total_streams:
    state.no_rows()
    st.stop()

who = formatting.names_text([markdown_text(a) for a in [summary.artist] if a]) or (
    formatting.names_text([markdown_text(a) for a in data.artists(engine)]) or "All artists"
)
st.header(f"{who} · {formatting.period_words(summary.period)}")

c1, c2, c3, c4 = st.columns(4)
change = unwrapped_view.previous_change(summary)
c1.metric("Income", formatting.money(summary.total_income, cur), delta=change, border=True)
c2.metric("Streams", formatting.count(summary.total_streams), border=True)
c3.metric("Average per stream", formatting.rate(summary.income_per_stream, cur), border=True)
c4.metric(
    f"Streams to earn {formatting.one_unit(cur)}",
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
    st.slider(
        "Label royalty rate", min_value=0, max_value=100, value=ROYALTY, step=1, format="%d%%",
        key="unwrapped_royalty",
        help="A traditional label deal pays the artist this share of what the label receives.",
    )  # fmt: skip
    st.write(unwrapped_view.label_deal_sentence(summary))
    last = summary.period_months[1] if summary.period_months else None
    for terms in split_view.stored_deals(engine, summary.artist) if summary.artist else []:
        if last is None or terms.from_month <= last:
            st.write(unwrapped_view.deal_sentence(split_view.deal_account(engine, terms, last)))
with l2:
    st.radio(
        "Split between members", ["Equal shares", "Custom shares"], horizontal=True,
        key="unwrapped_split_mode",
    )  # fmt: skip
    a, b = st.columns([1, 2])
    if split_mode == "Equal shares":
        a.number_input("Members", min_value=1, max_value=50, value=MEMBERS, key="unwrapped_members")
    else:
        a.text_input(
            "Shares", value=SHARES, key="unwrapped_shares",
            help="One number per member: percentages (40, 30, 30) or parts (2, 1, 1).",
        )  # fmt: skip
    b.text_input(
        "Names (optional)", key="unwrapped_names", placeholder="e.g. Ana, Ben, Cleo, Dev",
        help="Comma separated, in the order of the shares; members without a name are numbered.",
    )  # fmt: skip
    if problem:  # beside the table it would have changed, instead of a table that is wrong
        st.error(problem)
    else:
        unwrapped_view.members_table(summary)
        if len(member_names) > members:
            extra = formatting.plural(len(member_names) - members, "name")
            st.caption(f"{extra} more than members, left out.")

views.fx_caption(summary.fx)
with st.expander("Where these numbers come from"):
    for source in summary.sources:
        st.write(f"- {markdown_text(source)}")
    st.caption(f"Fingerprint {summary.fingerprint}: the same statements give the same code.")

st.subheader("Share it")
views.downloads(engine, sel, key="unwrapped")
