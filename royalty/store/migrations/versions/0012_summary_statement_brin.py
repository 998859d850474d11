"""The summary tables find a statement's rows by a block range index, on PostgreSQL.

Every summary table had a B-tree on ``statement_id``: a statement's rows are found by it when
the statement is removed, and when one statement's own sums are shown. A statement's
summaries are written together, in one ``COPY`` at the end of its import, so they lie next to
each other in the table, and a block range index (BRIN, as ``earning_line`` has had since
0007) finds them as well while costing nothing per row stored: keeping the B-trees was a
good part of the time a PostgreSQL import spends storing the summaries after its last line.
SQLite has no BRIN; its indexes stay as they were.

Nothing stored is changed.

Revision ID: 0012
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = (
    "line_rollup", "line_rollup_track", "line_rollup_track_platform", "line_rollup_territory",
    "line_rollup_territory_platform", "line_rollup_reporting", "label_rollup_reporting",
    "label_rollup_territory_platform",
)  # fmt: skip


def _rebuild(using: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        name = f"ix_{table}_statement_id"
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["statement_id"], postgresql_using=using)


def upgrade() -> None:
    _rebuild("brin")


def downgrade() -> None:
    _rebuild("btree")
