"""Statements page: every imported file with its counts and totals, one file's reconciliation
receipt, and removing files (after a confirmation) with everything only they added."""

import streamlit as st

from royalty.formatting import markdown_text
from royalty.store.db import DatabaseBusy
from royalty.store.statements import UnknownStatements, remove_statements
from royalty.ui import data, state, views

engine = state.engine()
st.title("Statements")
st.caption(
    "Every file imported, newest first. Select rows to see a file's receipt (its own totals "
    "against what is stored, to the last digit) or to remove files."
)

listed = data.statement_list(engine)
if not listed:
    state.require_data(engine)  # the friendly "No data yet" and a link to Import
    st.stop()
state.sample_banner(engine)

table = views.statements_table(listed)
picked = st.dataframe(
    table,
    hide_index=True,
    key="statements_table",
    on_select="rerun",
    selection_mode="multi-row",
    column_config=views.STATEMENT_COLUMNS,
)
chosen = [listed[i] for i in picked.selection.rows] if picked and picked.selection else []


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

if len(chosen) == 1:
    found = data.receipt(engine, chosen[0].id, lines=20)
    if found is not None:
        views.receipt(found)

if chosen:
    with st.container(border=True, key="statements_remove_box"):
        names = ", ".join(markdown_text(s.file) for s in chosen[:5])
        more = f" and {len(chosen) - 5} more" if len(chosen) > 5 else ""
        lines = sum(s.stored for s in chosen)
        st.markdown(
            f"**Remove {len(chosen)} statement{'s' if len(chosen) != 1 else ''}** "
            f"({names}{more}): {lines:,} stored lines, and the artists, tracks and releases "
            "only they name. The same files can be imported again later."
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
