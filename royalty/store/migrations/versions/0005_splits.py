"""Payees, splits and deals: who gets which share of a track's (release's, catalogue's)
income from which month, and a label deal's rate against its advance and costs.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_payee_name", "payee", ["name"], unique=True)
    op.create_table(
        "split",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artist", sa.String(), nullable=False),
        sa.Column("isrc", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("release", sa.String(), nullable=False),
        sa.Column("payee_id", sa.Integer(), nullable=False),
        sa.Column("share_numerator", sa.BigInteger(), nullable=False),
        sa.Column("share_denominator", sa.BigInteger(), nullable=False),
        sa.Column("from_month", sa.Integer(), nullable=False),
        sa.Column("applies_to", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["payee_id"], ["payee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_split_artist", "split", ["artist"], unique=False)
    op.create_table(
        "deal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artist", sa.String(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("royalty_rate", sa.String(), nullable=False),
        sa.Column("advance", sa.String(), nullable=False),
        sa.Column("costs", sa.String(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("from_month", sa.Integer(), nullable=False),
        sa.Column("applies_to", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("artist", "name"),
    )


def downgrade() -> None:
    op.drop_table("deal")
    op.drop_index("ix_split_artist", table_name="split")
    op.drop_table("split")
    op.drop_index("ix_payee_name", table_name="payee")
    op.drop_table("payee")
