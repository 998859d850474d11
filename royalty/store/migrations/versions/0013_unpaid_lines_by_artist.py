"""The lines that earned nothing or less, indexed by artist too.

Where the money went shows the first unpaid lines of the statements that hold them (0010's
partial index, in statement order). For one artist, that index still led the database to
every unpaid line of those statements, every artist's, to keep the artist's few: at 10⁸
lines some 13,500 table pages for 200 lines, read one by one from a cold disk. A second
partial index over the same lines, by artist first, finds one artist's lines alone; the
label-wide pages keep 0010's, whose statement order lets a sample stop after its hundred
lines. Both hold only the unpaid lines (a few percent), so an import pays for those only.

Building it reads the line table once; nothing stored is changed.

Revision ID: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UNPAID = "amount_nano < 0 OR (amount_nano = 0 AND quantity > 0)"


def upgrade() -> None:
    op.create_index(
        "ix_line_unpaid_artist",
        "earning_line",
        ["artist_id", "statement_id", "row_number"],
        postgresql_where=sa.text(UNPAID),
        sqlite_where=sa.text(UNPAID),
    )


def downgrade() -> None:
    op.drop_index("ix_line_unpaid_artist", table_name="earning_line")
