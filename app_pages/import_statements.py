"""Import page: upload statements, check what was detected, import, see what happened per file;
remove the fictional sample once there is real data (or bring it back)."""

import streamlit as st

from royalty import sample
from royalty.formatting import markdown_text
from royalty.importers import ImportOptions, known_layouts
from royalty.ingest import import_bytes, preview, with_saved_layouts
from royalty.ingest.reader import Source
from royalty.months import parse_period
from royalty.settings import MAX_UPLOAD_MB
from royalty.ui import data, mapping, state, views

# what the browser lets through (server.maxUploadSize, in MiB), checked again on import
MAX_BYTES = MAX_UPLOAD_MB * 1024 * 1024
FROM_FILE = "As the file says"

engine = state.engine()

st.title("Import statements")
st.write(
    "Upload the statements your distributor sends you. Nothing is stored until you press "
    "**Import**; importing the same file twice adds nothing."
)
with st.expander("The layouts this app knows"):  # a long list: a phone's whole screen
    st.caption(f"{known_layouts()}. A file in any other layout is mapped once, below.")

if data.has_data(engine) and data.is_sample_only(engine):
    st.caption(
        "The database holds the fictional sample now. Your statements are added next to it: "
        "pick your artist in the sidebar's Artist filter, or remove the sample at the foot of "
        "this page, to see only your own figures."
    )

files = st.file_uploader(
    "Statement files",
    type=["xlsx", "csv", "tsv", "txt", "zip"],
    accept_multiple_files=True,
    key="uploads",
    help=f"Up to {MAX_UPLOAD_MB} MB per file. Larger files: `royalty import FILE` in a terminal.",
)

with st.expander("What the files don't say (optional)"):
    st.caption(
        "Needed only for some files: summaries without a month per row, files without an "
        "artist or currency column. Values the file gives always win."
    )
    c1, c2, c3 = st.columns(3)
    artist = c1.text_input("Artist", key="import_artist", placeholder="e.g. The Night Owls")
    period_text = c2.text_input(
        "Period covered", key="import_period", placeholder="2024-07..2025-06 or 2024"
    )
    currency_choice = c3.selectbox(
        "Currency", [FROM_FILE, *state.COMMON_CURRENCIES], key="import_currency"
    )

period = None
options_ok = True
if period_text.strip():
    try:
        period = parse_period(period_text)
    except ValueError as exc:
        st.error(f"Period: {markdown_text(exc)}")
        options_ok = False
options = ImportOptions(
    artist=artist.strip() or None,
    period=period,
    currency=None if currency_choice == FROM_FILE else currency_choice,
)

layout_notice = st.session_state.pop("layout_notice", None)
if layout_notice:
    ok, text = layout_notice
    (st.success if ok else st.error)(markdown_text(text), icon=":material/info:")

if files:
    uploads = tuple(u.file_id for u in files)
    if st.session_state.get("imported_uploads") == uploads:  # said once: in the result below
        st.caption("These files are imported: see the result below. Add files to import more.")
    else:
        st.subheader("Preview")
        cache = st.session_state.setdefault("import_previews", {})
        known = with_saved_layouts(engine, options)  # saved column mappings detect like built-ins
        ready = 0
        for upload in files:
            key = (upload.file_id, options)
            if key not in cache:
                cache[key] = preview(Source.from_bytes(upload.name, upload.getvalue()), known)
            shown = cache[key]
            if shown.unknown:
                mapping.mapping_form(engine, upload, options)
                continue
            if shown.error:
                st.warning(views.file_message(upload.name, shown.error))
                continue
            ready += 1
            with st.expander(
                f"{markdown_text(upload.name)} — {markdown_text(shown.layout)}",
                expanded=len(files) == 1,
            ):
                st.dataframe(shown.rows, hide_index=True)
        if ready < len(files):
            st.caption(
                f"{ready} of {len(files)} files can be imported as they are; "
                + (
                    "the others would be refused for the reasons above."
                    if ready
                    else "fix or map the files above first."
                )
            )
        if st.button(
            f"Import {len(files)} file{'s' if len(files) != 1 else ''}",
            type="primary",
            key="import_button",
            disabled=not options_ok or not ready,
        ):
            bar = st.progress(0.0, text="Starting…")
            results = []
            for i, upload in enumerate(files):

                def report(name: str, rows: int, expected: int | None, i: int = i) -> None:
                    done = min(rows / expected, 0.99) if expected else 0.0
                    about = f" of about {expected:,}" if expected else ""
                    bar.progress(
                        (i + done) / len(files),
                        text=f"{markdown_text(name)}: {rows:,}{about} rows read",
                    )

                def say(text: str, i: int = i) -> None:  # e.g. waiting for another import
                    bar.progress(i / len(files), text=markdown_text(text))

                bar.progress(i / len(files), text=f"{markdown_text(upload.name)}: reading…")
                results.append(
                    import_bytes(
                        engine,
                        upload.name,
                        upload.getvalue(),
                        options,
                        max_bytes=MAX_BYTES,
                        progress=report,
                        status=say,
                    )
                )
            bar.progress(1.0, text="Done")
            st.session_state["import_results"] = results
            st.session_state["imported_uploads"] = uploads
            cache.clear()
            st.rerun()  # the previews' messages give way to the result's

