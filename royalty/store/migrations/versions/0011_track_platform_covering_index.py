"""One platform's tracks read from an index alone, on PostgreSQL.

The Tracks page ranks one platform's tracks over a year or two (the top tracks of Spotify,
the tracks under Spotify's 1,000-stream line), and the Unwrapped page sums a platform's top
track, from ``line_rollup_track_platform``. Its index on platform and month found those rows,
but they lie a few to a page among every other platform's, so the database read most of the
table to sum them. The same index, carrying the columns those sums and their currency
conversion need (``INCLUDE``), answers them from the index alone: the rows of one platform
and period are next to each other there, and a server whose file cache does not hold the
table reads a few megabytes of it, not most of it. SQLite has no ``INCLUDE``; its index stays
as it was.

Building it reads the summary table once; nothing stored is changed.

Revision ID: 0011
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLE = "line_rollup_track_platform"
NAME = "ix_rollup_tp_platform_month"
CARRIED = [
    "kind", "currency", "source_currency", "fx_rate", "track_id", "quantity", "amount_nano",
    "lines",
]  # fmt: skip


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(NAME, table_name=TABLE)
    op.create_index(NAME, TABLE, ["platform_id", "usage_month"], postgresql_include=CARRIED)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(NAME, table_name=TABLE)
    op.create_index(NAME, TABLE, ["platform_id", "usage_month"])
