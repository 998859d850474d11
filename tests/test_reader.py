"""The reader turns any statement container into header + text rows, before layouts are known.

Each case is written in the bytes real exports use: BOMs, UTF-16, Latin-1, bare-CR line ends,
preamble rows above the header.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from royalty import importers
from royalty.errors import StatementError
from royalty.ingest import archive, delimited, encoding
from royalty.ingest import lines as lines_module
from royalty.ingest.delimited import HEADER_SEARCH_ROWS
from royalty.ingest.encoding import sniff_encoding
from royalty.ingest.lines import Lines
from royalty.ingest.reader import Source, open_tables

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = ["Sale Month", "Store", "Title", "Earnings (USD)"]
ROWS = [
    ["2024-05", "Spotify", "Café del Puerto", "0.01308573"],
    ["2024-05", "Apple Music", "Ñandú, part 2", "0.00040035"],
    ["2024-06", "Deezer", "Fête Foraine", "1,204.50"],
]


def knows_header(cells: list[str]) -> bool:
    return "Sale Month" in cells and "Earnings (USD)" in cells


def statement_text(delimiter: str = "\t", newline: str = "\r\n", preamble: list[str] = ()) -> str:
    def line(cells: list[str]) -> str:
        return delimiter.join(f'"{c}"' if delimiter in c or "," in c else c for c in cells)

    return newline.join([*preamble, line(HEADER), *(line(r) for r in ROWS)]) + newline


def read_all(name: str, data: bytes) -> tuple[list, pd.DataFrame]:
    tables = open_tables(Source.from_bytes(name, data), knows_header)
    assert len(tables) == 1
    rows = pd.concat(list(tables[0].chunks()), ignore_index=True)
    return tables, rows


@pytest.mark.parametrize(
    ("encoded", "sniffed"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),  # BOM FF FE, then UTF-16LE: Bandcamp
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.encode("latin-1"), "cp1252"),  # DistroKid read as ISO-8859-1
    ],
    ids=["utf-8", "utf-8-bom", "utf-16le-bom", "utf-16le-no-bom", "latin-1"],
)
def test_encodings_are_sniffed_and_text_decoded(encoded, sniffed):
    data = encoded(statement_text())
    assert sniff_encoding(Source.from_bytes("s.tsv", data)) == sniffed

    tables, rows = read_all("s.tsv", data)

    assert tables[0].header == HEADER  # no BOM left on the first header cell
    assert rows.values.tolist() == ROWS


def test_bytes_cp1252_cannot_decode_fall_back_to_latin_1():
    data = statement_text().encode("latin-1").replace("Fête".encode("latin-1"), b"F\x81te")
    assert sniff_encoding(Source.from_bytes("s.tsv", data)) == "latin-1"
    _, rows = read_all("s.tsv", data)
    assert rows.iloc[2, 2] == "F\x81te Foraine"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="ab\t\n", max_size=6).map(str.encode),
            st.sampled_from(["é", "€", "𝄞", "ß"]).map(str.encode),  # two to four bytes
            st.binary(max_size=3),  # any bytes: broken sequences, stray continuation bytes
        ),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=7),
)
def test_the_first_byte_that_is_not_utf8_is_found_across_block_cuts(pieces, block):
    # validated a few bytes at a time, a character is cut at every place a block can end
    data = b"".join(pieces)
    try:
        data.decode("utf-8")
        expected = None
    except UnicodeDecodeError as exc:
        expected = exc.start
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(encoding, "VALIDATED_BYTES", block)
        source = Source.from_bytes("s.tsv", data)
        assert encoding._all_utf8(source) == (expected is None)  # the fast answer is right
        assert encoding._first_invalid_utf8(source) == expected


def test_binary_data_is_an_error_not_garbage():
    with pytest.raises(StatementError, match="binary data"):
        open_tables(Source.from_bytes("report.csv", b"%PDF-1.7\n\x00\x01\x02binary"), knows_header)


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "bare-cr"])
def test_every_line_end_reads_every_row(newline):
    # a blank line in the preamble once made bare-CR files lose their first data row
    preamble = ["Statement for account 4471", "", "Generated 2026-02-26"]
    data = statement_text(newline=newline, preamble=preamble).encode("ascii", "replace")

    tables, rows = read_all("s.tsv", data)

    assert tables[0].header_row == 3
    assert len(rows) == 3
    assert rows["Store"].tolist() == ["Spotify", "Apple Music", "Deezer"]
    assert rows["Earnings (USD)"].tolist() == ["0.01308573", "0.00040035", "1,204.50"]


def test_blank_lines_between_rows_are_skipped_with_bare_cr():
    text = statement_text(newline="\r").replace("\rDeezer", "\r\rDeezer")
    data = text.replace("\r2024-06", "\r\r2024-06").encode("utf-8")
    _, rows = read_all("s.tsv", data)
    assert len(rows) == 3


@pytest.mark.parametrize("delimiter", ["\t", ",", ";", "|"], ids=["tab", "comma", "semi", "pipe"])
def test_delimiter_is_found_from_the_header(delimiter):
    tables, rows = read_all("s.txt", statement_text(delimiter=delimiter).encode("utf-8"))

    assert tables[0].delimiter == delimiter
    assert rows.values.tolist() == ROWS  # quoted cells holding the delimiter stay whole


def test_header_is_found_below_a_preamble():
    # SoundCloud: "Account ID" and the account's UUID, padded with commas, above the header
    preamble = ["Account ID,,,", "5f0c2d8e-7a41-4b9e-9c3d-2e8f61a7b410,,,"]
    data = statement_text(delimiter=",", preamble=preamble).encode("utf-8")

    tables, rows = read_all("lifetime_statement.csv", data)

    assert tables[0].header_row == 2
    assert tables[0].header == HEADER
    assert rows.values.tolist() == ROWS


def test_header_too_far_down_is_not_a_known_table():
    preamble = [f"note {i}" for i in range(HEADER_SEARCH_ROWS + 1)]
    data = statement_text(preamble=preamble).encode("utf-8")
    assert open_tables(Source.from_bytes("s.tsv", data), knows_header) == []


def test_empty_file_is_an_error():
    with pytest.raises(StatementError, match="empty"):
        open_tables(Source.from_bytes("s.tsv", b""), knows_header)
    with pytest.raises(StatementError, match="empty"):
        open_tables(Source.from_bytes("s.tsv", b"\r\n\r\n"), knows_header)


def test_cells_stay_text():
    data = statement_text().replace("0.01308573", "007.10").encode("utf-8")
    _, rows = read_all("s.tsv", data)
    assert rows.iloc[0, 3] == "007.10"  # no float, no lost zeros


def test_statements_inside_a_zip_are_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2024-05/statement.csv", statement_text(delimiter=",").encode("utf-8"))
        archive.writestr("__MACOSX/2024-05/._statement.csv", b"\x00\x05\x16\x07")
        archive.writestr("readme.pdf", b"%PDF-1.7")

    tables = open_tables(Source.from_bytes("export.zip", buffer.getvalue()), knows_header)

    assert [t.name for t in tables] == ["export.zip › 2024-05/statement.csv"]
    assert pd.concat(list(tables[0].chunks())).values.tolist() == ROWS


def test_trailing_delimiters_keep_columns_in_place():
    """pandas would make the extra empty cells an index and shift every value one column."""
    text = "\t".join(HEADER) + "\n" + "".join("\t".join(r) + "\t\t\n" for r in ROWS)
    _, rows = read_all("s.tsv", text.encode())
    assert list(rows.columns) == HEADER
    assert rows.values.tolist() == ROWS


def test_extra_cells_with_values_are_an_error_not_dropped():
    text = "\t".join(HEADER) + "\n" + "\t".join(ROWS[0]) + "\n" + "\t".join([*ROWS[1], "7"]) + "\n"
    tables = open_tables(Source.from_bytes("s.tsv", text.encode()), knows_header)
    with pytest.raises(StatementError) as raised:
        list(tables[0].chunks())
    assert str(raised.value) == (
        "s.tsv, row 3: has 5 cells in this row but 4 columns in its header; "
        "the extra cells hold ['7']"
    )


@pytest.mark.parametrize(
    "path",
    sorted(p for p in FIXTURES.iterdir() if p.suffix in (".csv", ".tsv", ".txt")),
    ids=lambda p: p.name,
)
def test_fast_and_careful_readers_give_the_same_rows(path, monkeypatch):
    """pyarrow reads clean UTF-8 tables; pandas reads everything else. Same cells either way,
    including when the fast reader hands rows out in many small blocks."""
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 2048)
    for table in open_tables(Source.from_path(path), importers.is_known_header):
        fast = pd.concat(list(table.chunks()), ignore_index=True)
        careful = pd.concat(list(table.chunks(careful=True)), ignore_index=True)
        pd.testing.assert_frame_equal(fast, careful)
        assert len(fast) > 0


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_a_table_says_about_how_many_rows_it_has(newline):
    """The bulk writer plans its segments from this: near the truth, whatever the line ends."""
    rows = [["2024-05", "Spotify", f"Song {i}", "0.01308573"] for i in range(5000)]
    text = newline.join("\t".join(r) for r in [HEADER, *rows]) + newline
    (table,) = open_tables(Source.from_bytes("dk.tsv", text.encode()), knows_header)
    assert table.rows_hint is not None and abs(table.rows_hint - 5000) < 50


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_the_fast_reader_gives_what_the_careful_one_gives_in_every_encoding(encoding, monkeypatch):
    """pyarrow reads every encoding (decoding on the way in); pandas is the careful fallback."""
    rows = [["2024-05", "Spotify", f"Fête {i} — Ñandú", f"0.{i:08d}"] for i in range(3000)]
    text = "\r\n".join("\t".join(r) for r in [HEADER, *rows]) + "\r\n"
    (table,) = open_tables(Source.from_bytes("dk.tsv", text.encode(encoding)), knows_header)
    arrow_reads = []
    real_arrow_chunks = delimited._arrow_chunks
    monkeypatch.setattr(
        delimited,
        "_arrow_chunks",
        lambda *a, **k: arrow_reads.append(a[-1]) or real_arrow_chunks(*a, **k),
    )
    fast = pd.concat(list(table.chunks()), ignore_index=True)
    assert arrow_reads == [table.encoding]
    careful = pd.concat(list(table.chunks(careful=True)), ignore_index=True)
    assert fast.values.tolist() == careful.values.tolist() == rows


def test_a_second_pass_reads_only_the_columns_it_asks_for():
    """A layout's scan and the number-style check read the file again: a text table's fast
    reader parses only the columns they name, with the same cells and row numbers."""
    rows = [["2024-05", "Spotify", f"Song {i}", f"0.{i:08d}"] for i in range(3000)]
    text = "\n".join(",".join(r) for r in [HEADER, *rows]) + "\n"
    (table,) = open_tables(Source.from_bytes("dk.csv", text.encode()), knows_header)
    whole = pd.concat(list(table.chunks()))
    some = pd.concat(list(table.chunks(columns={"Earnings (USD)", "Store"})))
    assert list(some.columns) == ["Store", "Earnings (USD)"]  # in the file's order
    assert some.index.tolist() == whole.index.tolist() == list(range(2, 3002))
    assert some.equals(whole[["Store", "Earnings (USD)"]])
    careful = pd.concat(list(table.chunks(careful=True, columns={"Store"})))
    assert careful[["Store"]].equals(whole[["Store"]])  # the careful reader may give them all


def test_a_file_without_a_header_takes_the_names_a_layout_gives_its_first_row():
    """``headerless`` is asked about the first row only when no row is a header; the names it
    gives stand for a header above that row, so every row is data, numbered from 1."""
    asked: list[list[str]] = []

    def headerless(cells: list[str]) -> list[str] | None:
        asked.append(cells)
        return ["Kind", "Sale Month", "Earnings"] if cells[0] == "S" else None

    data = b"S,2024-05,0.50\nS,2024-06,0.25\nT,,0.75\n"
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("plain.csv", data)
    for source in (
        Source.from_bytes("plain.csv", data),
        Source.from_bytes("months.zip", zipped.getvalue()),
    ):
        asked.clear()
        (table,) = open_tables(source, knows_header, headerless)
        assert (table.header, table.header_row, table.delimiter) == (
            ["Kind", "Sale Month", "Earnings"], -1, ",",
        )  # fmt: skip
        assert pd.concat(table.chunks()).values.tolist() == [
            ["S", "2024-05", "0.50"], ["S", "2024-06", "0.25"], ["T", "", "0.75"],
        ]  # fmt: skip
        assert asked == [["S", "2024-05", "0.50"]]

    asked.clear()
    with_header = ("\t".join(HEADER) + "\n" + "\t".join(ROWS[0]) + "\n").encode()
    (table,) = open_tables(Source.from_bytes("h.tsv", with_header), knows_header, headerless)
    assert (table.header, asked) == (HEADER, [])  # a header found: nothing else is asked
    assert (
        open_tables(Source.from_bytes("x.csv", b"X,2024-05,0.50\n"), knows_header, headerless) == []
    )
    assert open_tables(Source.from_bytes("x.csv", data), knows_header) == []  # no one asked


# --- rows numbered by their line: blank lines counted -----------------------------------------

SALES = importers.Layout(
    name="sales", source="Sales", title="sales report", signature=("Sale Month", "Earnings (USD)"),
    columns={"usage_month": "Sale Month", "store": "Store", "title": "Title",
             "amount": "Earnings (USD)"},
    currency="USD",
)  # fmt: skip


def with_blank_lines(delimiter: str, newline: str, last: list[str]) -> bytes:
    """The statement with blank lines between its rows (rows on lines 2, 4, 7 and 10)."""

    def line(cells: list[str]) -> str:
        return delimiter.join(f'"{c}"' if delimiter in c or "," in c else c for c in cells)

    lines = [HEADER, ROWS[0], [], ROWS[1], [], [], ROWS[2], [], [], last, []]
    return (newline.join(line(cells) for cells in lines) + newline).encode("utf-8")


def chunks_read(table, careful: bool, monkeypatch) -> list[pd.DataFrame]:
    """The table's chunks from the reader asked for, checking that it was the one that read."""
    arrow_reads = []
    real_arrow_chunks = delimited._arrow_chunks
    monkeypatch.setattr(
        delimited,
        "_arrow_chunks",
        lambda *a, **k: arrow_reads.append(a) or real_arrow_chunks(*a, **k),
    )
    chunks = list(table.chunks(careful=careful))
    assert len(arrow_reads) == (0 if careful else 1)
    return chunks


