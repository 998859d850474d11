"""``royalty statements``: what was imported (list), one statement's reconciliation receipt
(show), and removing statements with everything only they left behind (remove);
``royalty coverage``: which months each source reported, the gaps, the reporting lag."""

from __future__ import annotations

import argparse
import json
import sys

from royalty.cli.options import add_db, make_engine


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("statements", help="imported statements: list, show one, remove")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_db(p)
    p.set_defaults(func=_cmd_list)
    actions = p.add_subparsers(dest="action")

    show = actions.add_parser("show", help="one statement's reconciliation receipt")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--lines", type=int, default=10, metavar="N", help="first lines shown")
    show.add_argument("--json", action="store_true", help="print JSON")
    add_db(show)
    show.set_defaults(func=_cmd_show)

    remove = actions.add_parser("remove", help="remove statements (one transaction)")
    remove.add_argument("ids", type=int, nargs="+", metavar="ID")
    remove.add_argument("--json", action="store_true", help="print JSON")
    add_db(remove)
    remove.set_defaults(func=_cmd_remove)

    p = sub.add_parser("coverage", help="months each source reported, gaps, reporting lag")
    p.add_argument("--artist", metavar="NAME", help="one artist (default: all)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_db(p)
    p.set_defaults(func=_cmd_coverage)


def _cmd_list(args: argparse.Namespace) -> int:
    from royalty.analytics.statements import statement_list

    listed = statement_list(make_engine(args.db))
    if args.json:
        print(json.dumps([s.to_json() for s in listed], indent=2, ensure_ascii=False))
        return 0
    if not listed:
        print("no statements imported yet (royalty import FILE)")
        return 0
    for s in listed:
        period = "..".join(s.period) if s.period else "-"
        money = ", ".join(f"{v} {c}" for c, v in s.totals.items()) or "-"
        print(
            f"{s.id:>5}  {s.imported_at[:10]}  {s.source:<18.18}  {period:<17}  "
            f"{s.rows:>9,} rows  {s.stored:>9,} stored  {money}  {s.file}"
        )
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from royalty.analytics.statements import receipt

    found = receipt(make_engine(args.db), args.id, lines=args.lines)
    if found is None:
        print(f"royalty statements show: no statement with id {args.id}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(found.to_json(), indent=2, ensure_ascii=False, default=str))
        return 0
    s = found.statement
    print(f"Statement {s.id}: {s.file}")
    print(f"  {s.source} ({s.layout}), imported {s.imported_at}, sha256 {s.sha256}")
    if s.period:
        print(f"  usage {'..'.join(s.period)}", end="")
        print(f", reported {'..'.join(s.reporting_period)}" if s.reporting_period else "")
    because = ""
    if s.dropped_because:
        because = " (" + ", ".join(f"{n} {r}" for r, n in s.dropped_because.items()) + ")"
    print(
        f"  {s.rows:,} rows = {s.stored:,} stored + {s.skipped:,} skipped (already stored) "
        f"+ {s.dropped:,} dropped{because}"
    )
    for c in found.currencies:
        mark = "reconciles" if c.reconciles else "DOES NOT RECONCILE"
        skipped = (
            f" + {c.skipped_total} in {c.skipped_lines:,} skipped lines" if c.skipped_lines else ""
        )
        print(
            f"  {c.currency}: the file says {c.file_total} in {c.file_lines:,} lines; stored "
            f"{c.stored_total} in {c.stored_lines:,} lines{skipped}: {mark}"
        )
    if not found.first_lines.empty:
        print()
        print(found.first_lines.fillna("").to_string(index=False))
    return 0 if found.reconciles else 1


def _cmd_remove(args: argparse.Namespace) -> int:
    from royalty.analytics.statements import statement_info
    from royalty.store.db import DatabaseBusy
    from royalty.store.statements import UnknownStatements, remove_statements

    engine = make_engine(args.db)
    infos = [statement_info(engine, i) for i in args.ids]

    def waiting(seconds: float) -> None:
        print("waiting for an import to finish…", file=sys.stderr)

    try:
        removed = remove_statements(engine, args.ids, waiting=waiting)
    except UnknownStatements as exc:
        if args.json:
            print(json.dumps({"removed": [], "error": str(exc), "unknown": exc.ids}, indent=2))
        else:
            print(f"royalty statements remove: {exc}", file=sys.stderr)
        return 1
    except DatabaseBusy as exc:
        print(
            f"royalty statements remove: an import kept the database busy for over "
            f"{exc.limit:.0f} s; nothing was removed. Try again once it has finished.",
            file=sys.stderr,
        )
        return 1
    gone = [i for i in infos if i is not None]
    if args.json:
        print(
            json.dumps(
                {"removed": removed, "statements": [i.to_json() for i in gone]},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for i in gone:
            print(f"removed statement {i.id}: {i.file} ({i.stored:,} lines)")
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from royalty.analytics.coverage import coverage

    found = coverage(make_engine(args.db), args.artist)
    if args.json:
        print(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return 0
    if not found.sources:
        print("no statements imported yet (royalty import FILE)")
        return 0
    for s in found.sources:
        span = f"{s.months[0]}..{s.months[-1]}" if s.months else "-"
        lag = s.lag_months
        lagged = (
            f"; reported {lag.median:g} months after use (longest {lag.max})"
            if lag.max is not None
            else ""
        )
        print(f"{s.source}: {s.rhythm}, {span}, {s.statements} statement(s){lagged}")
        if s.missing:
            print(f"  missing: {', '.join(s.missing)}")
    for u in found.unusual:
        print(
            f"unusual month {u.month}: {u.income} {found.currency}, {u.direction} against the "
            f"trailing median {u.trailing_median} (x{u.ratio})"
        )
    return 0
