"""The lines that earned nothing or less, indexed by statement and kind.

Where the money went shows each cause's first hundred lines, from the first statements that
hold them. A refund is an unpaid line of a sale kind (a download, a physical sale), and few
unpaid lines are: through 0010's index, which knows the statement and the row but not the
kind, the whole label's sample read every unpaid line of those statements to find its
refunds (at 10⁸ lines some 10,000 table pages, from a cold disk the slowest read of the
Statements page). With the kind in the index, the database reads the refunds' pages alone.
0010's index stays for the causes that are not a kind, and for reading in row order.

Building it reads the line table once; nothing stored is changed.

Revision ID: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UNPAID = "amount_nano < 0 OR (amount_nano = 0 AND quantity > 0)"


def upgrade() -> None:
    op.create_index(
        "ix_line_unpaid_kind",
        "earning_line",
        ["statement_id", "kind", "row_number"],
        postgresql_where=sa.text(UNPAID),
        sqlite_where=sa.text(UNPAID),
    )


def downgrade() -> None:
    op.drop_index("ix_line_unpaid_kind", table_name="earning_line")
