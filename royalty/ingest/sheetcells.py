"""The rows of an XLSX sheet below its header, read by fastexcel into Arrow columns and turned
into the text ``spreadsheet.cell_text`` gives each cell, a column at a time.

Why this module exists: building a Python object per cell and its text costs several times
what reading the sheet does. fastexcel reads a sheet straight into typed columns, one type
per column, guessed from every cell of it; a column of one type becomes text here with the same
rules as a single cell (numbers as the shortest text that reads back as the same float and
without ``.0`` when whole, dates, times, booleans). Its own text for a number keeps nine
decimals, so a column of text whose XML holds other cells too (``sheettop.holding_in``) is
read a second time as numbers, and each number whose text lost digits takes its exact text;
a column of numbers with text among them is read a second time as text. Where the types
leave a cell's text in doubt (a date among text, dates written as ISO text), ``Cellwise``
says so and the sheet is read cell by cell instead. Each cell of the result is the text that
reader gives it (one exception: among text, a number whose text fastexcel writes exactly keeps
that text, ``0.00001`` for the ``1e-05`` of the cell reader: the same value).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from royalty.ingest import sheettop

logging.getLogger("fastexcel").setLevel(logging.ERROR)  # its notes on empty columns are ours

_DAY_MS = 86_400_000
_EPOCHS = {False: -25_568, True: -24_107}
"""Days from 1970-01-01 to the day a workbook's serial 0 falls on (1899-12-31, 1904-01-01)."""
_LAST_MS = 253_402_300_799_999
"""9999-12-31 23:59:59.999: a later date has no text of the cell-by-cell reader."""
_OTHER_TYPES = re.compile(
    r"^(?:-?[0-9]+(?:\.[0-9]+)?|-?inf|NaN|true|false|[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2} .*)$"
)
"""fastexcel's text for a cell of a type other than text: a number (nine decimals at most),
a boolean, a date."""
_KINDS = re.compile(rb't="[bd]"')
"""Where ``sheettop.KINDS`` may be written."""
_DATE_TEXT = r"^[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"


class Cellwise(Exception):
    """This sheet's text needs the reader of one cell at a time (the reason)."""


@dataclass
class Typed:
    """A column of numbers, booleans, dates or durations as fastexcel read it: its text is
    written only if an import reads the column (most read a few of a statement's columns)."""

    values: pa.Array
    dtype: str
    date1904: bool

    def text(self) -> pa.Array:
        return _text(self.values, self.dtype, self.date1904)


Column = pa.Array | Typed
"""A column of a part: its text, or its values."""


def as_text(column: Column) -> pa.Array:
    return column.text() if isinstance(column, Typed) else column


def filled(column: Column) -> pa.Array:
    """Which cells are not empty: a value of a type other than text has text, always."""
    if isinstance(column, Typed):
        return pc.is_valid(column.values)
    return pc.not_equal(column, "")


@dataclass
class Part:
    """Rows of a sheet from ``first`` (0-based, from the sheet's first row): columns of text,
    or of values (``Typed``), by column (0-based, from A)."""

    columns: dict[int, Column]
    first: int
    height: int


Holding = Callable[[set[int], str], set[int]]
"""Which of these columns (0-based) hold, below the header, a cell of a kind (``"b"``: a
boolean, ``"other"``: anything but text), from the sheet's XML (``sheettop.holding_in``)."""


def read_part(data: bytes, sheet: str, rows: bytes, start: int | None, date1904: bool) -> Part:
    """A workbook whose sheet holds some of a sheet's rows (``rows``, their XML): those rows,
    from ``start`` when it is given (the first part: the rows below the header), else all of
    them, written between the two rows of ``bounds``. Raises ``Cellwise`` when a cell lies
    outside those rows."""
    first, last = row_numbers(rows)
    kinds = set()
    if _KINDS.search(rows):  # one search rather than one per kind (rarely found)
        kinds = {kind for kind, written in sheettop.KINDS.items() if written in rows}
    after = start or 0  # the header's row (1-based) is the row before the first read (0-based)

    def holding(columns: set[int], kind: str) -> set[int]:
        return sheettop.holding_in([rows], columns, after, kind)

    if start is not None:
        part = read_columns(data, sheet, start, kinds, date1904, holding)
        if part.first + part.height > last:
            raise Cellwise("a cell below the rows of its part")
        return part
    # read from the first row holding a cell to the last: the two of ``bounds`` when no cell
    # lies outside the rows between them
    part = read_columns(data, sheet, None, kinds, date1904, holding, bounded=True)
    if part.height != last - first + 1:
        raise Cellwise("a cell outside the rows of its part")
    return Part(part.columns, first - 1, part.height)


