"""Files people really drop in: each gets a precise message or imports correctly.

On every error nothing is stored: no statement, no line, no artist or store name.
"""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from royalty.ingest import delimited, import_bytes, size_text
from royalty.store.models import (
    Artist,
    EarningLine,
    Release,
    Statement,
    StatementTotal,
    Store,
    Territory,
    Track,
)

HEADER = [
    "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
    "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld",
    "Earnings (USD)",
]  # fmt: skip


def row(
    month: str, amount: str, title: str = "Café del Puerto", isrc: str = "QZNWX2311001"
) -> list[str]:
    return ["2023-06-08", month, "Spotify", "Inés Solà", title, isrc, "195920977126",
            "412", "100", "Song", "ES", "0", amount]  # fmt: skip


def tsv(rows: list[list[str]], *, encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    lines = ["\t".join(HEADER), *("\t".join(r) for r in rows)]
    return (newline.join(lines) + newline).encode(encoding)


GOOD = [
    row("2023-04", "1.41536244"),
    row("2023-05", "0.31278150", title="Ñandú", isrc="QZNWX2311003"),
]
GOOD_TOTAL = {"USD": "1.72814394"}


def counts(engine) -> dict[str, int]:
    models = (Statement, StatementTotal, EarningLine, Artist, Store, Track, Release, Territory)
    with engine.connect() as conn:
        return {
            m.__name__: conn.execute(select(func.count()).select_from(m)).scalar_one()
            for m in models
        }


def assert_error(engine, name: str, data: bytes, message: str, **kwargs) -> None:
    result = import_bytes(engine, name, data, **kwargs)
    assert result.status == "error"
    assert result.message == message
    assert (result.rows, result.stored, result.totals) == (0, 0, {})
    assert set(counts(engine).values()) == {0}, counts(engine)


def stored(engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(Artist.name, Track.title, EarningLine.amount)
                .join(Artist, Artist.id == EarningLine.artist_id)
                .join(Track, Track.id == EarningLine.track_id)
                .order_by(EarningLine.row_number)
            )
        ]


# --- errors ------------------------------------------------------------------------------------


def test_empty_file(engine):
    assert_error(engine, "empty.csv", b"", "empty.csv: is empty (0 bytes)")


def test_file_of_blank_lines(engine):
    assert_error(engine, "blank.tsv", b"\r\n  \r\n\t\r\n", "blank.tsv: is empty")


def test_header_only(engine):
    assert_error(engine, "header.tsv", tsv([]), "header.tsv: has a header but no rows")


def test_unknown_layout_names_the_known_layouts(engine):
    result = import_bytes(engine, "bank.csv", b"Date,Description,Amount\n2024-01-02,Coffee,-3.10\n")

    assert result.status == "error"
    assert result.message.startswith(
        "bank.csv: is not in a statement layout this app knows. Known layouts: "
    )
    for layout in ("DistroKid", "TuneCore", "CD Baby", "Bandcamp", "SoundCloud"):
        assert layout in result.message
    assert set(counts(engine).values()) == {0}


def test_binary_renamed_csv(engine):
    zip_free_binary = b"\x00\x01\x02\x03SQLite format 3\x00" + bytes(range(256)) * 8
    assert_error(
        engine,
        "statement.csv",
        zip_free_binary,
        "statement.csv: is not a text statement: it holds binary data "
        "(is it a renamed spreadsheet or PDF?)",
    )


def test_pdf_renamed_csv(engine):
    assert_error(
        engine,
        "statement.csv",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "statement.csv: is a PDF document, not a statement export; download the CSV, TSV or "
        "XLSX statement from your distributor instead",
    )


