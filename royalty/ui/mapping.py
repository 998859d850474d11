"""The Import page's column mapping: for a file in no known layout, a choice among its headers
for each field (pre-filled by a guess from the header's words), a preview of the normalized
rows and the file's exact total, then "save as layout"; and the saved layouts themselves
(download as a small text file, add one from such a file, delete)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from royalty.errors import StatementError
from royalty.formatting import markdown_text
from royalty.importers.base import ImportOptions
from royalty.importers.disclosure import currency_in
from royalty.importers.mapped import FIELDS, LABELS, guess_mapping, mapped_layout, mapping_problems
from royalty.ingest import preview
from royalty.ingest.mapping import UNNAMED, raw_table
from royalty.ingest.reader import Source
from royalty.store import layouts
from royalty.ui.state import COMMON_CURRENCIES

NOT_MAPPED = "(not in this file)"


def mapping_form(engine: Engine, upload: Any, options: ImportOptions) -> None:
    """The mapping form for one uploaded file in no known layout."""
    source = Source.from_bytes(upload.name, upload.getvalue())
    try:
        header = raw_table(source).header
    except StatementError as exc:
        st.warning(markdown_text(str(exc)), icon=":material/warning:")
        return
    key = f"map_{upload.file_id}"
    guess = guess_mapping(header)
    with st.container(border=True, key=f"{key}_box"):
        st.markdown(
            f"**{markdown_text(upload.name)}** is in no layout this app knows. Say once which "
            "column holds what (the choices are guessed from the column names: check them), "
            "look at the preview, and save the mapping: files with the same columns then "
            "import by themselves."
        )
        fields: dict[str, str] = {}
        for i, fld in enumerate(FIELDS):
            if i % 3 == 0:  # a row of three each time: on a phone they stack in FIELDS' order
                columns = st.columns(3)
            choices = [NOT_MAPPED, *header]
            index = choices.index(guess[fld]) if fld in guess else 0
            picked = columns[i % 3].selectbox(
                LABELS[fld] + (" *" if fld in ("usage_month", "amount") else ""),
                choices,
                index=index,
                key=f"{key}_{fld}",
            )
            if picked != NOT_MAPPED:
                fields[fld] = picked
        currency = None
        if "currency" not in fields:
            suggested = options.currency or currency_in(fields.get("amount", "")) or "EUR"
            listed = list(dict.fromkeys([suggested, *COMMON_CURRENCIES]))
            currency = st.selectbox(
                "Currency of every line (the file has no currency column)",
                listed,
                key=f"{key}_fixed_currency",
            )
        problems = mapping_problems(header, fields)
        if problems:  # one warning per file, every problem in it
            st.warning(
                markdown_text(f"{upload.name}: to import it, " + "; ".join(problems)),
                icon=":material/warning:",
            )
            return
        layout = mapped_layout(UNNAMED, header, fields, currency)
        checked = _preview(upload, source, replace(options, layouts=(layout,)), fields, currency)
        if checked.error:
            st.error(markdown_text(checked.error), icon=":material/error:")
            return
        st.dataframe(checked.rows, hide_index=True, key=f"{key}_preview")
        money = ", ".join(f"{v} {c}" for c, v in (checked.totals or {}).items())
        st.markdown(
            f"The whole file: **{checked.lines or 0:,} lines, {markdown_text(money)}** "
            "(exact, as the import will store it)."
        )
        name = st.text_input(
            "Save as layout", key=f"{key}_name", placeholder="e.g. Cargo digital statement"
        )
        st.button(
            "Save the layout",
            key=f"{key}_save",
            icon=":material/save:",
            type="primary",
            disabled=not name.strip(),
            on_click=_save,
            args=(engine, name, header, fields, currency),
        )


def _preview(upload: Any, source: Source, options: ImportOptions, fields: dict, currency):  # type: ignore[no-untyped-def]
    """The mapped file read whole once per choice of columns (reruns reuse it)."""
    cache = st.session_state.setdefault("mapping_previews", {})
    key = (upload.file_id, tuple(sorted(fields.items())), currency, options.artist)
    if key not in cache:
        cache[key] = preview(source, options, whole=True)
    return cache[key]


def _save(engine: Engine, name: str, header: list[str], fields: dict, currency) -> None:  # type: ignore[no-untyped-def]
    try:
        layouts.save(engine, name, header, fields, currency)
    except layouts.LayoutError as exc:
        st.session_state["layout_notice"] = (False, str(exc))
        return
    st.session_state.pop("import_previews", None)  # the file is now in a known layout
    st.session_state["layout_notice"] = (
        True,
        f"Saved the layout {name.strip()!r}: the file is now recognized; press Import.",
    )


def saved_layouts(engine: Engine) -> None:
    """The saved layouts: download one as a text file, add one from such a file, delete."""
    found = layouts.saved(engine)
    with st.expander(f"Saved column mappings ({len(found)})"):
        if not found:
            st.caption("None yet. A file in no known layout offers to map its columns.")
        for s in found:
            c1, c2, c3 = st.columns([3, 1, 1])
            mapped = ", ".join(f"{f} = {c}" for f, c in s.fields.items())
            c1.markdown(f"**{markdown_text(s.name)}**: {markdown_text(mapped)}")
            c2.download_button(
                "Download",
                layouts.to_toml(s),
                file_name=f"{s.name}.toml",
                key=f"layout_download_{s.name}",
                icon=":material/download:",
            )
            c3.button(
                "Delete",
                key=f"layout_delete_{s.name}",
                icon=":material/delete:",
                on_click=_delete,
                args=(engine, s.name),
            )
        given = st.file_uploader(
            "Add a layout someone gave you (.toml)", type=["toml"], key="layout_upload"
        )
        if given is not None:
            try:
                found_layout = layouts.from_toml(given.getvalue().decode("utf-8"))
            except (layouts.LayoutError, UnicodeDecodeError) as exc:
                st.error(markdown_text(f"{given.name}: {exc}"), icon=":material/error:")
            else:
                st.button(
                    f"Add {found_layout.name!r}",
                    key="layout_add",
                    on_click=_save,
                    args=(
                        engine,
                        found_layout.name,
                        found_layout.header,
                        found_layout.fields,
                        found_layout.currency,
                    ),
                )


def _delete(engine: Engine, name: str) -> None:
    layouts.remove(engine, name)
    st.session_state.pop("import_previews", None)
    st.session_state["layout_notice"] = (True, f"Deleted the layout {name!r}.")
