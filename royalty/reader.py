"""Bytes of a statement -> header cells and chunks of text rows.

Everything a file's *container* can do wrong is handled here, before any layout is known:
encodings (UTF-8, BOMs, UTF-16, Latin-1), line ends (``\\r\\n``, ``\\n``, bare ``\\r``),
delimiters (TAB, ``,``, ``;``), preamble rows above the header, XLSX workbooks and ZIP archives.
Cells are always read as text: identifiers and money are converted deliberately later.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from royalty.errors import StatementError

CHUNK_ROWS = 50_000
"""Rows read (and normalized and stored) at a time. On 1M DistroKid rows: peak RSS 466-484 MB
at 50k, 502-506 MB at 100k, 696 MB at 250k, at the same CPU time within the noise."""
HEADER_SEARCH_ROWS = 30
SNIFF_BYTES = 256 * 1024
DELIMITERS = ("\t", ",", ";", "|")
EXTRA_CELLS = 16
"""Cells a text row may have beyond its header. Spreadsheet re-saves pad rows with trailing
delimiters; those cells must be empty. A row with more cells than this is rejected outright."""


@dataclass
class Source:
    """A statement's bytes, in memory (browser upload) or on disk (command line)."""

    name: str
    opener: Callable[[], BinaryIO]
    size: int

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Source:
        return cls(name=name, opener=lambda: io.BytesIO(data), size=len(data))

    @classmethod
    def from_path(cls, path: str | PurePath, name: str | None = None) -> Source:
        import os

        p = str(path)
        return cls(
            name=name or os.path.basename(p), opener=lambda: open(p, "rb"), size=os.path.getsize(p)
        )

    def head(self, n: int = SNIFF_BYTES) -> bytes:
        with self.opener() as f:
            return f.read(n)


@dataclass
class Table:
    """One table found in a source: its header, where it starts, and how to read its rows."""

    name: str
    header: list[str]
    header_row: int
    encoding: str
    delimiter: str
    chunks: Callable[..., Iterator[pd.DataFrame]]
    """``chunks()`` yields frames of text rows; ``chunks(careful=True)`` reads a text file with
    the slower reader that accepts padded rows (see ``IrregularRows``)."""
    rows_hint: int | None = None
    """About how many rows the table has (from the size of its first rows): for planning."""


def clean_header(cell: object) -> str:
    return str(cell if cell is not None else "").replace("\ufeff", "").strip().strip('"').strip()


# --- encodings -------------------------------------------------------------------------------


