"""SoundCloud (Repost / SoundCloud for Artists) statement, ``lifetime_statement_*.csv``.

Two preamble rows (``Account ID`` and the account's UUID) sit above the header; the reader finds
the header below them. ``Reporting Period`` is the month of use and ``Accounting Period`` the
month credited; ``Revenue (USD)`` is the artist's money. UPCs arrive in scientific notation
(``7.34168E+11``), their digits lost, so they count as missing and recordings match on ISRC.

``Type`` says the kind of use in many words (``Unknown Stream``, ``YouTube Music Ad Views``,
``Content ID - Sound Recording Sub Views``, ``Track Download``); ``prepare`` reduces it to one
kind. YouTube rows often leave artist and release empty; they are taken from another row of the
same file with the same ISRC, so the money is not filed under an unknown artist.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from royalty.importers.base import ImportOptions, Layout
from royalty.models import KINDS


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


def _fill_from_same_isrc(data: pd.DataFrame, fld: str) -> None:
    if fld not in data.columns or "isrc" not in data.columns:
        return
    known = data.loc[data[fld].str.strip() != "", ["isrc", fld]]
    known = known[known["isrc"].str.strip() != ""].drop_duplicates("isrc")
    by_isrc = dict(zip(known["isrc"], known[fld], strict=True))
    empty = data[fld].str.strip() == ""
    data.loc[empty, fld] = data.loc[empty, "isrc"].map(by_isrc).fillna("")


def _prepare(data: pd.DataFrame, options: ImportOptions, file: str) -> pd.DataFrame:
    if "kind" in data.columns:
        codes, uniques = pd.factorize(data["kind"], sort=False)
        data["kind"] = np.array([kind_of(u) for u in uniques], dtype=object)[codes]
    _fill_from_same_isrc(data, "artist")
    _fill_from_same_isrc(data, "release")
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
)
