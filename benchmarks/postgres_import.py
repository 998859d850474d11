"""The PostgreSQL half of ``import_benchmark.py --db postgresql+psycopg://...``.

Two contenders, each in a fresh process, on the same server and the same statement file:

* ``royalty.ingest.import_path`` end to end (the package's own import counted), into an
  emptied database;
* the floor: the very rows that import stored, read back beforehand (not timed) as the
  DataFrames the import hands its writer, then one streaming ``COPY`` of them, encoded by the
  same writer, into a fresh table of the same shape (``LIKE earning_line``: its columns, types,
  defaults and indexes) in one transaction.

Server CPU is the CPU time every ``postgres`` process on this machine spent meanwhile
(the backend, the WAL writer, the checkpointer), when the server runs here; beside it, that
of the processes of the server benchmarked alone (other servers on a shared machine left out).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from decimal import Decimal
from pathlib import Path

FLOOR_TABLE = "bench_bare_line"


def server_cpu(postmaster: int | None = None) -> float | None:
    """CPU seconds of the ``postgres`` processes on this machine (None: none to be seen);
    with ``postmaster``, of that server's processes only."""
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
        fields = rest.split()
        mine = postmaster is None or postmaster in (int(pid), int(fields[1]))
        if name == "postgres" and mine:
            total += (int(fields[11]) + int(fields[12])) / tick
            found = True
    return total if found else None


def postmaster_of(url: str) -> int | None:
    """The pid of the server ``url`` names, when it runs on this machine (else None)."""
    import psycopg

    with psycopg.connect(_dsn(url)) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    try:
        stat = Path(f"/proc/{backend}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _cpu_of(postmaster: int | None) -> tuple[float | None, float | None]:
    """(every server's CPU seconds, the benchmarked server's)."""
    return server_cpu(), None if postmaster is None else server_cpu(postmaster)


def _spent(before: tuple, after: tuple) -> dict[str, float | None]:
    every, mine = (
        None if a is None or b is None else a - b for a, b in zip(after, before, strict=True)
    )
    return {"server_cpu": every, "this_server_cpu": mine}


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
    postmaster = postmaster_of(url)
    started, cpu, server = time.perf_counter(), _client_cpu(), _cpu_of(postmaster)
    from royalty.ingest import import_path
    from royalty.store.db import make_engine

    engine = make_engine(url)
    result = import_path(engine, path)
    seconds, cpu = time.perf_counter() - started, _client_cpu() - cpu
    after = _cpu_of(postmaster)
    engine.dispose()
    queue.put(
        {"rows": result.rows, "seconds": seconds, "cpu": cpu, "status": result.status,
         "message": result.message, "totals": result.totals, **_spent(server, after)}
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
    postmaster = postmaster_of(url)
    table = EarningLine.__table__
    with psycopg.connect(_dsn(url)) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        conn.execute(
            f"CREATE TABLE {FLOOR_TABLE} (LIKE earning_line INCLUDING DEFAULTS INCLUDING INDEXES)"
        )
        conn.commit()
        started, cpu, server = time.perf_counter(), _client_cpu(), _cpu_of(postmaster)
        with conn.cursor() as cursor:
            sql = f"COPY {FLOOR_TABLE} ({', '.join(LINE_COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
            with cursor.copy(sql, writer=QueuedLibpqWriter(cursor)) as copy:
                for frame in frames:
                    copy.write(csv_bytes(table, frame))
        conn.commit()
        seconds, cpu, after = (
            time.perf_counter() - started,
            _client_cpu() - cpu,
            _cpu_of(postmaster),
        )
        rows = conn.execute(f"SELECT count(*) FROM {FLOOR_TABLE}").fetchone()[0]
        conn.execute(f"DROP TABLE {FLOOR_TABLE}")
        conn.commit()
    queue.put({"rows": rows, "seconds": seconds, "cpu": cpu, **_spent(server, after)})


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
        cpu, mine = run["server_cpu"], run["this_server_cpu"]
        if cpu is None:
            return "server CPU n/a"
        return f"server CPU {cpu:6.2f} s" + ("" if mine is None else f" (this server {mine:.2f} s)")

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
