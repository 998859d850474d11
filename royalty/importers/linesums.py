"""What a statement's lines add up to, as its import reads them, for its total rows (``totals``).

The chunks of an import arrive in file order, so the lines above a total row and those since
the total row above it are added up by the time its chunk is read, and most totals (a footer,
a subtotal) are checked there. A total that agrees with neither may still be the whole
file's, and one per currency (``TotalRows.by``) is the file's lines of that currency: those
wait for the last chunk (``Running.finish``), still inside the import's transaction. The sums
are made in the file's one number style, the one ``normalize`` reads the lines in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from royalty.errors import StatementError
from royalty.importers.base import FileFacts
from royalty.money import EXACT, decimal_text, exact_sum, parse_amounts, parse_quantities

if TYPE_CHECKING:
    from royalty.importers.totals import Said


@dataclass(frozen=True)
class Sums:
    """What some lines add up to."""

    lines: int = 0
    amount: Decimal | None = Decimal(0)
    """None once a line's amount is no number in the file's style."""
    size: Decimal = Decimal(0)
    """The amounts without their signs, added: what float addition errs relative to."""
    quantity: int | None = 0
    """None when the layout reads no units, or a line's units (or amount) are no number."""

    def __add__(self, other: Sums) -> Sums:
        return Sums(
            self.lines + other.lines,
            None if self.amount is None or other.amount is None
            else EXACT.add(self.amount, other.amount),
            EXACT.add(self.size, other.size),
            None if self.quantity is None or other.quantity is None
            else self.quantity + other.quantity,
        )  # fmt: skip


@dataclass(frozen=True)
class _Waiting:
    """A figure of a total row that only the whole file's lines (or its group's) can settle."""

    said: Said
    text: str
    row: int
    above: Sums | None
    since: Sums | None
    group: str | None


@dataclass
class Running:
    """One import's lines so far: the ``totals`` entry of ``facts.scanned``, made by the
    layout's ``scan`` and added to by ``TotalRows.drop`` chunk by chunk."""

    tolerance: Callable[..., bool]
    subtotals: bool = True
    file: Sums = field(default_factory=Sums)
    since: Sums | None = None
    """The lines since the last total row; None above the first."""
    groups: dict[str, Sums] = field(default_factory=dict)
    """The lines per value of ``TotalRows.by`` (upper-cased)."""
    waiting: list[_Waiting] = field(default_factory=list)

    def add(
        self, data: pd.DataFrame, lines: np.ndarray, cuts: np.ndarray, style: bool, by: str | None
    ) -> list[Sums]:
        """The lines (positions ``lines`` of ``data``: field names, text) of each stretch of a
        chunk cut at its total rows (one more than ``cuts``); their groups by ``by`` added."""
        where = np.flatnonzero(lines)
        read = self.file.amount is not None  # once a line is no number, no total is checked
        amounts = units = parsed = None
        if read or by is not None:
            cells = _field(data, "amount").iloc[where].str.strip()
            parsed = parse_amounts(cells, decimal_comma=style)
            if read and not bool(parsed.bad.any()):
                amounts = pa.array(parsed.text.to_numpy(), type=pa.string(), from_pandas=True)
        if amounts is not None and "quantity" in data.columns:
            counts, bad = parse_quantities(
                data["quantity"].iloc[where].str.strip(), decimal_comma=style
            )
            units = None if bool(bad.any()) else counts
        if by is not None and parsed is not None:
            self._add_groups(_field(data, by).iloc[where], parsed.text, parsed.bad)
        if not len(cuts):
            return [_sums(amounts, units, len(where))]
        stretch = np.searchsorted(cuts, where)
        parts = []
        for k in range(len(cuts) + 1):
            part = stretch == k
            parts.append(
                _sums(
                    amounts.filter(part) if amounts is not None else None,
                    units[part] if units is not None else None,
                    int(part.sum()),
                )
            )
        return parts

    def _add_groups(self, values: pd.Series, text: pd.Series, bad: pd.Series) -> None:
        """A value none of whose amounts is a number in the file's style adds up to None."""
        value = values.str.strip().str.upper()
        for key in value.unique():
            mine = (value == key).to_numpy()
            broken = bool(bad[mine].any())
            mine_text = None if broken else pa.array(text[mine].to_numpy(), type=pa.string())
            part = _sums(mine_text, None, int(mine.sum()))
            self.groups[str(key)] = self.groups.get(str(key), Sums(quantity=None)) + part

    def stretch(self, sums: Sums) -> None:
        """The lines up to the next total row (or the chunk's end) counted."""
        self.file = self.file + sums
        if self.since is not None:
            self.since = self.since + sums

    def check(
        self, said: Said, row: int, facts: FileFacts, group: str | None, *, style: bool
    ) -> None:
        """A total row's figure against the lines above it and since the total row above it;
        one that agrees with neither waits for the whole file's (``finish``)."""
        text = said.text.strip()
        if not text:
            return
        above = since = None
        if self.subtotals and group is None:
            above, since = self.file, self.since
            if _count(above, said.measure) is None:  # the file's is None too: nothing to check
                return
            if _agrees(said, text, [above, since], style, self.tolerance):
                return
        self.waiting.append(_Waiting(said, text, row, above, since, group))

    def cut(self) -> None:
        """A total row passed: the lines since it start."""
        self.since = Sums()

    def finish(self, facts: FileFacts) -> None:
        """After the last chunk: each waiting figure against the whole file's lines (or its
        group's), the first that disagrees named (``StatementError``)."""
        style = bool(facts.decimal_comma)
        for w in self.waiting:
            file = self.file if w.group is None else self.groups.get(w.group, Sums())
            if _count(file, w.said.measure) is None:
                continue
            if _agrees(w.said, w.text, [file, w.above, w.since], style, self.tolerance):
                continue
            raise StatementError(
                facts.file,
                _disagreement(w.said, w.text, file, w.above, w.since, facts),
                row=w.row,
                column=w.said.column,
            )