READERS = pytest.mark.parametrize("careful", [False, True], ids=["fast", "careful"])
DELIMITERS = pytest.mark.parametrize("delimiter", ["\t", ","], ids=["tsv", "csv"])


@READERS
@DELIMITERS
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "bare-cr"])
def test_rows_below_blank_lines_keep_their_line_numbers(delimiter, newline, careful, monkeypatch):
    last = ["2024-06", "Qobuz", "Lanterns", "0.25"]
    data = with_blank_lines(delimiter, newline, last)
    (table,) = open_tables(Source.from_bytes("s.txt", data), knows_header)

    chunks = chunks_read(table, careful, monkeypatch)

    rows = pd.concat(chunks)
    assert list(rows.index) == [2, 4, 7, 10]
    assert rows.values.tolist() == [*ROWS, last]


@READERS
@DELIMITERS
def test_a_wrong_value_below_a_blank_line_names_its_line(delimiter, careful, monkeypatch):
    data = with_blank_lines(delimiter, "\r\n", ["2024-06", "Qobuz", "Lanterns", "twelve"])
    (table,) = open_tables(Source.from_bytes("s.txt", data), knows_header)
    mapping = SALES.column_map(table.header)
    facts = importers.FileFacts(
        table.name, tuple(table.header), mapping, importers.ImportOptions(), decimal_comma=False
    )

    with pytest.raises(StatementError) as raised:
        for chunk in chunks_read(table, careful, monkeypatch):
            importers.normalize(chunk, layout=SALES, facts=facts)

    assert str(raised.value) == (
        "s.txt, row 10, column 'Earnings (USD)': is not an amount of money: 'twelve'"
    )


