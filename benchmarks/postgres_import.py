"""The PostgreSQL half of ``import_benchmark.py --db postgresql+psycopg://...``.

Two contenders, each in a fresh process, on the same server and the same statement file:

* ``royalty.ingest.import_path`` end to end (the package's own import counted), into an
  emptied database;
* the floor: the very rows that import stored, read back beforehand (not timed) as the
  DataFrames the import hands its writer, then one streaming ``COPY`` of them, encoded by the
  same writer, into a fresh table of the same shape (``LIKE earning_line``: its columns, types,
  defaults and indexes) in one transaction.

Server CPU is the CPU time every ``postgres`` process on this machine spent meanwhile
(the backend, the WAL writer, the checkpointer), when the server runs here.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from decimal import Decimal
from pathlib import Path

FLOOR_TABLE = "bench_bare_line"


def server_cpu() -> float | None:
    """CPU seconds of the ``postgres`` processes on this machine (None: none to be seen)."""
    total, found = 0.0, False
    tick = os.sysconf("SC_CLK_TCK")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name, rest = stat.split(" (", 1)[1].rsplit(")", 1)
        if name == "postgres":
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / tick
            found = True
    return total if found else None


def _client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def empty_database(url: str) -> None:
    """Every table of the schema dropped and created again at the newest version."""
    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    from royalty.store import models  # noqa: F401  (registers the tables)
    from royalty.store.db import make_engine

    bare = create_engine(url)
    with bare.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {FLOOR_TABLE}"))
    SQLModel.metadata.drop_all(bare)
    with bare.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    bare.dispose()
    make_engine(url).dispose()


def royalty_import(path: str, url: str, queue: mp.Queue) -> None:
    started, cpu, server = time.perf_counter(), _client_cpu(), server_cpu()
    from royalty.ingest import import_path
    from royalty.store.db import make_engine

    engine = make_engine(url)
    result = import_path(engine, path)
    seconds, cpu = time.perf_counter() - started, _client_cpu() - cpu
    after = server_cpu()
    engine.dispose()
    queue.put(
        {"rows": result.rows, "seconds": seconds, "cpu": cpu, "status": result.status,
         "message": result.message, "totals": result.totals,
         "server_cpu": None if server is None or after is None else after - server}
    )  # fmt: skip


def stored_frames(url: str, batch: int = 50_000):  # type: ignore[no-untyped-def]
    """The stored lines, in the order stored, as the DataFrames the import's writer took."""
    import psycopg
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    from royalty.ingest.transaction import LINE_COLUMNS
    from royalty.store.models import EarningLine
    from royalty.store.scratch import _arrow_type

    table = EarningLine.__table__
    data = bytearray()
    with psycopg.connect(_dsn(url)) as conn, conn.cursor() as cursor:
        query = f"COPY (SELECT {', '.join(LINE_COLUMNS)} FROM earning_line ORDER BY id) TO STDOUT"
        with cursor.copy(f"{query} WITH (FORMAT csv)") as copy:
            for part in copy:
                data += part
    types = {name: _arrow_type(table, name) for name in LINE_COLUMNS}
    arrow = pa_csv.read_csv(
        pa.py_buffer(bytes(data)),
        read_options=pa_csv.ReadOptions(column_names=LINE_COLUMNS),
        convert_options=pa_csv.ConvertOptions(
            column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )
    return [part.to_pandas() for part in arrow.to_batches(batch)]


def bare_copy(path: str, url: str, queue: mp.Queue) -> None:
    """The floor (``path`` unused: the rows come from what the import stored)."""
    import psycopg
    from psycopg.copy import QueuedLibpqWriter

    from royalty.ingest.transaction import LINE_COLUMNS
    from royalty.store.models import EarningLine
    from royalty.store.pgcopy import csv_bytes

    frames = stored_frames(url)
    table = EarningLine.__table__
    with psycopg.connect(_dsn(url)) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        conn.execute(
            f"CREATE TABLE {FLOOR_TABLE} (LIKE earning_line INCLUDING DEFAULTS INCLUDING INDEXES)"
        )
        conn.commit()
        started, cpu, server = time.perf_counter(), _client_cpu(), server_cpu()
        with conn.cursor() as cursor:
            sql = f"COPY {FLOOR_TABLE} ({', '.join(LINE_COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
            with cursor.copy(sql, writer=QueuedLibpqWriter(cursor)) as copy:
                for frame in frames:
                    copy.write(csv_bytes(table, frame))
        conn.commit()
        seconds, cpu, after = time.perf_counter() - started, _client_cpu() - cpu, server_cpu()
        rows = conn.execute(f"SELECT count(*) FROM {FLOOR_TABLE}").fetchone()[0]
        conn.execute(f"DROP TABLE {FLOOR_TABLE}")
        conn.commit()
    queue.put(
        {"rows": rows, "seconds": seconds, "cpu": cpu,
         "server_cpu": None if server is None or after is None else after - server}
    )  # fmt: skip


def stored_total(url: str) -> tuple[Decimal, int]:
    """Exact sum of the stored amount text, independent of the code under test."""
    import psycopg

    total, count = Decimal(0), 0
    with psycopg.connect(_dsn(url)) as conn, conn.cursor() as cursor:
        for (amount,) in cursor.execute("SELECT amount FROM earning_line"):
            total += Decimal(amount)
            count += 1
    return total, count


def settings(url: str) -> str:
    """The server's version and the settings a load depends on, as the run had them."""
    import psycopg

    names = ("shared_buffers", "fsync", "synchronous_commit", "wal_level", "max_wal_size",
             "checkpoint_timeout")  # fmt: skip
    with psycopg.connect(_dsn(url)) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        shown = [f"{n}={conn.execute(f'SHOW {n}').fetchone()[0]}" for n in names]
    return f"PostgreSQL {version}, " + ", ".join(shown)


def _dsn(url: str) -> str:
    """A SQLAlchemy URL as libpq takes it."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def profile(path: Path, url: str, top: int = 30) -> None:
    """The import once more, into an emptied database, under cProfile: the client process's
    CPU time (every thread's, charged to whatever the main thread was in meanwhile), so the
    server's work and the waits for it are left out."""
    import cProfile
    import pstats

    from royalty.ingest import import_path
    from royalty.store.db import make_engine

    empty_database(url)
    engine = make_engine(url)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    import_path(engine, path)
    profiler.disable()
    engine.dispose()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)  # which step of the import spends it


def compare(  # type: ignore[no-untyped-def]
    url: str, tsv: Path, file_total: Decimal, rows: int, run_isolated, *, profiled: bool = False
) -> int:
    """The import beside the bare ``COPY``, each run by ``run_isolated`` in its own process,
    with the issue's targets; 0 when the stored lines add up exactly (``profiled``: then the
    import once more under cProfile)."""
    from royalty.settings import normalize_url

    url = normalize_url(url)
    empty_database(url)
    print(settings(url))
    ours = run_isolated(royalty_import, tsv, url)
    if ours["status"] != "imported":
        print(f"import failed: {ours['message']}")
        return 1
    total, count = stored_total(url)
    floor = run_isolated(bare_copy, tsv, url)

    def server(run: dict) -> str:
        cpu = run["server_cpu"]
        return "server CPU n/a" if cpu is None else f"server CPU {cpu:6.2f} s"

    for label, run in (
        ("royalty.ingest.import_path into PostgreSQL", ours),
        ("bare COPY of the same rows, same table shape", floor),
    ):
        print(
            f"{label:<50} {run['seconds']:7.2f} s wall, {run['rows'] / run['seconds']:9,.0f} "
            f"rows/s; client CPU {run['cpu']:6.2f} s; {server(run)}"
        )
    ratio, rate = ours["seconds"] / floor["seconds"], ours["rows"] / ours["seconds"]
    print(
        f"targets: within 1.5x of the bare COPY: {'met' if ratio <= 1.5 else 'NOT met'} "
        f"({ratio:.2f}x); >= 150,000 rows/s: {'met' if rate >= 150_000 else 'NOT met'} "
        f"({rate:,.0f}); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    exact = total == file_total and Decimal(ours["totals"]["USD"]) == file_total
    exact = exact and count == rows and floor["rows"] == rows
    print(
        f"stored {count:,} lines totalling {total} USD; file total {file_total} USD: "
        + ("exact match" if exact else "MISMATCH")
    )
    if profiled:
        profile(tsv, url)
    return 0 if exact else 1
