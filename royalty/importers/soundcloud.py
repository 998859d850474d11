"""SoundCloud (Repost / SoundCloud for Artists) statement, ``lifetime_statement_*.csv``.

Two preamble rows (``Account ID`` and the account's UUID) sit above the header; the reader finds
the header below them. ``Reporting Period`` is the month of use and ``Accounting Period`` the
month credited; ``Revenue (USD)`` is the artist's money. UPCs arrive in scientific notation
(``7.34168E+11``), their digits lost, so they count as missing and recordings match on ISRC.

``Type`` says the kind of use in many words (``Unknown Stream``, ``YouTube Music Ad Views``,
``Content ID - Sound Recording Sub Views``, ``Track Download``); ``prepare`` reduces it to one
kind. YouTube rows often leave artist and release empty; they are taken from another row of the
same file with the same ISRC (anywhere in the file: ``scan`` reads it once first), so the money
is not filed under an unknown artist.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from royalty.importers.base import FileFacts, Layout
from royalty.vocabulary import KINDS


def kind_of(type_text: str) -> str:
    """SoundCloud's ``Type`` -> one of ``KINDS`` ("" lets the partner decide)."""
    t = type_text.strip().lower()
    if "download" in t:
        return "download"
    if "content id" in t or t.endswith("views"):
        return "video"
    if "stream" in t:
        return "stream"
    return ""


FILLED = ("artist", "release")
"""Fields a row without them takes from another row with the same ISRC."""


def _named_by_isrc(chunks: Iterable[pd.DataFrame], facts: FileFacts) -> dict[str, object]:
    """ISRC -> the first artist and release any row of the whole file gives it."""
    mapping = facts.mapping
    known: dict[str, dict[str, str]] = {fld: {} for fld in FILLED}
    isrc_column = mapping.get("isrc")
    for chunk in chunks:
        if isrc_column is None:
            break
        isrc = chunk[isrc_column].fillna("").astype(str).str.strip()
        for fld in FILLED:
            if fld not in mapping:
                continue
            values = chunk[mapping[fld]].fillna("").astype(str)
            named = (values.str.strip() != "") & (isrc != "")
            firsts = pd.DataFrame({"isrc": isrc[named], fld: values[named]}).drop_duplicates("isrc")
            for key, value in zip(firsts["isrc"], firsts[fld], strict=True):
                known[fld].setdefault(key, value)
    return {"known": known}


def _fill_from_same_isrc(data: pd.DataFrame, fld: str, known: dict[str, str] | None) -> None:
    if fld not in data.columns or "isrc" not in data.columns:
        return
    if known is None:  # this chunk alone (a preview)
        named = data.loc[data[fld].str.strip() != "", ["isrc", fld]]
        named = named[named["isrc"].str.strip() != ""].drop_duplicates("isrc")
        known = dict(zip(named["isrc"], named[fld], strict=True))
    empty = data[fld].str.strip() == ""
    data.loc[empty, fld] = data.loc[empty, "isrc"].str.strip().map(known).fillna("")


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    known: dict[str, dict[str, str]] | None = facts.scanned.get("known")  # type: ignore[assignment]
    if "kind" in data.columns:
        codes, uniques = pd.factorize(data["kind"], sort=False)
        data["kind"] = np.array([kind_of(u) for u in uniques], dtype=object)[codes]
    for fld in FILLED:
        _fill_from_same_isrc(data, fld, known[fld] if known else None)
    return data


LAYOUT = Layout(
    name="soundcloud",
    source="SoundCloud",
    title="SoundCloud statement (lifetime_statement CSV)",
    signature=("Reporting Period", "Accounting Period", "Revenue (USD)", "Split Pay Share (%)"),
    columns={
        "usage_month": "Reporting Period",
        "reporting_month": "Accounting Period",
        "artist": "Artist(s)",
        "release": "Release",
        "title": "Track",
        "upc": "UPC",
        "isrc": "ISRC",
        "store": "Partner",
        "territory": "Country",
        "kind": "Type",
        "quantity": "Units",
        "amount": "Revenue (USD)",
    },
    currency="USD",
    kinds={k: k for k in KINDS},
    prepare=_prepare,
    scan=_named_by_isrc,
)
