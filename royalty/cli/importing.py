"""``royalty import``: files and folders of statements, each in its own transaction; Ctrl-C
and SIGTERM leave every file stored in full or not at all, and say which."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from royalty.cli.options import MARKS, add_db, currency, make_engine, period
from royalty.vocabulary import MAPPABLE_FIELDS as MAPPABLE

if TYPE_CHECKING:
    from sqlalchemy import Engine


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import statement files or folders of them")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders to walk")
    p.add_argument("--artist", metavar="NAME", help="file the lines under this artist")
    p.add_argument(
        "--period",
        type=period,
        metavar="A..B",
        help="usage period for files that do not say it (disclosure summaries), e.g. 2024-07..2025-06",
    )
    p.add_argument(
        "--currency", type=currency, metavar="C", help="currency for files that do not say it"
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="for a file in no known layout: the column holding FIELD, one of "
        + " ".join(MAPPABLE),
    )
    p.add_argument(
        "--save-layout",
        metavar="NAME",
        help="save the --map mapping as a layout: later files with this header need no --map",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per file")
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal and not --json)",
    )
    add_db(p)
    p.set_defaults(func=_cmd_import)


def show_progress(args: argparse.Namespace) -> bool:
    """``--progress``/``--no-progress`` as given; else on a terminal, unless printing JSON."""
    if args.progress is not None:
        return bool(args.progress)
    return not args.json and sys.stderr.isatty()


def bar_size() -> dict[str, int]:
    """The terminal's size for the bar. A pseudo-terminal (``script``, an editor's terminal,
    ``ssh`` without a size) may say it has 0 columns and 0 lines, and tqdm then hides its bar
    as if it were below the screen: it gets the usual 80 x 24 instead."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        size = os.terminal_size((0, 0))
    usual = shutil.get_terminal_size()
    return {"ncols": size.columns or usual.columns, "nrows": size.lines or usual.lines}


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the file's transaction rolls back and scratch data goes."""


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While importing, SIGTERM (``kill``, a service manager stopping us) raises ``Terminated``
    in the main thread, as Ctrl-C raises KeyboardInterrupt, instead of ending the process on
    the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(_signum, _frame):  # type: ignore[no-untyped-def]
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupted(engine: Engine, path: Path, done: int, exc: KeyboardInterrupt) -> tuple[str, int]:
    """What is true after an interrupt during ``path``, and the exit status (128 + signal).

    A file's import is one transaction, so it is stored in full or not at all; which one, only
    the database can tell (the interrupt may come while it commits, or just after)."""
    from royalty.ingest import is_stored

    what, status = ("Terminated", 143) if isinstance(exc, Terminated) else ("Interrupted", 130)
    try:
        stored = is_stored(engine, path)
    except Exception as error:  # the database cannot say: say that
        return (
            f"{what}: could not tell whether {path} was stored ({type(error).__name__}: "
            f"{error}); the {done} file(s) before it were. Run the same command again to go "
            "on: whatever is stored already is skipped as a duplicate.",
            status,
        )
    if stored:
        return (
            f"{what}: {path} was stored in full, and so were the {done} file(s) before it. "
            "Run the same command again to go on.",
            status,
        )
    return (
        f"{what}: nothing of {path} was stored; the {done} file(s) before it were. "
        "Run the same command again to go on.",
        status,
    )


def _cmd_import(args: argparse.Namespace) -> int:
    with _sigterm_interrupts():
        return _import_files(args)


