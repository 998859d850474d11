"""Splits page: who gets which share of which track (an editable split sheet, or a CSV), each
payee's statement for the period adding up to the cent, and a label deal's account."""

from dataclasses import replace

import streamlit as st

from royalty import formatting, shares
from royalty.formatting import markdown_text
from royalty.months import month_text
from royalty.store.splits import remove_deal, save_deal, save_splits
from royalty.ui import data, state, views
from royalty.ui import splits as view

engine = state.engine()
st.title("Splits")
state.require_data(engine)
sel = state.current()
views.caption(sel)

artists = data.artists(engine)
artist = sel.filters.artist
if artist is None:
    artist = (
        artists[0]
        if len(artists) == 1
        else st.selectbox("Artist", artists, key="splits_artist", help="Whose splits and deal")
    )
filters = replace(sel.filters, artist=artist)

notice = st.session_state.pop("splits_notice", None)
if notice:
    (st.success if notice[0] else st.error)(markdown_text(notice[1]), icon=":material/info:")

sheet_tab, statements_tab, deal_tab = st.tabs(["Split sheet", "Payee statements", "Deal"])

with sheet_tab:
    stored = view.stored_splits(engine, artist).get(artist, [])
    options = view.track_options(view.tracks(engine, artist=artist), stored)
    st.caption(
        "One row per payee and share: of a track, a release (all its tracks) or the whole "
        "catalogue (the default), from a usage month on. The shares of one track from one month "
        "must total 100%; a later month's rows replace the earlier ones from that month. Income "
        "no split covers stays the artist's."
    )
    edited = st.data_editor(
        view.editor_frame(stored, options),
        column_config=view.editor_config(options),
        num_rows="dynamic",
        height=view.editor_height(len(stored)),
        hide_index=True,
        key="splits_editor",
        width="stretch",
    )
    rows, problems = view.rows_from_editor(edited, options)
    view.show_problems(problems)
    if not problems and rows:
        st.caption(f"{len(rows)} shares; every track's shares total 100%.")

    def save() -> None:
        save_splits(engine, artist, rows, replace=True)
        st.session_state.pop("splits_editor", None)
        st.session_state["splits_notice"] = (True, f"Saved {len(rows)} shares for {artist}.")

    st.button(
        "Save the split sheet", key="splits_save", icon=":material/save:", on_click=save,
        disabled=bool(problems) or view.unchanged(rows, stored), type="primary",
    )  # fmt: skip
    st.download_button(
        "Download the split sheet (CSV)", data=shares.sheet_csv(stored).encode("utf-8"),
        file_name="split-sheet.csv", mime="text/csv", icon=":material/csv:", on_click="ignore",
        key="splits_sheet_download",
    )  # fmt: skip

    round_ = st.session_state.setdefault("splits_upload_round", 0)
    upload = st.file_uploader(
        "Import a split sheet (CSV: isrc,title,payee,share,from_month)", type=["csv"],
        key=f"splits_upload_{round_}",
        help="ISRC or title names the track; both empty: the whole catalogue. It replaces the "
        "tracks and months it names and keeps the rest.",
    )  # fmt: skip
    if upload is not None:
        try:
            sheet = shares.read_sheet(upload.getvalue())
        except (shares.SplitError, UnicodeDecodeError) as exc:
            found = exc.problems if isinstance(exc, shares.SplitError) else ["is not UTF-8 text"]
            st.error(f"{markdown_text(upload.name)}: nothing can be stored.")
            view.show_problems(found)
        else:

            def import_sheet() -> None:
                save_splits(engine, artist, sheet)
                st.session_state.pop("splits_editor", None)
                st.session_state["splits_upload_round"] = round_ + 1  # an empty uploader
                st.session_state["splits_notice"] = (
                    True, f"Imported {len(sheet)} shares from {upload.name}.",
                )  # fmt: skip

            st.button(
                f"Import {len(sheet)} shares", key="splits_import", icon=":material/upload:",
                on_click=import_sheet,
            )  # fmt: skip

with statements_tab:
    rates_only = st.toggle(
        "Rates only (leave out income, amounts and stream counts)", key="splits_rates_only"
    )
    found = view.payees(engine, filters, sel.currency)
    if not found.payees:
        state.no_rows()
    else:
        if not rates_only:
            c1, c2 = st.columns(2)
            c1.metric("Total", formatting.money(found.total, found.currency), border=True)
            c2.metric("Payees", len(found.payees), border=True)
        view.payees_table(found, rates_only=rates_only)
        names = [s.payee for s in found.payees]
        name = st.selectbox("Statement for", names, key="splits_payee")
        statement = found.payee(name) if name else None
        if statement is not None:
            st.subheader(f"Statement for {markdown_text(statement.payee)}")
            if not rates_only:
                st.markdown(
                    f"**{formatting.money(statement.amount, found.currency)}** of "
                    f"{formatting.money(found.total, found.currency)}, {found.period}."
                )
            view.lines_table(found, statement, rates_only=rates_only)
            view.statement_downloads(found, statement.payee, rates_only=rates_only)
        st.caption(found.rounding)
        views.fx_caption(
            found.fx if not rates_only else "Rates only: amounts converted are not shown."
        )

with deal_tab:
    kept = view.stored_deals(engine, artist)
    st.caption(
        "A label deal pays the artist a royalty rate on what the label receives, and keeps it "
        "until the advance and recoupable costs are paid back. Here the statements' income "
        "stands for what the label receives."
    )
    current = kept[0] if kept else None
    months = data.months(engine, artist)
    c1, c2, c3 = st.columns(3)
    rate = c1.text_input("Royalty rate", value="20%" if current is None else
                         shares.share_text(shares.parse_share(str(current.royalty_rate))),
                         key="deal_rate")  # fmt: skip
    advance = c2.text_input("Advance", value="0" if current is None else f"{current.advance:f}",
                            key="deal_advance")  # fmt: skip
    costs = c3.text_input("Recoupable costs", value="0" if current is None else
                          f"{current.costs:f}", key="deal_costs")  # fmt: skip
    c4, c5, c6 = st.columns(3)
    start = c4.text_input(
        "From (usage month)", key="deal_from",
        value=month_text(current.from_month if current else (months[0] if months else 0)),
    )  # fmt: skip
    currency = c5.text_input(
        "Currency", value=current.currency if current else sel.currency, key="deal_currency"
    )
    name = c6.text_input("Name", value=current.name if current else "Label deal", key="deal_name")
    try:
        terms = shares.deal(artist, rate, currency, start, advance=advance, costs=costs, name=name)
    except ValueError as exc:
        st.error(markdown_text(str(exc)))
        terms = None
    b1, b2 = st.columns(2)
    b1.button(
        "Save the deal", key="deal_save", icon=":material/save:", disabled=terms is None,
        on_click=lambda: save_deal(engine, terms) if terms else None,
    )  # fmt: skip
    if current is not None:
        b2.button(
            "Remove the deal", key="deal_remove", icon=":material/delete:",
            on_click=lambda: remove_deal(engine, artist, current.name),
        )  # fmt: skip
    if terms is not None:
        view.deal_summary(view.deal_account(engine, terms, None))
