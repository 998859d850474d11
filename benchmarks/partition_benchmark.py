"""Would partitioning the line table pay? The lines of a database ``scale_benchmark.py`` wrote,
copied into a table partitioned by usage month and one partitioned by statement, beside the
table as it is, each read the ways the pages and removals read lines.

    python benchmarks/partition_benchmark.py --db postgresql+psycopg://user@host/db [--repeat 3]

The copies (``bench_line_by_month``, ``bench_line_by_statement``, ``bench_line_plain``) are
dropped at the end. Each query runs ``--repeat`` times per table, the median printed; a
removal runs in a transaction rolled back.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import create_engine, text

SHAPES = {
    "bench_line_plain": "",
    "bench_line_by_month": "PARTITION BY RANGE (usage_month)",
    "bench_line_by_statement": "PARTITION BY RANGE (statement_id)",
}
QUERIES = {
    "one statement's lines (receipt)": (
        "SELECT currency, count(*), sum(amount_nano) FROM {t} WHERE statement_id = {sid} "
        "GROUP BY currency"
    ),
    "one month, by platform (lines page, 1 month)": (
        "SELECT platform_id, sum(amount_nano) FROM {t} WHERE usage_month = {month} "
        "GROUP BY platform_id"
    ),
    "one artist, one year (track x territory)": (
        "SELECT track_id, territory, sum(amount_nano) FROM {t} WHERE artist_id = 1 "
        "AND usage_month BETWEEN {year}01 AND {year}12 GROUP BY track_id, territory"
    ),
    "every line: reporting months per statement": (
        "SELECT statement_id, min(reporting_month), max(reporting_month) FROM {t} "
        "GROUP BY statement_id"
    ),
}


def build(conn, name: str, shape: str, months: list[int], statements: int) -> float:  # type: ignore[no-untyped-def]
    """The copy with the one index the line table has (BRIN on the statement); seconds it
    took."""
    started = time.perf_counter()
    conn.execute(text(f"DROP TABLE IF EXISTS {name} CASCADE"))
    conn.execute(text(f"CREATE TABLE {name} (LIKE earning_line INCLUDING DEFAULTS) {shape}"))
    if "usage_month" in shape:
        for m in months:
            nxt = m + 1 if m % 100 < 12 else (m // 100 + 1) * 100 + 1
            conn.execute(text(f"CREATE TABLE {name}_{m} PARTITION OF {name} "
                              f"FOR VALUES FROM ({m}) TO ({nxt})"))  # fmt: skip
    elif "statement_id" in shape:
        for s in range(1, statements + 1):
            conn.execute(text(f"CREATE TABLE {name}_{s} PARTITION OF {name} "
                              f"FOR VALUES FROM ({s}) TO ({s + 1})"))  # fmt: skip
    conn.execute(text(f"INSERT INTO {name} SELECT * FROM earning_line"))
    conn.execute(text(f"CREATE INDEX ON {name} USING brin (statement_id)"))
    conn.execute(text(f"ANALYZE {name}"))
    return time.perf_counter() - started


def timed(conn, sql: str, repeat: int) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        conn.execute(text(sql)).all()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def removal(engine, name: str, sid: int, partitioned_by_statement: bool) -> float:  # type: ignore[no-untyped-def]
    """Seconds to remove one statement's lines, rolled back."""
    with engine.connect() as conn:
        t = time.perf_counter()
        if partitioned_by_statement:
            conn.execute(text(f"DROP TABLE {name}_{sid}"))
        else:
            conn.execute(text(f"DELETE FROM {name} WHERE statement_id = {sid}"))
        took = time.perf_counter() - t
        conn.rollback()
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from royalty.settings import normalize_url

    engine = create_engine(normalize_url(args.db))
    with engine.connect() as conn:
        lines = conn.execute(text("SELECT count(*) FROM earning_line")).scalar_one()
        months = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT usage_month FROM line_rollup ORDER BY 1"))]  # fmt: skip
        statements = conn.execute(text("SELECT max(id) FROM statement")).scalar_one()
    sid, month, year = statements // 2, months[len(months) // 2], months[-1] // 100 - 1
    print(f"{lines:,} lines, {statements} statements, {len(months)} usage months")
    results: dict[str, dict[str, float]] = {}
    for name, shape in SHAPES.items():
        with engine.begin() as conn:
            took = build(conn, name, shape, months, statements)
        print(f"{name}: built in {took:,.0f} s", flush=True)
        with engine.connect() as conn:
            size = conn.execute(text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname "
                f"= '{name}' OR c.relname LIKE '{name}\\_%'"))  # fmt: skip
            results[name] = {"MB": int(size.scalar_one()) / 1e6}
            for label, sql in QUERIES.items():
                q = sql.format(t=name, sid=sid, month=month, year=year)
                results[name][label] = timed(conn, q, args.repeat)
        results[name]["remove one statement"] = removal(engine, name, sid, "statement_id" in shape)
    labels = ["MB", *QUERIES, "remove one statement"]
    print(f"\n{'median seconds':<46}" + "".join(f"{n[11:]:>14}" for n in SHAPES))
    for label in labels:
        print(f"{label:<46}" + "".join(f"{results[n][label]:>14.3f}" for n in SHAPES))
    with engine.begin() as conn:
        for name in SHAPES:
            conn.execute(text(f"DROP TABLE IF EXISTS {name} CASCADE"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
