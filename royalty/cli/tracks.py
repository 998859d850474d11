"""``royalty tracks``: which titles are counted as one track (merged), splitting a wrong match
apart (split) and undoing that (unsplit), and the splits kept (kept-apart)."""

from __future__ import annotations

import argparse
import json
import sys

from royalty.cli.options import add_db, make_engine


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tracks", help="titles counted as one track: list, split, undo")
    actions = p.add_subparsers(dest="action", required=True)

    merged = actions.add_parser("merged", help="tracks counted from several titles")
    merged.add_argument("--artist", metavar="NAME", help="one artist (default: all)")
    merged.add_argument("--json", action="store_true", help="print JSON")
    add_db(merged)
    merged.set_defaults(func=_cmd_merged)

    split = actions.add_parser(
        "split",
        help="count a title as a recording of its own (kept when statements are imported again)",
    )
    split.add_argument(
        "track_id", type=int, metavar="TRACK_ID",
        help="the track (as `royalty tracks merged` lists it), or one of its titles' ids",
    )  # fmt: skip
    split.add_argument("title", nargs="?", metavar="TITLE", help="the title to split off TRACK_ID")
    split.add_argument("--json", action="store_true", help="print JSON")
    add_db(split)
    split.set_defaults(func=_cmd_split)

    unsplit = actions.add_parser("unsplit", help="match a split title by the rule again")
    unsplit.add_argument(
        "track_id", type=int, metavar="TRACK_ID", help="as `royalty tracks kept-apart` lists it"
    )
    unsplit.add_argument("--json", action="store_true", help="print JSON")
    add_db(unsplit)
    unsplit.set_defaults(func=_cmd_unsplit)

    apart = actions.add_parser("kept-apart", help="the splits kept")
    apart.add_argument("--artist", metavar="NAME", help="one artist (default: all)")
    apart.add_argument("--json", action="store_true", help="print JSON")
    add_db(apart)
    apart.set_defaults(func=_cmd_kept_apart)


def _cmd_merged(args: argparse.Namespace) -> int:
    from royalty.analytics.tracks import merged_tracks

    found = merged_tracks(make_engine(args.db), args.artist)
    if args.json:
        print(json.dumps([m.to_json() for m in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("no track is counted from more than one title")
        return 0
    for m in found:
        print(f"{m.track_id:>6}  {m.artist}: {m.title}" + (f" ({m.isrc})" if m.isrc else ""))
        for t in m.titles:
            how = {"isrc": "same ISRC", "iswc": "same ISWC", "title": "same title"}.get(
                t.matched_by or "", "shown"
            )
            isrc = t.isrc or "no ISRC"
            print(f"        {t.track_id:>6}  {t.title} ({isrc}; {', '.join(t.sources)}): {how}")
    return 0


def _cmd_split(args: argparse.Namespace) -> int:
    from royalty.store import track_links

    return _change(args, "split", lambda engine, waiting: track_links.split(
        engine, args.track_id, args.title, waiting=waiting
    ))  # fmt: skip


def _cmd_unsplit(args: argparse.Namespace) -> int:
    from royalty.store import track_links

    return _change(args, "unsplit", lambda engine, waiting: track_links.unsplit(
        engine, args.track_id, waiting=waiting
    ))  # fmt: skip


def _change(args: argparse.Namespace, action: str, run) -> int:  # type: ignore[no-untyped-def]
    from royalty.store.db import DatabaseBusy
    from royalty.store.track_links import TrackNotFound

    engine = make_engine(args.db)

    def waiting(seconds: float) -> None:
        print("waiting for an import to finish…", file=sys.stderr)

    try:
        done = run(engine, waiting)
    except TrackNotFound as exc:
        if args.json:
            print(json.dumps({"error": str(exc)}, indent=2, ensure_ascii=False))
        else:
            print(f"royalty tracks {action}: {exc}; nothing was changed", file=sys.stderr)
        return 1
    except DatabaseBusy as exc:
        print(
            f"royalty tracks {action}: an import kept the database busy for over "
            f"{exc.limit:.0f} s; nothing was changed. Try again once it has finished.",
            file=sys.stderr,
        )
        return 1
    if args.json:
        print(json.dumps(done.to_json(), indent=2, ensure_ascii=False))
        return 0
    for track_id, isrc, title in done.titles:
        isrc_text = isrc or "no ISRC"
        if action == "split":
            print(
                f"split {title!r} ({isrc_text}, track {track_id}) off track {done.track_id}: "
                "a recording of its own from now on"
            )
        else:
            print(f"{title!r} ({isrc_text}, track {track_id}) is matched by the rule again")
    return 0


def _cmd_kept_apart(args: argparse.Namespace) -> int:
    from royalty.analytics.tracks import kept_apart

    found = kept_apart(make_engine(args.db), args.artist)
    if args.json:
        print(json.dumps([k.to_json() for k in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("no split kept (royalty tracks split TRACK_ID TITLE makes one)")
        return 0
    for k in found:
        track = f"{k.track_id:>6}" if k.track_id is not None else "     -"
        isrc = k.isrc or "no ISRC"
        print(f"{track}  {k.artist}: {k.title} ({isrc}), split {k.split_at}")
    return 0
