"""``royalty splits import|list``: who gets which share of which track, from a CSV split sheet;
``royalty payees``: each payee's amount for a period, adding up to the cent;
``royalty statement --payee``: one payee's statement as a file (.html .pdf .csv)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from royalty.cli.options import add_db, add_scope, make_engine, scope

STATEMENT_SUFFIXES = (".html", ".pdf", ".csv")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("splits", help="splits: import a split sheet (CSV), list them")
    add_db(p)
    actions = p.add_subparsers(dest="action", required=True)

    imported = actions.add_parser(
        "import", help="store a split sheet: isrc,title,payee,share,from_month"
    )
    imported.add_argument("file", metavar="FILE.csv")
    imported.add_argument(
        "--artist", metavar="NAME", help="whose tracks (default: the one artist stored)"
    )
    imported.add_argument(
        "--replace",
        action="store_true",
        help="replace every split of the artist (default: only the tracks and months it names)",
    )
    add_db(imported)
    imported.set_defaults(func=_cmd_import)

    listing = actions.add_parser("list", help="the stored splits")
    listing.add_argument("--artist", metavar="NAME", help="one artist (default: all)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_db(listing)
    listing.set_defaults(func=_cmd_list)

    p = sub.add_parser("payees", help="what each payee gets for a period, to the cent")
    add_scope(p, year_help="usage months of one year (default: latest full year)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_db(p)
    p.set_defaults(func=_cmd_payees)

    p = sub.add_parser("statement", help="one payee's statement (.html .pdf .csv)")
    p.add_argument("--payee", required=True, metavar="NAME", help="whose statement")
    add_scope(p, year_help="usage months of one year (default: latest full year)")
    p.add_argument(
        "--rates-only", action="store_true", help="shares and tracks only: no income or streams"
    )
    p.add_argument(
        "--out", required=True, metavar="FILE", help="output file; its extension picks the format"
    )
    add_db(p)
    p.set_defaults(func=_cmd_statement)


def _cmd_import(args: argparse.Namespace) -> int:
    from royalty import analytics
    from royalty.analytics.splits import tracks, unmatched
    from royalty.shares import SplitError, read_sheet
    from royalty.store.splits import save_splits

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"royalty splits import: {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    engine = make_engine(args.db)
    known = analytics.artists(engine)
    artist = args.artist
    if artist is None:
        if len(known) != 1:
            listed = ", ".join(known) or "none stored yet"
            print(
                f"royalty splits import: name the artist with --artist (artists: {listed})",
                file=sys.stderr,
            )
            return 2
        artist = known[0]
    try:
        rows = read_sheet(data)
        stored = save_splits(engine, artist, rows, replace=args.replace)
    except (SplitError, UnicodeDecodeError) as exc:
        problems = exc.problems if isinstance(exc, SplitError) else ["is not UTF-8 text"]
        print(f"royalty splits import: {path.name}: nothing was stored:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if artist not in known:
        print(f"note: no income is stored for {artist!r} yet", file=sys.stderr)
    for row in unmatched(rows, tracks(engine, artist=artist)):
        print(f"note: no stored track of {artist} is {row.what()} (yet)", file=sys.stderr)
    replaced = f", replacing {stored.replaced}" if stored.replaced else ""
    print(
        f"stored {stored.rows} shares in {stored.groups} splits for {artist}{replaced}"
        + (f"; new payees: {', '.join(stored.new_payees)}" if stored.new_payees else "")
    )
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from royalty.analytics.splits import stored_splits
    from royalty.shares import share_text

    found = stored_splits(make_engine(args.db), args.artist)
    if args.json:
        rows = [{"artist": a, **r.to_json()} for a, rows in found.items() for r in rows]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("no splits stored (royalty splits import FILE.csv): all income is the artist's")
    for artist, rows in found.items():
        print(artist)
        for r in rows:
            print(f"  {r.what()} {r.when()}: {r.payee} {share_text(r.share)}")
    return 0


def _cmd_payees(args: argparse.Namespace) -> int:
    from royalty.analytics.payees import amount_text, payees, payees_json

    engine = make_engine(args.db)
    chosen = scope(args, engine, "payees")
    if chosen is None:
        return 1
    found = payees(engine, *chosen)
    if args.json:
        print(json.dumps(payees_json(found), indent=2, ensure_ascii=False))
        return 0
    cur = found.currency
    print(f"{found.artist or 'All artists'}, {found.period or 'all months'}, in {cur}")
    width = max([len(s.payee) for s in found.payees] + [5])
    for s in found.payees:
        print(f"  {s.payee:<{width}}  {amount_text(s.amount, cur):>12}")
    print(f"  {'Total':<{width}}  {amount_text(found.total, cur):>12}")
    print(found.rounding)
    return 0


def _cmd_statement(args: argparse.Namespace) -> int:
    from royalty.analytics.payees import payees
    from royalty.reports import payee
    from royalty.reports.browser import BrowserError

    out = Path(args.out)
    if out.suffix.lower() not in STATEMENT_SUFFIXES:
        print(
            f"{out}: a statement file must end in {', '.join(STATEMENT_SUFFIXES)}", file=sys.stderr
        )
        return 2
    engine = make_engine(args.db)
    chosen = scope(args, engine, "statement")
    if chosen is None:
        return 1
    try:
        payee.write(payees(engine, *chosen), args.payee, out, rates_only=args.rates_only)
    except (payee.UnknownPayee, BrowserError, ValueError) as exc:
        print(f"royalty statement: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0
