"""XLS workbooks (the binary OLE format), read by calamine in a child process with limits.

Why this module exists: an XLS has far too many ways to make the reader abort or panic (cell
positions, dimension records and string counts it reserves memory for) to check them all from
outside, as ``workbooks`` does for an XLSX. So it is read by calamine in a child process with a
memory and CPU limit, and a hostile one ends that process, never this one; the child keeps to
the same cell budget as an XLSX sheet (``workbooks.MAX_CELLS``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import BinaryIO

from royalty.errors import StatementError
from royalty.formatting import size_text
from royalty.ingest import archive as containers
from royalty.ingest.workbooks import MAX_CELLS

MAX_OLE_BYTES = 100_000_000
"""An XLS workbook (at most 65,536 rows by 256 columns in the format); larger ones are not
statements."""
OLE_MEMORY_BYTES = 2_000_000_000
"""Memory the child process that reads an XLS workbook may use; it is stopped past it."""
OLE_SECONDS = 120
"""CPU seconds that child may use."""


_OLE_READER = r"""
import json, sys
try:
    import resource
    for limit, value in ((resource.RLIMIT_AS, int(sys.argv[1])), (resource.RLIMIT_CPU, int(sys.argv[2]))):
        resource.setrlimit(limit, (value, value))
except (ImportError, ValueError, OSError):
    pass
import io
from python_calamine import CalamineWorkbook

def native(value):
    for kind in ("datetime", "date", "time"):
        if type(value).__name__ == kind:
            return {"$": kind, "iso": value.isoformat()}
    if type(value).__name__ == "timedelta":
        return {"$": "timedelta", "parts": [value.days, value.seconds, value.microseconds]}
    return str(value)

try:
    book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    sheets = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        cells = sheet.total_height * sheet.total_width
        if sheet.total_width > int(sys.argv[4]) or cells > int(sys.argv[3]):
            print(json.dumps({"too_wide": [name, sheet.total_height, sheet.total_width]}))
            sys.exit(0)
        sheets.append([name, sheet.to_python(skip_empty_area=False)])
    json.dump({"sheets": sheets}, sys.stdout, default=native)
except BaseException as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
"""


def _revive(value: object) -> object:
    import datetime as dt

    if isinstance(value, dict) and "$" in value:
        kind = value["$"]
        if kind == "timedelta":
            days, seconds, micro = value["parts"]
            return dt.timedelta(days=days, seconds=seconds, microseconds=micro)
        return getattr(dt, kind).fromisoformat(value["iso"])
    return value


def read_ole_workbook(
    label: str, opener: Callable[[], BinaryIO], size: int
) -> list[tuple[str, list[list[object]]]]:
    """(sheet name, rows of cell values from A1) of an XLS workbook, read by calamine in a child
    process that may use ``OLE_MEMORY_BYTES`` of memory and ``OLE_SECONDS`` of CPU."""
    if size > MAX_OLE_BYTES:
        raise StatementError(
            label,
            f"is an XLS workbook of {size_text(size)}; this app reads XLS workbooks of at most "
            f"{size_text(MAX_OLE_BYTES)}. Save it as CSV or XLSX and import that",
        )
    with opener() as f:
        data = f.read()
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise StatementError(
            label, "is password-protected; open it, save it without a password and import that"
        )
    try:
        done = subprocess.run(
            [sys.executable, "-c", _OLE_READER, str(OLE_MEMORY_BYTES), str(OLE_SECONDS),
             str(MAX_CELLS), str(containers.MAX_COLUMNS)],
            input=data, capture_output=True, timeout=OLE_SECONDS * 2, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise StatementError(label, "took too long to read; is it a damaged workbook?") from exc
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if done.returncode != 0 or not isinstance(answer, dict):
        raise StatementError(
            label,
            "is a damaged or hostile XLS workbook: reading it took more memory or time than any "
            "statement needs. Open it in a spreadsheet app, save it as XLSX or CSV and import "
            "that",
        )
    if "too_wide" in answer:
        name, rows, columns = answer["too_wide"]
        raise StatementError(
            f"{label} › {name}",
            f"spans {rows:,} rows by {columns:,} columns; this app reads sheets of at most "
            f"{containers.MAX_COLUMNS:,} columns and {MAX_CELLS:,} cells",
        )
    if "error" in answer:
        raise StatementError(
            label, f"is a damaged or truncated spreadsheet and cannot be opened ({answer['error']})"
        )
    return [(name, [[_revive(v) for v in row] for row in rows]) for name, rows in answer["sheets"]]
