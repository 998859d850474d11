"""Hostile containers: each file gets a precise message naming it, never a crash, never a
process that runs out of memory, and nothing is stored.

Every hostile file is written here, by the test: ZIP bombs with a deflate stream repeated block
by block (``Z_FULL_FLUSH`` makes each block's compressed bytes identical, so gigabytes pack into
a few MB in a fraction of a second), workbooks with a cell at XFD1048576, BIFF8 workbooks in a
minimal OLE container. Whatever could abort the process (calamine allocating a dense grid) or
take gigabytes runs in a child process, never in pytest's; the child reports time and peak RSS.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from royalty.ingest import archive, delimited, import_bytes, preview, reader, xls
from royalty.ingest.reader import Source
from royalty.store.models import Artist, EarningLine, Statement, Store

ROOT = Path(__file__).resolve().parents[1]
HEADER = [
    "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
    "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld",
    "Earnings (USD)",
]  # fmt: skip
ROW = ["2023-06-08", "2023-04", "Spotify", "Inés Solà", "Café del Puerto", "QZNWX2311001",
       "195920977126", "412", "100", "Song", "ES", "0", "1.41536244"]  # fmt: skip
MB, GB = 1 << 20, 1 << 30


def tsv(rows: list[list[str]] = (ROW,), header: list[str] = HEADER) -> bytes:
    return ("".join("\t".join(r) + "\r\n" for r in [header, *rows])).encode()


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def nothing_stored(engine) -> bool:
    with engine.connect() as conn:
        return all(
            conn.execute(select(func.count()).select_from(m)).scalar_one() == 0
            for m in (Statement, EarningLine, Artist, Store)
        )


def assert_refused(engine, name: str, data: bytes, message: str) -> None:
    """The import and the browser preview both say ``message``; nothing is stored."""
    result = import_bytes(engine, name, data)
    assert (result.status, result.message) == ("error", message)
    assert nothing_stored(engine)
    shown = preview(Source.from_bytes(name, data))
    assert (shown.error, shown.layout) == (message, None)


# --- hand-made ZIP archives ----------------------------------------------------------------------


class Member:
    """A ZIP member written by hand: its compressed bytes as given, and its directory entry as
    given (so that declared sizes can lie)."""

    def __init__(self, name, data, crc, size, *, method=8, flags=0, declared=None):
        self.name, self.data, self.crc, self.size = name.encode(), data, crc, size
        self.method, self.flags = method, flags
        self.declared = size if declared is None else declared


def deflated(data: bytes) -> Member:
    """Arguments for a normal member: ``Member(name, *deflated(data))``."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def repeated(head: bytes, block: bytes, count: int, tail: bytes = b"") -> tuple[bytes, int, int]:
    """``head + block * count + tail`` deflated in milliseconds, with its true CRC and size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return first + again * count + last, crc, len(head) + len(block) * count + len(tail)


def zip_of(members: list[Member]) -> bytes:
    """An archive of hand-made members, written the way ``zipfile`` would (no data
    descriptors), with each directory entry as declared."""
    out = io.BytesIO()
    offsets = []
    for m in members:
        offsets.append(out.tell())
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, m.flags, m.method, 0, 0x21,
                              m.crc, len(m.data), m.declared, len(m.name), 0) + m.name)  # fmt: skip
        out.write(m.data)
    start = out.tell()
    for m, offset in zip(members, offsets, strict=True):
        out.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, m.flags, m.method, 0, 0x21,
                              m.crc, len(m.data), m.declared, len(m.name), 0, 0, 0, 0, 0,
                              offset) + m.name)  # fmt: skip
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), size,
                          start, 0))  # fmt: skip
    return out.getvalue()


# --- running what might abort or take gigabytes in a child process -------------------------------

CHILD = r"""
import json, resource, sys, time
from royalty.store.db import make_engine
from royalty.ingest import import_path, preview
from royalty.ingest.reader import Source


