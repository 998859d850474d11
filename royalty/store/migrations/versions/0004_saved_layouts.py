"""Saved column mappings (``saved_layout``): layouts a person defined for files in no built-in
layout.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_layout",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("header", sa.String(), nullable=False),
        sa.Column("fields", sa.String(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("saved_layout")
