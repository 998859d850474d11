"""What an import tells the person who started it: the result of each file, the preview
before it, progress and status callbacks, and the sentences for what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from royalty.formatting import size_text
from royalty.ingest.reader import (
    Source,
    Tables,
)
from royalty.store.diskfull import DiskFull
from royalty.store.scratch import Leftovers

Progress = Callable[[str, int, int | None], None]
"""Called with (file name, rows read so far, about how many rows it has or None) as a file
is imported."""


Status = Callable[[str], None]
"""Called with a sentence for the person waiting, about something other than progress: that
the import waits for another one to finish, or that scratch data an interrupted import left
behind was removed."""


@dataclass
class ImportResult:
    """What happened to one file; ``to_json`` is the CLI's ``--json`` object."""

    file: str
    status: str  # "imported" | "duplicate" | "error"
    format: str | None = None
    rows: int = 0
    totals: dict[str, str] = field(default_factory=dict)
    period: list[str] | None = None
    message: str = ""
    stored: int = 0
    skipped: int = 0
    """Lines already stored from an earlier statement of the same source."""
    dropped: int = 0
    """Rows that are not lines (``rows`` = ``stored`` + ``skipped`` + ``dropped``)."""
    dropped_because: dict[str, int] = field(default_factory=dict)
    """Reason (``transfer``, ``total row``, ``empty``, ``not a line``) -> rows."""
    statement_id: int | None = None
    encoding: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Preview:
    """What the browser shows before anything is stored."""

    file: str
    layout: str | None
    rows: pd.DataFrame
    error: str | None = None
    totals: dict[str, str] | None = None
    """With ``preview(..., whole=True)``: per currency, the exact sum of every line the file
    gives, as an import would store it (before any overlap with stored lines)."""
    lines: int | None = None
    unknown: bool = False
    """The file is in no known layout: its columns can be mapped (``ingest.mapping``)."""


def unexpected(name: str, exc: Exception, layout: str | None = None) -> ImportResult:
    return ImportResult(
        file=name,
        status="error",
        format=layout,
        message=f"{name}: could not be imported ({type(exc).__name__}: {exc})",
    )


def duplicate(source: Source, seen) -> ImportResult:  # type: ignore[no-untyped-def]
    return ImportResult(
        file=source.name,
        status="duplicate",
        format=seen.layout,
        message=(
            f"{source.name}: already imported on {seen.imported_at:%Y-%m-%d %H:%M} "
            f"(as {Path(seen.file_name).name}); nothing added"
        ),
    )


def say_waiting(name: str, status: Status | None, waited: float) -> None:
    if status is None:
        return
    if waited < 1:
        status(f"{name}: waiting for another import to finish…")
    else:
        status(f"{name}: still waiting for another import to finish ({duration_text(waited)})…")


def leftovers_text(left: Leftovers) -> str:
    """The note that scratch data of interrupted imports was removed."""
    imports = f"{left.folders} interrupted import{'s' if left.folders != 1 else ''}"
    return f"Removed {size_text(left.size)} of scratch data left by {imports} ({left.where})"


def disk_full_text(name: str, exc: DiskFull) -> str:
    if exc.path is None:
        where = "the database server's disk is full"
    else:
        room = "" if exc.free is None else f" ({size_text(exc.free)} free)"
        where = f"the disk holding {exc.path} is full{room}"
    return (
        f"{name}: {where}; nothing of {name} was stored. Make room on it and import the file again."
    )


def duration_text(seconds: float) -> str:
    """``1 second``, ``45 seconds``, ``10 minutes``."""
    if seconds < 60:
        whole = max(int(seconds), 1)
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = int(seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def with_notes(result: ImportResult, tables: Tables) -> ImportResult:
    """The result names what of the file was skipped (an archive's members that are no
    statements), so that nothing is left out without a word."""
    if tables.notes:
        result.message += f"; skipped {tables.skipped()}"
    return result
