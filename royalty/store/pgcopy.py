"""PostgreSQL's ``COPY ... FROM STDIN``, kept open while a load appends batch after batch.

One ``COPY`` per table for as long as nothing else needs the connection: the server parses
and stores one batch while the client reads and prepares the next. Rows are CSV written by
pyarrow in C (text always quoted, so ``""`` is an empty string and a missing value, written
as nothing at all, is NULL). The CSV is written in a thread of the stream's own (pyarrow lets
go of the GIL), and psycopg's queued writer sends it from another, so ``write`` returns once
the rows are Arrow and the caller goes on to its next batch (both queues are bounded: a few
batches, and a few hundred MB at most when the server falls behind).
"""

from __future__ import annotations

import contextlib

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import Connection, Table

from royalty.background import Worker
from royalty.store.scratch import arrow_table


class CopyStream:
    """An open ``COPY`` into one table and its columns, in ``conn``'s transaction."""

    def __init__(self, conn: Connection, table: Table, columns: list[str]) -> None:
        from psycopg.copy import QueuedLibpqWriter

        self.table, self.columns = table, columns
        self.rows = 0
        raw = conn.connection.dbapi_connection
        if raw is None:  # pragma: no cover - a closed connection
            raise RuntimeError("the connection is closed")
        self.cursor = raw.cursor()
        sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
        self.block = self.cursor.copy(sql, writer=QueuedLibpqWriter(self.cursor))
        """psycopg's ``COPY`` block: it holds the connection's lock until it is left."""
        self.copy = self.block.__enter__()
        self.encoder = Worker("copy-encoder")
        """Writes each batch's CSV and hands it to psycopg, in order; only it writes to
        ``copy`` (nothing else uses the connection while a ``COPY`` is open)."""
        self.open = True

    def takes(self, table: Table, columns: list[str]) -> bool:
        return self.open and table is self.table and columns == self.columns

    def write(self, rows: pd.DataFrame) -> None:
        # made Arrow here: the caller may change its frame once this returns, an Arrow
        # table never changes
        self.encoder.submit(self._send, arrow_table(self.table, rows))
        self.rows += len(rows)

    def _send(self, rows: pa.Table) -> None:
        self.copy.write(table_csv(rows))

    def end(self) -> None:
        """Wait until the server has stored every row (raising its error, or the CSV's)."""
        if not self.open:
            return
        try:
            self.encoder.join()
        except BaseException as exc:  # the CSV's error, or the server's through psycopg
            self.abort(exc)
            raise
        self.open = False
        self.encoder.stop()
        self._exit(None)

    def abort(self, error: BaseException) -> None:
        """Stop the copy (the server drops its rows and the transaction is to roll back);
        never raises."""
        if not self.open:
            return
        self.open = False
        self.encoder.stop()
        self._exit(error)

    def _exit(self, error: BaseException | None) -> None:
        try:
            if error is None:
                self.block.__exit__(None, None, None)
                return
            with contextlib.suppress(BaseException):  # the error that stopped the load is raised
                self.block.__exit__(type(error), error, error.__traceback__)
        finally:
            self.cursor.close()


def csv_bytes(table: Table, rows: pd.DataFrame) -> memoryview:
    """The rows as ``COPY``'s CSV, without copying pyarrow's buffer."""
    return table_csv(arrow_table(table, rows))


def table_csv(rows: pa.Table) -> memoryview:
    """An Arrow table as ``COPY``'s CSV, without copying pyarrow's buffer."""
    sink = pa.BufferOutputStream()
    # one batch per write: in slices of the writer's default 1,024 rows, the integers of a
    # million lines cost markedly more to format
    options = pa_csv.WriteOptions(include_header=False, batch_size=max(1, rows.num_rows))
    pa_csv.write_csv(rows, sink, options)
    return memoryview(sink.getvalue())
