"""ClicknClear royalty report (CSV): music licensed for routines, in rows without a header.

ClicknClear licenses recordings, and the compositions in them, to cheer, dance, gymnastics and
fitness teams that set a track to a routine: a synchronisation of music with a performance.
Its report is one CSV with no header row; each row says what it is in its first two cells, the
row type (``T`` a total, ``S`` a sale) and the income type (``M`` a master sale, of the
recording; ``P`` a publishing sale, of the composition; ``PR`` a producer fee, for a mix). What
the other cells hold depends on both, as ClicknClear's reporting spec lists them:

* ``S,M`` (18 cells): date of sale, licensee, title, performed by, ISRC, UPC, label, territory,
  currency, gross receipts, refund, sales tax, net receipts, distributable recording revenue,
  licence margin (%), amount due to the rightsholder.
* ``S,P`` (19 cells): date of sale, licensee, title, performed by, writers, ISWC, territory,
  currency, gross receipts, refund, sales tax, net receipts, distributable composition revenue,
  composition ownership (%), fee for the composition share, licence margin (%), amount due.
* ``T`` (9 cells, any income type): start and end of the reporting period, the number of sales
  of that income type, currency, balance brought forward, amount due for the period, and the
  total due (the two added, at 2 decimals).

Each sale is one line. The artist's money is its last cell, ``Amount Due to Rightsholder`` (4
decimals); the other amounts are the licence's, before the rightsholder's shares. The date of
sale is the month of use, the end of the reporting period the month credited. A master sale is
recording income that is none of a shop's kinds (``other``); a publishing sale is songwriting
income for a synchronisation (``sync``). The licensee (the team) is a customer, not a store:
every line's store is ClicknClear. An ISWC names a work, not a recording: it is kept as the
work's ISWC (the recording of the same ISWC is its recording), never as an ISRC.

A total row is no line: it is checked against the sales of its income type and currency (their
count and their amount due to the last digit, and total due = balance + amount due as rounded),
then dropped; the balance brought forward is money of earlier reports. A row that breaks this
stops the import, named. The spec lists no cells for a producer-fee sale, so one is refused
rather than guessed at.

Without a header, the file is recognized by its first row (``headerless``): a ``T`` or ``S`` row
of a known income type, with an ISO date third and as many cells as that row type has.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

from royalty.errors import StatementError
from royalty.importers.base import FileFacts, Layout
from royalty.money import exact_sum, parse_amounts

MASTER = (
    "Row Type", "Income Type", "Date Of Sale", "Licensee Name", "Title", "Performed By", "ISRC",
    "UPC", "Label", "Territory Licensed", "Currency", "Gross Receipts", "Refund", "Sales Tax",
    "Net Receipts", "Distributable Recording Revenue", "License Margin",
    "Amount Due to Rightsholder",
)  # fmt: skip
PUBLISHING = (
    "Row Type", "Income Type", "Date Of Sale", "Licensee Name", "Title", "Performed By",
    "Writers", "ISWC", "Territory Licensed", "Currency", "Gross Receipts", "Refund", "Sales Tax",
    "Net Receipts", "Distributable Composition Revenue", "Composition Ownership",
    "Fee For Composition Share", "License Margin", "Amount Due to Rightsholder",
)  # fmt: skip
TOTAL = (
    "Row Type", "Income Type", "Start Of Reporting Period", "End Of Reporting Period",
    "Number of Sales Of this Income Type", "Currency", "Balance Brought Forwards",
    "Amounts Due To Rightsholder", "Total Due To Rightsholder",
)  # fmt: skip
ROWS = {("S", "M"): MASTER, ("S", "P"): PUBLISHING, ("T", "M"): TOTAL, ("T", "P"): TOTAL,
        ("T", "PR"): TOTAL}  # fmt: skip
"""The cells of each kind of row, by the spec's names."""
INCOME = {"M": "master", "P": "publishing", "PR": "producer-fee"}

