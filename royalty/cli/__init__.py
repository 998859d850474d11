"""``royalty`` command line: a thin layer over the package, for managers with folders of files.

Each command group is one module here with a ``register(sub)`` that declares its arguments and
the function that runs it; the work itself lives in the package (``ingest``, ``analytics``,
``reports``, ``store``). Heavy libraries are imported inside the commands that use them.
"""

from __future__ import annotations

import argparse
import os
import sys
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


EXIT_PIPE = 141
"""128 + SIGPIPE: what a command cut short by a closed pipe exits with, as ``cat`` does."""


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # here, where a closed pipe is caught, not at the exit
    except BrokenPipeError:  # ``royalty summary | head``: the reader has all it wanted
        _quiet_stdout()
        return EXIT_PIPE
    return code


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at the exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (a test's capture)
        pass
