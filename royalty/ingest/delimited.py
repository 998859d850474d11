"""One delimited text table of a statement: where its header is, and its rows as text chunks.

Everything a text file can do wrong is handled here, before any layout is known: its encoding
(found by ``encoding``), line ends (``\\r\\n``, ``\\n``, bare ``\\r``), delimiters (TAB, ``,``,
``;``, ``|``), preamble rows above the header (kept as the table's ``preamble``), quotes that
never close (``cells``), blank lines (``lines`` numbers each row by its line all the same),
rows with more or fewer cells than the header. Cells are always read as text: identifiers and
money are converted deliberately later. pyarrow parses a table whose rows all have as many
cells as its header; anything else is read by pandas' tokenizer, which accepts padded rows and
names the row that is wrong. The header search is the workbook reader's (``spreadsheet``) too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from royalty.errors import StatementError
from royalty.ingest import archive, reader
from royalty.ingest.cells import MAX_LINE_CHARS, check_quotes, unquote
from royalty.ingest.encoding import sniff_encoding
from royalty.ingest.lines import Lines

HEADER_SEARCH_ROWS = 30
DELIMITERS = ("\t", ",", ";", "|")
EXTRA_CELLS = 16
"""Cells a text row may have beyond its header. Spreadsheet re-saves pad rows with trailing
delimiters; those cells must be empty. A row with more cells than this is rejected outright."""
CHUNK_CELLS = 4_000_000
"""Cells the careful reader reads at a time: ``reader.CHUNK_ROWS`` rows of up to 80 columns,
fewer rows of a wider (padded) table, so a chunk stays a few tens of MB."""


def clean_header(cell: object) -> str:
    return str(cell if cell is not None else "").replace("\ufeff", "").strip().strip('"').strip()


# --- finding the header ------------------------------------------------------------------------


def _lines(text: str, limit: int) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:limit]


def _named(header: list[str]) -> list[str]:
    """The header without the empty cells at its end."""
    end = len(header)
    while end and not header[end - 1]:
        end -= 1
    return header[:end]


def split_line(line: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return [unquote(cell) for cell in line.split("\t")]
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a quoted cell longer than csv's field limit: no header, no real row
        return line.split(delimiter)


def _head_lines(source: reader.Source, encoding: str) -> tuple[bytes, str, list[str]]:
    """The first bytes, their text and the lines of the header search plus one, whole: read
    further when a line is cut short, and refused when one is longer than a statement's."""
    size = reader.SNIFF_BYTES
    while True:
        raw = source.head(size)
        text = raw.decode(encoding, errors="ignore")
        lines = _lines(text, HEADER_SEARCH_ROWS + 2)
        whole = len(raw) >= source.size or len(lines) == HEADER_SEARCH_ROWS + 2
        for number, line in enumerate(lines if whole else lines[:-1], start=1):
            if len(line) > MAX_LINE_CHARS:
                raise _long_line(source.name, number)
        if whole:
            return raw, text, lines[: HEADER_SEARCH_ROWS + 1]
        if len(lines[-1]) > MAX_LINE_CHARS:
            raise _long_line(source.name, len(lines))
        size *= 4


def _long_line(name: str, row: int) -> StatementError:
    return StatementError(
        name, f"is longer than {MAX_LINE_CHARS // 1_000_000} MB; is this a statement?", row=row
    )


def find_header(
    name: str,
    lines: list[list[str]] | list[str],
    is_header: Callable[[list[str]], bool],
    delimiter: str | None,
) -> tuple[int, str, list[str]] | None:
    """First row (of the first few) that a known layout recognizes, with its delimiter.

    A text line's empty cells at its end are not read one by one (a re-save can pad a line with
    thousands); they come back as empty cells after the named ones. A line of more than
    ``archive.MAX_COLUMNS`` other cells is no header."""
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        if isinstance(line, list):
            candidates = [(delimiter or "", [clean_header(c) for c in line], 0)]
        else:
            candidates = []
            for d in DELIMITERS:
                if d not in line:
                    continue
                named = line.rstrip(d + " ")
                if named.count(d) < archive.MAX_COLUMNS:
                    cells = [clean_header(c) for c in split_line(named, d)]
                    candidates.append((d, cells, line.count(d) - named.count(d)))
        for delim, cells, padding in candidates:
            if len(cells) > 1 and is_header(cells):
                return index, delim, cells + [""] * padding
    return None


