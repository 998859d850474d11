"""Each statement keeps why rows were not lines (``statement.dropped``, JSON by reason).

Statements imported before have NULL: their dropped count is still ``row_count -
lines_stored - lines_skipped``; only the reasons were never recorded.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("statement", sa.Column("dropped", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statement") as batch:
        batch.drop_column("dropped")