COLUMNS = (*PUBLISHING[:6], *(f"Column {n}" for n in range(7, len(PUBLISHING) + 1)))
"""The names this layout gives a file's columns: the widest row's cells, named as the spec
names them where every sale row has the same cell, by position where a master and a publishing
row differ."""
CELLS = {f"cell_{n}": name for n, name in enumerate(COLUMNS, start=1)}
MAPPING = {"usage_month": "Date Of Sale", "title": "Title", "artist": "Performed By", **CELLS}
SALE_FIELDS = {
    "isrc": "ISRC", "iswc": "ISWC", "upc": "UPC", "territory": "Territory Licensed",
    "currency": "Currency", "amount": "Amount Due to Rightsholder",
}  # fmt: skip
"""Fields a sale row holds in different cells by its income type."""
ROUNDING = Decimal("0.005")
"""How far a total row's 2-decimal total due may be from the balance plus the amount due."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def headerless(first_row: list[str]) -> list[str] | None:
    """A first row ClicknClear writes -> the names of the file's columns."""
    cells = [c.strip() for c in first_row]
    names = ROWS.get(tuple(cells[:2]))  # type: ignore[arg-type]
    if names is None or len(cells) != len(names) or not _ISO_DATE.match(cells[2]):
        return None
    return list(COLUMNS)


def recognize(header: list[str]) -> dict[str, str] | None:
    """Only the names ``headerless`` gives (a file of this layout has no header of its own)."""
    return dict(MAPPING) if tuple(header) == COLUMNS else None


def _cell(data: pd.DataFrame, names: tuple[str, ...], name: str) -> pd.Series:
    return data[f"cell_{names.index(name) + 1}"].str.strip()


def _fail(file: str, row: pd.Series | dict, problem: str, column: str) -> StatementError:
    return StatementError(file, problem, row=int(row["row_number"]), column=column)


def _check_kinds(data: pd.DataFrame, file: str) -> pd.Series:
    """Each row's ``row type,income type``: a kind of row the spec lists, its last cell filled
    and nothing past it (a cell missing or extra would shift the amount)."""
    row_type, income = data["cell_1"].str.strip(), data["cell_2"].str.strip()
    kinds = row_type + "," + income
    filled = np.column_stack([data[c].str.strip() != "" for c in CELLS])
    last = np.where(filled.any(axis=1), filled.shape[1] - np.argmax(filled[:, ::-1], axis=1), 0)
    width = kinds.map({f"{r},{i}": len(names) for (r, i), names in ROWS.items()})
    wrong = (width.isna() | (width != last)).to_numpy()
    if not wrong.any():
        return kinds
    i = int(np.argmax(wrong))
    row, kind = data.iloc[i], (row_type.iloc[i], income.iloc[i])
    if kind[0] not in ("T", "S"):
        problem = f"{kind[0]!r} is not a ClicknClear row type (T for a total row, S for a sale)"
        raise _fail(file, row, problem, "Row Type")
    if kind[1] not in INCOME:
        problem = (
            f"{kind[1]!r} is not a ClicknClear income type (M master, P publishing, "
            "PR producer fee)"
        )
        raise _fail(file, row, problem, "Income Type")
    names = ROWS.get(kind)
    if names is None:
        raise _fail(
            file, row,
            "is a producer-fee sale (S,PR): ClicknClear's reporting spec lists no cells for one, "
            "so which of them is the amount due is not known; ask ClicknClear for the report "
            "without it", "Income Type",
        )  # fmt: skip
    what = "total" if kind[0] == "T" else f"{INCOME[kind[1]]} sale"
    raise _fail(
        file, row,
        f"its last filled cell is cell {last[i]}, but a ClicknClear {what} row has "
        f"{len(names)} cells, the last one its {names[-1]!r}", names[-1],
    )  # fmt: skip


def _decimal(text: str, file: str, row: pd.Series, column: str) -> Decimal:
    if not _NUMBER.match(text):
        raise _fail(file, row, f"is not a number: {text!r}", column)
    return Decimal(text)


