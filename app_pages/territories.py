"""Territories page: where the listening and the money came from."""

import streamlit as st

from royalty import charts, ui_state, ui_views
from royalty.formatting import markdown_text

engine = ui_state.engine()
st.title("Territories")
ui_state.require_data(engine, "app_pages/import_statements.py")
sel = ui_state.current()
ui_views.caption(sel)

places = ui_state.analysis("top_territories", engine, sel, limit=None)
if places.empty:
    ui_state.no_rows()
    st.stop()

ui_views.chart(charts.world_map(places, sel.currency), key="territories_map")
unmapped = places[places["iso3"].isna() | (places["iso3"].astype(str) == "")]
if not unmapped.empty:
    st.caption(
        "Not on the map (statements name a region, not a country): "
        + ", ".join(markdown_text(n) for n in unmapped["name"])
    )
st.subheader("Top countries")
ui_views.show(
    ui_views.display_table(
        places.head(25),
        sel.currency,
        {
            "name": ("Country", "text"),
            "territory": ("Code", "text"),
            "streams": ("Streams", "count"),
            "income": ("Income", "money"),
            "income_per_stream": ("Per stream", "rate"),
        },
    ),
    hide_index=True,
    key="territories_table",
)