@READERS
@DELIMITERS
def test_a_broken_cell_below_a_blank_line_names_its_line(delimiter, careful, monkeypatch):
    """The reader's own errors too: a quote that never closes (TSV), a quoted line end (CSV)."""
    broken = '"Night Ferry' if delimiter == "\t" else '"Night\r\nFerry"'
    data = with_blank_lines(delimiter, "\r\n", ["2024-06", "Qobuz", broken, "0.25"])
    (table,) = open_tables(Source.from_bytes("s.txt", data), knows_header)

    with pytest.raises(StatementError) as raised:
        chunks_read(table, careful, monkeypatch)

    assert str(raised.value).startswith("s.txt, row 10, column 'Title': a quote opens in this cell")


@READERS
def test_a_stretch_of_blank_lines_is_counted_whatever_its_size(careful, monkeypatch):
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 4096)  # many blocks of nothing
    blank = 300_000
    text = "\t".join(HEADER) + "\n" + "\t".join(ROWS[0]) + "\n" * (blank + 1)
    data = (text + "\t".join(ROWS[1]) + "\r\n\r\n").encode()
    (table,) = open_tables(Source.from_bytes("s.tsv", data), knows_header)

    rows = pd.concat(chunks_read(table, careful, monkeypatch))

    assert list(rows.index) == [2, blank + 3]
    assert rows.values.tolist() == ROWS[:2]


