"""What is decided about a file once, before any of its rows is stored: its number style."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pandas as pd

from royalty.ingest.reader import (
    Table,
)
from royalty.money import (
    decide_style,
    style_evidence,
)


def number_style(
    table: Table, mapping: dict[str, str], chunks: Iterator[pd.DataFrame], *, careful: bool
) -> tuple[Iterator[pd.DataFrame], bool]:
    """The file's one number style, decided before any of its rows is read as money.

    The amounts of the first chunk decide (the style most of them show); when they show
    none (all like ``1,250`` or whole numbers), every chunk of the file is looked at; a
    file that shows neither anywhere is read with a decimal point. Cells of the other
    style are then errors naming their row, never read another way.
    """
    first = next(chunks, None)
    if first is None:
        return iter([]), False
    chunks = itertools.chain([first], chunks)
    decided = decide_style(*style_evidence(first[mapping["amount"]]))
    if decided is None:
        point = comma = 0
        for chunk in table.chunks(careful=careful, columns={mapping["amount"]}):
            p, c = style_evidence(chunk[mapping["amount"]])
            point, comma = point + p, comma + c
        decided = decide_style(point, comma)
    return chunks, bool(decided)