results = st.session_state.get("import_results")
if results:
    st.subheader("Result")
    table = views.results_table(results)
    counts = st.column_config.NumberColumn(format="localized")  # 200,000 rather than 200000
    st.dataframe(
        table,
        hide_index=True,
        key="import_result_table",
        column_config={
            "File": st.column_config.TextColumn(width=views.NAME_PX, pinned=True),
            "Rows": counts,
            "Stored": counts,
            "Skipped": st.column_config.NumberColumn(
                format="localized", help="Lines already stored from an earlier statement"
            ),
            "Dropped": st.column_config.NumberColumn(
                format="localized",
                help="Rows that are not lines: transfers, total rows, empty rows",
            ),
        },
    )
    imported = [r for r in results if r.status == "imported"]
    for r in results:
        if r.status == "error":
            st.error(markdown_text(r.message), icon=":material/error:")
        elif r.status == "duplicate":
            st.info(markdown_text(r.message), icon=":material/content_copy:")
    if imported:
        lines = sum(r.stored for r in imported)
        st.success(
            f"Imported {len(imported)} file{'s' if len(imported) != 1 else ''}, "
            f"{lines:,} lines. The other pages now include them.",
            icon=":material/check_circle:",
        )
        st.page_link("app_pages/overview.py", label="See the overview", icon=":material/dashboard:")
elif not files:
    st.info("Choose one or more statement files above (or drop them on the box).")

mapping.saved_layouts(engine)


# --- the fictional sample: remove it (after a confirmation) or load it again -----------------------


def remove_sample() -> None:
    """Button callback: runs before the rerun, so every page already sees the data without it."""
    removed = sample.remove_sample_data(engine)
    st.session_state["sample_remove_confirm"] = False
    state.reset_filters()  # currency, period and artist chosen for the sample's figures
    st.session_state["sample_notice"] = (
        True,
        f"Removed the sample data ({removed} statement{'s' if removed != 1 else ''}). "
        "It will not come back on the next start.",
    )


notice = st.session_state.pop("sample_notice", None)
if notice:
    ok, text = notice
    if ok:
        st.success(text, icon=":material/check_circle:")
    else:
        st.error(text, icon=":material/error:")
if data.has_sample_data(engine):
    with st.container(border=True, key="sample_box"):
        st.markdown(
            "**Sample data.** The fictional statements loaded on the first run are still here "
            "and count in *All artists*. Remove them to see only your own figures."
        )
        confirmed = st.checkbox(
            "Yes, delete the sample's statements, artists and tracks", key="sample_remove_confirm"
        )
        st.button(
            "Remove the sample data",
            key="sample_remove_button",
            icon=":material/delete:",
            disabled=not confirmed,
            on_click=remove_sample,
        )
elif sample.sample_files():
    st.caption(
        "The fictional sample statements are not loaded. Load them to try the dashboard out; "
        "they can be removed again here."
    )
    if st.button(
        "Load the sample data", key="sample_load_button", type="tertiary", icon=":material/add:"
    ):
        with st.spinner("Loading the sample statements (fictional artists)…"):
            loaded = sample.load_sample_data(engine)
        state.reset_filters()
        failed = [r.message for r in loaded if r.status == "error"]
        st.session_state["sample_notice"] = (
            (True, "Loaded the sample data.")
            if not failed
            else (False, "The sample did not load: " + "; ".join(map(markdown_text, failed)))
        )
        st.rerun()
