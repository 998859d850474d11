"""Tracks counted as one recording (``track_link``) and the splits a person made
(``track_split``).

Only the tables: the links of the tracks already stored are made when the database is next
opened (``royalty.store.track_links.ensure``), by the matching rule of the code that opens it,
so that this migration never depends on how the rule is written later.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "track_link",
        sa.Column("track_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("canonical_id", sa.Integer(), nullable=False),
        sa.Column("matched_by", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["canonical_id"], ["track.id"]),
        sa.ForeignKeyConstraint(["track_id"], ["track.id"]),
        sa.PrimaryKeyConstraint("track_id"),
    )
    op.create_index("ix_track_link_canonical_id", "track_link", ["canonical_id"], unique=False)
    op.create_table(
        "track_split",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artist", sa.String(), nullable=False),
        sa.Column("isrc", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("split_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("artist", "isrc", "title"),
    )


def downgrade() -> None:
    op.drop_table("track_split")
    op.drop_index("ix_track_link_canonical_id", table_name="track_link")
    op.drop_table("track_link")
