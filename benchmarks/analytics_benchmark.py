"""Dashboard speed on millions of statement lines: each page's data cold and warm, and Unwrapped.

    python benchmarks/analytics_benchmark.py --lines 5000000 [--keep DIR] [--db PATH]

1. Writes synthetic earning lines straight into a fresh SQLite database (Core executemany;
   building 5 million lines through the importers would measure the importers): 8 artists,
   40 tracks each, 24 platforms, up to 60 countries, 36 months, one DistroKid statement (USD)
   and one TuneCore statement (GBP, converted by the statement from USD at its own rate) per
   month. Then ``rollup.rebuild`` sums them, as imports do statement by statement.
2. Times every analytics function, and each page's set of them, in fresh processes ("cold":
   nothing cached in Python, no currency table loaded, SQLite's page cache empty; the OS page
   cache is dropped first when the machine allows it) and again in the same process ("warm"),
   for all artists over all months and for one artist over one year; each figure is the
   median of ``--repeat`` runs.
3. Prints the figures, with a check that the rollup total equals ``SUM(amount_nano)`` of the
   lines exactly.

``--db PATH`` reuses a database written by an earlier run (with ``--keep``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ARTISTS = ["Cold Harbor Choir", "Inés Solà", "Marsh Lights", "Bjørn Ødegård",
           "The Tin Roofs", "Night Orchard", "Kestrel Bay", "Odile Marsh"]  # fmt: skip
# (platform, kind, typical nano-USD per unit, popularity 1..60 = countries reported)
PLATFORMS = [
    ("Spotify", "stream", 3_400_000, 60), ("Apple Music", "stream", 6_900_000, 45),
    ("Amazon Music", "stream", 5_800_000, 30), ("YouTube", "video", 700_000, 50),
    ("YouTube Music", "stream", 2_100_000, 30), ("Deezer", "stream", 3_900_000, 25),
    ("TIDAL", "stream", 9_500_000, 15), ("Pandora", "stream", 1_300_000, 3),
    ("TikTok", "video", 30_000, 40), ("Meta (Facebook/Instagram)", "video", 20_000, 40),
    ("iTunes", "download", 693_000_000, 20), ("Amazon (downloads)", "download", 650_000_000, 8),
    ("Tencent Music", "stream", 800_000, 2), ("NetEase Cloud Music", "stream", 600_000, 2),
    ("Boomplay", "stream", 300_000, 6), ("Anghami", "stream", 1_100_000, 8),
    ("JioSaavn", "stream", 400_000, 3), ("KKBOX", "stream", 3_000_000, 4),
    ("Napster", "stream", 9_000_000, 6), ("Qobuz", "stream", 11_000_000, 8),
    ("Audiomack", "stream", 900_000, 10), ("SoundCloud", "stream", 2_500_000, 20),
    ("Snapchat", "video", 400_000, 10), ("Peloton", "stream", 8_000_000, 3),
]  # fmt: skip
COUNTRIES = ["US", "GB", "DE", "FR", "BR", "MX", "CA", "AU", "SE", "NL", "ES", "IT", "JP", "IN",
             "PL", "NO", "ID", "PH", "TR", "AR", "CL", "CO", "ZA", "NG", "KR", "FI", "DK", "IE",
             "NZ", "AT", "BE", "CH", "PT", "CZ", "HU", "RO", "GR", "IL", "AE", "SA", "EG", "MA",
             "KE", "GH", "TH", "VN", "MY", "SG", "HK", "TW", "PE", "EC", "VE", "UY", "PY", "BO",
             "CR", "PA", "DO", "OU"]  # fmt: skip
TRACKS_PER_ARTIST = 40
FIRST_MONTH = 202301
MONTHS = 36


def _months() -> list[int]:
    out, m = [], FIRST_MONTH
    for _ in range(MONTHS):
        out.append(m)
        m = m + 1 if m % 100 < 12 else (m // 100 + 1) * 100 + 1
    return out


def _amount_text(nano: np.ndarray) -> list[str]:
    """Exact decimal text of nano-units (what an import stores next to ``amount_nano``)."""
    return [f"{'-' if n < 0 else ''}{abs(n) // 1_000_000_000}.{abs(n) % 1_000_000_000:09d}"
            for n in nano.tolist()]  # fmt: skip


def generate(path: Path, lines: int) -> dict[str, object]:
    """Fill a fresh SQLite database with about ``lines`` synthetic lines; returns counts."""
    from sqlalchemy import insert, text

    from royalty.store import rollup
    from royalty.store.db import make_engine
    from royalty.store.models import Artist, Platform, Store, Territory, Track
    from royalty.territories import describe

    rng = np.random.default_rng(7)
    random.seed(7)
    engine = make_engine(f"sqlite:///{path}")
    # territories reported per (platform, track, month), scaled to reach the target size
    base = sum(p[3] for p in PLATFORMS) * TRACKS_PER_ARTIST * len(ARTISTS) * MONTHS
    scale = lines / base
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(insert(Artist), [{"id": i + 1, "name": a} for i, a in enumerate(ARTISTS)])
        conn.execute(
            insert(Platform), [{"id": i + 1, "name": p[0]} for i, p in enumerate(PLATFORMS)]
        )
        conn.execute(insert(Store), [{"id": i + 1, "raw_name": p[0], "platform_id": i + 1}
                                     for i, p in enumerate(PLATFORMS)])  # fmt: skip
        conn.execute(insert(Territory), [{"code": c, "name": describe(c)[0], "iso3": describe(c)[1]}
                                         for c in COUNTRIES])  # fmt: skip
        tracks = [{"id": a * TRACKS_PER_ARTIST + t + 1, "artist_id": a + 1,
                   "isrc": f"QZBEN{a:02d}{t:05d}", "title": f"Track {t + 1} of {ARTISTS[a]}"}
                  for a in range(len(ARTISTS)) for t in range(TRACKS_PER_ARTIST)]  # fmt: skip
        conn.execute(insert(Track), tracks)
    raw = engine.raw_connection()
    cur = raw.cursor()
    cur.execute("PRAGMA synchronous=OFF")
    columns = ["statement_id", "row_number", "artist_id", "usage_month", "usage_month_end",
               "reporting_month", "platform_id", "store_id", "track_id", "release_id",
               "territory", "kind", "quantity", "amount", "amount_nano", "currency",
               "source_amount", "source_currency", "fx_rate", "line_hash", "occurrence"]  # fmt: skip
    sql = (
        f"INSERT INTO earning_line ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    total_nano = 0
    stored = 0
    statement_id = 0
    popularity = rng.uniform(0.3, 3.0, size=(len(ARTISTS), TRACKS_PER_ARTIST))
    for month_index, month in enumerate(_months()):
        fx = f"{0.78 + 0.03 * np.sin(month_index / 5):.4f}"  # GBP per USD, the statement's rate
        for source, currency, artist_ids in (("DistroKid", "USD", range(0, 4)),
                                             ("TuneCore", "GBP", range(4, 8))):  # fmt: skip
            statement_id += 1
            cur.execute(
                "INSERT INTO statement (id, file_name, sha256, layout, source, encoding, "
                "imported_at, row_count, lines_stored, lines_skipped, first_month, last_month) "
                "VALUES (?, ?, ?, ?, ?, 'utf-8', '2026-01-01 00:00:00', 0, 0, 0, ?, ?)",
                (statement_id, f"{source.lower()}_{month}.csv", f"{statement_id:064x}",
                 source.lower(), source, month, month),
            )  # fmt: skip
            parts = []
            for a in artist_ids:
                for p_index, (_, kind, rate, reach) in enumerate(PLATFORMS):
                    n_terr = max(1, min(len(COUNTRIES), round(reach * scale)))
                    terr = np.array(COUNTRIES[:n_terr], dtype=object)
                    t_ids = np.repeat(np.arange(TRACKS_PER_ARTIST), n_terr)
                    terr_col = np.tile(terr, TRACKS_PER_ARTIST)
                    weight = (
                        popularity[a, t_ids]
                        * (60 / (1 + np.arange(n_terr)))[
                            np.tile(np.arange(n_terr), TRACKS_PER_ARTIST)
                        ]
                    )
                    volume = (reach / 60) ** 1.5 * (3 if kind == "download" else 40)
                    qty = rng.poisson(weight * volume).astype(np.int64)
                    if kind == "download":
                        qty = qty // 40
                    nano = (qty * rate * rng.uniform(0.7, 1.3, size=len(qty))).astype(np.int64)
                    parts.append((a, p_index, kind, t_ids, terr_col, qty, nano))
            rows = []
            for a, p_index, kind, t_ids, terr_col, qty, nano in parts:
                if currency == "GBP":
                    usd = nano
                    nano = (usd * float(fx)).astype(np.int64)
                    source_amount = _amount_text(usd)
                else:
                    source_amount = [None] * len(qty)
                amounts = _amount_text(nano)
                total_nano += int(nano.sum())
                n = len(qty)
                rows.extend(zip(
                    [statement_id] * n, range(stored, stored + n), [a + 1] * n, [month] * n,
                    [month] * n, [month] * n, [p_index + 1] * n, [p_index + 1] * n,
                    (a * TRACKS_PER_ARTIST + t_ids + 1).tolist(), [None] * n, terr_col.tolist(),
                    [kind] * n, qty.tolist(), amounts, nano.tolist(), [currency] * n,
                    source_amount, ["USD" if currency == "GBP" else None] * n,
                    [fx if currency == "GBP" else None] * n,
                    rng.integers(-(2**62), 2**62, size=n).tolist(), [0] * n,
                    strict=True,
                ))  # fmt: skip
                stored += n
            cur.executemany(sql, rows)
            cur.execute(
                "UPDATE statement SET lines_stored = ?, row_count = ? WHERE id = ?",
                (len(rows), len(rows), statement_id),
            )
            raw.commit()
    raw.close()
    written = time.perf_counter() - started
    started = time.perf_counter()
    rollup.rebuild(engine)
    rebuilt = time.perf_counter() - started
    with engine.connect() as conn:
        lines_nano = conn.execute(text("SELECT SUM(amount_nano) FROM earning_line")).scalar()
        rollup_nano = conn.execute(text("SELECT SUM(amount_nano) FROM line_rollup")).scalar()
        sizes = {t.name: conn.execute(text(f"SELECT COUNT(*) FROM {t.name}")).scalar()
                 for t in (rollup.LINE, *rollup.TABLES)}  # fmt: skip
    engine.dispose()
    assert lines_nano == rollup_nano == total_nano, (lines_nano, rollup_nano, total_nano)
    return {"write_s": written, "rollup_s": rebuilt, "rows": sizes, "exact": True,
            "db_mb": path.stat().st_size / 1e6}  # fmt: skip


# --- timing ------------------------------------------------------------------------------------

PAGES = {
    "Overview": ["overview", "platform_table"],
    "Platforms": ["platform_table", "platform_rates_by_month"],
    "Tracks": ["top_tracks", "low_stream_tracks"],
    "Territories": ["top_territories"],
    "Unwrapped": ["unwrapped"],
}
SCOPES = {"all artists, all months": {}, "one artist, 2024": {"artist": ARTISTS[4], "year": 2024}}


def _call(engine, name: str, scope: dict, currency: str):  # type: ignore[no-untyped-def]
    from royalty import analytics

    period = (scope["year"] * 100 + 1, scope["year"] * 100 + 12) if "year" in scope else None
    f = analytics.Filters(artist=scope.get("artist"), period=period)
    return getattr(analytics, name)(engine, f, currency)


def child(db: str, names: list[str], scope: dict, currency: str) -> None:
    """Run in a fresh process: time ``names`` in order, then again warm; print JSON."""
    import royalty.analytics  # noqa: F401  (imported once by the app, not per page)
    from royalty.store.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    times = {}
    started = time.perf_counter()
    for name in names:
        t = time.perf_counter()
        _call(engine, name, scope, currency)
        times[name] = time.perf_counter() - t
    cold_total = time.perf_counter() - started
    warm = {}
    for name in names:
        t = time.perf_counter()
        _call(engine, name, scope, currency)
        warm[name] = time.perf_counter() - t
    print(json.dumps({"cold": times, "cold_total": cold_total, "warm": warm}))


def drop_os_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def run_child(db: Path, names: list[str], scope: dict, currency: str, repeat: int) -> dict:
    """Median over ``repeat`` fresh processes (the machine may be busy with other work)."""
    runs = []
    for _ in range(repeat):
        dropped = drop_os_cache()
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(db), json.dumps([names, scope, currency])],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))

    def median(values: list[float]) -> float:
        return statistics.median(values)

    return {
        "cold": {n: median([r["cold"][n] for r in runs]) for n in names},
        "warm": {n: median([r["warm"][n] for r in runs]) for n in names},
        "cold_total": median([r["cold_total"] for r in runs]),
        "cold_max": max(r["cold_total"] for r in runs),
        "os_cache_dropped": dropped,
    }


def figures(db: Path, currency: str) -> None:
    from royalty import analytics, formatting
    from royalty.store.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    s = analytics.unwrapped(
        engine, analytics.Filters(artist=ARTISTS[0], period=(202401, 202412)), currency, members=3
    )
    print(f"\nUnwrapped {s.artist}, {s.period}, {s.currency}: income "
          f"{formatting.money(s.total_income, currency)}, {formatting.count(s.total_streams)} "
          f"streams, {formatting.rate(s.income_per_stream, currency)} per stream, "
          f"{formatting.count(s.streams_per_unit or 0)} streams per {currency} 1")  # fmt: skip
    print(f"{'platform':<28}{'streams':>14}{'income':>14}{'share':>8}{'per stream':>12}")
    for r in s.platforms[:12]:
        print(f"{r.platform:<28}{formatting.count(r.streams):>14}"
              f"{formatting.money(r.income, currency):>14}{formatting.percent(r.share_of_streams):>8}"
              f"{formatting.rate(r.income_per_stream, currency):>12}")  # fmt: skip
    print(f"fx: {s.fx.text}")
    engine.dispose()


def benchmark_database(args: argparse.Namespace, scratch: Path) -> Path:
    """The database to time: ``--db`` as given, else freshly generated (kept with ``--keep``)."""
    if args.db:
        return args.db
    folder = args.keep or scratch
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "analytics_benchmark.db"
    db.unlink(missing_ok=True)
    print(f"writing about {args.lines:,} lines ...", flush=True)
    info = generate(db, args.lines)
    print(f"written in {info['write_s']:.1f} s, rollup rebuilt in {info['rollup_s']:.1f} s, "
          f"database {info['db_mb']:.0f} MB; rows: "
          + ", ".join(f"{k} {v:,}" for k, v in info["rows"].items())
          + "; rollup total == SUM(amount_nano) of the lines: exact", flush=True)  # fmt: skip
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--keep", type=Path, help="write the database in this folder and keep it")
    parser.add_argument("--db", type=Path, help="time an existing benchmark database")
    parser.add_argument("--currency", default="GBP")
    parser.add_argument("--repeat", type=int, default=3, help="cold runs per figure (median)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        names, scope, currency = json.loads(args.child[1])
        child(args.child[0], names, scope, currency)
        return 0
    tmp = tempfile.TemporaryDirectory()
    db = benchmark_database(args, Path(tmp.name))
    names = sorted({n for page in PAGES.values() for n in page})
    print(f"\nreporting currency {args.currency} (USD lines converted at ECB rates); median of "
          f"{args.repeat} fresh processes; load average now {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    for scope_name, scope in SCOPES.items():
        print(f"\n== {scope_name} ==")
        print(f"{'function':<26}{'cold s':>9}{'warm s':>9}")
        for name in names:
            r = run_child(db, [name], scope, args.currency, args.repeat)
            print(f"{name:<26}{r['cold'][name]:>9.3f}{r['warm'][name]:>9.3f}")
        print(f"{'page (cold, fresh process)':<26}{'median s':>9}{'max s':>9}")
        for page, funcs in PAGES.items():
            r = run_child(db, funcs, scope, args.currency, args.repeat)
            print(f"{page:<26}{r['cold_total']:>9.3f}{r['cold_max']:>9.3f}")
        print(f"(OS page cache dropped before each cold run: {r['os_cache_dropped']})")
    figures(db, args.currency)
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
