"""``royalty`` command line: a thin layer over the package, for managers with folders of files.

Each subcommand is one ``_cmd_*`` function plus its arguments in ``build_parser``; the work
itself lives in the package (``ingest``, ``analytics``, ``reports``).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from royalty.importers.base import ImportOptions
from royalty.months import parse_period
from royalty.store.db import make_engine

if TYPE_CHECKING:
    from royalty import analytics


def _period(text: str) -> tuple[int, int]:
    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"{text!r} is not a currency code such as GBP, USD or EUR")
    return code


DB_HELP = "database URL (default: $DATABASE_URL, else a SQLite file in your data folder)"


def _add_db(parser: argparse.ArgumentParser) -> None:
    """``--db`` after the subcommand too; it is set only when given, so that a ``--db``
    before the subcommand is not overwritten by the subcommand's default."""
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)


def _add_scope(parser: argparse.ArgumentParser, *, year_help: str) -> None:
    """Which income a command covers: one artist, a year or period, a reporting currency."""
    parser.add_argument("--artist", metavar="NAME", help="one artist (default: all)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--year", type=int, metavar="Y", help=year_help)
    when.add_argument(
        "--period", type=_period, metavar="A..B", help="usage months, e.g. 2024-07..2025-06"
    )
    parser.add_argument(
        "--currency", type=_currency, metavar="C", help="reporting currency (default: the main one)"
    )


def _scope(
    args: argparse.Namespace, engine: Engine, command: str
) -> tuple[analytics.Filters, str] | None:
    """The filters and currency ``_add_scope``'s options select; None (said on stderr) for an
    artist with no income. Without --year or --period: the latest full year."""
    from royalty import analytics

    if args.artist is not None and args.artist not in analytics.artists(engine):
        print(f"royalty {command}: no income stored for artist {args.artist!r}", file=sys.stderr)
        return None
    year = args.year or (None if args.period else analytics.latest_full_year(engine, args.artist))
    period = (year * 100 + 1, year * 100 + 12) if year else args.period
    currency = args.currency or analytics.main_currency(engine, args.artist)
    return analytics.Filters(artist=args.artist, period=period), currency


# --- import ------------------------------------------------------------------------------------


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


def _import_files(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from royalty.ingest import import_path, statement_files

    engine = make_engine(args.db)
    options = ImportOptions(artist=args.artist, period=args.period, currency=args.currency)
    files = list(statement_files(args.paths))
    if not files:
        print("No statement files found in: " + ", ".join(args.paths), file=sys.stderr)
        return 1
    results = []
    quiet = args.json or not sys.stderr.isatty()
    with tqdm(total=len(files), unit="file", disable=quiet, file=sys.stderr) as bar:

        def progress(name: str, rows: int, expected: int | None) -> None:
            about = f" of ~{expected:,}" if expected else ""
            bar.set_postfix_str(f"{rows:,}{about} rows", refresh=True)

        def status(message: str) -> None:  # waiting for another import; leftovers removed
            tqdm.write(message, file=sys.stderr)

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
                mark = {"imported": "ok ", "duplicate": "dup", "error": "ERR"}[result.status]
                tqdm.write(f"[{mark}] {result.message}", file=sys.stdout)
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


# --- report ------------------------------------------------------------------------------------


def _cmd_report(args: argparse.Namespace) -> int:
    from royalty import reports
    from royalty.reports.browser import BrowserError

    out = Path(args.out)
    if out.suffix.lower() not in reports.SUFFIXES:
        print(f"{out}: the report file must end in {', '.join(reports.SUFFIXES)}", file=sys.stderr)
        return 2
    engine = make_engine(args.db)
    scope = _scope(args, engine, "report")
    if scope is None:
        return 1
    filters, currency = scope
    try:
        reports.build(
            engine,
            filters,
            currency,
            out,
            rates_only=args.rates_only,
            size=args.size,
            table=args.table,
        )
    except (ValueError, BrowserError) as exc:
        print(f"royalty report: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


# --- summary -----------------------------------------------------------------------------------


def _cmd_summary(args: argparse.Namespace) -> int:
    from royalty import analytics
    from royalty.summary_text import render

    engine = make_engine(args.db)
    scope = _scope(args, engine, "summary")
    if scope is None:
        return 1
    summary = analytics.unwrapped(engine, *scope)
    if args.json:
        print(json.dumps(analytics.summary_json(summary), indent=2, ensure_ascii=False))
    else:
        print(render(summary))
    return 0


# --- parser ------------------------------------------------------------------------------------


def _cmd_sample(args: argparse.Namespace) -> int:
    from royalty import sample

    engine = make_engine(args.db)
    if args.action == "remove":
        removed = sample.remove_sample_data(engine)
        print(f"removed {removed} sample statement(s); the app will not load them again")
        return 0
    results = sample.load_sample_data(engine)
    failed = [r for r in results if r.status == "error"]
    for r in results:
        print(f"[{r.status}] {r.message}")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    from royalty import __version__

    parser = argparse.ArgumentParser(
        prog="royalty", description="Royalty statements: import, compare, share."
    )
    parser.add_argument("--version", action="version", version=f"royalty {__version__}")
    parser.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="import statement files or folders of them")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders to walk")
    p.add_argument("--artist", metavar="NAME", help="file the lines under this artist")
    p.add_argument(
        "--period",
        type=_period,
        metavar="A..B",
        help="usage period for files that do not say it (disclosure summaries), e.g. 2024-07..2025-06",
    )
    p.add_argument(
        "--currency", type=_currency, metavar="C", help="currency for files that do not say it"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per file")
    _add_db(p)
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("report", help="write a shareable report (.html .pdf .png .xlsx .csv .json)")
    _add_scope(p, year_help="usage months of one year (default: latest full year)")
    p.add_argument(
        "--rates-only", action="store_true", help="per-stream rates and shares, no absolute income"
    )
    p.add_argument(
        "--size", choices=["portrait", "story"], default="portrait", help="PNG card size"
    )
    p.add_argument(
        "--table",
        choices=["lines", "summary", "platforms", "tracks", "territories"],
        help="what a .csv holds (default: lines; platforms when --rates-only)",
    )
    p.add_argument(
        "--out", required=True, metavar="FILE", help="output file; its extension picks the format"
    )
    _add_db(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("summary", help="the yearly summary: income, streams, rates per platform")
    _add_scope(p, year_help="default: the latest full year")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    _add_db(p)
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("sample", help="load or remove the fictional sample statements in data/")
    p.add_argument("action", choices=["load", "remove"])
    _add_db(p)
    p.set_defaults(func=_cmd_sample)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
