"""A typed table: the one shape every export writes (HTML, XLSX, CSV).

Each column says what kind of value it holds, so each writer can format it properly (money
as a number with a currency format in XLSX, exact text in CSV, ``formatting.money`` in HTML)
and so a rates-only report can drop every column that would reveal absolute income in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

KINDS = ("text", "int", "money", "rate", "share", "percent")
"""``money``: Decimal amount; ``rate``: Decimal per stream; ``share``: Decimal 0..1;
``percent``: Decimal change in percent points (12.3 = 12.3%); ``int``: a count."""


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"
    absolute: bool = False
    """True when the column reveals absolute income (money, or counts that times a rate give it)."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...] = ()
    note: str = ""
    hidden: tuple[str, ...] = field(default=())
    """Titles of columns a rates-only report left out (said in the report)."""

    def rates_only(self) -> Table:
        """The same table without absolute columns."""
        keep = [i for i, c in enumerate(self.columns) if not c.absolute]
        if len(keep) == len(self.columns):
            return self
        return replace(
            self,
            columns=tuple(self.columns[i] for i in keep),
            rows=tuple(tuple(row[i] for i in keep) for row in self.rows),
            hidden=tuple(c.title for c in self.columns if c.absolute),
        )


@dataclass(frozen=True)
class Fact:
    """One line of the summary sheet: a label and a value of one kind."""

    label: str
    value: object
    kind: str = "text"
    absolute: bool = False
