"""Zebralution label statement (``<label>_rs_<year>-Q<n>.csv``): semicolons, decimal commas.

``Rev.less Publ.EUR`` is the label's money for the line, in euros: ``Revenue-EUR`` (the
label's ``Share %`` of the shop's ``Income``, times ``Sales``) less the publishing deduction
(``Publ.-EUR``). ``Sales`` is the units, streams or downloads. ``Period Sold`` is the month
the shop sold or streamed (``usage_month``) and ``Period`` the month Zebralution accounted
for (``reporting_month``). In the quarterly statements seen, every row gives the quarter's
last month for both; the lines are filed under the month the rows give, not spread over a
quarter the file does not name.

``Content`` says ``Download``, ``Subscription`` (streams) or ``Cloud`` (a locker such as iTunes
Match): a subscription line is a stream unless its shop puts music under videos (Facebook,
TikTok), see ``base.streamed_kinds``.

Files re-saved with Excel keep the semicolons and decimal commas but write the EAN as a
number (``8,59732E+11``): its digits are lost, so the UPC counts as missing
(``normalizer._clean_upc``) unless a statement already stored names the same ISRC's UPC with those
leading digits (``ingest.resaved``). Excel also leaves its sum of the columns as the last
row (no period, shop or title, only totals such as ``12,56123138``): it is no line, and its
``Rev.less Publ.EUR`` and ``Sales`` are checked against the lines (``totals``).
"""

from __future__ import annotations

import pandas as pd

from royalty.importers.base import FileFacts, Layout, streamed_kinds
from royalty.importers.totals import TotalRows, agrees_as_printed, cells, fills_none
from royalty.vocabulary import KINDS

KEYS = ("usage_month", "reporting_month", "store", "artist", "title", "isrc")
"""Fields every line fills and Excel's sum row does not."""


TOTALS = TotalRows(
    find=fills_none(*KEYS),
    says=cells("amount", "quantity", name="sum"),
    tolerance=agrees_as_printed,
)


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = TOTALS.drop(data, facts)
    content = data["kind"].str.strip().str.lower()
    data["kind"] = streamed_kinds(data["store"]).where(content != "download", "download")
    return data


LAYOUT = Layout(
    name="zebralution",
    source="Zebralution",
    title="Zebralution label statement (semicolon CSV)",
    signature=("Period Sold", "Code-Licensor", "Rev.less Publ.EUR"),
    columns={
        "usage_month": "Period Sold",
        "reporting_month": "Period",
        "artist": "Artist",
        "title": "Title",
        "upc": "EAN",
        "isrc": "ISRC",
        "store": "Shop",
        "kind": "Content",
        "territory": "Country",
        "quantity": "Sales",
        "amount": "Rev.less Publ.EUR",
    },
    currency="EUR",
    kinds={k: k for k in KINDS},
    prepare=_prepare,
    scan=TOTALS.scan,
)
