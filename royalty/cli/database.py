"""``royalty db`` (the schema's version: status, upgrade) and ``royalty sample`` (the fictional
statements in data/)."""

from __future__ import annotations

import argparse
import json

from royalty.cli.options import MARKS, add_db, make_engine


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="the database's schema version: status, upgrade")
    p.add_argument("action", choices=["status", "upgrade"])
    p.add_argument("--json", action="store_true", help="print the version as JSON")
    add_db(p)
    p.set_defaults(func=_cmd_db)

    p = sub.add_parser("sample", help="load or remove the fictional sample statements in data/")
    p.add_argument("action", choices=["load", "remove"])
    add_db(p)
    p.set_defaults(func=_cmd_sample)


def _cmd_db(args: argparse.Namespace) -> int:
    from royalty.store import schema

    engine = make_engine(args.db, upgrade=False)
    before = schema.status(engine)
    if args.action == "status":
        if args.json:
            print(json.dumps(before.to_json(), indent=2))
        elif before.current is None:
            print(f"empty database; it is created at version {before.head} when first used")
        elif before.pending:
            print(
                f"version {before.current}; newest {before.head}; an upgrade runs "
                + ", ".join(before.pending)
            )
        else:
            print(f"version {before.current}, the newest")
        return 0
    ran = schema.ensure(engine)
    after = schema.status(engine)
    if args.json:
        print(json.dumps({**after.to_json(), "ran": ran}, indent=2))
    elif ran:
        print(f"upgraded from {before.current} to {after.current} (ran {', '.join(ran)})")
    else:
        print(f"already at the newest version ({after.current})")
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from royalty import sample

    engine = make_engine(args.db)
    if args.action == "remove":
        removed = sample.remove_sample_data(engine)
        print(f"removed {removed} sample statement(s); the app will not load them again")
        return 0
    results = sample.load_sample_data(engine)
    failed = [r for r in results if r.status == "error"]
    for r in results:  # the words ``royalty import`` uses
        print(f"[{MARKS[r.status]}] {r.message}")
    return 1 if failed else 0