def peak_bytes():
    # This process's own peak: on Linux ru_maxrss carries the parent's peak over exec.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


how, path, db = sys.argv[1:4]
engine = make_engine(f"sqlite:///{db}")
before = peak_bytes()
started = time.perf_counter()
if how == "import":
    result = import_path(engine, path)
    status, message = result.status, result.message
else:
    shown = preview(Source.from_path(path, name=path.rsplit("/", 1)[-1]))
    status, message = ("error" if shown.error else "ok"), shown.error
seconds = time.perf_counter() - started
peak = peak_bytes()
print(json.dumps({"status": status, "message": message, "seconds": seconds,
                  "peak_mb": peak / 2**20, "grew_mb": (peak - before) / 2**20}))
"""


def in_child(how: str, path: Path, tmp_path: Path) -> dict:
    """Import (or preview) ``path`` in a fresh process: its outcome, time and peak RSS. The
    import names the file by its path, the preview (as the browser does) by its name."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, how, str(path), str(tmp_path / f"{how}.db")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"the child died ({done.returncode}): {done.stderr[-3000:]}"
    return json.loads(done.stdout)


def run_cli(path: Path, tmp_path: Path) -> tuple[int, object, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "royalty.cli", "import", str(path), "--json",
         "--db", f"sqlite:///{tmp_path / 'cli.db'}"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=900, check=False,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout or "null"), done.stderr


def assert_cli_error(path: Path, tmp_path: Path, message: str) -> None:
    status, out, stderr = run_cli(path, tmp_path)
    assert status == 1, stderr
    assert isinstance(out, list) and len(out) == 1
    assert (out[0]["file"], out[0]["status"], out[0]["message"]) == (str(path), "error", message)
    assert "Traceback" not in stderr and "panicked" not in stderr


def named(message: str, path: Path, how: str) -> str:
    """``message`` (which starts with the file's name) as ``how`` names the file."""
    return message.replace(path.name, str(path), 1) if how == "import" else message


# --- 6: a far cell makes calamine allocate the whole grid ----------------------------------------


def far_cell_workbook(where: str = "XFD1048576") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(ROW)
    sheet[where] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FAR_CELL = (
    "far.xlsx › Sheet: has a cell at XFD1048576, so it spans 1,048,576 rows by 16,384 columns; "
    "this app reads sheets of at most 1,000 columns and 25,000,000 cells. Delete what lies "
    "outside the statement (or copy the statement to a new workbook), save it and import it again"
)


@pytest.mark.parametrize("how", ["import", "preview"])
def test_a_cell_at_xfd1048576_is_refused_before_calamine_allocates(tmp_path, how):
    """Without the check calamine asks for 549,755,813,888 bytes and the process aborts (exit
    134), the Streamlit server with it: this runs in a child so that pytest survives that."""
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell_workbook())
    assert path.stat().st_size < 10_000

    outcome = in_child(how, path, tmp_path)

    assert (outcome["status"], outcome["message"]) == ("error", named(FAR_CELL, path, how))
    assert outcome["seconds"] < 1


def test_the_command_line_names_the_far_cell_file_and_exits_1(tmp_path):
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell_workbook())
    assert_cli_error(path, tmp_path, named(FAR_CELL, path, "import"))


WORKBOOK_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sales" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}  # fmt: skip
SHEET_START = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_END = b"</sheetData></worksheet>"


def workbook_of(sheet: Member | bytes) -> bytes:
    """A one-sheet workbook ("Sales") around the given sheet XML, as calamine reads it."""
    if not isinstance(sheet, Member):
        sheet = Member("xl/worksheets/sheet1.xml", *deflated(sheet))
    return zip_of([Member(n, *deflated(d)) for n, d in WORKBOOK_PARTS.items()] + [sheet])


