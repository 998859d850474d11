"""A track's ISWC (``track.iswc``): the composition a songwriting statement names, so that a
work is matched to the recording of the same ISWC.

One column with a default, added in place on SQLite and PostgreSQL alike (no table is
rewritten). The links of tracks already stored are made again when the database is next opened
(``royalty.store.track_links.ensure``: the matching rule's version changed with it).

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "track", sa.Column("iswc", sa.String(length=11), nullable=False, server_default="")
    )


def downgrade() -> None:
    with op.batch_alter_table("track") as batch:
        batch.drop_column("iswc")
