"""The Tracks page's merged titles: which titles it counts as one track, and splitting a wrong
match apart (or matching it again) from the browser.

A merge a person cannot see is a figure they cannot trust, so every title counted into a
track is listed with who reported it and why it was matched; the split is kept in the
database (``royalty.store.track_links``), so importing the statements again keeps it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from royalty import analytics
from royalty.formatting import markdown_text
from royalty.store import track_links
from royalty.store.db import DatabaseBusy
from royalty.ui import data, views

HOW = {"isrc": "same ISRC", "iswc": "same work (ISWC)", "title": "same artist and title"}
NOTICE = "tracks_notice"
"""Session key of the last split's outcome: (ok, Markdown with statement text escaped)."""
BUSY = "An import is writing to the database; nothing was changed. Try again soon."


def also_as(tracks: pd.DataFrame, merged: list[analytics.MergedTrack]) -> pd.DataFrame:
    """``tracks`` with ``also_as``: the other titles each track was counted from."""
    others = {m.track_id: " · ".join(_named(t) for t in m.titles[1:]) for m in merged}
    out = tracks.copy()
    out["also_as"] = [others.get(int(i), "") for i in out["track_id"]]
    return out


def _named(t: analytics.TrackTitle) -> str:
    """ "tin roof psalm (Bandcamp, no ISRC)"."""
    said = [", ".join(t.sources)] if t.sources else []
    if not t.isrc:
        said.append("no ISRC")
    return f"{t.title} ({'; '.join(said)})" if said else t.title


def _decided(change, engine: Engine, track_id: int, done: str) -> None:  # type: ignore[no-untyped-def]
    """Button callback: runs before the rerun, so the page already shows the decision; the
    notice says ``done``, or why nothing changed."""
    try:
        change(engine, track_id, limit=30)
    except track_links.TrackNotFound as exc:
        st.session_state[NOTICE] = (False, markdown_text(str(exc)))
    except DatabaseBusy:
        st.session_state[NOTICE] = (False, BUSY)
    else:
        st.session_state[NOTICE] = (True, done)


def _split(engine: Engine, track_id: int, label: str) -> None:
    _decided(
        track_links.split,
        engine,
        track_id,
        f"{markdown_text(label)} is a track of its own now, and stays one when its statements "
        "are imported again. *Kept apart by you* below undoes it.",
    )


def _unsplit(engine: Engine, track_id: int, label: str) -> None:
    _decided(
        track_links.unsplit,
        engine,
        track_id,
        f"{markdown_text(label)} is matched by the rule again.",
    )


def merged_section(engine: Engine, artist: str | None) -> None:
    """Every title counted into another track, why, and the split and its undo."""
    st.subheader("Titles counted as one track")
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        ok, text = notice
        (st.success if ok else st.error)(text, icon=":material/info:")
    merged = data.merged_tracks(engine, artist)
    if not merged:
        st.caption("Every track here was reported under one title.")
    else:
        st.write(
            "Distributors spell titles differently, and Bandcamp gives no ISRC. A title is "
            "counted into a track when it has the track's ISRC, or, without an ISRC, the same "
            "artist and the same title apart from case, accents, punctuation and a featuring "
            "credit. Another mix, edit or version is never merged, nor a title two recordings "
            "share."
        )
        rows = pd.DataFrame(
            [
                {"track": m.title, "title": t.title, "isrc": t.isrc or "none",
                 "sources": ", ".join(t.sources), "how": HOW.get(t.matched_by or "", "")}
                for m in merged
                for t in m.titles[1:]
            ]
        )  # fmt: skip
        views.show(
            views.display_table(
                rows,
                "",
                {
                    "track": ("Track", "text"),
                    "title": ("Also reported as", "text"),
                    "isrc": ("ISRC", "text"),
                    "sources": ("Reported by", "text"),
                    "how": ("Matched by", "text"),
                },
            ),
            key="tracks_merged",
        )
        choices = {t.track_id: f"{_named(t)} in “{m.title}”" for m in merged for t in m.titles[1:]}
        with st.container(border=True, key="tracks_split_box"):
            chosen = st.selectbox(
                "A wrong match? Choose the title that is another recording",
                list(choices),
                format_func=choices.__getitem__,
                key="tracks_split_choice",
            )
            st.button(
                "Split it off",
                key="tracks_split",
                on_click=_split,
                args=(engine, chosen, choices.get(chosen, "")),
                icon=":material/call_split:",
            )
    kept = [k for k in data.kept_apart(engine, artist) if k.track_id is not None]
    if kept:
        with st.expander(f"Kept apart by you ({len(kept)})"):
            labels = {
                k.track_id: f"{k.title} ({k.isrc or 'no ISRC'}), split {k.split_at[:10]}"
                for k in kept
            }
            chosen = st.selectbox(
                "Split title", list(labels), format_func=labels.__getitem__,
                key="tracks_unsplit_choice",
            )  # fmt: skip
            st.button(
                "Match it again",
                key="tracks_unsplit",
                on_click=_unsplit,
                args=(engine, chosen, labels.get(chosen, "")),
            )