def sheet_row(cells: list[str], row: int | None = None) -> bytes:
    """A row of inline-string cells; with ``row``, every cell says where it is (``r="A2"``)."""
    xml = "".join(
        (f'<c r="{chr(65 + i)}{row}" t="inlineStr">' if row else '<c t="inlineStr">')
        + f"<is><t>{v}</t></is></c>"
        for i, v in enumerate(cells)
    )
    return (f'<row r="{row}">' if row else "<row>").encode() + xml.encode() + b"</row>"


def test_a_statement_sheet_written_by_hand_imports(engine):
    """The hand-made workbook of the next tests is one calamine reads."""
    data = workbook_of(SHEET_START + sheet_row(HEADER, 1) + sheet_row(ROW, 2) + SHEET_END)
    result = import_bytes(engine, "sales.xlsx", data)
    assert (result.status, result.stored) == ("imported", 1), result.message


def test_cells_placed_by_their_order_are_counted_too(tmp_path):
    """A writer may leave out ``r="A1"``: calamine then places each cell after the one before.
    2,000 such cells in row 1,048,576 reach as far as references would."""
    far = b'<row r="1048576">' + b"<c><v>1</v></c>" * 2000 + b"</row>"
    path = tmp_path / "positional.xlsx"
    path.write_bytes(
        workbook_of(SHEET_START + sheet_row(HEADER, 1) + sheet_row(ROW, 2) + far + SHEET_END)
    )

    outcome = in_child("preview", path, tmp_path)

    assert outcome["message"] == (
        "positional.xlsx › Sales: has a cell at BXX1048576, so it spans 1,048,576 rows by "
        "2,000 columns; this app reads sheets of at most 1,000 columns and 25,000,000 cells. "
        "Delete what lies outside the statement (or copy the statement to a new workbook), "
        "save it and import it again"
    )


def test_a_sheet_within_the_limits_still_imports(engine):
    """A note out at ZZ1 (702 columns) is within the budget; an empty styled cell at XFD9
    (``<c r="XFD9" s="0"/>``) holds nothing and is not counted: calamine places no cell there."""
    with zipfile.ZipFile(io.BytesIO(far_cell_workbook("ZZ1"))) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'<row r="9"><c r="XFD9" s="0"/></row></sheetData>'
    )

    result = import_bytes(engine, "wide_ok.xlsx", zipped(parts))

    assert (result.status, result.stored) == ("imported", 1), result.message


def test_a_sheet_whose_declared_size_lies_is_damaged(engine):
    """The directory says 300 bytes; the sheet inflates to far more. calamine's own unzipping
    would parse all of it, so each part is inflated here, whatever the directory says."""
    head = SHEET_START + sheet_row(HEADER, 1)
    lying = Member("xl/worksheets/sheet1.xml", *repeated(head, sheet_row(ROW), 50_000, SHEET_END))
    lying.declared = 300
    assert_refused(
        engine,
        "lying.xlsx",
        workbook_of(lying),
        "lying.xlsx: is damaged (its part xl/worksheets/sheet1.xml unpacks to more than its "
        "stated size)",
    )


# --- 6: XLS workbooks are read in a child process ------------------------------------------------


def biff_record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff_label(row: int, column: int, text: str) -> bytes:
    raw = text.encode("latin-1")
    return biff_record(0x0204, struct.pack("<HHHHB", row, column, 0, len(raw), 0) + raw)


def biff_number(row: int, column: int, value: float) -> bytes:
    return biff_record(0x0203, struct.pack("<HHHd", row, column, 0, value))