def sniff_encoding(source: Source) -> str:
    """BOM first, then strict UTF-8 over the whole file (streamed), else Windows-1252/Latin-1."""
    head = source.head(4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return "utf-16-be"
    if b"\x00" in head:
        raise StatementError(
            source.name,
            "is not a text statement: it holds binary data (is it a renamed spreadsheet or PDF?)",
        )
    bad_at = _first_invalid_utf8(source)
    if bad_at is None:
        return "utf-8"
    if _has_utf8_sequences(source):
        raise StatementError(
            source.name,
            "has text in two encodings: most of it is UTF-8, but this row is not (were two "
            "exports pasted together?); save the file again as UTF-8 and import that",
            row=_row_at(source, bad_at),
        )
    try:
        with source.opener() as f:
            while block := f.read(8 * 1024 * 1024):
                block.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
"""A character UTF-8 writes with several bytes. Legacy (Windows-1252, Latin-1) text almost
never has one: it would take a letter such as ``Ã`` followed by one such as ``©``."""


def _first_invalid_utf8(source: Source) -> int | None:
    """Offset of the first byte that is not UTF-8, streamed; None when all of it is."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    consumed = 0
    with source.opener() as f:
        while True:
            block = f.read(8 * 1024 * 1024)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return consumed - pending + exc.start
            if not block:
                return None
            consumed += len(block)


def _has_utf8_sequences(source: Source) -> bool:
    with source.opener() as f:
        tail = b""
        while block := f.read(8 * 1024 * 1024):
            if _UTF8_SEQUENCE.search(tail + block):
                return True
            tail = block[-3:]
    return False


def _row_at(source: Source, offset: int) -> int:
    """The file row (1-based) holding byte ``offset``, counting any kind of line end."""
    lf = cr = 0
    with source.opener() as f:
        while offset > 0 and (block := f.read(min(offset, 8 * 1024 * 1024))):
            lf, cr, offset = lf + block.count(b"\n"), cr + block.count(b"\r"), offset - len(block)
    return (lf or cr) + 1


# --- finding the header ------------------------------------------------------------------------


def _lines(text: str, limit: int) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:limit]


def split_line(line: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return [_unquote(cell) for cell in line.split("\t")]
    return next(csv.reader([line], delimiter=delimiter), [])


# --- quotes --------------------------------------------------------------------------------------
#
# In a TAB file a quote is text (``"Heroes" (Live)`` is a title) unless it encloses the whole
# cell (``"Quayside"``), so TAB files are read with quoting off and whole-cell quotes removed
# after. A cell that opens a quote it never closes (``"Night Ferry``) is an error: read with
# quoting on, it would swallow every line up to the next stray quote into one cell. In comma
# and semicolon files quoting is on, and a cell that holds a line end is that same error.


def _unquote(cell: str) -> str:
    if len(cell) >= 2 and cell[0] == cell[-1] == '"' and cell.count('"') % 2 == 0:
        return cell[1:-1].replace('""', '"')
    return cell


def _check_quotes(name: str, frame: pd.DataFrame, delimiter: str, first_row: int) -> pd.DataFrame:
    """Whole-cell quotes removed (TAB files); a quote that swallows line ends an error."""
    for column in frame.columns:
        values = pa.array(frame[column], type=pa.string(), from_pandas=True)
        if delimiter == "\t":
            if not pc.any(pc.starts_with(values, '"')).as_py():
                continue
            cells = frame[column].tolist()
            for i, cell in enumerate(cells):
                if cell and cell[0] == '"':
                    if cell.count('"') % 2:
                        raise _open_quote(name, first_row + i, column, cell)
                    cells[i] = _unquote(cell)
            frame[column] = pd.Series(cells, index=frame.index, dtype=frame[column].dtype)
        else:
            broken = pc.or_(pc.match_substring(values, "\n"), pc.match_substring(values, "\r"))
            if pc.any(broken).as_py():
                i = int(np.argmax(broken.to_numpy(zero_copy_only=False)))
                raise _open_quote(name, first_row + i, column, str(frame[column].iloc[i]))
    return frame


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


def find_header(
    name: str,
    lines: list[list[str]] | list[str],
    is_header: Callable[[list[str]], bool],
    delimiter: str | None,
) -> tuple[int, str, list[str]] | None:
    """First row (of the first few) that a known layout recognizes, with its delimiter."""
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        if isinstance(line, list):
            candidates = [(delimiter or "", [clean_header(c) for c in line])]
        else:
            candidates = [
                (d, [clean_header(c) for c in split_line(line, d)]) for d in DELIMITERS if d in line
            ]
        for delim, cells in candidates:
            if len(cells) > 1 and is_header(cells):
                return index, delim, cells
    return None


# --- text tables -------------------------------------------------------------------------------


def text_table(source: Source, is_header: Callable[[list[str]], bool]) -> Table | None:
    encoding = sniff_encoding(source)
    raw = source.head(SNIFF_BYTES)
    text = raw.decode(encoding, errors="ignore")
    lines = _lines(text, HEADER_SEARCH_ROWS + 1)
    if not any(line.strip() for line in lines):
        raise StatementError(source.name, "is empty")
    found = find_header(source.name, lines, is_header, None)
    if found is None:
        return None
    header_row, delimiter, header = found
    # pandas' default tokenizer counts an empty line before the header differently when lines
    # end in a bare CR, so ``skiprows`` would land one row late and drop data silently.
    bare_cr = "\r" in text and "\n" not in text

    width = len(header)
    # pandas sizes its columns by the first row when it has more cells than ``names`` and drops
    # the rest with only a warning, so that one row is counted here.
    first = next((line for line in lines[header_row + 1 :] if line.strip()), "")
    cells = len(split_line(first, delimiter)) if first else 0
    if cells > width + EXTRA_CELLS:
        raise StatementError(
            source.name,
            f"has {cells} cells in this row but {width} columns in its header",
            row=header_row + 2 + lines[header_row + 1 :].index(first),
        )

    def careful_chunks() -> Iterator[pd.DataFrame]:
        with source.opener() as f:
            try:
                # Columns by position, never an index: without ``index_col=False`` pandas turns
                # the extra cells of a row ending in delimiters into an index and shifts every
                # column. Room for a few extra cells lets them be checked (empty) rather than
                # guessed at. (Creating the reader already decodes the first part of the file.)
                reader = pd.read_csv(
                    f,
                    sep=delimiter,
                    encoding=encoding,
                    lineterminator="\r" if bare_cr else None,
                    skiprows=header_row + 1,
                    header=None,
                    names=range(width + EXTRA_CELLS),
                    index_col=False,
                    dtype=str,
                    keep_default_na=False,
                    na_filter=False,
                    skip_blank_lines=True,
                    chunksize=CHUNK_ROWS,
                    engine="c",
                    on_bad_lines="error",
                    quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL,
                )
                row = header_row + 2
                for chunk in reader:
                    _check_extra_cells(source.name, chunk, width, header_row)
                    chunk = chunk.iloc[:, :width]
                    chunk.columns = header
                    yield _check_quotes(source.name, chunk, delimiter, row)
                    row += len(chunk)
            except pd.errors.ParserError as exc:
                raise _parser_error(source.name, exc, width) from exc
            except UnicodeDecodeError as exc:
                raise StatementError(
                    source.name, f"has text in an unexpected encoding ({exc.reason})"
                ) from exc

    def chunks(careful: bool = False) -> Iterator[pd.DataFrame]:
        if careful or cells != width:
            yield from careful_chunks()
            return
        fast = _arrow_chunks(source, delimiter, header_row, header, encoding)
        try:
            head = next(fast, None)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            head = None
        if head is None or list(head.iloc[0]) != split_line(first, delimiter):
            yield from careful_chunks()  # nothing handed out yet: read it the careful way
            return
        yield head
        try:
            yield from fast
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:  # the careful reader says where
            raise IrregularRows(source.name) from exc

    breaks = raw.count(b"\r" if bare_cr else b"\n")
    rows_hint = int(source.size * breaks / len(raw)) - header_row - 1 if breaks else None
    return Table(source.name, header, header_row, encoding, delimiter, chunks, rows_hint)


ARROW_BLOCK_BYTES = 6 << 20
"""Bytes of text pyarrow parses at a time: about 50,000 rows of a typical export."""


class IrregularRows(Exception):
    """A row deep in a file has more or fewer cells than its header.

    The fast reader has handed out rows by then, so the caller starts the file again with
    ``careful=True``; the careful reader accepts padded rows and names the row that is wrong.
    """

    def __init__(self, name: str) -> None:
        super().__init__(f"{name}: rows with more or fewer cells than the header")


def _arrow_chunks(
    source: Source, delimiter: str, header_row: int, header: list[str], encoding: str
) -> Iterator[pd.DataFrame]:
    """Rows of a text table, parsed by pyarrow's CSV reader: several times faster than pandas'
    tokenizer and no Python object per cell (other encodings than UTF-8 are decoded on the
    way in). Only for tables whose every row has as many cells as the header; anything else
    raises ``pyarrow.ArrowInvalid``."""
    names = [f"c{i}" for i in range(len(header))]
    with source.opener() as f:
        reader = pa_csv.open_csv(
            f,
            read_options=pa_csv.ReadOptions(
                skip_rows=header_row + 1,
                column_names=names,
                block_size=ARROW_BLOCK_BYTES,
                encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char=False if delimiter == "\t" else '"',
                newlines_in_values=delimiter != "\t",
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        row = header_row + 2
        for batch in reader:
            if batch.num_rows:
                chunk = batch.to_pandas()
                chunk.columns = header
                yield _check_quotes(source.name, chunk, delimiter, row)
                row += batch.num_rows


def _check_extra_cells(name: str, chunk: pd.DataFrame, width: int, header_row: int) -> None:
    """Cells past the header must be empty (trailing delimiters); data there has no column."""
    extra = chunk.iloc[:, width:]
    if extra.empty:
        return
    filled = (extra.fillna("").astype(str) != "").any(axis=1).to_numpy()
    if not filled.any():
        return
    first = int(filled.argmax())
    cells = extra.iloc[first].fillna("").astype(str)
    last = max(i for i, v in enumerate(cells) if v) + 1
    raise StatementError(
        name,
        f"has {width + last} cells in this row but {width} columns in its header; "
        f"the extra cells hold {[str(v) for v in cells.iloc[:last]]!r}",
        row=header_row + 2 + int(chunk.index[first]),
    )


_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _parser_error(name: str, exc: pd.errors.ParserError, width: int) -> StatementError:
    """pandas' tokenizer message -> which row has how many cells (pandas counts file lines)."""
    found = _FIELD_COUNT.search(str(exc))
    if found is None:
        return StatementError(name, f"cannot be read as a table: {exc}")
    line, saw = int(found.group(2)), int(found.group(3))
    return StatementError(
        name, f"has {saw} cells in this row but {width} columns in its header", row=line
    )


# --- spreadsheets ------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """Spreadsheet cells -> the text a person sees; integral numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def excel_tables(source: Source, is_header: Callable[[list[str]], bool]) -> list[Table]:
    from python_calamine import CalamineWorkbook

    try:
        with source.opener() as f:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(f.read()))
        sheets = []
        for sheet_name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            sheets.append((sheet_name, rows))
    except Exception as exc:  # calamine raises its own error types (damaged zip, not a workbook)
        raise StatementError(
            source.name, f"is a damaged or truncated spreadsheet and cannot be opened ({exc})"
        ) from exc
    tables = []
    for sheet_name, rows in sheets:
        text_rows = [[_cell_text(v) for v in row] for row in rows[: HEADER_SEARCH_ROWS + 1]]
        found = find_header(source.name, text_rows, is_header, "")
        if found is None:
            continue
        header_row, _, header = found

        def chunks(
            careful: bool = False, rows=rows, header_row=header_row, header=header
        ) -> Iterator[pd.DataFrame]:
            body = [
                [_cell_text(v) for v in row[: len(header)]] + [""] * (len(header) - len(row))
                for row in rows[header_row + 1 :]
                if any(v not in (None, "") for v in row)
            ]
            for start in range(0, max(len(body), 1), CHUNK_ROWS):
                yield pd.DataFrame(body[start : start + CHUNK_ROWS], columns=header, dtype=str)

        label = source.name if len(sheets) == 1 else f"{source.name} › {sheet_name}"
        rows_hint = len(rows) - header_row - 1
        tables.append(Table(label, header, header_row, "xlsx", "", chunks, rows_hint))
    return tables