def test_rows_below_empty_sheet_rows_keep_their_row_numbers():
    import openpyxl

    workbook = openpyxl.Workbook()
    for cells in [["Royalty report"], ["Currency", "USD"], HEADER, ROWS[0], [], ROWS[1], []]:
        workbook.active.append(cells)
    workbook.active.append(ROWS[2])
    out = io.BytesIO()
    workbook.save(out)

    (table,) = open_tables(Source.from_bytes("s.xlsx", out.getvalue()), knows_header)

    assert table.preamble == (("Royalty report",), ("Currency", "USD"))
    rows = pd.concat(list(table.chunks()))
    assert list(rows.index) == [4, 6, 8]
    assert rows.values.tolist() == ROWS


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"])
@pytest.mark.parametrize(
    ("read", "piece"), [(1, 3), (2, 3), (3, 1), (7, 2), (4096, 5), (4096, 4096)]
)
def test_lines_finds_every_blank_line_however_the_reads_cut_the_file(
    encoding, read, piece, monkeypatch
):
    """Blank lines (nothing, or only spaces) in every kind of line end, a CRLF or a UTF-16
    character cut between two reads (or two pieces of one read); the rows are numbered by the
    lines that are not blank."""
    monkeypatch.setattr(lines_module, "SLICE", piece)
    text = "h\r\n\r\na\n\n \t \rb\r\rc\r\n  \r\n\n\rd\te\r\n\t\nf\r"
    # lines: 1 h, 2 "", 3 a, 4 "", 5 " \t ", 6 b, 7 "", 8 c, 9 "  ", 10 "", 11 "", 12 d<TAB>e,
    # 13 <TAB>, 14 f; a TAB is a space unless it is the delimiter
    raw = io.BufferedReader(io.BytesIO(text.encode(encoding)), buffer_size=1)
    for delimiter, rows in ((",", [3, 6, 8, 12, 14]), ("\t", [3, 5, 6, 8, 12, 13, 14])):
        raw.seek(0)
        lines = Lines(raw, encoding, delimiter, first_row=2)
        while lines.read(read):
            pass
        numbered = [*lines.numbers(1), *lines.numbers(0), *lines.numbers(len(rows) - 1)]
        assert numbered == rows