class _NoBar:
    """The progress bar's part the import loop uses, when no bar is shown: ``tqdm`` is
    imported only for a bar someone sees."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def set_postfix_str(self, _text: str, refresh: bool = True) -> None:
        return None

    def set_description(self, _text: str) -> None:
        return None

    def update(self, _n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None

    @staticmethod
    def write(message: str, file: TextIO | None = None) -> None:
        print(message, file=file)


def _bar(files: int, shown: bool) -> Any:
    """A tqdm bar on stderr when one is shown, else a ``_NoBar``."""
    if not shown:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=files, unit="file", file=sys.stderr, **bar_size())


def _import_files(args: argparse.Namespace) -> int:
    from royalty.importers.base import ImportOptions
    from royalty.ingest import import_path, statement_files

    engine = make_engine(args.db)
    options = ImportOptions(artist=args.artist, period=args.period, currency=args.currency)
    files = list(statement_files(args.paths))
    if not files:
        print("No statement files found in: " + ", ".join(args.paths), file=sys.stderr)
        return 1
    mapped = _mapping(args, files[0])
    if isinstance(mapped, int):
        return mapped
    if mapped is not None:
        options = replace(options, layouts=(mapped,))
    results = []
    shown = show_progress(args)
    with _bar(len(files), shown) as bar:

        def progress(name: str, rows: int, expected: int | None) -> None:
            about = f" of ~{expected:,}" if expected else ""
            bar.set_postfix_str(f"{rows:,}{about} rows", refresh=True)

        def status(message: str) -> None:  # waiting for another import; leftovers removed
            bar.write(message, file=sys.stderr)

        for path in files:
            bar.set_description(path.name[:40])
            try:
                result = import_path(engine, path, options, progress=progress, status=status)
            except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: the transaction rolled back
                bar.close()
                message, code = _interrupted(engine, path, len(results), exc)
                print(message, file=sys.stderr)
                return code
            results.append(result)
            bar.update(1)
            if not args.json:
                bar.write(f"[{MARKS[result.status]}] {result.message}", file=sys.stdout)
    if mapped is not None and args.save_layout:
        if results[0].status == "error":
            print(
                f"layout {args.save_layout!r} not saved: {files[0]} did not import",
                file=sys.stderr,
            )
        else:
            from royalty.store import layouts

            layouts.save(
                engine,
                args.save_layout,
                mapped_header(files[0]),
                dict(mapped.columns),
                args.currency,
            )
            print(f"saved layout {args.save_layout!r}", file=sys.stderr)
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False))
    else:
        counts = {
            s: sum(r.status == s for r in results) for s in ("imported", "duplicate", "error")
        }
        print(
            f"{counts['imported']} imported, {counts['duplicate']} duplicate, {counts['error']} failed"
        )
    return 1 if any(r.status == "error" for r in results) else 0


def _mapping(args: argparse.Namespace, first: Path):  # type: ignore[no-untyped-def]
    """The layout ``--map`` gives (checked against the first file's header), None without
    ``--map``, or an exit status after saying what is wrong."""
    if not args.map:
        if args.save_layout:
            print("royalty import: --save-layout needs --map FIELD=HEADER", file=sys.stderr)
            return 2
        return None
    from royalty.errors import StatementError
    from royalty.ingest.mapping import layout_for
    from royalty.ingest.reader import Source

    fields: dict[str, str] = {}
    for pair in args.map:
        field, sep, header = pair.partition("=")
        if not sep or not header.strip() or field.strip() not in MAPPABLE:
            print(
                f"royalty import: --map {pair!r}: write FIELD=HEADER, FIELD one of "
                + " ".join(MAPPABLE),
                file=sys.stderr,
            )
            return 2
        fields[field.strip()] = header.strip()
    if args.save_layout:
        from royalty.store.layouts import LayoutError, check_name

        try:
            check_name(args.save_layout)
        except LayoutError as exc:
            print(f"royalty import: {exc}", file=sys.stderr)
            return 2
    try:
        return layout_for(
            Source.from_path(first, name=str(first)),
            fields,
            name=args.save_layout,
            currency=args.currency,
        )
    except StatementError as exc:
        print(f"royalty import: {exc}; nothing was stored", file=sys.stderr)
        return 1


def mapped_header(path: Path) -> list[str]:
    from royalty.ingest.mapping import raw_table
    from royalty.ingest.reader import Source

    return raw_table(Source.from_path(path, name=str(path))).header