def xls_of(cells: list[bytes]) -> bytes:
    """A BIFF8 workbook of one sheet ("Sheet1") in a minimal OLE compound file: one FAT
    sector, one directory sector, and the Workbook stream (at least 4 KB, so not a mini
    stream)."""

    def bof(kind: int) -> bytes:
        return biff_record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0))

    name = b"Sheet1"
    sheet_at = len(bof(5)) + 4 + 8 + len(name) + 4
    stream = (
        bof(5) + biff_record(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, len(name), 0) + name)
        + biff_record(0x000A) + bof(0x10) + b"".join(cells) + biff_record(0x000A)
    )  # fmt: skip
    sectors = max(8, -(-len(stream) // 512))
    stream = stream.ljust(sectors * 512, b"\0")
    free, end = 0xFFFFFFFF, 0xFFFFFFFE
    fat = [0xFFFFFFFD, end, *range(3, 2 + sectors), end]
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 0x1000, end, 0, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )  # fmt: skip

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (label + "\0").encode("utf-16-le") if label else b""
        return (
            raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, free, free, child)
            + b"\0" * 16 + struct.pack("<IQQIQ", 0, 0, 0, start, size)
        )  # fmt: skip

    directory = entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, free, 2, len(stream))
    return (
        header
        + struct.pack("<128I", *fat, *[free] * (128 - len(fat)))
        + (directory + entry("", 0, free, 0, 0) * 2)
        + stream
    )


def xls_statement() -> list[bytes]:
    return [biff_label(0, i, h) for i, h in enumerate(HEADER)] + [
        biff_label(1, i, v) for i, v in enumerate(ROW)
    ]


def test_an_xls_statement_imports(engine):
    result = import_bytes(engine, "statement.xls", xls_of(xls_statement()))
    assert (result.status, result.stored, result.totals) == ("imported", 1, {"USD": "1.41536244"})


@pytest.mark.parametrize("how", ["import", "preview"])
def test_an_xls_with_a_cell_at_65535_65535_ends_the_child_process_only(tmp_path, how):
    """A 5.6 KB XLS whose cell is at row 65,536, column 65,536: calamine allocates 137 GB for
    the grid and aborts. It does that in the reader's child process, which is then stopped."""
    path = tmp_path / "far.xls"
    path.write_bytes(xls_of([*xls_statement(), biff_number(65535, 65535, 1.0)]))

    outcome = in_child(how, path, tmp_path)

    assert outcome["status"] == "error"
    assert outcome["message"] == named(
        "far.xls: is a damaged or hostile XLS workbook: reading it took more memory or time than "
        "any statement needs. Open it in a spreadsheet app, save it as XLSX or CSV and import "
        "that",
        path,
        how,
    )
    assert outcome["grew_mb"] < 100  # the child's memory is its own


def test_an_xls_larger_than_any_statement_is_not_read(engine, monkeypatch):
    monkeypatch.setattr(xls, "MAX_OLE_BYTES", 4096)
    assert_refused(
        engine,
        "big.xls",
        xls_of(xls_statement()),
        "big.xls: is an XLS workbook of 5.6 KB; this app reads XLS workbooks of at most 4.1 KB. "
        "Save it as CSV or XLSX and import that",
    )


# --- 7: bombs: refused from the directory, in well under a second --------------------------------

BLANK_LINES = b"\n" * MB


def bomb_of_blank_lines(path: Path, gigabytes: float = 2.2, *, declared: int | None = None) -> Path:
    """A header, then 2.2 GB of blank lines, in 2.3 MB: it imported after 20 s at 4.66 GB."""
    member = Member("dk.tsv", *repeated(tsv([]), BLANK_LINES, int(gigabytes * 1000)))
    if declared is not None:
        member.declared = declared
    path.write_bytes(zip_of([member]))
    return path


def six_members_of_a_gigabyte(path: Path) -> Path:
    """Six such members of 1 GB each: 65 s and 7.3 GB."""
    members = [Member(f"dk_{i}.tsv", *repeated(tsv([]), BLANK_LINES, 1024)) for i in range(6)]
    path.write_bytes(zip_of(members))
    return path


