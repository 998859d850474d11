"""Hostile and broken statement files, made on the spot: one per finding of the "never wrong,
never down" review, small enough to upload in a browser test but each the real problem (a
bomb here is a few hundred KB that would unpack to hundreds of MB)."""

from __future__ import annotations

import io
import zipfile

import openpyxl

DK_HEADER = [
    "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
    "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld",
    "Earnings (USD)",
]  # fmt: skip


def dk_line(i: int, amount: str | None = None, title: str | None = None) -> str:
    return "\t".join(
        ["2024-03-08", "2024-01", "Spotify", "Inés Solà", title or f"Song {i % 30}",
         f"QZNWX24{i % 30:05d}", "195920977126", str(3 + i % 40), "100", "Song", "US", "0",
         amount or f"0.0{1 + i % 9}{i % 10}3"]
    )  # fmt: skip


def dk_tsv(rows: int = 20, **changes: dict[int, dict[str, str]]) -> str:
    lines = ["\t".join(DK_HEADER)]
    for i in range(rows):
        lines.append(dk_line(i, **changes.get("at", {}).get(i, {})))
    return "\n".join(lines) + "\n"


def decimal_comma_cell() -> bytes:
    """Finding 1: one ``12,5`` among amounts with decimal points."""
    return dk_tsv(20, at={7: {"amount": "12,5"}}).encode()


def stray_quote() -> bytes:
    """Finding 3: a quote opened on one row and closed a hundred rows further down."""
    return dk_tsv(150, at={9: {"title": '"Night Ferry'}, 109: {"title": 'Quayside"'}}).encode()


def mixed_encoding() -> bytes:
    """Finding 5: UTF-8 with one row in Latin-1."""
    lines = dk_tsv(40, at={i: {"title": "Café Noir"} for i in range(40)}).splitlines()
    data = [line.encode() for line in lines]
    data[30] = lines[30].encode("latin-1")
    return b"\n".join(data) + b"\n"


def markup_cell() -> bytes:
    """Finding 11: a cell the error message quotes is a Markdown image."""
    return dk_tsv(5, at={2: {"amount": "![x](http://127.0.0.1:9/y.png)"}}).encode()


def far_cell_sheet() -> bytes:
    """Finding 6: a small workbook with one cell at XFD1048576 (a dense range of 17 billion)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(DK_HEADER)
    sheet.append(dk_line(0).split("\t"))
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def blank_line_bomb(megabytes: int = 300) -> bytes:
    """Finding 7: a ZIP of a header and hundreds of MB of blank lines (about 1000:1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("statement.tsv", "w") as member,
    ):
        member.write(("\t".join(DK_HEADER) + "\n").encode())
        block = b"\n" * (1 << 20)
        for _ in range(megabytes):
            member.write(block)
    return out.getvalue()


def sheet_xml_bomb(megabytes: int = 200) -> bytes:
    """Finding 7: a workbook whose sheet XML unpacks to hundreds of MB of empty rows."""
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, source.read(info))
                continue
            with archive.open(info.filename, "w") as member:
                member.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                )
                block = b"<row/>" * (1 << 17)
                for _ in range(megabytes * (1 << 20) // len(block)):
                    member.write(block)
                member.write(b"</sheetData></worksheet>")
    return out.getvalue()


def backslash_member() -> bytes:
    """Finding 7: a member named with Windows path steps, beside an ordinary one."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("jan.tsv", dk_tsv(30))
        archive.writestr("..\\..\\feb.tsv", dk_tsv(25).replace("2024-01", "2024-02"))
    return out.getvalue()


def nested_zips(levels: int = 1200) -> bytes:
    """Finding 10: a statement inside a ZIP inside a ZIP ... 1,200 levels deep."""
    data = dk_tsv(3).encode()
    name = "statement.tsv"
    for level in range(levels):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr(name, data)
        data, name = out.getvalue(), f"level{level}.zip"
    return data


def encrypted_zip() -> bytes:
    """Finding 10: a member flagged as encrypted, as a password-protected export is (the flag,
    set in both headers, is what readers go by; zipfile itself writes no encryption)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("statement.tsv", dk_tsv(5))
    data = bytearray(out.getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + flags_at
        data[at] |= 0x1
    return bytes(data)


def bad_crc_zip() -> bytes:
    """Finding 10: one byte of a member changed after its checksum was written."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("statement.tsv", dk_tsv(20))
    data = bytearray(out.getvalue())
    at = data.index(b"Spotify")
    data[at] = ord("X")
    return bytes(data)


def duplicate_headers() -> bytes:
    """Finding 10: two columns with the same name."""
    text = dk_tsv(5)
    header, rest = text.split("\n", 1)
    return (header.replace("Country of Sale", "Store") + "\n" + rest).encode()


def wide_rows(columns: int = 100_000, rows: int = 200) -> bytes:
    """Finding 7: rows padded with a hundred thousand empty cells (20 MB)."""
    pad = "\t" * columns
    lines = ["\t".join(DK_HEADER) + pad, *(dk_line(i) + pad for i in range(rows))]
    return ("\n".join(lines) + "\n").encode()


def long_line(megabytes: int = 8) -> bytes:
    """Finding 10: one line of several MB (no line end for millions of bytes)."""
    return ("\t".join(DK_HEADER) + "\n").encode() + b"x" * (megabytes << 20) + b"\n"


def png_as_csv() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


ALL = {
    "decimal-comma-cell.tsv": decimal_comma_cell,
    "stray-quote.tsv": stray_quote,
    "mixed-encoding.tsv": mixed_encoding,
    "markup-cell.tsv": markup_cell,
    "far-cell.xlsx": far_cell_sheet,
    "blank-line-bomb.zip": blank_line_bomb,
    "sheet-xml-bomb.xlsx": sheet_xml_bomb,
    "nested.zip": nested_zips,
    "encrypted.zip": encrypted_zip,
    "bad-crc.zip": bad_crc_zip,
    "duplicate-headers.tsv": duplicate_headers,
    "wide-rows.tsv": wide_rows,
    "long-line.tsv": long_line,
    "picture.csv": png_as_csv,
}
"""Files that must each be refused with a message naming them (and the app stay up)."""
