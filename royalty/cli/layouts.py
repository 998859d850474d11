"""``royalty layouts``: the column mappings saved for files in no built-in layout: list them,
export one to a small text file (TOML) for someone else, import such a file, remove one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from royalty.cli.options import add_db, make_engine


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("layouts", help="saved column mappings: list, export, import, remove")
    actions = p.add_subparsers(dest="action", required=True)

    listing = actions.add_parser("list", help="the saved layouts")
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_db(listing)
    listing.set_defaults(func=_cmd_list)

    export = actions.add_parser("export", help="write one to a TOML file")
    export.add_argument("name", metavar="NAME")
    export.add_argument("--out", required=True, metavar="FILE")
    add_db(export)
    export.set_defaults(func=_cmd_export)

    imported = actions.add_parser("import", help="add one from a TOML file")
    imported.add_argument("file", metavar="FILE")
    add_db(imported)
    imported.set_defaults(func=_cmd_import)

    remove = actions.add_parser("remove", help="delete one")
    remove.add_argument("name", metavar="NAME")
    add_db(remove)
    remove.set_defaults(func=_cmd_remove)


def _cmd_list(args: argparse.Namespace) -> int:
    from royalty.store import layouts

    found = layouts.saved(make_engine(args.db))
    if args.json:
        print(json.dumps([s.to_json() for s in found], indent=2, ensure_ascii=False))
    elif not found:
        print("no saved layouts (royalty import FILE --map FIELD=HEADER ... --save-layout NAME)")
    for s in [] if args.json else found:
        fields = ", ".join(f"{f}={c}" for f, c in s.fields.items())
        currency = f" [{s.currency}]" if s.currency else ""
        print(f"{s.name}{currency}: {fields}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from royalty.store import layouts

    try:
        found = layouts.find(make_engine(args.db), args.name)
    except layouts.LayoutError as exc:
        print(f"royalty layouts export: {exc}", file=sys.stderr)
        return 1
    Path(args.out).write_text(layouts.to_toml(found), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from royalty.store import layouts

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
        found = layouts.from_toml(text)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"royalty layouts import: {path}: cannot be read ({exc})", file=sys.stderr)
        return 1
    except layouts.LayoutError as exc:
        print(f"royalty layouts import: {path}: {exc}", file=sys.stderr)
        return 1
    layouts.save(make_engine(args.db), found.name, found.header, found.fields, found.currency)
    print(f"saved layout {found.name!r}")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from royalty.store import layouts

    try:
        layouts.remove(make_engine(args.db), args.name)
    except layouts.LayoutError as exc:
        print(f"royalty layouts remove: {exc}", file=sys.stderr)
        return 1
    print(f"removed layout {args.name!r}")
    return 0