def bounds(first: int, last: int) -> tuple[bytes, bytes]:
    """A row just above and one just below rows ``first`` to ``last`` (1-based), each with one
    empty text cell (which neither sets a column's type nor counts as a value), so that a
    reader that starts at a sheet's first cell starts at the row above unless a cell lies
    outside, and stops at the row below unless one does."""
    cell = '<c r="A{}" t="inlineStr"><is><t></t></is></c>'
    return (
        f'<row r="{first - 1}">{cell.format(first - 1)}</row>'.encode(),
        f'<row r="{last + 1}">{cell.format(last + 1)}</row>'.encode(),
    )


_ROW_TAG = re.compile(rb"<row(?=[\s/>])([^>]*)>")


def row_numbers(rows: bytes) -> tuple[int, int]:
    """The first and last row tags' numbers (1-based) in a sheet's XML of rows."""
    head = _ROW_TAG.search(rows)
    tail = rows.rfind(b"<row")
    while tail >= 0 and not _ROW_TAG.match(rows, tail):
        tail = rows.rfind(b"<row", 0, tail)
    first = sheettop.row_number(head.group(1)) if head else None
    last_tag = _ROW_TAG.match(rows, tail) if tail >= 0 else None
    last = sheettop.row_number(last_tag.group(1)) if last_tag else None
    if first is None or last is None:
        raise Cellwise("rows without their numbers")
    return first, last


def read_columns(
    data: bytes,
    sheet: str,
    start: int | None,
    kinds: set[str],
    date1904: bool,
    holding: Holding,
    bounded: bool = False,
) -> Part:
    """``sheet`` of the workbook ``data`` from row ``start`` (0-based; None: from its first row
    holding a cell) on, as columns of text; with ``bounded``, its first and last rows are those
    of ``bounds`` and left out (``Part.first`` is then 0)."""
    import fastexcel

    if "d" in kinds:
        raise Cellwise("dates written as ISO text")
    reader = fastexcel.read_excel(data)
    loaded = reader.load_sheet(
        sheet, header_row=None, skip_rows=start, schema_sample_rows=None, dtype_coercion="coerce"
    )
    batch, errors = loaded.to_arrow_with_errors()
    infos = loaded.selected_columns
    keep = slice(1, batch.num_rows - 1) if bounded else slice(0, batch.num_rows)
    if keep.stop < keep.start:
        raise Cellwise("a part without its bounds")
    failed = {
        e.position[1]
        for e in (errors.errors if errors is not None else ())
        if keep.start <= e.offset_position[0] < keep.stop  # not the empty cells of ``bounds``
    }
    batch = batch.slice(keep.start, keep.stop - keep.start)
    texts: dict[int, Column] = {}
    again: dict[int, str] = {}
    looks_typed, numbers = set(), set()
    for i, info in enumerate(infos):
        values = batch.column(i)
        texts[info.absolute_index] = _column(values, info.dtype, date1904)
        if info.dtype == "string":
            if pc.any(pc.match_substring_regex(pc.unique(values), _OTHER_TYPES.pattern)).as_py():
                looks_typed.add(info.absolute_index)
        elif info.index in failed or (info.dtype == "float" and pc.any(pc.is_nan(values)).as_py()):
            again[info.absolute_index] = "string"
        elif info.dtype in ("float", "int"):
            numbers.add(info.absolute_index)
    if looks_typed:  # text that reads like numbers, or numbers among text?
        again.update(dict.fromkeys(holding(looks_typed, "other"), "float"))
    if "b" in kinds and numbers:  # a boolean among numbers reads as 1 or 0
        again.update(dict.fromkeys(holding(numbers, "b"), "string"))
    if again:
        texts.update(_second_read(reader, sheet, start, keep, again, texts, batch, infos))
    return Part(texts, start or 0, batch.num_rows)


