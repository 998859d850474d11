"""``royalty report`` and ``royalty summary``: what the income was, as a file to share or as
text and JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from royalty.cli.options import add_db, add_scope, existing_engine, nothing_in, scope


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write a shareable report (.html .pdf .png .xlsx .csv .json)")
    add_scope(p, year_help="usage months of one year (default: latest full year)")
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
    add_db(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("summary", help="the yearly summary: income, streams, rates per platform")
    add_scope(p, year_help="default: the latest full year")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_db(p)
    p.set_defaults(func=_cmd_summary)


def _cmd_report(args: argparse.Namespace) -> int:
    from royalty import reports
    from royalty.reports.browser import BrowserError

    out = Path(args.out)
    if out.suffix.lower() not in reports.SUFFIXES:
        print(f"{out}: the report file must end in {', '.join(reports.SUFFIXES)}", file=sys.stderr)
        return 2
    engine = existing_engine(args.db, "report")
    chosen = scope(args, engine, "report") if engine is not None else None
    if chosen is None or nothing_in(engine, chosen[0], "report"):
        return 1
    filters, currency = chosen
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


def _cmd_summary(args: argparse.Namespace) -> int:
    from royalty import analytics
    from royalty.summary_text import render

    engine = existing_engine(args.db, "summary")
    chosen = scope(args, engine, "summary") if engine is not None else None
    if chosen is None or nothing_in(engine, chosen[0], "summary"):
        return 1
    summary = analytics.unwrapped(engine, *chosen)
    if args.json:
        print(json.dumps(analytics.summary_json(summary), indent=2, ensure_ascii=False))
    else:
        print(render(summary))
    return 0