def xlsx(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r in [HEADER, *rows]:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_truncated_xlsx(engine):
    whole = xlsx(GOOD)
    assert_error(
        engine,
        "statement.xlsx",
        whole[: len(whole) // 2],
        "statement.xlsx: is a damaged or truncated spreadsheet and cannot be opened",
    )


def test_file_over_the_upload_limit_is_refused_before_reading(engine):
    data = tsv(GOOD * 200)
    assert len(data) == 43_152
    assert_error(
        engine,
        "big.tsv",
        data,
        "big.tsv: is 43 KB; the upload limit is 20 KB. Import large files with the command "
        "line: royalty import FILE",
        max_bytes=20_000,
    )
    ok = import_bytes(engine, "big.tsv", data, max_bytes=len(data))
    assert (ok.status, ok.stored) == ("imported", 400)


def test_size_text():
    assert [size_text(n) for n in (0, 999, 1_500, 34_402, 2_000_000, 200_000_000, 3e9)] == [
        "0 bytes", "999 bytes", "1.5 KB", "34 KB", "2.0 MB", "200 MB", "3.0 GB",
    ]  # fmt: skip


def test_non_numeric_amount_names_file_row_and_column(engine):
    rows = [*GOOD, row("2023-05", "n/a"), row("2023-05", "0.1"), row("2023-05", "--")]
    assert_error(
        engine,
        "dk_2023-06.tsv",
        tsv(rows),
        "dk_2023-06.tsv, row 4, column 'Earnings (USD)': is not an amount of money: 'n/a' "
        "(1 more rows like it)",
    )


def test_unreadable_month_names_file_row_and_column(engine):
    assert_error(
        engine,
        "dk.tsv",
        tsv([*GOOD, row("June", "0.1")]),
        "dk.tsv, row 4, column 'Sale Month': is not a date or month: 'June'",
    )


def test_bad_value_in_an_xlsx_names_the_row(engine):
    assert_error(
        engine,
        "dk.xlsx",
        xlsx([*GOOD, row("2023-05", "twelve")]),
        "dk.xlsx, row 4, column 'Earnings (USD)': is not an amount of money: 'twelve'",
    )


# --- imports correctly -------------------------------------------------------------------------

EXPECTED_LINES = [
    ("Inés Solà", "Café del Puerto", "1.41536244"),
    ("Inés Solà", "Ñandú", "0.31278150"),
]


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-16", "utf-16"),  # with BOM, as Bandcamp writes
        ("utf-16-le", "utf-16-le"),  # without BOM
        ("utf-8-sig", "utf-8-sig"),
        ("latin-1", "cp1252"),
        ("utf-8", "utf-8"),
    ],
)
def test_text_encodings(engine, encoding, reported):
    result = import_bytes(engine, f"dk_{encoding}.tsv", tsv(GOOD, encoding=encoding))

    assert result.status == "imported", result.message
    assert (result.encoding, result.rows, result.totals) == (reported, 2, GOOD_TOTAL)
    assert stored(engine) == EXPECTED_LINES


def test_bare_cr_line_ends(engine):
    result = import_bytes(engine, "dk_cr.tsv", tsv(GOOD, newline="\r"))

    assert (result.status, result.rows, result.totals) == ("imported", 2, GOOD_TOTAL)


def test_decimal_comma(engine):
    rows = [
        row("2023-04", "1,41536244"),
        row("2023-05", "0,3127815", title="Ñandú", isrc="QZNWX2311003"),
    ]

    result = import_bytes(engine, "dk_comma.tsv", tsv(rows))

    assert result.status == "imported", result.message
    assert result.totals == GOOD_TOTAL
    assert [amount for *_, amount in stored(engine)] == ["1.41536244", "0.3127815"]
    with engine.connect() as conn:
        nano = conn.execute(select(func.sum(EarningLine.amount_nano))).scalar_one()
    assert nano == 1_728_143_940
    assert sum(Decimal(a) for *_, a in stored(engine)) == Decimal(GOOD_TOTAL["USD"])


def test_xlsx_resave(engine):
    result = import_bytes(engine, "dk.xlsx", xlsx(GOOD))

    assert result.status == "imported", result.message
    assert (result.encoding, result.totals) == ("xlsx", GOOD_TOTAL)
    assert [title for _, title, _ in stored(engine)] == ["Café del Puerto", "Ñandú"]


# --- rows with more cells than the header --------------------------------------------------------