def _sales(data: pd.DataFrame, kinds: pd.Series, file: str) -> pd.DataFrame:
    """The sale rows with the fields a line needs, taken from the cells of their income type."""
    sales = data[kinds.str.startswith("S,")].copy()
    sales["income"] = sales["cell_2"].str.strip()
    for fld in SALE_FIELDS:
        sales[fld] = ""
    for income, names in (("M", MASTER), ("P", PUBLISHING)):
        these = sales["income"] == income
        for fld, name in SALE_FIELDS.items():
            if name in names:
                sales.loc[these, fld] = _cell(sales[these], names, name)
    amounts = parse_amounts(sales["amount"], decimal_comma=False)
    if bool(amounts.bad.any()):
        row = sales[amounts.bad.to_numpy()].iloc[0]
        raise _fail(
            file, row, f"is not an amount of money: {row['amount']!r}", SALE_FIELDS["amount"]
        )
    sales["amount"] = amounts.text.to_numpy()
    sales["currency"] = sales["currency"].str.upper()
    bad = ~sales["currency"].str.fullmatch(r"[A-Z]{3}")
    if bool(bad.any()):
        row = sales[bad].iloc[0]
        raise _fail(file, row, f"is not a currency code: {row['currency']!r}", "Currency")
    return sales


def _check_total(total: pd.Series, sales: pd.DataFrame, file: str) -> None:
    """One total row against the sales it counts (``sales``), to the last digit."""
    what, currency = INCOME[total["cell_2"].strip()], total["cell_6"].strip().upper()
    said = total["cell_5"].strip()
    if _decimal(said, file, total, TOTAL[4]) != len(sales):
        raise _fail(
            file, total,
            f"the {what} total row says {said} sales in {currency}, but the report has "
            f"{len(sales)}; is the report complete?", TOTAL[4],
        )  # fmt: skip
    due_text = total["cell_8"].strip()
    due, added = _decimal(due_text, file, total, TOTAL[7]), exact_sum(sales["amount"])
    if due != added:
        raise _fail(
            file, total,
            f"the {what} total row says {due_text} {currency} is due, but its sales add up to "
            f"{added}; correct the report (or remove the total row)", TOTAL[7],
        )  # fmt: skip
    balance = _decimal(total["cell_7"].strip(), file, total, TOTAL[6])
    all_text = total["cell_9"].strip()
    if abs(_decimal(all_text, file, total, TOTAL[8]) - (balance + due)) > ROUNDING:
        raise _fail(
            file, total,
            f"the {what} total row says {all_text} {currency} is due in all, but its balance "
            f"brought forward and amount due add up to {balance + due}", TOTAL[8],
        )  # fmt: skip


def _prepare(data: pd.DataFrame, facts: FileFacts) -> pd.DataFrame:
    file = facts.file
    kinds = _check_kinds(data, file)
    sales = _sales(data, kinds, file)
    key = sales["income"] + "," + sales["currency"]
    totals = data[kinds.str.startswith("T,").to_numpy()]
    first: dict[str, int] = {}
    for _, total in totals.iterrows():
        this = f"{total['cell_2'].strip()},{total['cell_6'].strip().upper()}"
        if this in first:
            income, currency = this.split(",")
            raise _fail(
                file, total,
                f"is a second {INCOME[income]} total row in {currency} (the first is row "
                f"{first[this]})", "Income Type",
            )  # fmt: skip
        first[this] = int(total["row_number"])
    # a preview holds the first rows alone, and may stop short of a total row's sales
    check = facts.decimal_comma is not None
    uncounted = ~key.isin(list(first))
    if check and first and bool(uncounted.any()):
        row = sales[uncounted].iloc[0]
        what = INCOME[row["income"]]
        raise _fail(
            file, row,
            f"is a {what} sale in {row['currency']}, but no total row of the report counts "
            f"{what} sales in {row['currency']}", "Currency",
        )  # fmt: skip
    sales["reporting_month"] = ""
    for _, total in totals.iterrows():
        counted = key == f"{total['cell_2'].strip()},{total['cell_6'].strip().upper()}"
        if check:
            _check_total(total, sales[counted], file)
        sales.loc[counted, "reporting_month"] = total["cell_4"].strip()
    sales["kind"] = sales["income"]
    sales["store"] = "ClicknClear"
    sales["quantity"] = "1"
    return sales.drop(columns=[*CELLS, "income"])


LAYOUT = Layout(
    name="clicknclear",
    source="ClicknClear",
    title="ClicknClear royalty report (CSV without a header, T and S rows)",
    signature=(),
    columns={},
    decimal_comma=False,  # the spec's numbers are 4- and 2-decimal floats with a point
    kinds={"m": "other", "p": "sync"},
    recognize=recognize,
    headerless=headerless,
    prepare=_prepare,
    whole_table=True,  # each total row is checked against the sales it counts
)
