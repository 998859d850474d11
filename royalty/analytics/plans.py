"""How PostgreSQL runs the few reads that sum a large table in one pass.

PostgreSQL compiles a query to machine code (JIT) when its plan's cost estimate is high, and
for a query that reads many rows once that estimate is high by nature: the compiling then
costs more than it saves, most of all with inlining and optimization, which a statement's
million lines reach. These reads turn it off for their own transaction only.
"""

from __future__ import annotations

from sqlalchemy import Connection


def without_jit(conn: Connection) -> None:
    """No JIT compiling for the rest of ``conn``'s transaction (PostgreSQL; else nothing)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL jit = off")
