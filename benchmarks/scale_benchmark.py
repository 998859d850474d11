"""Every page's data on 10^8 statement lines in PostgreSQL, cold and warm, and the disk it takes.

    python benchmarks/scale_benchmark.py --db postgresql+psycopg://user@host/db \\
        [--lines 100000000] [--reuse] [--resume] [--cold-command CMD] [--repeat 3] [--page P]

1. Writes ``--lines`` synthetic lines into the database (emptied first: use one for
   benchmarks), generated on the fly, through the import's own bulk writer (one streaming
   ``COPY`` per table, ``royalty.store.bulk``) with the summaries an import writes
   (``royalty.store.rollup_sums.Sums``), one transaction per statement as an import has it: a label
   of 2,000 artists (10 tracks on 2 releases each) at two distributors, one statement per
   distributor and month for 36 months, 25 stores, 60 countries, popularity skewed (a few
   tracks, stores and countries carry most lines). Prints the load rate as it goes and checks
   that the summaries add up exactly to the lines.
2. Times each page's data, the analytics calls it makes one by one and together, in a fresh
   process ("cold": a new engine and session after ``DISCARD ALL``, nothing cached in Python;
   ``--cold-command`` runs before each one, e.g. a server restart that empties PostgreSQL's
   buffers) and again in the same process ("warm"), for all artists over all months, one
   artist over one year, and one platform over one year (``--scope``), against the target of
   2 s (``--page`` for some pages only); each figure is the median of ``--repeat`` runs, with
   the load average when each scope started.
3. Prints the disk each table takes, per million lines.

``--reuse`` times a database an earlier run wrote; ``--resume`` goes on writing one that an
earlier run left unfinished (statements are generated the same way every time).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal

import numpy as np

ARTISTS, TRACKS, RELEASES = 2_000, 10, 2
"""Artists, tracks per artist, releases per artist."""
SOURCES = ("Distributor North", "Distributor South")
"""Each distributes half the artists and sends one statement per month."""
FIRST_MONTH, MONTHS = 202301, 36
COUNTRIES = ["US", "GB", "DE", "FR", "BR", "MX", "CA", "AU", "SE", "NL", "ES", "IT", "JP", "IN",
             "PL", "NO", "ID", "PH", "TR", "AR", "CL", "CO", "ZA", "NG", "KR", "FI", "DK", "IE",
             "NZ", "AT", "BE", "CH", "PT", "CZ", "HU", "RO", "GR", "IL", "AE", "SA", "EG", "MA",
             "KE", "GH", "TH", "VN", "MY", "SG", "HK", "TW", "PE", "EC", "VE", "UY", "PY", "BO",
             "CR", "PA", "DO", "OU"]  # fmt: skip
BATCH = 250_000
SEED = 20260401


def months() -> list[int]:
    out, m = [], FIRST_MONTH
    for _ in range(MONTHS):
        out.append(m)
        m = m + 1 if m % 100 < 12 else (m // 100 + 1) * 100 + 1
    return out


def stores() -> list[tuple[str, str, str, int, int]]:
    """(store, platform, kind, weight, typical nano-USD per unit), as an import names them."""
    from import_benchmark import STORES

    from royalty import platforms

    return [(name, *platforms.canonical(name), weight, pico // 1000)
            for name, weight, pico in STORES]  # fmt: skip


def _zipf(n: int, skew: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** skew
    return np.cumsum(weights / weights.sum())


def _pick(rng: np.random.Generator, cdf: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, rng.random(n)), len(cdf) - 1)


def amount_text(nano: np.ndarray):  # type: ignore[no-untyped-def]
    """Exact decimal text of nano-units, vectorized (what an import keeps beside them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    whole = pa.array(np.abs(nano) // 1_000_000_000).cast(pa.string())
    frac = pc.utf8_lpad(pa.array(np.abs(nano) % 1_000_000_000).cast(pa.string()), 9, "0")
    text = pc.binary_join_element_wise(whole, frac, ".")
    return pc.if_else(pa.array(nano < 0), pc.binary_join_element_wise("-", text, ""), text)


def catalogue(engine) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Artists, releases, tracks, platforms, stores and countries; their ids, as arrays."""
    from sqlalchemy import insert

    from royalty.store.models import Artist, Platform, Release, Store, Territory, Track
    from royalty.territories import describe

    shops = stores()
    platforms = list(dict.fromkeys(p for _, p, *_ in shops))
    with engine.begin() as conn:
        conn.execute(insert(Artist), [{"id": a + 1, "name": f"Artist {a + 1:04d}"}
                                      for a in range(ARTISTS)])  # fmt: skip
        conn.execute(insert(Platform), [{"id": i + 1, "name": p} for i, p in enumerate(platforms)])
        conn.execute(insert(Store), [{"id": i + 1, "raw_name": s, "platform_id":
                                      platforms.index(p) + 1} for i, (s, p, *_) in enumerate(shops)])  # fmt: skip
        conn.execute(insert(Territory), [{"code": c, "name": describe(c)[0],
                                          "iso3": describe(c)[1]} for c in COUNTRIES])  # fmt: skip
        conn.execute(insert(Release), [
            {"id": a * RELEASES + r + 1, "artist_id": a + 1, "upc": f"19{a:06d}{r:04d}",
             "title": f"Record {r + 1} of Artist {a + 1:04d}"}
            for a in range(ARTISTS) for r in range(RELEASES)])  # fmt: skip
        conn.execute(insert(Track), [
            {"id": a * TRACKS + t + 1, "artist_id": a + 1, "isrc": f"QZS{a % 100:02d}{a:05d}{t:02d}"[:12],
             "title": f"Song {t + 1} of Artist {a + 1:04d}", "release_id": a * RELEASES + t % RELEASES + 1}
            for a in range(ARTISTS) for t in range(TRACKS)])  # fmt: skip
    return catalogue_arrays()


def _sequences(engine) -> None:  # type: ignore[no-untyped-def]
    """Sequences past the ids written here, so that imports after this one go on from them."""
    with engine.begin() as conn:
        for table in ("artist", "platform", "store", "release", "track", "statement"):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


def statement_lines(index: int, lines: int, known: dict[str, object]):  # type: ignore[no-untyped-def]
    """The lines of statement ``index`` (source, month), batch by batch, as the import's writer
    takes them (the columns of ``earning_line``)."""
    import pandas as pd

    rng = np.random.default_rng(SEED + index)
    source, month = index % len(SOURCES), months()[index // len(SOURCES)]
    reported = month + 2 if month % 100 <= 10 else month + 100 - 10
    half = ARTISTS // len(SOURCES)
    track_cdf = _zipf(half * TRACKS, 0.8)
    country_cdf = _zipf(len(COUNTRIES), 1.1)
    territory = np.array(COUNTRIES, dtype=object)
    done = 0
    while done < lines:
        n = min(BATCH, lines - done)
        track = source * half * TRACKS + _pick(rng, track_cdf, n)  # 0-based, popular first
        store = _pick(rng, known["store_cdf"], n)
        quantity = rng.geometric(0.02, n).astype(np.int64) - 1
        nano = (quantity * known["store_rate"][store] * rng.uniform(0.5, 1.5, n)).astype(np.int64)
        adjust = rng.random(n) < 0.001
        nano[adjust] = -rng.integers(1, 5_000_000_000, adjust.sum())
        frame = pd.DataFrame({
            "statement_id": index + 1, "row_number": np.arange(done + 2, done + n + 2),
            "artist_id": track // TRACKS + 1, "usage_month": month, "usage_month_end": month,
            "reporting_month": reported, "platform_id": known["store_platform"][store],
            "store_id": store + 1, "track_id": track + 1,
            "release_id": (track // TRACKS) * RELEASES + track % RELEASES + 1,
            "territory": territory[_pick(rng, country_cdf, n)],
            "kind": known["store_kind"][store], "quantity": quantity,
            "amount": pd.array(amount_text(nano), dtype="str"), "amount_nano": nano,
            "currency": "USD", "source_amount": None, "source_currency": None, "fx_rate": None,
            "line_hash": rng.integers(-(2**63), 2**63 - 1, n), "occurrence": 0,
        })  # fmt: skip
        yield frame
        done += n


def write_statement(engine, index: int, lines: int, known: dict[str, object]) -> int:  # type: ignore[no-untyped-def]
    """One statement as an import stores it: its lines and summaries in one transaction.
    Returns the nano-units it holds."""
    from sqlalchemy import insert, update

    from royalty.money import decimal_text, nano_to_decimal
    from royalty.store import rollup_sums
    from royalty.store.bulk import Writer, bulk_transaction
    from royalty.store.models import EarningLine, Statement, StatementTotal

    month = months()[index // len(SOURCES)]
    source = SOURCES[index % len(SOURCES)]
    total = 0
    with bulk_transaction(engine) as conn:
        conn.execute(insert(Statement).values(
            id=index + 1, file_name=f"{source.split()[1].lower()}_{month}.csv",
            sha256=f"{index + 1:064x}", layout="synthetic", source=source))  # fmt: skip
        writer, sums = Writer(conn), rollup_sums.Sums()
        for frame in statement_lines(index, lines, known):
            writer.append(EarningLine.__table__, frame)
            sums.add(frame)
            total += int(frame["amount_nano"].sum())
        sums.write(writer, index + 1)
        writer.flush()
        conn.execute(update(Statement).where(Statement.id == index + 1).values(
            row_count=lines, lines_stored=lines, first_month=month, last_month=month,
            dropped="{}"))  # fmt: skip
        conn.execute(insert(StatementTotal).values(
            statement_id=index + 1, currency="USD", lines=lines,
            amount=decimal_text(nano_to_decimal(total))))  # fmt: skip
    return total


def generate(url: str, lines: int, resume: bool) -> None:
    import postgres_import
    from sqlalchemy import func, select, text

    from royalty.store import rollup
    from royalty.store.db import make_engine
    from royalty.store.models import Statement

    statements = MONTHS * len(SOURCES)
    per = lines // statements
    if not resume:
        postgres_import.empty_database(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        done = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    known = catalogue(engine) if done == 0 else catalogue_arrays()
    print(f"writing {per * statements:,} lines: {statements} statements of {per:,} "
          f"({done} written already)", flush=True)  # fmt: skip
    started, written = time.perf_counter(), 0
    for index in range(done, statements):
        t = time.perf_counter()
        write_statement(engine, index, per, known)
        written += per
        took = time.perf_counter() - t
        print(f"  statement {index + 1}/{statements}: {per / took:,.0f} lines/s "
              f"(all so far {written / (time.perf_counter() - started):,.0f} lines/s, "
              f"load {os.getloadavg()[0]:.1f})", flush=True)  # fmt: skip
    _sequences(engine)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM ANALYZE"))  # as autovacuum would, in time
        nano = conn.execute(text("SELECT SUM(amount_nano) FROM earning_line")).scalar()
        summed = {t.name: conn.execute(text(f"SELECT SUM(amount_nano) FROM {t.name}")).scalar()
                  for t in rollup.TABLES}  # fmt: skip
    exact = all(v == nano for v in summed.values())
    print(
        f"summaries == SUM(amount_nano) of the lines ({Decimal(nano).scaleb(-9)} USD): "
        + ("exact" if exact else f"MISMATCH {summed}"),
        flush=True,
    )
    engine.dispose()


def catalogue_arrays() -> dict[str, object]:
    """``catalogue``'s arrays for a database it already filled (``--resume``)."""
    shops = stores()
    platforms = list(dict.fromkeys(p for _, p, *_ in shops))
    return {
        "store_platform": np.array([platforms.index(p) + 1 for _, p, *_ in shops]),
        "store_kind": np.array([k for _, _, k, *_ in shops], dtype=object),
        "store_cdf": np.cumsum([w for *_, w, _ in shops]) / sum(w for *_, w, _ in shops),
        "store_rate": np.array([r for *_, r in shops], dtype=np.int64),
    }


# --- timing ------------------------------------------------------------------------------------

TARGET = 2.0
"""Seconds a page's data may take (issue 14)."""
SIDEBAR = ["artists", "platform_names", "years", "main_currency", "latest_full_year"]
PAGES = {
    "Overview": ["overview", "platform_table"],
    "Platforms": ["platform_table", "platform_rates_by_month"],
    "Tracks": ["top_tracks", "low_stream_tracks"],
    "Territories": ["top_territories"],
    "Unwrapped": ["unwrapped"],
    "Statements": ["statement_list", "coverage", "where_money_went"],
    "Receipt": ["receipt"],
}
"""Each page's calls when it opens. The Statements page loads a file's receipt only once a row
of its list is selected, a run of the page of its own, so the receipt is timed on its own."""
SCOPES = {
    "all artists, all months": {},
    "one artist, 2024": {"artist": "Artist 0001", "year": 2024},
    "Spotify, 2024": {"platforms": ["Spotify"], "year": 2024},
}


def _call(engine, name: str, scope: dict, currency: str):  # type: ignore[no-untyped-def]
    from royalty import analytics
    from royalty.analytics import coverage, money_went, statements

    year = scope.get("year")
    f = analytics.Filters(
        artist=scope.get("artist"), period=(year * 100 + 1, year * 100 + 12) if year else None,
        platforms=tuple(scope.get("platforms", ())),
    )  # fmt: skip
    artist = scope.get("artist")
    calls = {
        "artists": lambda: analytics.artists(engine),
        "platform_names": lambda: analytics.platform_names(engine),
        "years": lambda: analytics.years(engine, artist),
        "main_currency": lambda: analytics.main_currency(engine, artist),
        "latest_full_year": lambda: analytics.latest_full_year(engine, artist),
        "statement_list": lambda: statements.statement_list(engine),
        "receipt": lambda: statements.receipt(engine, 1),
        "coverage": lambda: coverage.coverage(engine, artist, currency),
        "where_money_went": lambda: money_went.where_money_went(engine, f),
    }
    if name in calls:
        return calls[name]()
    return getattr(analytics, name)(engine, f, currency)


def child(url: str, names: list[str], scope: dict, currency: str) -> None:
    """Run in a fresh process: time ``names`` in order, then again warm; print JSON."""
    import royalty.analytics  # noqa: F401  (imported once by the app, not per page)
    from royalty.store.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:  # nothing kept from an earlier session of the pool
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("DISCARD ALL")
    cold, warm = {}, {}
    started = time.perf_counter()
    for name in names:
        t = time.perf_counter()
        _call(engine, name, scope, currency)
        cold[name] = time.perf_counter() - t
    cold_total = time.perf_counter() - started
    started = time.perf_counter()
    for name in names:
        t = time.perf_counter()
        _call(engine, name, scope, currency)
        warm[name] = time.perf_counter() - t
    warm_total = time.perf_counter() - started
    print(json.dumps({"cold": cold, "cold_total": cold_total, "warm": warm,
                      "warm_total": warm_total}))  # fmt: skip


def run_child(args: argparse.Namespace, names: list[str], scope: dict) -> dict:
    runs = []
    for _ in range(args.repeat):
        if args.cold_command:
            subprocess.run(args.cold_command, shell=True, check=True, capture_output=True)
        out = subprocess.run(
            [sys.executable, __file__, "--db", args.db, "--child",
             json.dumps([names, scope, args.currency])],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "cold": {n: statistics.median(r["cold"][n] for r in runs) for n in names},
        "warm": {n: statistics.median(r["warm"][n] for r in runs) for n in names},
        "cold_total": statistics.median(r["cold_total"] for r in runs),
        "warm_total": statistics.median(r["warm_total"] for r in runs),
    }


def _mark(seconds: float) -> str:
    return "" if seconds < TARGET else "  over"


def time_pages(args: argparse.Namespace) -> None:
    """Each page in its own fresh process: the sidebar's calls and the page's, cold (nothing
    cached in Python, a new engine and session) and then warm, against the target."""
    for scope_name, scope in SCOPES.items():
        if args.scope and scope_name not in args.scope:
            continue
        print(
            f"\n== {scope_name} == (target < {TARGET:g} s each; "
            f"load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
        print(f"{'page / call':<30}{'cold s':>9}{'warm s':>9}")
        seen: set[str] = set()
        for page, funcs in PAGES.items():
            if args.page and page not in args.page:
                continue
            names = [*SIDEBAR, *funcs] if page == "Overview" else list(funcs)
            r = run_child(args, names, scope)
            for name in names:
                if name in seen:
                    continue
                seen.add(name)
                c, w = r["cold"][name], r["warm"][name]
                print(f"  {name:<28}{c:>9.3f}{w:>9.3f}{_mark(max(c, w))}", flush=True)
            c, w = r["cold_total"], r["warm_total"]
            print(f"{page + ' (all its calls)':<30}{c:>9.3f}{w:>9.3f}{_mark(c)}", flush=True)


def disk(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        lines = conn.execute(text("SELECT count(*) FROM earning_line")).scalar_one()
        sizes = conn.execute(text(
            "SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
            "AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC"
        )).all()  # fmt: skip
        database = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        rows = {name: lines if name == "earning_line" else
                conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
                for name, *_ in sizes[:12]}  # fmt: skip
    engine.dispose()
    per = max(lines, 1) / 1e6
    print(
        f"\n{lines:,} lines; database {database / 1e9:.2f} GB, "
        f"{database / per / 1e6:,.0f} MB per million lines"
    )
    print(f"{'table':<32}{'rows':>14}{'table MB':>10}{'index MB':>10}{'MB/1M lines':>13}")
    for name, table, index in sizes[:12]:
        print(
            f"{name:<32}{rows[name]:>14,}{table / 1e6:>10,.0f}{index / 1e6:>10,.0f}"
            f"{(table + index) / per / 1e6:>13,.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL database (emptied)")
    parser.add_argument("--lines", type=int, default=100_000_000)
    parser.add_argument("--reuse", action="store_true", help="time the database as it is")
    parser.add_argument("--resume", action="store_true", help="finish an unfinished database")
    parser.add_argument("--cold-command", help="shell command run before each cold figure")
    parser.add_argument("--currency", default="USD")
    parser.add_argument("--repeat", type=int, default=3, help="cold runs per figure (median)")
    parser.add_argument("--scope", action="append", choices=list(SCOPES),
                        help="time only this scope (repeatable; default all)")  # fmt: skip
    parser.add_argument("--page", action="append", choices=list(PAGES),
                        help="time only this page (repeatable; default all)")  # fmt: skip
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from royalty.settings import normalize_url

    args.db = normalize_url(args.db)
    if args.child:
        names, scope, currency = json.loads(args.child)
        child(args.db, names, scope, currency)
        return 0
    if not args.reuse:
        started = time.perf_counter()
        generate(args.db, args.lines, args.resume)
        print(f"written in {time.perf_counter() - started:,.0f} s", flush=True)
    import postgres_import

    print(postgres_import.settings(args.db))
    print(f"reporting currency {args.currency}; median of {args.repeat} fresh processes"
          + (f", each after `{args.cold_command}`" if args.cold_command else "")
          + f"; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    time_pages(args)
    disk(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