def _sums(amounts: pa.Array | None, units: np.ndarray | None, lines: int) -> Sums:
    """``amounts`` (parsed text; None: not all numbers) and ``units`` of ``lines`` lines."""
    quantity = int(units.sum()) if units is not None else None
    if amounts is None:
        return Sums(lines, None, Decimal(0), quantity)
    total = exact_sum(amounts)
    # without their signs: the sum less twice the negative ones' (few: only they are added)
    negative = pc.starts_with(amounts, "-")
    size = total
    if pc.any(negative).as_py():
        size = EXACT.subtract(total, EXACT.multiply(exact_sum(amounts.filter(negative)), 2))
    return Sums(lines, total, size, quantity)


def _field(data: pd.DataFrame, name: str) -> pd.Series:
    """A field's cells as text ('' where the layout maps no such column)."""
    if name not in data.columns:
        return pd.Series("", index=data.index, dtype=str)
    return data[name].fillna("").astype(str)


def _agrees(
    said: Said, text: str, scopes: list[Sums | None], style: bool, tolerance: Callable[..., bool]
) -> bool:
    """Whether ``text`` is the figure of one of ``scopes`` that has lines."""
    have = [s for s in scopes if s is not None and s.lines > 0]
    if said.measure == "amount":
        parsed = parse_amounts(pd.Series([text]), decimal_comma=style)
        if bool(parsed.bad.iloc[0]):
            return False
        money = Decimal(parsed.text.iloc[0])
        return any(
            s.amount is not None and tolerance(money, s.amount, lines=s.lines, size=s.size)
            for s in have
        )
    counted, bad = parse_quantities(pd.Series([text]), decimal_comma=style)
    if bool(bad.iloc[0]):
        return False
    return any(int(counted[0]) == _count(s, said.measure) for s in have)


def _count(sums: Sums, measure: str) -> Decimal | int | None:
    """What ``sums`` says for ``measure``: the amount, the units or the number of lines."""
    if measure == "amount":
        return sums.amount
    return sums.lines if measure == "rows" else sums.quantity


def _disagreement(
    said: Said, text: str, file: Sums, above: Sums | None, since: Sums | None, facts: FileFacts
) -> str:
    """``the 'Period Total' row says 30.53 but the statement's 8 lines add up to 30.35097``,
    with the lines above it and since the total row above it when they are others."""

    def shown(sums: Sums) -> str:
        value = _count(sums, said.measure)
        if value is None:
            return "?"
        return decimal_text(value) if isinstance(value, Decimal) else f"{value:,}"

    where = []
    if above is not None and 0 < above.lines != file.lines:
        where.append(f"{shown(above)} above it")
    if since is not None and since.lines > 0:
        where.append(f"{shown(since)} since the total row above it")
    more = f" ({', '.join(where)})" if where else ""
    if said.measure == "rows":
        found = f"the file has {shown(file)} lines{more}"
    elif said.measure == "quantity":
        column = facts.mapping.get("quantity", "quantity")
        more = f"; {', '.join(where)}" if where else ""
        found = (
            f"the statement's {file.lines:,} lines count {shown(file)} (their {column!r} "
            f"cells add up to {shown(file)} units{more})"
        )
        text += " units"
    else:
        found = f"the statement's {file.lines:,} lines add up to {shown(file)}{more}"
    return (
        f"the {said.name} row says {text} but {found}; a line is missing or was changed, or "
        "the total was: nothing was imported (export the statement again, or correct or "
        "remove that row)"
    )
