"""Statement file -> stored lines: one transaction per file, exact, idempotent.

The rules a person can rely on:

* The same bytes twice are reported ``duplicate`` and add nothing (SHA-256 of the content).
* A file that overlaps lines already stored from the same distributor (an export of Jan-Dec
  after one of Jan-Jun) adds only the new lines and says how many it skipped. Identical rows
  inside one file are separate entries and all count.
* All rows or none: any bad value rolls the whole file back, with a message naming file, row
  and column.
* Every import reconciles: per currency, the lines the database holds for the file, counted and
  summed in SQL (exact integer nano-units), equal the lines the file gave less the skipped
  overlap, or nothing is kept. The file's own totals, exact to its last digit, are stored too.

Reading the package top to bottom tells the story of an import: ``import_source`` below takes
the bytes; ``reader`` turns them into tables (archives measured by ``archive``, text read by
``delimited``, workbooks by ``spreadsheet``) and ``tables`` finds the layout; inside the
one-file transaction (``transaction``) the file's number style is decided first (``facts``),
each chunk is normalized by the layout (``royalty.importers``), identified and checked for
overlap (``identity``, ``resaved``), given its dimension ids (``dimensions``), written by the
bulk writer with its summaries (``royalty.store``) and reconciled (``reconcile``); ``result``
says what happened.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from functools import partial
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from royalty import importers
from royalty.errors import StatementError, UnknownLayout
from royalty.formatting import size_text
from royalty.importers.base import ImportOptions
from royalty.ingest import transaction
from royalty.ingest.delimited import IrregularRows
from royalty.ingest.facts import number_style
from royalty.ingest.reader import Source, Table, Tables
from royalty.ingest.result import (
    ImportResult,
    Preview,
    Progress,
    Status,
    disk_full_text,
    duplicate,
    duration_text,
    leftovers_text,
    say_waiting,
    unexpected,
    with_notes,
)
from royalty.ingest.tables import find_tables, layout_of, sha256_of
from royalty.money import EXACT, decimal_text, exact_sum
from royalty.months import month_text
from royalty.store import scratch
from royalty.store.bulk import bulk_transaction
from royalty.store.db import DatabaseBusy
from royalty.store.diskfull import DiskFull
from royalty.store.locks import LockCycle
from royalty.store.models import Statement

LOCK_CYCLE_RETRIES = 3
"""Times an import starts again after PostgreSQL stopped it in a cycle of waits for artists
(two imports, each holding an artist the other one needs next)."""
STATEMENT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".zip")


def import_bytes(
    engine: Engine,
    name: str,
    data: bytes,
    options: ImportOptions | None = None,
    *,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    status: Status | None = None,
) -> ImportResult:
    """Import an uploaded file. ``max_bytes`` is the browser's upload limit."""
    if max_bytes is not None and len(data) > max_bytes:
        return ImportResult(
            file=name,
            status="error",
            message=(
                f"{name}: is {size_text(len(data))}; the upload limit is "
                f"{size_text(max_bytes)}. Import large files with the command line: "
                "royalty import FILE"
            ),
        )
    return import_source(
        engine, Source.from_bytes(name, data), options, progress=progress, status=status
    )


def import_path(
    engine: Engine,
    path: str | Path,
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
    status: Status | None = None,
) -> ImportResult:
    if not Path(path).is_file():
        return ImportResult(file=str(path), status="error", message=f"{path}: no such file")
    source = Source.from_path(path, name=str(path))
    return import_source(engine, source, options, progress=progress, status=status)


