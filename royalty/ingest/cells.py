"""The text of a delimited table's cells: its quotes, and how long a cell may be.

In a TAB file a quote is text (``"Heroes" (Live)`` is a title) unless it encloses the whole
cell (``"Quayside"``), so TAB files are read with quoting off and whole-cell quotes removed
after. A cell that opens a quote it never closes (``"Night Ferry``) is an error: read with
quoting on, it would swallow every line up to the next stray quote into one cell. In comma
and semicolon files quoting is on, and a cell that holds a line end is that same error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from royalty.errors import StatementError

MAX_LINE_CHARS = 1_000_000
"""A line of the header search (or the first row) longer than this is not a statement's."""


def unquote(cell: str) -> str:
    if len(cell) >= 2 and cell[0] == cell[-1] == '"' and cell.count('"') % 2 == 0:
        return cell[1:-1].replace('""', '"')
    return cell


def check_quotes(name: str, frame: pd.DataFrame, delimiter: str) -> pd.DataFrame:
    """Whole-cell quotes removed (TAB files); a quote that swallows line ends an error. The
    frame's index is each row's line in the file."""
    for position, column in enumerate(frame.columns):  # by position: names may repeat ("")
        cells = frame.iloc[:, position]
        values = pa.array(cells, type=pa.string(), from_pandas=True)
        if _checked(name, values, str(column), frame.index, delimiter):
            texts = cells.tolist()
            for i, cell in enumerate(texts):
                if cell and cell[0] == '"':
                    if cell.count('"') % 2:
                        raise _open_quote(name, int(frame.index[i]), column, cell)
                    texts[i] = unquote(cell)
            frame.iloc[:, position] = pd.Series(texts, index=frame.index, dtype=cells.dtype)
    return frame


def _checked(name: str, values: pa.Array, column: str, rows: pd.Index, delimiter: str) -> bool:
    """Raises for a cell longer than a statement's or a quote that swallows line ends; True
    when a TAB file's cells start with quotes (to be removed)."""
    lengths = pc.binary_length(values)
    longest = pc.max(lengths).as_py() or 0
    if longest > MAX_LINE_CHARS:  # no statement cell is that long: a broken or hostile file
        i = int(np.argmax(lengths.to_numpy(zero_copy_only=False)))
        raise StatementError(
            name,
            f"has a cell of {longest:,} characters; no statement has one longer than "
            f"{MAX_LINE_CHARS // 1_000_000} MB: is this a statement?",
            row=int(rows[i]),
            column=column,
        )
    if delimiter == "\t":
        if not _holds(values, b'"'):
            return False
        starts = pc.starts_with(values, '"')
        if not pc.any(starts).as_py():
            return False
        odd = pc.equal(pc.bit_wise_and(pc.count_substring(values, '"'), 1), 1)
        opened = pc.and_(starts, odd)
        if pc.any(opened).as_py():
            i = int(np.argmax(opened.to_numpy(zero_copy_only=False)))
            raise _open_quote(name, int(rows[i]), column, str(values[i].as_py()))
        return True
    if not _holds(values, b"\n") and not _holds(values, b"\r"):
        return False
    broken = pc.or_(pc.match_substring(values, "\n"), pc.match_substring(values, "\r"))
    if pc.any(broken).as_py():
        i = int(np.argmax(broken.to_numpy(zero_copy_only=False)))
        raise _open_quote(name, int(rows[i]), column, str(values[i].as_py()))
    return False


def _open_quote(name: str, row: int, column: object, cell: str) -> StatementError:
    start = cell.replace("\r", " ").replace("\n", " ")[:40]
    return StatementError(
        name,
        f"a quote opens in this cell ({start!r}...) and is not closed on its line, so the "
        "rows below it would be read into this one cell; remove the stray quote or quote "
        "the whole cell",
        row=row,
        column=str(column),
    )


def _holds(values: pa.Array | pa.ChunkedArray, byte: bytes) -> bool:
    """Whether a cell holds ``byte``, looked for in the cells' bytes at once (a cell's text
    is UTF-8, in which an ASCII byte is that character); unsure is yes."""
    if not isinstance(values, pa.Array) or values.type not in (pa.string(), pa.large_string()):
        return True
    if len(values) == 0:
        return False
    offsets, data = values.buffers()[1:3]
    if data is None:
        return False
    width = np.int32 if values.type == pa.string() else np.int64
    bounds = np.frombuffer(offsets, dtype=width)[[values.offset, values.offset + len(values)]]
    return byte in memoryview(data)[int(bounds[0]) : int(bounds[1])].tobytes()
