"""Summary rows a report writes among its lines (Apple's ``Total_Amount`` footer, YouTube
Studio's ``Total`` row): checked against the lines to the last digit, then dropped.

A summary row is the report's own statement of what it holds. When the lines do not add up to
it, a line is missing or mangled (a truncated download, a row the reader lost, a hand edit),
and storing the lines would publish a wrong total; the import stops at that row instead.

The lines' sums come from the whole file, so ``scan`` computes them (``file_sums``) before any
chunk is stored, and the chunk that holds a summary row checks it in ``prepare`` (``check``),
where its row number is known. The number style is the importer's one decision for the file
(``FileFacts.decimal_comma``), which ``scan`` does not know yet: it sums both ways and the
check takes the one decided. A file with a cell that is no number is not checked here;
``normalize`` names that cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from royalty.errors import StatementError
from royalty.importers.base import FileFacts
from royalty.money import EXACT, decimal_text, exact_sum, parse_amounts, parse_quantities


@dataclass
class FileSums:
    """The lines of a whole file (summary rows left out): how many, their amounts, units."""

    rows: int = 0
    amount: dict[bool, Decimal | None] = field(
        default_factory=lambda: {False: Decimal(0), True: Decimal(0)}
    )
    """By number style (``decimal_comma``); None once a cell is no number in that style."""
    quantity: dict[bool, int | None] = field(default_factory=lambda: {False: 0, True: 0})

    def add(self, amounts: pd.Series, quantities: pd.Series | None) -> None:
        self.rows += len(amounts)
        for style in (False, True):
            parsed = parse_amounts(amounts, decimal_comma=style)
            total = self.amount[style]
            if total is not None and not bool(parsed.bad.any()):
                self.amount[style] = EXACT.add(total, exact_sum(parsed.text))
            else:
                self.amount[style] = None
            units = self.quantity[style]
            if quantities is None or units is None:
                self.quantity[style] = None
                continue
            counts, bad = parse_quantities(quantities, decimal_comma=style)
            self.quantity[style] = None if bool(bad.any()) else units + int(counts.sum())


def file_sums(
    chunks: Iterable[pd.DataFrame],
    facts: FileFacts,
    is_summary: Callable[[pd.DataFrame], pd.Series],
    *,
    blank_amount_is_zero: bool = False,
) -> FileSums:
    """The lines' sums over every raw chunk (header names as columns), for ``scan``.
    ``is_summary`` tells summary rows (and rows that are no lines) from lines."""
    sums = FileSums()
    amount_column = facts.mapping["amount"]
    quantity_column = facts.mapping.get("quantity")
    for chunk in chunks:
        lines = chunk[~is_summary(chunk).to_numpy()]
        amounts = lines[amount_column].fillna("").astype(str).str.strip()
        if blank_amount_is_zero:
            amounts = amounts.where(amounts != "", "0")
        quantities = (
            lines[quantity_column].fillna("").astype(str).str.strip()
            if quantity_column is not None
            else None
        )
        sums.add(amounts, quantities)
    return sums


def check(
    said: str,
    what: str,
    facts: FileFacts,
    *,
    row: int,
    column: str | None,
    label: str,
) -> None:
    """The summary row ``label`` says ``said`` for ``what`` (``amount``, ``quantity`` or
    ``rows``); raise naming its row when the file's lines say otherwise. Nothing is checked in
    a preview (no ``scan``) or when a line's cell is no number (``normalize`` names it)."""
    sums: FileSums | None = facts.scanned.get("sums")  # type: ignore[assignment]
    said = said.strip()
    if sums is None or facts.decimal_comma is None or not said:
        return
    style = facts.decimal_comma
    if what == "rows":
        counted, bad = parse_quantities(pd.Series([said]), decimal_comma=style)
        claim: Decimal | int | None = None if bool(bad.iloc[0]) else int(counted[0])
        computed: Decimal | int | None = sums.rows
    elif what == "quantity":
        counted, bad = parse_quantities(pd.Series([said]), decimal_comma=style)
        claim = None if bool(bad.iloc[0]) else int(counted[0])
        computed = sums.quantity[style]
    else:
        parsed = parse_amounts(pd.Series([said]), decimal_comma=style)
        claim = None if bool(parsed.bad.iloc[0]) else Decimal(parsed.text.iloc[0])
        computed = sums.amount[style]
    if computed is None or claim == computed:
        return
    if what == "rows":
        found = f"the file has {computed:,} lines"
    else:
        shown = decimal_text(computed) if isinstance(computed, Decimal) else f"{computed:,}"
        units = " units" if what == "quantity" else ""
        found = f"the file's {sums.rows:,} lines add up to {shown}{units}"
    raise StatementError(
        facts.file,
        f"the {label!r} row says {said} but {found}; a line is missing or was changed (or "
        "the total was edited): export the report again",
        row=row,
        column=column,
    )


def check_total_rows(rows: pd.DataFrame, facts: FileFacts, *, label: str) -> None:
    """Each of ``rows`` (a ``Total`` row, named by its ``label`` field) against the file's
    lines, in money and, when the layout reads them, units."""
    for _, row in rows.iterrows():
        for what in ("amount", "quantity"):
            if what in facts.mapping:
                check(
                    row[what], what, facts, row=int(row["row_number"]),
                    column=facts.mapping[what], label=row[label].strip(),
                )  # fmt: skip
