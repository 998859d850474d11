"""XLSX import speed: a DistroKid statement saved as XLSX, imported reading the rows a column at
a time (fastexcel, the default) and cell by cell (calamine's Python objects, as before).

    python benchmarks/xlsx_benchmark.py --rows 200000 [--reader both|columns|cells] [--tsv]
                                         [--keep DIR]

1. Writes the 15-column DistroKid "Excruciating detail" lines of ``import_benchmark`` as a
   spreadsheet app saves them (xlsxwriter, shared strings): dates as date cells, quantities,
   UPCs and amounts as numbers, names and ISRCs as text. An amount cell holds a binary float;
   the statement's exact total is the sum of the shortest decimal text of each one.
2. Imports it into a fresh SQLite database once per reader, each in its own process (its start,
   library imports included, and its peak memory its own), and prints wall and CPU time and
   rows per second of each, and whether the column reader meets the target (>= 100,000 rows/s).
   Beside that: the import's own time, from the call of ``import_path`` to its commit, once
   the interpreter has started and the libraries an import loads are imported (what a reader
   can change; start-up is the same for every import), and the target on that basis too; and
   how much of that the workbook took to be checked and read (``spreadsheet.tables``), the
   rest being what a TSV of the same lines costs too.
3. Checks the stored lines of each import add up, exactly, to that total.
4. With ``--tsv``, imports the same lines as the DistroKid TSV too: what the rows cost with no
   workbook to read, timed on the same machine in the same run.

Wall-clock rows/s depend on what else the machine runs: the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from import_benchmark import (
    HEADER,
    _amount,
    _cpu_seconds,
    _lines,
    _peak_mb,
    run_isolated,
    stored_total,
    write_statement,
)

TARGET = 100_000
"""Rows per second the column reader is to import a 200,000-row sheet at."""
LIBRARIES = (
    "fastexcel",
    "python_calamine",
    "adbc_driver_sqlite.dbapi",
    "pyarrow.dataset",
    "pyarrow.pandas_compat",
    "royalty.importers.mapped",
    "royalty.store.layouts",
)
"""What an import loads on first use: imported before the import's own time starts."""