# --- the rows above the header ------------------------------------------------------------------


def test_the_rows_above_the_header_are_the_preamble_split_as_the_header_is():
    preamble = ["Start Date\t10/01/2017", "", '"Currency"\t"AUD"\t\t']
    (table,) = open_tables(Source.from_bytes("s.tsv", statement_text(preamble=preamble).encode()),
                           knows_header)  # fmt: skip
    assert table.header_row == 3
    assert table.preamble == (("Start Date", "10/01/2017"), (), ("Currency", "AUD"))
    assert importers.base.preamble_values(table.preamble) == {
        "start date": "10/01/2017", "currency": "AUD",
    }  # fmt: skip

    names = ["Format version,Start date,End date", "2,2017-10-01,2017-10-31"]
    (table,) = open_tables(
        Source.from_bytes("s.csv", statement_text(",", preamble=names).encode()), knows_header
    )
    assert table.preamble == (
        ("Format version", "Start date", "End date"), ("2", "2017-10-01", "2017-10-31"),
    )  # fmt: skip
    (table,) = open_tables(Source.from_bytes("s.tsv", statement_text().encode()), knows_header)
    assert table.preamble == ()


def test_a_preamble_row_is_bounded_as_a_header_is():
    """A line of more cells than a statement has gives none (as it is no header)."""
    wide = "\t".join(["x"] * archive.MAX_COLUMNS + ["y"])
    preamble = ["Currency\tGBP", wide, f"note{' ' * 50}\t{chr(9) * 10_000}"]
    (table,) = open_tables(Source.from_bytes("s.tsv", statement_text(preamble=preamble).encode()),
                           knows_header)  # fmt: skip
    assert table.preamble == (("Currency", "GBP"), (), ("note",))
    assert len(table.preamble) == table.header_row <= HEADER_SEARCH_ROWS
