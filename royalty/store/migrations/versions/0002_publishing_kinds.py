"""Kinds of use up to 16 characters, for the publishing kinds (``performance``).

PostgreSQL enforces a VARCHAR's length, so the columns are widened there; SQLite does not
(a VARCHAR is TEXT to it), and rewriting every line table to change a number it ignores would
cost an upgrade minutes on a large database for nothing.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (
    "earning_line",
    "line_rollup",
    "line_rollup_track",
    "line_rollup_track_platform",
    "line_rollup_territory",
    "line_rollup_territory_platform",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN kind TYPE VARCHAR(16)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN kind TYPE VARCHAR(10)")