def statement_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and statement files inside folders named (walked, sorted, hidden skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(STATEMENT_SUFFIXES):
                        yield Path(root) / name
        else:
            yield path


def with_saved_layouts(engine: Engine, options: ImportOptions) -> ImportOptions:
    """``options`` with the saved column mappings after any given for this import, so that a
    file with a saved layout's header is detected like a built-in one."""
    from royalty.store import layouts

    saved = tuple(s.layout() for s in layouts.saved(engine))
    return replace(options, layouts=options.layouts + saved) if saved else options


def import_source(
    engine: Engine,
    source: Source,
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
    status: Status | None = None,
) -> ImportResult:
    """Import one statement; never raises for a bad file (the result says what went wrong).

    It waits for a writer it must not run beside (on SQLite any other import; on PostgreSQL
    an import of the same artist, or a removal), and tells ``status`` it does. The duplicate
    check is made again once it writes, so the same file imported twice at once is stored once
    and the other import says ``duplicate``.
    """
    options = options or ImportOptions()
    name = source.name
    recognized: str | None = None  # the layout, once known: an error names it too

    def failed(message: str) -> ImportResult:
        return ImportResult(file=name, status="error", format=recognized, message=message)

    try:
        _remove_leftovers(engine, status)
        digest = sha256_of(source)
        with engine.connect() as conn:
            seen = _stored_as(conn, digest)
        if seen is not None:
            return duplicate(source, seen)
        options = with_saved_layouts(engine, options)
        tables = find_tables(source, options.layouts)
        recognized = layout_of(tables[0], options.layouts)[0].name
        waiting = partial(say_waiting, name, status)
        careful, cycles = False, 0
        while True:
            try:
                return _store(engine, source, digest, tables, options, progress, waiting, careful)
            except IrregularRows:  # rolled back: the second pass, see ``_store``
                if careful:
                    raise
                careful = True
            except LockCycle:  # rolled back: the import it waited for goes on, then this one
                cycles += 1
                if cycles > LOCK_CYCLE_RETRIES:
                    raise
    except StatementError as exc:
        return failed(str(exc))
    except FileNotFoundError:
        return failed(f"{name}: no such file")
    except MemoryError:
        return failed(f"{name}: too large to read")
    except DatabaseBusy as exc:
        return failed(
            f"{name}: another import kept the database busy for over "
            f"{duration_text(exc.limit)}; nothing of {name} was stored. Import it again "
            "once that one has finished."
        )
    except DiskFull as exc:
        return failed(disk_full_text(name, exc))
    except IntegrityError as exc:
        if "sha256" in str(exc.orig):  # stored meanwhile by a writer that did not wait
            with engine.connect() as conn:
                seen = _stored_as(conn, digest)
            if seen is not None:
                return duplicate(source, seen)
        return unexpected(name, exc, recognized)
    except Exception as exc:  # a bug must not take the app down; say what happened
        return unexpected(name, exc, recognized)


def _store(
    engine: Engine,
    source: Source,
    digest: str,
    tables: Tables,
    options: ImportOptions,
    progress: Progress | None,
    waiting: Callable[[float], None],
    careful: bool = False,
) -> ImportResult:
    """The file in one transaction, after the duplicate check made again under the write lock
    (another import may just have stored the same bytes).

    The one second pass an import may make: text is read by pyarrow's fast reader, which
    hands out rows before it meets a row with more or fewer cells than the header
    (``IrregularRows``). The transaction then rolls back and the caller stores the file again
    with ``careful=True``, the reader that accepts padded rows and names the row that is wrong.
    The number style is decided before any row is stored; the only other restart is on
    PostgreSQL, when two imports each waited for an artist the other one held (``LockCycle``).
    """
    with bulk_transaction(engine, waiting=waiting, beside_imports=True) as conn:
        seen = _stored_as(conn, digest)
        if seen is not None:
            return duplicate(source, seen)
        result = transaction.FileImport(
            conn, source, digest, options, progress, careful=careful, waiting=waiting
        )
        return with_notes(result.run(tables), tables)


def _remove_leftovers(engine: Engine, status: Status | None) -> None:
    """Scratch data of imports that were killed, removed, and said (a failure is no reason not
    to import: the next import tries again)."""
    try:
        left = scratch.remove_leftovers(engine)
    except OSError:
        return
    if left is not None and status is not None:
        status(leftovers_text(left))


def _stored_as(conn: Connection, digest: str):  # type: ignore[no-untyped-def]
    """The statement already stored with these bytes (file name, when, layout), or None."""
    return conn.execute(
        select(Statement.file_name, Statement.imported_at, Statement.layout).where(
            Statement.sha256 == digest
        )
    ).first()


def is_stored(engine: Engine, path: str | Path) -> bool:
    """Whether a statement with exactly these bytes is stored (after an interrupted import,
    whether it got in: a transaction is all or nothing)."""
    digest = sha256_of(Source.from_path(path, name=str(path)))
    with engine.connect() as conn:
        return _stored_as(conn, digest) is not None


def preview(
    source: Source, options: ImportOptions | None = None, *, n: int = 20, whole: bool = False
) -> Preview:
    """Detect the layout and normalize the first ``n`` rows, storing nothing; with ``whole``,
    read every row too (as the import would: one number style, every value checked) and give
    the file's totals, for a person checking a column mapping before saving it."""
    options = options or ImportOptions()
    try:
        table = find_tables(source, options.layouts)[0]
        layout, mapping = layout_of(table, options.layouts)
        first = next(table.chunks(), pd.DataFrame(columns=table.header)).head(n)
        facts = importers.FileFacts(
            table.name,
            tuple(table.header),
            mapping,
            options,
            preamble=table.preamble,
            first_row=table.header_row + 2,
        )
        rows = importers.normalize(first, layout=layout, facts=facts)
        shown = rows[["usage_month", "store", "platform", "kind", "artist", "title", "territory",
                      "quantity", "amount", "currency"]].copy()  # fmt: skip
        shown["usage_month"] = shown["usage_month"].map(month_text)
        found = Preview(source.name, layout.title, shown)
        if whole:
            found.totals, found.lines = _whole_file(table, layout, facts)
        return found
    except UnknownLayout as exc:
        return Preview(source.name, None, pd.DataFrame(), str(exc), unknown=True)
    except StatementError as exc:
        return Preview(source.name, None, pd.DataFrame(), str(exc))
    except Exception as exc:
        return Preview(
            source.name, None, pd.DataFrame(), f"{source.name}: {type(exc).__name__}: {exc}"
        )


def _whole_file(
    table: Table, layout: importers.Layout, facts: importers.FileFacts
) -> tuple[dict[str, str], int]:
    """Every row normalized as the import does it, summed exactly per currency (with the
    careful reader, which names a row with too many cells instead of starting over)."""
    chunks = table.chunks(careful=True)
    decimal_comma = layout.decimal_comma
    if decimal_comma is None and "amount" in facts.mapping:
        chunks, decimal_comma = number_style(table, dict(facts.mapping), chunks, careful=True)
    facts = replace(facts, decimal_comma=decimal_comma)
    totals: dict[str, Decimal] = {}
    lines = 0
    for chunk in chunks:
        rows = importers.normalize(chunk, layout=layout, facts=facts)
        lines += len(rows)
        for currency, amounts in rows.groupby("currency", sort=False)["amount"]:
            totals[currency] = EXACT.add(totals.get(currency, Decimal(0)), exact_sum(amounts))
    return {c: decimal_text(v) for c, v in sorted(totals.items())}, lines


__all__ = [
    "ImportResult", "Preview", "Progress", "Status", "find_tables", "import_bytes",
    "import_path", "import_source", "is_stored", "leftovers_text", "preview", "sha256_of",
    "size_text", "statement_files", "with_saved_layouts",
]  # fmt: skip