@pytest.mark.parametrize("padding", ["\t", "\t\t\t"], ids=["one", "three"])
def test_trailing_delimiters_do_not_shift_columns(engine, padding):
    """A re-save that pads rows with empty cells keeps every value in its own column."""
    rows = ["\t".join(GOOD[0]) + padding, "\t".join(GOOD[1])]
    data = ("\r\n".join(["\t".join(HEADER), *rows]) + "\r\n").encode()

    result = import_bytes(engine, "dk_padded.tsv", data)

    assert (result.status, result.rows, result.totals) == ("imported", 2, GOOD_TOTAL)
    assert stored(engine) == EXPECTED_LINES


def test_a_value_past_the_last_column_names_file_and_row(engine):
    data = tsv([GOOD[0], [*GOOD[1], "", "0.5"]])
    assert_error(
        engine,
        "dk.tsv",
        data,
        f"dk.tsv, row 3: has {len(HEADER) + 2} cells in this row but {len(HEADER)} columns in "
        "its header; the extra cells hold ['', '0.5']",
    )


@pytest.mark.parametrize("where", [0, 1], ids=["first-row", "later-row"])
def test_far_too_many_cells_names_file_and_row(engine, where):
    rows = [list(r) for r in GOOD]
    rows[where] += ["x"] * 40
    assert_error(
        engine,
        "dk.tsv",
        tsv(rows),
        f"dk.tsv, row {where + 2}: has {len(HEADER) + 40} cells in this row but {len(HEADER)} "
        "columns in its header",
    )


# --- the same rules deep inside a large file, past what the fast reader has handed out ---------


def many_rows(n: int) -> list[list[str]]:
    return [row(f"2023-{1 + i % 12:02d}", f"0.{i:08d}") for i in range(n)]


def test_padded_rows_deep_in_a_large_file_import_every_row(engine, monkeypatch):
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 4096)  # ~30 rows a block
    rows = ["\t".join(r) for r in many_rows(300)]
    rows[250] += "\t\t"
    data = ("\r\n".join(["\t".join(HEADER), *rows]) + "\r\n").encode()
    expected = sum(Decimal(f"0.{i:08d}") for i in range(300))

    result = import_bytes(engine, "dk_padded_late.tsv", data)

    assert (result.status, result.rows, result.stored) == ("imported", 300, 300), result.message
    assert Decimal(result.totals["USD"]) == expected
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EarningLine)).scalar_one() == 300


def test_a_value_past_the_last_column_deep_in_a_large_file_names_the_row(engine, monkeypatch):
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 4096)
    rows = many_rows(300)
    rows[250] = [*rows[250], "0.5"]
    assert_error(
        engine,
        "dk_late.tsv",
        tsv(rows),
        f"dk_late.tsv, row 252: has {len(HEADER) + 1} cells in this row but {len(HEADER)} "
        "columns in its header; the extra cells hold ['0.5']",
    )


def test_a_short_row_deep_in_a_large_file_reads_as_the_careful_reader_does(engine, monkeypatch):
    rows = many_rows(300)
    rows[250] = rows[250][:-1]  # no amount cell at all
    data = tsv(rows)
    message = "dk_short.tsv, row 252, column 'Earnings (USD)': is not an amount of money: ''"
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 4096)
    assert_error(engine, "dk_short.tsv", data, message)


def test_broken_utf16_deep_in_a_large_file_stores_nothing(engine, monkeypatch):
    """Bandcamp-style UTF-16 is decoded while it is read (no up-front check as for UTF-8): a
    broken character found late still fails the whole file with a clear message."""
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 4096)
    data = tsv(many_rows(300), encoding="utf-16")
    cut = len(data) * 3 // 4 // 2 * 2
    broken = data[:cut] + b"\x00\xd8" + data[cut:]  # a lone surrogate
    assert_error(
        engine,
        "dk_utf16.tsv",
        broken,
        "dk_utf16.tsv: has text in an unexpected encoding (illegal UTF-16 surrogate)",
    )
