"""Report speed on five million statement lines: the HTML report and the PNG card.

    python benchmarks/report_benchmark.py --lines 5000000 [--keep DIR] [--db PATH]

1. Writes the synthetic database of ``analytics_benchmark.py`` (same generator: 8 artists,
   24 platforms, 36 months, USD and GBP statements, rollups rebuilt), unless ``--db`` names one.
2. In a fresh process per measurement (nothing cached in Python, currency table not loaded),
   times ``reports.html_report`` ("cold": the first report of the process, as the CLI makes
   it; "warm": a second one) and ``reports.card_png`` (which starts Chromium each time), for:
   all artists over all 36 months (every line), all artists over one year, one artist over
   one year. Imports of the package (plotly, pandas) are timed apart, as the app pays them once.
3. Prints the figures and the report's size, and checks the report's total equals the exact
   SUM(amount_nano) of the lines when nothing needs converting.

Targets: HTML < 3 s, PNG card < 10 s including the browser start. "cpu s" is the process's
CPU time for the cold HTML report (the database runs in-process): on a busy machine it is a
steadier measure of the work than the wall clock.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from analytics_benchmark import ARTISTS, benchmark_database  # noqa: E402

SCOPES = {
    "all artists, all months": {},
    "all artists, 2024": {"year": 2024},
    "one artist, 2024": {"artist": ARTISTS[4], "year": 2024},
}


def child(db: str, what: str, scope: dict, currency: str) -> None:
    """In a fresh process: import, then time ``what`` twice; print one JSON line."""
    t = time.perf_counter()
    from royalty import analytics, reports
    from royalty.store.db import make_engine

    imports = time.perf_counter() - t
    engine = make_engine(f"sqlite:///{db}")
    period = (scope["year"] * 100 + 1, scope["year"] * 100 + 12) if "year" in scope else None
    f = analytics.Filters(artist=scope.get("artist"), period=period)
    runs, cpu, size = [], [], 0
    for _ in range(2):
        t, c = time.perf_counter(), time.process_time()
        if what == "html":
            size = len(reports.html_report(engine, f, currency).encode("utf-8"))
        else:
            size = len(reports.card_png(engine, f, currency))
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    lines = None
    if what == "html":
        from sqlalchemy import func, select

        from royalty.analytics.aggregate import where
        from royalty.store.models import EarningLine

        with engine.connect() as conn:
            q = select(func.count()).select_from(EarningLine)
            lines = conn.execute(q.where(*where(EarningLine.__table__, f))).scalar_one()
    print(json.dumps({"imports": imports, "cold": runs[0], "warm": runs[1], "cold_cpu": cpu[0],
                      "bytes": size, "lines": lines}))  # fmt: skip


def run_child(db: Path, what: str, scope: dict, currency: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(db), json.dumps([what, scope, currency])],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--keep", type=Path, help="write the database in this folder and keep it")
    parser.add_argument("--db", type=Path, help="time an existing benchmark database")
    parser.add_argument("--currency", default="USD")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, scope, currency = json.loads(args.child[1])
        child(args.child[0], what, scope, currency)
        return 0
    tmp = tempfile.TemporaryDirectory()
    db = benchmark_database(args, Path(tmp.name))
    print(f"\nreporting currency {args.currency}")
    print(f"{'scope':<26}{'lines':>11}{'import s':>10}{'HTML cold s':>13}{'cpu s':>7}{'warm s':>8}"
          f"{'MB':>6}{'PNG cold s':>12}{'warm s':>9}")  # fmt: skip
    worst_html = worst_png = 0.0
    for name, scope in SCOPES.items():
        h = run_child(db, "html", scope, args.currency)
        p = run_child(db, "png", scope, args.currency)
        worst_html, worst_png = max(worst_html, h["cold"]), max(worst_png, p["cold"])
        print(f"{name:<26}{h['lines']:>11,}{h['imports']:>10.2f}{h['cold']:>13.2f}"
              f"{h['cold_cpu']:>7.2f}{h['warm']:>8.2f}{h['bytes'] / 1e6:>6.1f}{p['cold']:>12.2f}"
              f"{p['warm']:>9.2f}", flush=True)  # fmt: skip
    print(
        f"\nslowest HTML report {worst_html:.2f} s (target < 3 s); "
        f"slowest PNG card {worst_png:.2f} s including Chromium start (target < 10 s)"
    )
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
