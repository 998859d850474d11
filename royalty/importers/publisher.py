"""A music publisher's royalty statement (CSV): one row per work, right and source.

``Work Title``, ``Work ID``, ``Composers``, ``Right Type``, ``Source``, ``Amount``,
``Currency``: the table a publisher sends its writers (the shape django-music-publisher
reads). ``Amount`` is the writer's money; ``Right Type`` the right it pays for, as a CWR code
(``PR`` performing, ``MR`` mechanical, ``SR`` synchronisation) or in words, a performance when
it says nothing; ``Source`` who paid the publisher (a society, a service; the publisher itself
when empty), the line's ``store``. Lines are filed under ``Composers``.

``Work ID`` is whatever identifier the publisher keeps (its own number, a society's work
code, an ISRC, an ISWC): an ISRC there (``JM-K40-14-00001``) is stored as the recording's
ISRC, an ISWC (``T-123.456.789-4``) as the work's (also from an ``ISWC`` column); the others
are not stored.

The statement gives no months: the person importing gives the period (as for a disclosure
summary). Nor does it always give a currency: a ``Currency`` column none of whose cells names
one (the django-music-publisher sample writes ``Really``) says nothing, and the currency is
the one the person importing chose (``--currency``); one where some cells name a currency
(``GBP``, ``£``) is read cell by cell, a blank cell is the chosen currency and any other cell
an error naming it. Which of the two a file is, is decided for the whole file by ``scan``.

A ``Total`` row is checked against the lines of its currency (of all of them when it names
none and they have one), not stored (``publishing.total_rows``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from royalty.errors import StatementError
from royalty.importers import publishing, totals
from royalty.importers.base import FileFacts, Layout
from royalty.importers.disclosure import currency_in

SOURCE = "Publisher"

SIGNATURE = ("Work Title", "Work ID", "Amount")
COLUMNS: dict[str, str | tuple[str, ...]] = {
    "title": "Work Title",
    "work_id": "Work ID",
    "artist": "Composers",
    "right_type": "Right Type",
    "store": "Source",
    "isrc": "ISRC",
    "iswc": "ISWC",
    "amount": "Amount",
    "currency": "Currency",
}
KEYS = ("work_id", "artist", "right_type", "store")
"""Fields a work's line fills and a Total row under the lines does not."""
TOTALS = publishing.total_rows(KEYS, by="currency")
_ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}\d{7}$")


def _currency_of(cell: str) -> str | None:
    """``GBP``, ``gbp``, ``Euro``, ``£`` -> a code; ``Really``, ``$`` (which dollar?) -> None."""
    return totals.currency_named(cell) or currency_in(cell.strip())


def _scan(chunks: Iterable[pd.DataFrame], facts: FileFacts) -> Mapping[str, object]:
    """The lines' sums (per currency cell too), and whether any currency cell of the file
    names a currency."""
    column = facts.mapping.get("currency")
    cells: set[str] = set()

    def noting_currencies(chunks: Iterable[pd.DataFrame]) -> Iterable[pd.DataFrame]:
        for chunk in chunks:
            if column is not None:
                cells.update(chunk[column].fillna("").astype(str).unique())
            yield chunk

    found = TOTALS.scan(noting_currencies(chunks), facts)
    found["names_a_currency"] = any(_currency_of(c) for c in cells)
    return found


def _isrc_in(work_id: pd.Series) -> pd.Series:
    code = work_id.str.replace(r"[\s-]", "", regex=True).str.upper()
    return code.where(code.str.match(_ISRC), "")


def _named_currencies(data: pd.DataFrame, facts: FileFacts) -> pd.Series:
    """Each currency cell as its code; blank stays blank (the person's currency), and a line's
    cell that names none is an error naming it."""
    codes, cells = pd.factorize(data["currency"].str.strip(), sort=False)
    named = [_currency_of(c) or ("" if c == "" else None) for c in cells]
    code = pd.Series(np.array(named, dtype=object)[codes], index=data.index, dtype=object)
    unknown = code.isna() & publishing.lines(data)
    if bool(unknown.any()):
        raise StatementError(
            facts.file,
            f"is not a currency: {data.loc[unknown, 'currency'].iloc[0].strip()!r}, where other "
            "rows of the statement name theirs",
            row=int(data.loc[unknown, "row_number"].iloc[0]),
            column=facts.mapping["currency"],
        )
    return code.fillna("").astype(str)


def _one_currency_totals(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    """A Total row that names no currency is for the file's one currency; in a file of
    several it would add pounds to euros, and is refused, naming it."""
    if "currency" not in data.columns:
        return data
    total = TOTALS.find(data)
    unnamed = total & (publishing.text(data, "currency") == "")
    if not bool(unnamed.any()):
        return data
    currencies = totals.groups(facts)
    if len(currencies) > 1:
        raise StatementError(
            facts.file,
            "gives one total for lines in several currencies "
            f"({', '.join(sorted(c for c in currencies if c))}); give one per currency, "
            "or remove it",
            row=int(data.loc[unnamed, "row_number"].iloc[0]),
            column=facts.mapping["amount"],
        )
    data.loc[unnamed, "currency"] = currencies[0] if currencies else ""
    return data


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data = _one_currency_totals(data, facts)
    data = publishing.checked_totals(data, facts, TOTALS)
    if "currency" in data.columns:
        names = facts.scanned.get("names_a_currency")
        if names is None:  # a preview: this chunk alone decides
            names = any(_currency_of(c) for c in data["currency"].unique())
        if names:
            data["currency"] = _named_currencies(data, facts)
        else:  # the column says nothing: the person's currency applies
            data = data.drop(columns="currency")
    if "work_id" in data.columns:
        given = data["isrc"].str.strip() if "isrc" in data.columns else None
        found = _isrc_in(data["work_id"])
        data["isrc"] = found if given is None else given.where(given != "", found)
        iswc = data["iswc"].str.strip() if "iswc" in data.columns else None
        work = data["work_id"].where(found == "", "")  # the normalizer keeps only ISWCs
        data["iswc"] = work if iswc is None else iswc.where(iswc != "", work)
    blank = pd.Series("", index=data.index, dtype=str)
    publishing.usage_period(data, facts, blank, blank)
    data["kind"] = publishing.kinds_of(data, ("right_type",))
    return publishing.fill_store(data, SOURCE)


LAYOUT = Layout(
    name="publisher",
    source=SOURCE,
    title="Publisher royalty statement (CSV: Work Title, Work ID, Amount)",
    signature=SIGNATURE,
    columns=COLUMNS,
    kinds=publishing.KINDS,
    fills=("usage_month", "store"),
    prepare=_prepare,
    scan=_scan,
)
