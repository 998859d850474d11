"""Statements page: every imported file with its counts and totals, one file's reconciliation
receipt, and removing files (after a confirmation) with everything only they added; which
months each source reported and how late; where money went (lines that earned nothing)."""

import streamlit as st

from royalty.analytics.aggregate import Filters
from royalty.formatting import markdown_text
from royalty.store.db import DatabaseBusy
from royalty.store.statements import UnknownStatements, remove_statements
from royalty.ui import control, data, state

engine = state.engine()
st.title("Statements")

listed = data.statement_list(engine)
if not listed:
    state.require_data(engine)  # the friendly "No data yet" and a link to Import
    st.stop()
state.sample_banner(engine)


def remove(ids: list[int]) -> None:
    """Button callback: runs before the rerun, so every page already sees the data without it."""
    try:
        removed = remove_statements(engine, ids, limit=30)
    except (UnknownStatements, DatabaseBusy) as exc:
        busy = "An import is writing to the database; nothing was removed. Try again soon."
        message = str(exc) if isinstance(exc, UnknownStatements) else busy
        st.session_state["statements_notice"] = (False, message)
        return
    st.session_state["statements_confirm"] = False
    st.session_state.pop("statements_table", None)
    state.reset_filters()
    them = "it" if len(removed) == 1 else "them"
    st.session_state["statements_notice"] = (
        True,
        f"Removed {len(removed)} statement{'s' if len(removed) != 1 else ''}; every page now "
        f"counts without {them}.",
    )


notice = st.session_state.pop("statements_notice", None)
if notice:
    ok, text = notice
    (st.success if ok else st.error)(markdown_text(text), icon=":material/info:")

files_tab, coverage_tab, money_tab = st.tabs(["Files", "Coverage and lag", "Where money went"])

with files_tab:
    st.caption(
        "Every file imported, newest first. Select a row to see its receipt (the file's own "
        "totals against what is stored, to the last digit); select rows to remove files."
    )
    picked = st.dataframe(
        control.statements_table(listed),
        hide_index=True,
        key="statements_table",
        on_select="rerun",
        selection_mode="multi-row",
        column_config=control.STATEMENT_COLUMNS,
    )
    chosen = [listed[i] for i in picked.selection.rows] if picked and picked.selection else []
    if len(chosen) == 1:
        found = data.receipt(engine, chosen[0].id, lines=20)
        if found is not None:
            control.receipt(found)
    if chosen:
        with st.container(border=True, key="statements_remove_box"):
            names = ", ".join(markdown_text(s.file) for s in chosen[:5])
            more = f" and {len(chosen) - 5} more" if len(chosen) > 5 else ""
            lines = sum(s.stored for s in chosen)
            st.markdown(
                f"**Remove {len(chosen)} statement{'s' if len(chosen) != 1 else ''}** "
                f"({names}{more}): {lines:,} stored lines, and the artists, tracks and "
                "releases only they name. The same files can be imported again later."
            )
            confirmed = st.checkbox("Yes, remove them", key="statements_confirm")
            st.button(
                "Remove",
                key="statements_remove_button",
                icon=":material/delete:",
                disabled=not confirmed,
                on_click=remove,
                args=([s.id for s in chosen],),
            )

with coverage_tab:
    artists = data.artists(engine)
    artist = None
    if len(artists) > 1:
        artist = st.selectbox("Artist", ["All artists", *artists], key="coverage_artist")
    artist = None if artist in (None, "All artists") else artist
    found_coverage = data.coverage(engine, artist)
    control.coverage(found_coverage)
    if found_coverage.unusual:
        month = st.selectbox(
            "Show the lines of an unusual month",
            [u.month for u in found_coverage.unusual],
            index=None,
            key="coverage_month",
            placeholder="Choose a month",
        )
        if month:
            number = int(month.replace("-", ""))
            month_lines = data.line_sample(
                engine, Filters(artist=artist, period=(number, number)), limit=200
            )
            st.dataframe(month_lines.fillna("").astype(str), hide_index=True, key="coverage_lines")

with money_tab:
    control.money_went(data.where_money_went(engine, Filters()))
