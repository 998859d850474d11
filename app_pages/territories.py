"""Territories page: where the listening and the money came from."""

import streamlit as st

from royalty import charts
from royalty.formatting import markdown_text
from royalty.ui import data, state, views

engine = state.engine()
st.title("Territories")
state.require_data(engine)
sel = state.current()
views.caption(sel)

places = data.top_territories(engine, sel.filters, sel.currency, limit=None)
if places.empty:
    state.no_rows()
    st.stop()

views.chart(charts.world_map(places, sel.currency), key="territories_map")
unmapped = places[places["iso3"].isna() | (places["iso3"].astype(str) == "")]
if not unmapped.empty:
    st.caption(
        "Not on the map (statements name a region, not a country): "
        + ", ".join(markdown_text(n) for n in unmapped["name"])
    )
st.subheader("Top countries")
views.show(
    views.display_table(
        places.head(25),
        sel.currency,
        {
            "name": ("Country", "text"),
            **views.RANKED,
            "territory": ("Code", "text"),
        },
    ),
    hide_index=True,
    key="territories_table",
)