def supplied_header(
    lines: list[str], headerless: reader.Headerless
) -> tuple[int, str, list[str]] | None:
    """For a file without a header row: the names a layout gives its first row's columns, as if
    they were a header above that row (``header_row`` one less), with its delimiter.

    Only the first row is shown (without the empty cells at its end, as in the header search):
    the layout recognizes the file by it, and every row of the file, that one included, is
    then data."""
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if index is None:
        return None
    for delimiter in DELIMITERS:
        named = lines[index].rstrip(delimiter + " ")
        if delimiter not in named or named.count(delimiter) >= archive.MAX_COLUMNS:
            continue
        names = headerless([clean_header(c) for c in split_line(named, delimiter)])
        if names:
            return index - 1, delimiter, list(names)
    return None


# --- text tables -------------------------------------------------------------------------------


def text_table(
    source: reader.Source,
    is_header: Callable[[list[str]], bool],
    headerless: reader.Headerless | None = None,
) -> reader.Table | None:
    encoding = sniff_encoding(source)
    raw, text, lines = _head_lines(source, encoding)
    if not any(line.strip() for line in lines):
        raise StatementError(source.name, "is empty")
    found = find_header(source.name, lines, is_header, None)
    if found is None and headerless is not None:
        found = supplied_header(lines, headerless)
    if found is None:
        return None
    header_row, delimiter, header = found
    # Empty cells at the end of the header are no columns: a re-save pads the header and its
    # rows alike, and 100,000 of them once took 3 GB. Rows may carry as many (empty) ones.
    padded = len(header)
    header = _named(header)
    if padded > archive.MAX_COLUMNS:
        raise StatementError(
            source.name,
            f"has {padded:,} cells in its header row ({len(header):,} of them named); this app "
            f"reads statements of at most {archive.MAX_COLUMNS:,} columns",
            row=header_row + 1,
        )
    # pandas' default tokenizer counts an empty line before the header differently when lines
    # end in a bare CR, so ``skiprows`` would land one row late and drop data silently.
    bare_cr = "\r" in text and "\n" not in text

    width = len(header)
    # pandas sizes its columns by the first row when it has more cells than ``names`` and drops
    # the rest with only a warning, so that one row is counted here.
    first = next((line for line in lines[header_row + 1 :] if line.strip()), "")
    cells = len(split_line(first, delimiter)) if first else 0
    if cells > padded + EXTRA_CELLS:
        raise StatementError(
            source.name,
            f"has {cells} cells in this row but {width} columns in its header",
            row=header_row + 2 + lines[header_row + 1 :].index(first),
        )

    def careful_chunks() -> Iterator[pd.DataFrame]:
        with source.opener() as raw:
            f = Lines(raw, encoding, delimiter, header_row + 2)
            try:
                # Columns by position, never an index: without ``index_col=False`` pandas turns
                # the extra cells of a row ending in delimiters into an index and shifts every
                # column. Room for a few extra cells lets them be checked (empty) rather than
                # guessed at. (Creating the reader already decodes the first part of the file.)
                parser = pd.read_csv(
                    f,
                    sep=delimiter,
                    encoding=encoding,
                    lineterminator="\r" if bare_cr else None,
                    skiprows=header_row + 1,
                    header=None,
                    names=range(padded + EXTRA_CELLS),
                    index_col=False,
                    dtype=str,
                    keep_default_na=False,
                    na_filter=False,
                    skip_blank_lines=True,
                    chunksize=max(1, min(reader.CHUNK_ROWS, CHUNK_CELLS // (padded + EXTRA_CELLS))),
                    engine="c",
                    on_bad_lines="error",
                    quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL,
                )
                for chunk in parser:
                    chunk.index = f.numbers(len(chunk))
                    _check_extra_cells(source.name, chunk, padded, width)
                    chunk = chunk.iloc[:, :width]
                    chunk.columns = header
                    yield check_quotes(source.name, chunk, delimiter)
            except pd.errors.ParserError as exc:
                raise _parser_error(source.name, exc, width) from exc
            except UnicodeDecodeError as exc:
                raise StatementError(
                    source.name, f"has text in an unexpected encoding ({exc.reason})"
                ) from exc

    def chunks(
        careful: bool = False, columns: Collection[str] | None = None
    ) -> Iterator[pd.DataFrame]:
        if careful or cells != padded:
            yield from careful_chunks()
            return
        padded_header = header + [""] * (padded - width)
        fast = _arrow_chunks(
            source,
            delimiter,
            header_row,
            padded_header,
            encoding,
            columns=columns,
            line_bytes=len(raw) / breaks if breaks else 0,
        )
        try:
            head = next(fast, None)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            head = None
        given = split_line(first, delimiter)[:width]
        if head is None or list(head.iloc[0]) != [
            cell for name, cell in zip(header, given, strict=False) if name in head.columns
        ]:
            yield from careful_chunks()  # nothing handed out yet: read it the careful way
            return
        yield head
        try:
            yield from fast
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:  # the careful reader says where
            raise IrregularRows(source.name) from exc

    breaks = raw.count(b"\r" if bare_cr else b"\n")
    rows_hint = int(source.size * breaks / len(raw)) - header_row - 1 if breaks else None
    preamble = tuple(_preamble_row(line, delimiter) for line in lines[: max(header_row, 0)])
    return reader.Table(
        source.name, header, header_row, encoding, delimiter, chunks, rows_hint, preamble
    )


def _preamble_row(line: str, delimiter: str) -> tuple[str, ...]:
    """A line above the header, split as the header is: the same bounds (no cells from a
    line of more than ``archive.MAX_COLUMNS`` of them; lines no longer than a header's)."""
    named = line.rstrip(delimiter + " ")
    if named.count(delimiter) >= archive.MAX_COLUMNS:
        return ()
    return tuple(_named([clean_header(cell) for cell in split_line(named, delimiter)]))


ARROW_BLOCK_BYTES = 6 << 20
"""Bytes of text pyarrow parses at a time: about 50,000 rows of a typical export."""
TYPICAL_LINE_BYTES = 128
"""A typical export's line: a file of longer lines (a label statement's 28 quoted columns) is
parsed in as many more bytes at a time (up to four times as many), so that a chunk still holds
about as many rows (each chunk costs the steps after the reader a fixed part of their time)."""


class IrregularRows(Exception):
    """A row deep in a file has more or fewer cells than its header.

    The fast reader has handed out rows by then, so the caller starts the file again with
    ``careful=True``; the careful reader accepts padded rows and names the row that is wrong.
    """

    def __init__(self, name: str) -> None:
        super().__init__(f"{name}: rows with more or fewer cells than the header")


def _arrow_chunks(
    source: reader.Source,
    delimiter: str,
    header_row: int,
    header: list[str],
    encoding: str,
    *,
    columns: Collection[str] | None = None,
    line_bytes: float = 0,
) -> Iterator[pd.DataFrame]:
    """Rows of a text table, parsed by pyarrow's CSV reader: several times faster than pandas'
    tokenizer and no Python object per cell (other encodings than UTF-8 are decoded on the
    way in). Only for tables whose every row has as many cells as the header; anything else
    raises ``pyarrow.ArrowInvalid``. Empty cells at the end of the header are not kept;
    with ``columns``, only the header's columns of those names are. ``line_bytes``: how long
    the first lines are, on average."""
    names = [f"c{i}" for i in range(len(header))]
    header = _named(header)
    kept = [i for i, name in enumerate(header) if columns is None or name in columns]
    with source.opener() as raw:
        f = Lines(raw, encoding, delimiter, header_row + 2)
        parser = pa_csv.open_csv(
            f,
            read_options=pa_csv.ReadOptions(
                skip_rows=header_row + 1,
                column_names=names,
                block_size=int(
                    ARROW_BLOCK_BYTES * min(max(1.0, line_bytes / TYPICAL_LINE_BYTES), 4)
                ),
                encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char=False if delimiter == "\t" else '"',
                newlines_in_values=delimiter != "\t",
            ),
            convert_options=pa_csv.ConvertOptions(
                # pandas keeps text as large strings: read as such, not converted per chunk
                column_types=dict.fromkeys(names[: len(header)], pa.large_string()),
                include_columns=[names[i] for i in kept] if len(kept) < len(names) else None,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        given = 0
        for batch in parser:
            if batch.num_rows:
                given += batch.num_rows
                chunk = batch.to_pandas()
                chunk.columns = [header[i] for i in kept]
                chunk.index = f.numbers(batch.num_rows)
                yield check_quotes(source.name, chunk, delimiter)
        if len(kept) < len(names) and delimiter != "\t" and given != f.rows_in_file():
            # a quote left open in a column not read swallowed line ends: the careful reader
            # reads every column and names the cell
            raise pa.ArrowInvalid(f"{given:,} rows from {f.rows_in_file():,} lines")


def _check_extra_cells(name: str, chunk: pd.DataFrame, padded: int, width: int) -> None:
    """Cells past the header's (``padded``: with its empty cells at the end) must be empty
    (trailing delimiters); data there has no column. ``width``: the header's named columns;
    the chunk's index: each row's line."""
    extra = chunk.iloc[:, padded:]
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
        f"has {padded + last} cells in this row but {width} columns in its header; "
        f"the extra cells hold {[str(v) for v in cells.iloc[:last]]!r}",
        row=int(chunk.index[first]),
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