def workbook_of_a_huge_sheet(path: Path, *, declared: int | None = None) -> Path:
    """A 1.6 GB sheet in a workbook of a few MB: it went past 12 GB."""
    rows = sheet_row(ROW) * (MB // len(sheet_row(ROW)))
    head = SHEET_START + sheet_row(HEADER, 1)
    sheet = Member("xl/worksheets/sheet1.xml", *repeated(head, rows, 1600, SHEET_END))
    if declared is not None:
        sheet.declared = declared
    path.write_bytes(workbook_of(sheet))
    return path


def ten_thousand_members(path: Path) -> Path:
    """10,000 small statements: it took 239 s."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(10_000):
            z.writestr(f"dk_{i:05}.tsv", tsv([[*ROW[:4], f"Song {i}", *ROW[5:]]]))
    return path


BOMBS = {
    "blank-lines": (
        bomb_of_blank_lines,
        "bomb.zip › dk.tsv: unpacks to 2.3 GB from 2.3 MB (1,010 to 1); statements pack at "
        "most about 100 to 1, so this is refused as a ZIP bomb",
    ),
    "six-gigabytes": (
        six_members_of_a_gigabyte,
        "bomb.zip › dk_0.tsv: unpacks to 1.1 GB from 1.1 MB (1,010 to 1); statements pack at "
        "most about 100 to 1, so this is refused as a ZIP bomb",
    ),
    "huge-sheet": (
        workbook_of_a_huge_sheet,
        "bomb.xlsx: has a part (xl/worksheets/sheet1.xml) of 1.7 GB; this app reads workbooks "
        "whose parts are at most 1.0 GB. Save the statement as CSV and import that",
    ),
    "ten-thousand": (
        ten_thousand_members,
        "bomb.zip: holds 10,000 files; this app reads at most 1,000 from one archive. Unzip "
        "it and import the folder (royalty import FOLDER)",
    ),
    "blank-lines-declared-small": (
        lambda path: bomb_of_blank_lines(path, declared=5_000),
        "bomb.zip › dk.tsv: is damaged (its checksum does not match)",
    ),
    "huge-sheet-declared-small": (
        lambda path: workbook_of_a_huge_sheet(path, declared=5_000),
        "bomb.xlsx: is damaged (its part xl/worksheets/sheet1.xml unpacks to more than its "
        "stated size)",
    ),
}


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    made = {}
    for kind, (make, message) in BOMBS.items():
        suffix = ".xlsx" if message.startswith("bomb.xlsx") else ".zip"
        (folder / kind).mkdir()
        made[kind] = make(folder / kind / f"bomb{suffix}")
    return made


@pytest.mark.parametrize("how", ["import", "preview"])
@pytest.mark.parametrize("kind", list(BOMBS))
def test_a_bomb_is_refused_at_once_in_little_memory(bombs, tmp_path, kind, how):
    path = bombs[kind]
    assert path.stat().st_size < 10_000_000  # far below the 200 MB upload limit

    outcome = in_child(how, path, tmp_path)

    assert (outcome["status"], outcome["message"]) == ("error", named(BOMBS[kind][1], path, how))
    assert outcome["seconds"] < 1, outcome
    assert outcome["peak_mb"] < 300, outcome


def test_the_command_line_names_the_bomb_and_exits_1(bombs, tmp_path):
    path = bombs["blank-lines"]
    assert_cli_error(path, tmp_path, named(BOMBS["blank-lines"][1], path, "import"))


def test_an_import_unpacks_at_most_its_budget_over_every_archive_level(engine, monkeypatch):
    """Each archive's directory is checked with what the archives before it unpacked: two
    inner archives of 600 KB each, in an archive, are over a budget of 1 MB together."""
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1_000_000)
    inner = [zipped({"dk.tsv": tsv([ROW] * 5_000)}) for _ in range(2)]
    assert len(tsv([ROW] * 5_000)) == 560_152
    data = zipped({"a.zip": inner[0], "b.zip": inner[1]}, zipfile.ZIP_STORED)
    assert_refused(
        engine,
        "outer.zip",
        data,
        "outer.zip › b.zip: brings what this import unpacks to 1.1 MB; this app unpacks at most "
        "1.0 MB from one file. Unzip it and import the files inside (royalty import FOLDER)",
    )


def test_an_import_reads_at_most_its_budget_of_files_over_every_archive_level(engine, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 5)
    inner = zipped({f"dk_{i}.tsv": tsv() for i in range(3)})
    assert_refused(
        engine,
        "outer.zip",
        zipped({"a.zip": inner, "b.zip": inner}),
        "outer.zip › b.zip: brings the files in this import to 8; this app reads at most 5 from "
        "one file. Unzip it and import the folder (royalty import FOLDER)",
    )


def test_large_members_are_unpacked_to_a_nameless_file_with_independent_readers(
    engine, monkeypatch, tmp_path
):
    """Past the in-memory size a member goes to ``tempfile.TemporaryFile`` (unlinked at once:
    nothing is left behind, even on kill -9), and each reader has its own position."""
    monkeypatch.setattr(archive, "SPOOL_IN_MEMORY", 1000)
    monkeypatch.setattr(delimited, "ARROW_BLOCK_BYTES", 4096)
    (tmp_path / "spool").mkdir()
    monkeypatch.setattr(archive.tempfile, "tempdir", str(tmp_path / "spool"))
    files = []
    real = archive.tempfile.TemporaryFile
    monkeypatch.setattr(
        archive.tempfile, "TemporaryFile", lambda *a, **k: files.append(real(*a, **k)) or files[-1]
    )
    rows = [[*ROW[:4], f"Song {i}", *ROW[5:12], f"0.{i:08d}"] for i in range(2_000)]
    result = import_bytes(engine, "big.zip", zipped({"dk.tsv": tsv(rows)}))

    assert (result.status, result.stored) == ("imported", 2_000), result.message
    assert len(files) == 1
    assert list((tmp_path / "spool").iterdir()) == []  # the spool has no name on disk

    spool = archive.Spool(limit=10)
    for block in (b"abcdef", b"ghijkl", b"mnop"):
        spool.write(block)
    spool.finish()
    assert not spool.in_memory
    first, second = spool.open(), spool.open()
    assert (first.read(3), second.read(5), first.read(3), second.read()) == (
        b"abc",
        b"abcde",
        b"def",
        b"fghijklmnop",
    )


# --- 10: damaged, locked and nested archives say so ----------------------------------------------


def test_a_zip_with_a_bad_checksum(engine):
    data = bytearray(zipped({"dk.tsv": tsv()}, zipfile.ZIP_STORED))
    data[data.index(b"Spotify")] = ord("s")
    assert_refused(
        engine, "crc.zip", bytes(data), "crc.zip › dk.tsv: is damaged (its checksum does not match)"
    )


def test_a_password_protected_zip(engine):
    """``zipfile`` writes no encryption; the flag is what readers go by."""
    member = Member("dk.tsv", *deflated(tsv()), flags=0x1)
    assert_refused(
        engine,
        "locked.zip",
        zip_of([member]),
        "locked.zip › dk.tsv: is password-protected; unzip it first",
    )


def test_1200_nested_zips(engine):
    """Each level a ZIP named ``a.csv``: the reader followed them until ``RecursionError``."""
    data = tsv()
    for _ in range(1200):
        data = zipped({"a.csv": data}, zipfile.ZIP_STORED)
    assert_refused(
        engine,
        "nest.zip",
        data,
        "nest.zip › a.csv › a.csv: is a ZIP archive inside 2 others; this app reads archives at "
        "most 2 deep. Unzip the outer ones first",
    )


def test_a_zip_compressed_with_a_method_this_app_does_not_read(engine):
    member = Member("dk.tsv", *deflated(tsv()), method=zipfile.ZIP_BZIP2)
    assert_refused(
        engine,
        "bz.zip",
        zip_of([member]),
        "bz.zip › dk.tsv: is compressed with a method this app does not read (bzip2); unzip it, "
        "or zip it again with ordinary compression",
    )


def test_a_statement_zipped_twice_is_read(engine):
    inner = zipped({"dk.tsv": tsv([ROW])})
    result = import_bytes(engine, "outer.zip", zipped({"months/june.zip": inner}))
    assert (result.status, result.stored) == ("imported", 1), result.message


def test_an_opendocument_spreadsheet_says_what_to_do(engine):
    data = zipped(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
    )
    assert_refused(
        engine,
        "statement.ods",
        data,
        "statement.ods: is an OpenDocument file; save it as XLSX or CSV and import that",
    )


# --- text files (7: wide rows, 10: long lines) ---------------------------------------------------


def test_a_header_padded_with_100000_empty_cells_is_refused_at_once(tmp_path):
    """200 rows padded like their header to 100,013 cells (20 MB) took 3.2 GB to import."""
    pad = "\t" * 100_000
    path = tmp_path / "wide.tsv"
    path.write_bytes(
        (("\t".join(HEADER) + pad + "\r\n") + ("\t".join(ROW) + pad + "\r\n") * 200).encode()
    )
    assert path.stat().st_size > 20_000_000

    outcome = in_child("import", path, tmp_path)

    assert outcome["message"] == named(
        "wide.tsv, row 1: has 100,013 cells in its header row (13 of them named); this app "
        "reads statements of at most 1,000 columns",
        path,
        "import",
    )
    assert outcome["seconds"] < 2, outcome
    assert outcome["grew_mb"] < 200, outcome


def test_a_row_of_100000_cells_under_a_plain_header_names_the_row(engine):
    data = tsv([ROW, [*ROW, *[""] * 100_000]])
    assert_refused(
        engine,
        "wide.tsv",
        data,
        "wide.tsv, row 3: has 100013 cells in this row but 13 columns in its header",
    )


def test_a_header_and_rows_padded_alike_import_as_before(engine):
    """An Excel re-save pads the header and every row to the sheet's used width: the padding
    is no columns (the rows are read by the fast reader, without it)."""
    pad = "\t" * 40
    data = (("\t".join(HEADER) + pad + "\r\n") + ("\t".join(ROW) + pad + "\r\n") * 3).encode()
    result = import_bytes(engine, "padded.tsv", data)
    assert (result.status, result.stored) == ("imported", 3), result.message
    table = reader.open_tables(Source.from_bytes("padded.tsv", data), lambda h: "ISRC" in h)[0]
    assert table.header == HEADER
    assert list(next(table.chunks()).columns) == HEADER


@pytest.mark.parametrize(("where", "row"), [("first-line", 1), ("first-row", 2)])
def test_a_100_mb_line(engine, where, row):
    """``csv`` refused the line (``field larger than field limit``) and the error came raw."""
    line = b'"' + b"x" * 100_000_000 + b'"\t' + "\t".join(ROW[1:]).encode() + b"\r\n"
    data = line + tsv() if where == "first-line" else tsv()[: tsv().index(b"\r\n") + 2] + line
    assert_refused(
        engine, "long.tsv", data, f"long.tsv, row {row}: is longer than 1 MB; is this a statement?"
    )


def test_a_cell_longer_than_csv_allows_is_still_read(engine):
    """A 200 KB cell in the first row is past ``csv``'s field limit, but not a reason to refuse."""
    long_title = "x" * 200_000
    result = import_bytes(engine, "long_title.tsv", tsv([[*ROW[:4], long_title, *ROW[5:]]]))
    assert (result.status, result.stored) == ("imported", 1), result.message


# --- 7: every member is imported or named --------------------------------------------------------

OTHER = [*ROW[:4], "Ñandú", "QZNWX2311003", *ROW[6:12], "0.31278150"]


def test_every_member_is_imported_or_named_as_skipped(engine):
    """``..\\..\\x.tsv`` is read as ``x.tsv`` (members are never written to disk by name);
    macOS metadata, hidden files, other documents and unknown tables are named in the result."""
    data = zipped(
        {
            "2023/dk.tsv": tsv([ROW]),
            "..\\..\\x.tsv": tsv([OTHER]),
            "__MACOSX/2023/._dk.tsv": b"\x00\x05\x16\x07junk",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "readme.pdf": b"%PDF-1.4",
            "notes.csv": b"Date,Note\n2023-06-01,paid\n",
        }
    )

    result = import_bytes(engine, "export.zip", data)

    assert (result.status, result.stored) == ("imported", 2), result.message
    assert result.message == (
        "export.zip: DistroKid bank details (Excruciating detail TSV/CSV), 2 lines stored "
        "(1.72814394 USD); skipped __MACOSX/2023/._dk.tsv (macOS metadata), .DS_Store (a hidden "
        "file), readme.pdf (not a CSV, TSV, TXT, XLSX or ZIP file), notes.csv (not in a "
        "statement layout this app knows)"
    )


def test_an_archive_of_no_known_statement_names_what_it_skipped(engine):
    data = zipped({"notes.csv": b"Date,Note\n2023-06-01,paid\n", "._notes.csv": b"\x00\x05"})
    result = import_bytes(engine, "notes.zip", data)
    assert result.status == "error"
    assert result.message.startswith(
        "notes.zip: is not in a statement layout this app knows; skipped ._notes.csv (macOS "
        "metadata), notes.csv (not in a statement layout this app knows). Known layouts: "
    )


# --- 10: columns named twice ---------------------------------------------------------------------


@pytest.mark.parametrize(("column", "place"), [("Store", 3), ("Earnings (USD)", 13)])
@pytest.mark.parametrize("kind", ["tsv", "xlsx"])
def test_two_columns_of_one_name(engine, column, place, kind):
    header, row = [*HEADER, column], [*ROW, "again"]
    if kind == "tsv":
        data = tsv([row], header)
    else:
        book = openpyxl.Workbook()
        book.active.append(header)
        book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    assert_refused(
        engine,
        f"dup.{kind}",
        data,
        f"dup.{kind}: has two columns named {column!r} (columns {place} and 14); rename or "
        "remove the extra one and import it again",
    )


def test_a_huge_cell_deep_in_a_file_is_refused_naming_its_row(engine):
    """The header search bounds the first lines only; a 3 MB cell further down is named too."""
    from hostile_files import DK_HEADER, dk_line

    lines = ["\t".join(DK_HEADER), *(dk_line(i) for i in range(200))]
    lines[150] = dk_line(149, title="x" * 3_000_000)  # file row 151
    result = import_bytes(engine, "deep.tsv", ("\n".join(lines) + "\n").encode())

    assert result.status == "error"
    assert result.message.startswith("deep.tsv, row 151, column 'Title': has a cell of 3,000,000")
    assert len(result.message) < 400


def test_a_long_bad_cell_is_quoted_short(engine):
    from hostile_files import DK_HEADER, dk_line

    lines = ["\t".join(DK_HEADER), *(dk_line(i) for i in range(5))]
    lines[3] = dk_line(2, amount="9" * 5_000 + "x")
    result = import_bytes(engine, "bad.tsv", ("\n".join(lines) + "\n").encode())

    assert result.status == "error"
    assert "(5,001 characters)" in result.message and len(result.message) < 500


def test_a_time_of_day_cell_in_a_sheet_reads_as_text():
    import datetime

    from royalty.ingest.spreadsheet import cell_text as _cell_text

    assert _cell_text(datetime.time(13, 5)) == "13:05:00"
    assert _cell_text(datetime.datetime(2024, 3, 1, 13, 5)) == "2024-03-01 13:05:00"
    assert _cell_text(datetime.date(2024, 3, 1)) == "2024-03-01"
