"""Which line of its file each row of a text table is on, blank lines counted.

Both parsers skip blank lines without a word (pyarrow the empty ones, pandas those and lines
of nothing but spaces), so a row's place among the rows is not its line in the file, and a
message naming a row below a blank line would send a person to the wrong line. ``Lines``
stands between the file and the parser: it notes the blank lines of the bytes as the parser
reads them (perhaps in a thread of its own) and numbers the rows the parser hands out, in
step. Only the runs of blank lines below the rows numbered so far are kept, each as its
first line and length: a long stretch of them is one entry, not one per line.

A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as both parsers read them. Finding the
line ends is a few vectorized passes over each block, so the fast reader stays fast.
"""

from __future__ import annotations

import codecs
import io
from collections import deque
from typing import BinaryIO

import numpy as np
import pandas as pd

LF, CR, SPACE, TAB = 10, 13, 32, 9
FEW = 32
"""Lines of spaces to look at one by one; more in one block are counted with one pass."""
SLICE = 1 << 20
"""Bytes looked at in one go: a read of nothing but blank lines costs a few times this."""


class Lines(io.RawIOBase):
    """A text table's file as a parser reads it, and the line of each row it gives.

    ``first_row`` is the line of the table's first data row (the header and what is above it
    are no rows). A line of only spaces (and tabs, unless they are the delimiter) is blank,
    as pandas reads it; pyarrow refuses such a line (too few cells), and then the careful
    reader reads the file."""

    def __init__(self, raw: BinaryIO, encoding: str, delimiter: str, first_row: int) -> None:
        super().__init__()
        self._raw = raw
        self._wide = encoding.lower().replace("_", "-").startswith("utf-16")
        self._unit = np.dtype(">u2" if encoding.lower().endswith("be") else "<u2")
        self._spaces = (SPACE,) if delimiter == "\t" else (SPACE, TAB)
        self._odd = b""  # half of a UTF-16 unit, cut by a read
        # units of the BOM still to come: no text (the parsers drop it); sniffed, so there
        self._bom = {"utf-8-sig": len(codecs.BOM_UTF8), "utf-16": 1}.get(encoding, 0)
        self._started = False
        self._ended = 0  # lines ended so far
        self._cr = False  # the last unit read was CR: a LF first in the next read ends no line
        self._text = False  # the line being read has something on it so far
        self._first = first_row
        # runs of blank lines (first line, lines), appended by the reads: a file of nothing but
        # blank lines below its header is one run, whatever its size
        self._noted: deque[np.ndarray] = deque()
        self._runs = np.empty((0, 2), np.int64)  # those below the rows numbered so far
        self._next = first_row  # the line the next row is on, unless it is blank
        self._blank = 0  # blank lines below the header so far

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        view, cr = memoryview(data), b"\r" in data
        for at in range(0, len(data), SLICE):
            self._scan(view[at : at + SLICE], cr)
        return data

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def numbers(self, rows: int) -> pd.Index:
        """The lines of the next ``rows`` rows the parser gave (the parser has read them)."""
        while self._noted:
            self._runs = np.concatenate([self._runs, self._noted.popleft()])
        start = self._next
        if not self._runs.size or rows == 0:
            self._next = start + rows
            return pd.RangeIndex(start, start + rows)
        firsts, lengths = self._runs[:, 0], self._runs[:, 1]
        # before run r come ``ahead[r]`` rows (never fewer than before the run above it)
        ahead = firsts - start - (np.cumsum(lengths) - lengths)
        passed = int(np.searchsorted(ahead, rows - 1, side="right"))
        order = np.arange(rows, dtype=np.int64)
        skipped = np.concatenate([[0], np.cumsum(lengths[:passed])])
        found = start + order + skipped[np.searchsorted(ahead[:passed], order, side="right")]
        self._runs = self._runs[passed:]
        self._next = int(found[-1]) + 1
        return pd.Index(found)

    def rows_in_file(self) -> int:
        """How many rows the file's lines below the header make, once it is all read: one per
        line with text on it. A parser that gives fewer read a line end inside a cell (a
        quote left open); one that reads only some columns has not seen which cell."""
        return self._ended - self._first + 1 + self._text - self._blank

    # --- finding the blank lines ----------------------------------------------------------

    def _scan(self, data: bytes | memoryview, cr: bool) -> None:
        """Notes the blank lines of the next part of the file (``cr``: it may hold CRs)."""
        if self._wide:
            data = self._odd + data
            cut = len(data) - len(data) % 2
            data, self._odd = data[:cut], data[cut:]
            cr = b"\r" in data  # a CR may have been cut in two by the read
            if not self._started and data[:2] in (codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE):
                self._unit = np.dtype(">u2" if data[:2] == codecs.BOM_UTF16_BE else "<u2")
            self._started = self._started or bool(data)
        units = np.frombuffer(data, self._unit if self._wide else np.uint8)
        if not units.size:
            return
        opened = min(self._bom, units.size)  # where the first line of this read starts
        self._bom -= opened
        lf = np.flatnonzero(units == LF)
        if self._cr and lf.size and lf[0] == 0:  # the LF of a CRLF cut by the read
            lf, opened = lf[1:], 1
        if cr:
            starts, ends = _line_ends(units, lf)
        else:
            starts = ends = lf
        opens = np.empty(starts.size, np.int64)
        if starts.size:
            opens[0] = opened
            opens[1:] = ends[:-1] + 1
        blank = starts == opens
        lead = units[np.minimum(opens, units.size - 1)]  # each line's first unit
        maybe = ~blank & ((lead == SPACE) | (lead == self._spaces[-1]))
        if maybe.any():
            which = np.flatnonzero(maybe)
            blank[which] = ~self._has_text(units, opens[which], starts[which])
        if starts.size and self._text:
            blank[0] = False
        found = self._ended + 1 + np.flatnonzero(blank)
        found = found[found >= self._first]
        if found.size:
            breaks = np.flatnonzero(np.diff(found) != 1) + 1  # where a run of them ends
            begins, stops = np.concatenate([[0], breaks]), np.concatenate([breaks, [found.size]])
            self._noted.append(np.column_stack([found[begins], stops - begins]))
            self._blank += int(found.size)
        tail = ends[-1] + 1 if starts.size else opened
        rest = bool(self._has_text(units, np.array([tail]), np.array([units.size]))[0])
        self._text = rest or (self._text and not starts.size)
        self._ended += starts.size
        self._cr = bool(units[-1] == CR)

    def _has_text(self, units: np.ndarray, opens: np.ndarray, stops: np.ndarray) -> np.ndarray:
        """Whether each span ``[open, stop)`` of line text holds more than spaces."""
        if opens.size <= FEW:
            return np.array(
                [
                    bool((~np.isin(units[a:b], self._spaces)).any())
                    for a, b in zip(opens, stops, strict=True)
                ],
                dtype=bool,
            )
        text = np.concatenate([[0], np.cumsum(~np.isin(units, self._spaces), dtype=np.int32)])
        return text[stops] > text[opens]


def _line_ends(units: np.ndarray, lf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each line of a read that holds CRs ends: (first, last) unit of its line end.

    A CR followed by LF is one line end; a lone CR or LF is one too. A CR last in the read is
    a line end whatever follows (a LF first in the next read is then its second half)."""
    after_cr = np.zeros(lf.size, dtype=bool)
    inside = lf > 0
    after_cr[inside] = units[lf[inside] - 1] == CR
    last_cr = bool(units[-1] == CR)
    if np.count_nonzero(units == CR) == np.count_nonzero(after_cr) + last_cr:
        # every CR but a last one is the first half of a CRLF: a Windows file's only CRs
        starts, ends = lf - after_cr, lf
        if last_cr:
            starts, ends = np.append(starts, units.size - 1), np.append(ends, units.size - 1)
        return starts, ends
    cr = np.flatnonzero(units == CR)
    lone_lf = lf[~after_cr]
    starts = cr if not lone_lf.size else np.union1d(cr, lone_lf)
    ends = starts.copy()
    following = np.minimum(starts + 1, units.size - 1)
    ends[(units[starts] == CR) & (following > starts) & (units[following] == LF)] += 1
    return starts, ends
