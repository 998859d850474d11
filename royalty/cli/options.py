"""What several commands share: how they name a database, a scope of income, a currency."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from royalty import analytics


def make_engine(url: str | None, **kwargs: object) -> Engine:
    """The database, opened only by a command that runs: ``royalty --help`` and argument
    errors never pay for importing SQLAlchemy, pandas and the schema."""
    from royalty.store.db import make_engine as open_engine

    return open_engine(url, **kwargs)  # type: ignore[arg-type]


def period(text: str) -> tuple[int, int]:
    from royalty.months import parse_period

    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"{text!r} is not a currency code such as GBP, USD or EUR")
    return code


DB_HELP = "database URL (default: $DATABASE_URL, else a SQLite file in your data folder)"
MARKS = {"imported": "ok ", "duplicate": "dup", "error": "ERR"}
"""How every command that imports marks a file's outcome: ``[ok ]``, ``[dup]``, ``[ERR]``."""


def existing_engine(url: str | None, command: str) -> Engine | None:
    """The database a command that only reads opens (``report``, ``summary``): reading never
    creates one. None, said on stderr, when its SQLite file does not exist yet."""
    from sqlalchemy.engine import make_url

    from royalty.settings import default_database_path, normalize_url

    explicit = url or os.environ.get("DATABASE_URL")
    resolved = normalize_url(explicit) if explicit else f"sqlite:///{default_database_path()}"
    parsed = make_url(resolved)
    name = parsed.database or ""
    a_file = parsed.get_backend_name() == "sqlite" and name not in ("", ":memory:")
    if a_file and not name.startswith("file:") and not Path(name).exists():
        print(
            f"royalty {command}: there is no database at {name} yet: nothing has been "
            "imported (royalty import FILE...)",
            file=sys.stderr,
        )
        return None
    return make_engine(resolved)


def nothing_in(engine: Engine, f: analytics.Filters, command: str) -> bool:
    """True, after saying on stderr what there is instead, when nothing is stored in the
    selected months: a report of nothing (all zeros, "kept $0.00 more") helps no one."""
    from royalty import analytics
    from royalty.formatting import NBSP, period_text

    months = analytics.months(engine, f.artist)
    first, last = f.period or (0, 999999)
    if any(first <= m <= last for m in months):
        return False
    who = f" for {f.artist}" if f.artist else ""
    if not months:
        print(
            f"royalty {command}: nothing is stored{who} yet: import statements first "
            "(royalty import FILE...)",
            file=sys.stderr,
        )
        return True
    by_year: dict[int, list[int]] = {}
    for m in months:
        by_year.setdefault(m // 100, []).append(m)
    there = ", ".join(period_text(ms[0], ms[-1]) for ms in by_year.values()).replace(NBSP, " ")
    asked = period_text(first, last).replace(NBSP, " ") if f.period else "any month"
    print(
        f"royalty {command}: nothing is stored{who} in {asked}. Usage months with data: "
        f"{there} (choose one with --year or --period).",
        file=sys.stderr,
    )
    return True


def add_db(parser: argparse.ArgumentParser) -> None:
    """``--db`` after the subcommand too; it is set only when given, so that a ``--db``
    before the subcommand is not overwritten by the subcommand's default."""
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)


def add_scope(parser: argparse.ArgumentParser, *, year_help: str) -> None:
    """Which income a command covers: one artist, a year or period, a reporting currency."""
    parser.add_argument("--artist", metavar="NAME", help="one artist (default: all)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--year", type=int, metavar="Y", help=year_help)
    when.add_argument(
        "--period", type=period, metavar="A..B", help="usage months, e.g. 2024-07..2025-06"
    )
    parser.add_argument(
        "--currency", type=currency, metavar="C", help="reporting currency (default: the main one)"
    )


def scope(
    args: argparse.Namespace, engine: Engine, command: str
) -> tuple[analytics.Filters, str] | None:
    """The filters and currency ``add_scope``'s options select; None (said on stderr) for an
    artist with no income. Without --year or --period: the latest full year."""
    from royalty import analytics

    if args.artist is not None and args.artist not in analytics.artists(engine):
        print(f"royalty {command}: no income stored for artist {args.artist!r}", file=sys.stderr)
        return None
    year = args.year or (None if args.period else analytics.latest_full_year(engine, args.artist))
    period = (year * 100 + 1, year * 100 + 12) if year else args.period
    currency = args.currency or analytics.main_currency(engine, args.artist)
    return analytics.Filters(artist=args.artist, period=period), currency
