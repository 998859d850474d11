"""A file in no known layout, read far enough to map its columns: its header and first rows,
and the layout a mapping of them makes (checked before any row is stored)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from royalty.errors import StatementError
from royalty.importers.base import Layout
from royalty.importers.mapped import mapped_layout, mapping_problems
from royalty.ingest.reader import Source, Table, open_tables

UNNAMED = "Column mapping"
"""The source of lines imported with a mapping that was not given a name."""


def plausible_header(cells: list[str]) -> bool:
    """A row that names columns: two or more cells, most of them words rather than numbers
    or dates (a preamble's ``Period: 2024`` has one cell with text; a data row is numbers)."""
    named = [c for c in cells if c.strip()]
    if len(named) < 2:
        return False
    wordy = sum(
        1 for c in named if re.search(r"[^\W\d_]", c) and not re.fullmatch(r"[\d\s.,:/+-]+", c)
    )
    return wordy >= max(2, 0.6 * len(named))


def raw_table(source: Source) -> Table:
    """The first table of ``source`` whatever its layout, for a person to map."""
    tables = open_tables(source, plausible_header)
    if not tables:
        raise StatementError(source.name, "has no row that looks like a header to map")
    return tables[0]


def layout_for(
    source: Source,
    fields: Mapping[str, str],
    *,
    name: str | None = None,
    currency: str | None = None,
) -> Layout:
    """The layout ``fields`` (field -> header cell) make for files with ``source``'s header;
    a ``StatementError`` naming every problem when the mapping cannot work."""
    header = raw_table(source).header
    problems = mapping_problems(header, fields)
    if not currency and "currency" not in fields:
        problems.append("no currency: map the currency column or give one (--currency EUR)")
    if problems:
        raise StatementError(source.name, "the column mapping does not fit: " + "; ".join(problems))
    return mapped_layout(name or UNNAMED, header, fields, currency)
