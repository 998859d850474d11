"""Believe (Backstage) sales report: semicolon-separated CSV, fields double-quoted.

``Net Revenue`` is the artist's money in ``Client Payment Currency`` (per row), after
``Client share rate`` was applied to ``Gross Revenue``. ``Sales Month`` is the month of use,
``Reporting month`` the month Believe credited it.

Numbers follow the exporting account's locale, so one file writes ``0.0055218`` and another
``0,0055218`` with ``1.234,56`` for thousands; the shared normalizer decides per file from the
amounts. Quantities follow the same locale: in a decimal-comma file ``12.480`` is twelve
thousand four hundred and eighty plays, not twelve (the shared normalizer reads them so). Dates written with slashes are day first
(``01/03/2024`` is March); ISO-style ``2024/03/01`` is read as written.

``Sales Type`` says the kind of use: ``Stream``, ``Download``, and ``Creation`` for music used
in user-generated videos (TikTok, Instagram, YouTube UGC), which counts as video.
"""

from __future__ import annotations

from royalty.importers.base import Layout

LAYOUT = Layout(
    name="believe",
    source="Believe",
    title="Believe sales report (semicolon CSV)",
    signature=("Release Catalog nb", "Client Payment Currency", "Net Revenue", "Sales Month"),
    columns={
        "usage_month": "Sales Month",
        "reporting_month": "Reporting month",
        "store": "Platform",
        "territory": "Country / Region",
        "artist": "Artist Name",
        "release": "Release title",
        "title": "Track title",
        "upc": "UPC",
        "isrc": "ISRC",
        "kind": "Sales Type",
        "quantity": "Quantity",
        "currency": "Client Payment Currency",
        "amount": "Net Revenue",
    },
    day_first=True,
    kinds={
        "stream": "stream",
        "streams": "stream",
        "streaming": "stream",
        "creation": "video",
        "ugc": "video",
        "video": "video",
        "download": "download",
        "downloads": "download",
        "physical": "physical",
    },
)
