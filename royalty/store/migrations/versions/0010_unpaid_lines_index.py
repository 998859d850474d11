"""An index of the lines that earned nothing or less than nothing, in statement order.

Where the money went shows the first lines of each cause (``analytics.money_went``). Those
are a few percent of the lines, but without an index of their own a page found them by
reading every line of the statements that hold them: millions of lines for one refund in a
large statement. A partial index holds only those lines (the condition is the one behind
``rollup.PAID_LESS`` and ``PAID_NOTHING``), keyed as the lines are shown, so a sample reads
its hundred lines and stops; an import pays for its few unpaid lines only.

Building it reads the line table once; nothing stored is changed.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UNPAID = "amount_nano < 0 OR (amount_nano = 0 AND quantity > 0)"


def upgrade() -> None:
    op.create_index(
        "ix_line_unpaid",
        "earning_line",
        ["statement_id", "row_number"],
        postgresql_where=sa.text(UNPAID),
        sqlite_where=sa.text(UNPAID),
    )


def downgrade() -> None:
    op.drop_index("ix_line_unpaid", table_name="earning_line")
