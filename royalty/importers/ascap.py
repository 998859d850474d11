"""ASCAP writer and publisher statements (CSV): the domestic one and the international one.

Both are songwriting income: ASCAP licenses the performing right in the composition, so every
line is a ``performance`` (``Type Of Right`` ``PR``), whatever service played the recording;
a ``SPOTIR`` line is Spotify's payment for the song, not a stream of the recording.
Every field is quoted; empty cells are often a single space; amounts are zero-padded with a
leading space (``" 00000000000000000.00262"``), padding ``_unpad`` removes before the amount
is read. Lines are filed under ``Party Name``, the member the line pays (the writer as ASCAP
knows them, often a legal name: ``--artist`` files them under the artist name instead).
``Work Title`` is the song; ``Work ID`` is ASCAP's own number for it, not an ISWC or ISRC,
and is not stored.

Domestic (41 columns, first header ``DistributionYear`` without a space): ``Dollars`` is the
member's money in USD, ``Number of Plays`` the performances counted, ``Music User`` who played
the song (``SPOTIR``, ``APPLE SUBSCRIPTION``, a station's call letters; ASCAP itself when
empty). The usage months are ``Performance Start Date`` to ``Performance End Date`` when
given, else ``Performance Quarter`` (``2Q2025``: April to June 2025), else the distribution
quarter; ``DistributionYear`` and ``Distribution Quarter`` say when ASCAP paid (stored as
that quarter's first month). ``Premium Dollars`` are ASCAP's bonus for much-played songs;
whether ``Dollars`` already include them is not known here (no public description of the
export says), so a line with premium dollars is refused, naming it, rather than counted once
or twice by guess.

International (26 columns): ``$ Amount`` is the member's money in USD from a foreign society
(``Licensor``: ``GEMA``, ``KODA``, ...; the line's ``store``), for ``Performance Start
Date``..``Performance End Date`` (``MM-DD-YYYY``) in ``Territory``; ``Distribution Date`` is
when ASCAP paid (the usage months when the performance dates are empty).
``Revenue Class Description`` (``Television``, ``Other royalties``) says how the song was used.

A ``Total`` row (a spreadsheet's sum under the lines, naming no work, member or user) is
checked against them and not stored (``publishing.total_rows``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from royalty.errors import StatementError
from royalty.importers import publishing
from royalty.importers.base import FileFacts, Layout
from royalty.months import add_months, month_text, parse_month

SOCIETY = "ASCAP"


def _unpad(values: pd.Series) -> pd.Series:
    """``" 00000000000000000.00262"`` -> ``0.00262``; ``-000.5`` -> ``-0.5``."""
    return values.str.strip().str.replace(r"^(-?)0+(?=\d)", r"\1", regex=True)


def _quarter(text: str) -> tuple[str, str]:
    """``2Q2025`` -> (``2025-04``, ``2025-06``); ("", "") when it is not a quarter."""
    first = parse_month(text) if text else None
    if first is None:
        return "", ""
    return month_text(first), month_text(add_months(first, 2))


def _quarters(texts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``_quarter`` of every row, once per distinct text: (first months, last months)."""
    codes, uniques = pd.factorize(texts, sort=False)
    spans = np.array([_quarter(u) for u in uniques], dtype=object).reshape(-1, 2)
    first, last = spans[codes, 0], spans[codes, 1]
    return pd.Series(first, index=texts.index, dtype=str), pd.Series(
        last, index=texts.index, dtype=str
    )


def _first_given(*columns: pd.Series) -> pd.Series:
    """Row by row, the first of ``columns`` that is not empty."""
    result = columns[-1]
    for column in reversed(columns[:-1]):
        result = column.where(column != "", result)
    return result