def write_workbook(path: Path, rows: int, seed: int = 20260301) -> Decimal:
    """The DistroKid lines as an XLSX; returns the exact total of the amounts its cells hold."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("Statement")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    month = book.add_format({"num_format": "yyyy-mm"})
    sheet.write_row(0, 0, HEADER)
    total = Decimal(0)
    r = 1
    for batch in _lines(rows, seed):
        for sale, reported, store, artist, title, isrc, upc, qty, country, pico, dec in batch:
            amount = float(_amount(pico, dec))
            total += Decimal(repr(float(f"{amount:.16g}")))  # what the cell holds
            reported_on = dt.datetime.strptime(reported, "%Y-%m-%d")
            sheet.write_datetime(r, 0, reported_on, day)
            sheet.write_datetime(r, 1, reported_on, day)
            sheet.write_datetime(r, 2, dt.datetime.strptime(sale, "%Y-%m"), month)
            sheet.write_string(r, 3, store)
            sheet.write_string(r, 4, artist)
            sheet.write_string(r, 5, title)
            sheet.write_string(r, 6, isrc)
            sheet.write_number(r, 7, int(upc))
            sheet.write_number(r, 8, qty)
            sheet.write_number(r, 9, 100)
            sheet.write_string(r, 10, "Song")
            sheet.write_string(r, 11, country)
            sheet.write_number(r, 12, 0)
            sheet.write_number(r, 13, amount)
            sheet.write_number(r, 14, 0)
            r += 1
    book.close()
    return total


def royalty_import(path: str, db: str, columns: bool, queue: mp.Queue) -> None:
    started, cpu = time.perf_counter(), _cpu_seconds()  # counting the package's import
    from royalty.ingest import import_path, spreadsheet
    from royalty.store.db import make_engine

    for name in LIBRARIES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    spreadsheet.COLUMNS_AT_ONCE = columns
    stages: dict[str, float] = {}
    spreadsheet.tables = _timed(spreadsheet.tables, stages)
    engine = make_engine(f"sqlite:///{db}")
    imported, imported_cpu = time.perf_counter(), _cpu_seconds()
    result = import_path(engine, path)  # returns once the import has committed
    now, now_cpu = time.perf_counter(), _cpu_seconds()
    seconds, cpu = now - started, now_cpu - cpu
    engine.dispose()
    queue.put(
        {"rows": result.rows, "seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(),
         "import_seconds": now - imported, "import_cpu": now_cpu - imported_cpu,
         "status": result.status, "message": result.message, "totals": result.totals,
         "stages": stages}
    )  # fmt: skip


def _timed(tables, stages: dict[str, float]):  # type: ignore[no-untyped-def]
    """``spreadsheet.tables`` timed: the workbook checked and read into columns of text (the
    text of the columns an import reads is written later, as it reads them)."""

    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        started, cpu = time.perf_counter(), _cpu_seconds()
        try:
            return tables(*args, **kwargs)
        finally:
            stages["workbook"] = stages.get("workbook", 0) + time.perf_counter() - started
            stages["workbook_cpu"] = stages.get("workbook_cpu", 0) + _cpu_seconds() - cpu

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument(
        "--reader", choices=("both", "columns", "cells"), default="both",
        help="columns: fastexcel (the default reader); cells: calamine cell by cell (before)",
    )  # fmt: skip
    parser.add_argument("--tsv", action="store_true", help="also import the lines as a TSV")
    parser.add_argument("--keep", metavar="DIR", help="write files here and keep them")
    args = parser.parse_args(argv)

    folder = Path(args.keep or tempfile.mkdtemp(prefix="royalty-xlsx-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return _run(args, folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def _run(args: argparse.Namespace, folder: Path) -> int:
    book = folder / f"distrokid_{args.rows}.xlsx"
    started = time.perf_counter()
    file_total = write_workbook(book, args.rows)
    print(
        f"wrote {args.rows:,} rows, {book.stat().st_size / 1e6:,.1f} MB XLSX, total {file_total} "
        f"USD in {time.perf_counter() - started:.1f} s"
    )
    readers = {"cells": [False], "columns": [True], "both": [False, True]}[args.reader]
    ok = True
    runs = {}
    for columns in readers:
        name = "columns" if columns else "cells"
        db = folder / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        load = os.getloadavg()[0]
        run = runs[name] = run_isolated(royalty_import, book, db, columns)
        if run["status"] != "imported":
            print(f"{name}: import failed: {run['message']}")
            return 1
        label = "fastexcel, a column at a time" if columns else "calamine, cell by cell (before)"
        print(
            f"{label:<34} {run['seconds']:7.2f} s wall, {run['rows'] / run['seconds']:9,.0f} "
            f"rows/s; {run['cpu']:7.2f} s CPU, {run['rows'] / run['cpu']:9,.0f} rows/CPU-s; "
            f"peak RSS {run['peak_mb']:,.0f} MB; load average {load:.1f}"
        )
        print(
            f"  of which import_path {run['import_seconds']:.2f} s wall "
            f"({run['rows'] / run['import_seconds']:,.0f} rows/s), the rest starting Python "
            "and importing the package"
        )
        print(_own_time(run))
        if "workbook" in run["stages"]:
            wall, used = run["stages"]["workbook"], run["stages"]["workbook_cpu"]
            print(
                f"  of which the workbook checked and read (spreadsheet.tables): {wall:.2f} s "
                f"wall, {used:.2f} s CPU; the rest (rows to stored lines, the commit): "
                f"{run['import_seconds'] - wall:.2f} s wall, {run['import_cpu'] - used:.2f} s CPU"
            )
        total, count = stored_total(db)
        exact = total == file_total == Decimal(run["totals"]["USD"]) and count == args.rows
        ok = ok and exact
        print(
            f"  stored {count:,} lines totalling {total} USD; the cells hold {file_total} USD: "
            + ("exact match" if exact else "MISMATCH")
        )
    if args.tsv:
        tsv = folder / f"distrokid_{args.rows}.tsv"
        write_statement(tsv, args.rows)
        db = folder / "tsv.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        load = os.getloadavg()[0]
        run = runs["tsv"] = run_isolated(royalty_import, tsv, db, True)
        print(
            f"{'the same lines as a TSV':<34} {run['seconds']:7.2f} s wall, "
            f"{run['rows'] / run['seconds']:9,.0f} rows/s; {run['cpu']:7.2f} s CPU; "
            f"load average {load:.1f}"
        )
        print(_own_time(run))
        if "columns" in runs:
            share = runs["tsv"]["seconds"] / runs["columns"]["seconds"]
            print(f"  the workbook imports at {share:.0%} of the TSV's rate")
            share = runs["tsv"]["import_seconds"] / runs["columns"]["import_seconds"]
            print(f"  the workbook's import alone runs at {share:.0%} of the TSV's")
    if "columns" in runs:
        rate = runs["columns"]["rows"] / runs["columns"]["seconds"]
        line = f"target >= {TARGET:,} rows/s, counting start-up: "
        line += ("met" if rate >= TARGET else "NOT met") + f" ({rate:,.0f} rows/s)"
        if "cells" in runs:
            line += (
                f"; {runs['cells']['seconds'] / runs['columns']['seconds']:.1f}x the cell reader"
            )
        print(line)
        own = runs["columns"]["rows"] / runs["columns"]["import_seconds"]
        print(
            f"target >= {TARGET:,} rows/s, the import alone (call to commit): "
            + ("met" if own >= TARGET else "NOT met")
            + f" ({own:,.0f} rows/s wall; "
            f"{runs['columns']['rows'] / runs['columns']['import_cpu']:,.0f} rows/CPU-s)"
        )
    return 0 if ok else 1


def _own_time(run: dict) -> str:
    """The import alone: from its call to its commit, libraries already imported."""
    return (
        f"  the import alone (call to commit): {run['import_seconds']:.2f} s wall, "
        f"{run['rows'] / run['import_seconds']:,.0f} rows/s; {run['import_cpu']:.2f} s CPU, "
        f"{run['rows'] / run['import_cpu']:,.0f} rows/CPU-s; target >= {TARGET:,} rows/s: "
        + ("met" if run["rows"] / run["import_seconds"] >= TARGET else "NOT met")
    )


if __name__ == "__main__":
    sys.exit(main())