def _column(values: pa.Array, dtype: str, date1904: bool) -> Column:
    """Text now, or values whose text is written when it is read; what would make the sheet
    be read cell by cell is found here, before any is read."""
    if dtype in ("string", "null"):
        return _text(values, dtype, date1904)
    if dtype == "datetime":
        _check_dates(values, date1904)
    elif dtype not in ("float", "int", "boolean", "duration"):
        raise Cellwise(f"a column of {dtype} cells")
    return Typed(values, dtype, date1904)


def _text(values: pa.Array, dtype: str, date1904: bool) -> pa.Array:
    if dtype == "string":
        return values.fill_null("")
    if dtype in ("float", "int"):
        return _each_value(values, numbers_text)
    if dtype == "boolean":
        return pc.if_else(values, "TRUE", "FALSE").fill_null("")
    if dtype == "datetime":
        return _each_value(values, lambda v: datetimes_text(v, date1904))
    if dtype == "duration":
        return pa.array(["" if v is None else str(v) for v in values.to_pylist()], pa.string())
    if dtype == "null":
        return pa.nulls(len(values), pa.string()).fill_null("")
    raise Cellwise(f"a column of {dtype} cells")


def _each_value(values: pa.Array, text: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``text`` of each distinct value once (a column repeats its dates, quantities, rates)."""
    distinct = values.dictionary_encode()
    return pc.take(text(distinct.dictionary), distinct.indices).fill_null("")


def numbers_text(values: pa.Array) -> pa.Array:
    """Numbers as ``cell_text`` writes one: whole ones below 10^15 without ``.0``, any other as
    the shortest text that reads back as the same float (``repr``); null as ``""``. pyarrow
    writes the same shortest digits, in another notation only where ``repr`` uses an
    exponent (or would): those few are written by ``repr`` itself."""
    if pa.types.is_integer(values.type):
        return pc.cast(values, pa.string()).fill_null("")
    size = pc.abs(values)
    whole = pc.and_(pc.equal(pc.trunc(values), values), pc.less(size, 1e15))
    text = pc.if_else(
        whole, pc.cast(pc.cast(pc.if_else(whole, values, 0.0), pa.int64()), pa.string()),
        pc.cast(values, pa.string()),
    )  # fmt: skip
    exponent = pc.or_(
        pc.or_(pc.less(size, 1e-4), pc.greater_equal(size, 1e16)),
        pc.or_(pc.match_substring(text, "e"), pc.invert(pc.is_finite(values))),
    )
    odd = pc.fill_null(pc.and_(pc.invert(whole), exponent), False)
    if pc.any(odd).as_py():
        exact = [repr(v) for v in pc.filter(values, odd).to_pylist()]
        text = pc.replace_with_mask(text, odd, pa.array(exact, pa.string()))
    return text.fill_null("")


def datetimes_text(values: pa.Array, date1904: bool) -> pa.Array:
    """Date cells as ``cell_text`` writes the value the cell-by-cell reader gives: a time of day
    alone for a serial below 1, a date alone at midnight, else both (milliseconds as
    microseconds, as ``isoformat`` does)."""
    _check_dates(values, date1904)
    ms = pc.cast(values, pa.int64())
    epoch = _EPOCHS[date1904] * _DAY_MS
    seconds = pc.cast(pc.cast(pc.subtract(ms, pc.cast(pc.millisecond(values), pa.int64())),
                              pa.timestamp("ms")), pa.timestamp("s"))  # fmt: skip
    day = pc.strftime(seconds, format="%Y-%m-%d")
    clock = pc.strftime(seconds, format="%H:%M:%S")
    millis = pc.millisecond(values)
    fraction = pc.binary_join_element_wise(
        pc.utf8_lpad(pc.cast(millis, pa.string()), 3, "0"), "000", ""
    )
    clock = pc.if_else(
        pc.equal(millis, 0), clock, pc.binary_join_element_wise(clock, fraction, ".")
    )
    midnight = pc.equal(pc.subtract(ms, pc.multiply(pc.divide(ms, _DAY_MS), _DAY_MS)), 0)
    both = pc.binary_join_element_wise(day, clock, " ")
    text = pc.if_else(pc.less(ms, epoch + _DAY_MS), clock, pc.if_else(midnight, day, both))
    return text.fill_null("")


def _check_dates(values: pa.Array, date1904: bool) -> None:
    ms = pc.cast(values, pa.int64())
    if pc.any(pc.or_(pc.less(ms, _EPOCHS[date1904] * _DAY_MS), pc.greater(ms, _LAST_MS))).as_py():
        raise Cellwise("a date before the workbook's first day or after 9999")


def _second_read(
    reader: object,
    sheet: str,
    start: int | None,
    keep: slice,
    again: dict[int, str],
    texts: dict[int, Column],
    batch: pa.RecordBatch,
    infos: list,
) -> dict[int, Column]:
    """The columns of ``again`` read once more as the other type (``"string"`` for a column of
    numbers or dates with cells of text in it, ``"float"`` for a column of text that may hold
    numbers), and each cell's text decided from both reads."""
    loaded = reader.load_sheet(  # type: ignore[attr-defined]
        sheet, header_row=None, skip_rows=start, use_columns=sorted(again), dtypes=again
    )
    other, _ = loaded.to_arrow_with_errors()
    other = other.slice(keep.start, keep.stop - keep.start)
    first = {info.absolute_index: batch.column(i) for i, info in enumerate(infos)}
    out = {}
    for i, info in enumerate(loaded.selected_columns):
        column = info.absolute_index
        values = other.column(i)
        if again[column] == "string":
            out[column] = _typed_with_text(first[column], as_text(texts[column]), values)
        else:
            out[column] = _text_with_numbers(first[column], values)
    return out


def _typed_with_text(typed: pa.Array, text: pa.Array, strings: pa.Array) -> pa.Array:
    """A column of numbers, dates or booleans with other cells: where the typed read has no
    value (text, an empty or error cell) or a NaN, the cell's own text; a boolean among numbers
    as ``TRUE``/``FALSE``."""
    strings = strings.fill_null("")
    missing = pc.is_null(typed)
    if pa.types.is_floating(typed.type):
        missing = pc.or_(missing, pc.fill_null(pc.is_nan(typed), False))
    boolean = pc.is_in(strings, pa.array(["true", "false"]))
    if pa.types.is_floating(typed.type) or pa.types.is_integer(typed.type):
        text = pc.if_else(boolean, pc.utf8_upper(strings), text)
    return pc.if_else(missing, strings, text)


def _text_with_numbers(strings: pa.Array, numbers: pa.Array) -> pa.Array:
    """A column of text that may hold numbers (and booleans, dates): each number whose text
    lost digits (fastexcel's keeps nine decimals) takes its exact text; a cell whose text
    reads back as its number keeps it (exact either way: ``0.00001`` rather than ``1e-05``);
    a date among them cannot be told from text that looks like one (``Cellwise``)."""
    strings = strings.fill_null("")
    has_number = pc.is_valid(numbers)
    boolean = pc.and_(has_number, pc.is_in(strings, pa.array(["true", "false"])))
    if pc.any(
        pc.and_(pc.invert(has_number), pc.match_substring_regex(strings, _DATE_TEXT))
    ).as_py():
        raise Cellwise("dates among text")
    text = pc.if_else(boolean, pc.utf8_upper(strings), strings)
    check = pc.and_(has_number, pc.invert(boolean))
    if not pc.any(check).as_py():
        return text
    shown = pc.filter(strings, check).to_pylist()
    values = pc.filter(numbers, check).to_pylist()
    exact = [s if _reads_as(s, v) else _number_text(v) for s, v in zip(shown, values, strict=True)]
    return pc.replace_with_mask(text, check, pa.array(exact, pa.string()))


def _reads_as(text: str, value: float) -> bool:
    try:
        return float(text) == value
    except ValueError:
        return False


def _number_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