def _refuse_premium(data: pd.DataFrame, facts: FileFacts) -> None:
    premium = _unpad(publishing.text(data, "premium_dollars"))
    paid = (premium != "") & ~premium.str.fullmatch(r"-?0*(\.0*)?") & publishing.lines(data)
    if bool(paid.any()):
        row = data[paid].iloc[0]
        raise StatementError(
            facts.file,
            f"pays Premium Dollars ({premium[paid].iloc[0]}) beside Dollars; whether ASCAP's "
            "Dollars already include them is not known here, so the statement is not "
            "imported rather than counted wrong",
            row=int(row["row_number"]),
            column=facts.mapping.get("premium_dollars"),
        )


KEYS = ("work_id", "artist", "store")
"""Fields a line fills (the work, the member, who played or collected) and a spreadsheet's
Total row under the lines does not."""
TOTALS = publishing.total_rows(KEYS)


def _domestic(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data["amount"] = _unpad(data["amount"])
    data = publishing.checked_totals(data, facts, TOTALS)
    _refuse_premium(data, facts)
    paid_first, paid_last = _quarters(
        publishing.text(data, "distribution_quarter")
        + "Q"
        + publishing.text(data, "distribution_year")
    )
    quarter_first, quarter_last = _quarters(publishing.text(data, "performance_quarter"))
    start, end = publishing.text(data, "usage_month"), publishing.text(data, "usage_month_end")
    data["usage_month"] = _first_given(start, quarter_first, paid_first)
    data["usage_month_end"] = _first_given(
        end.where(start != "", ""), start, quarter_last, paid_last
    )
    data["reporting_month"] = paid_first
    data["kind"] = publishing.kinds_of(data, ("type_of_right", "genre"))
    return publishing.fill_store(data, SOCIETY)


DOMESTIC = Layout(
    name="ascap_domestic",
    source=SOCIETY,
    title="ASCAP domestic statement (CSV)",
    signature=("DistributionYear", "Distribution Quarter", "Music User", "Dollars"),
    columns={
        "distribution_year": "DistributionYear",
        "distribution_quarter": "Distribution Quarter",
        "performance_quarter": "Performance Quarter",
        "usage_month": "Performance Start Date",
        "usage_month_end": "Performance End Date",
        "artist": "Party Name",
        "store": "Music User",
        "genre": "Music User Genre",
        "work_id": "Work ID",
        "title": "Work Title",
        "quantity": "Number of Plays",
        "amount": "Dollars",
        "premium_dollars": "Premium Dollars",
        "type_of_right": "Type Of Right",
        "territory": "Territory",
    },
    currency="USD",
    decimal_comma=False,
    kinds=publishing.KINDS,
    prepare=_domestic,
    scan=TOTALS.scan,
)


def _international(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    data["amount"] = _unpad(data["amount"])
    data = publishing.checked_totals(data, facts, TOTALS)
    paid = publishing.text(data, "reporting_month")
    start, end = publishing.text(data, "usage_month"), publishing.text(data, "usage_month_end")
    data["usage_month"] = _first_given(start, paid)
    data["usage_month_end"] = _first_given(end.where(start != "", ""), start, paid)
    data["kind"] = publishing.kinds_of(data, ("type_of_right", "revenue_class"))
    return publishing.fill_store(data, SOCIETY)


INTERNATIONAL = Layout(
    name="ascap_international",
    source=SOCIETY,
    title="ASCAP international statement (CSV)",
    signature=("Licensor", "$ Amount", "Revenue Class Description"),
    columns={
        "file_type": "File Type",
        "reporting_month": "Distribution Date",
        "usage_month": "Performance Start Date",
        "usage_month_end": "Performance End Date",
        "artist": "Party Name",
        "store": "Licensor",
        "work_id": "Work ID",
        "title": "Work Title",
        "revenue_class": "Revenue Class Description",
        "amount": "$ Amount",
        "type_of_right": "Type Of Right",
        "territory": "Territory",
    },
    currency="USD",
    decimal_comma=False,
    kinds=publishing.KINDS,
    prepare=_international,
    scan=TOTALS.scan,
)
