"""``royalty`` command line: a thin layer over the package, for managers with folders of files.

Each command group is one module here with a ``register(sub)`` that declares its arguments and
the function that runs it; the work itself lives in the package (``ingest``, ``analytics``,
``reports``, ``store``). Heavy libraries are imported inside the commands that use them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from royalty.cli import database, importing, layouts, reporting, splits, statements, tracks
from royalty.cli.options import DB_HELP

GROUPS = (importing, layouts, statements, tracks, reporting, splits, database)


def build_parser() -> argparse.ArgumentParser:
    from royalty import __version__

    parser = argparse.ArgumentParser(
        prog="royalty", description="Royalty statements: import, compare, share."
    )
    parser.add_argument("--version", action="version", version=f"royalty {__version__}")
    parser.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