# --- entry point -------------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
TEXT_MEMBER_SUFFIXES = (".csv", ".tsv", ".txt")


def _is_table_member(name: str) -> bool:
    """A CSV/TSV/TXT/XLSX in an archive, not macOS resource forks (``__MACOSX/``, ``._x.csv``)
    or other hidden files, which carry binary data under a statement's name."""
    base = PurePath(name).name
    return (
        name.lower().endswith((*TEXT_MEMBER_SUFFIXES, ".xlsx"))
        and not name.startswith("__MACOSX")
        and not base.startswith(".")
    )


def open_tables(source: Source, is_header: Callable[[list[str]], bool]) -> list[Table]:
    """All tables in a source whose header a known layout recognizes.

    Raises ``StatementError`` for empty, binary or damaged files; returns ``[]`` when the file
    is readable but no table in it is in a known layout.
    """
    if source.size == 0:
        raise StatementError(source.name, "is empty (0 bytes)")
    head = source.head(8)
    lower = source.name.lower()
    if head.startswith(ZIP_MAGIC) or lower.endswith((".xlsx", ".xlsm", ".zip")):
        try:
            with source.opener() as f:
                archive = zipfile.ZipFile(io.BytesIO(f.read()))
                names = archive.namelist()
        except zipfile.BadZipFile as exc:
            kind = "spreadsheet" if lower.endswith((".xlsx", ".xlsm")) else "ZIP archive"
            raise StatementError(
                source.name, f"is a damaged or truncated {kind} and cannot be opened"
            ) from exc
        if any(n.startswith("xl/") for n in names):
            return excel_tables(source, is_header)
        members = [n for n in names if _is_table_member(n)]
        if not members:
            raise StatementError(
                source.name, "is a ZIP archive with no CSV, TSV, TXT or XLSX inside"
            )
        tables = []
        for member in members:
            data = archive.read(member)
            inner = Source.from_bytes(f"{source.name} › {member}", data)
            tables.extend(open_tables(inner, is_header))
        return tables
    if head.startswith(OLE_MAGIC) or lower.endswith((".xls", ".ods")):
        return excel_tables(source, is_header)
    table = text_table(source, is_header)
    return [table] if table else []
