"""The schema of the 2026-12 release: the first version.

A database that release wrote has every one of these tables and no version table; it is
recognized as this version (``schema.upgrade`` stamps it) and then upgraded. Written out in
full, not derived from the models, so that later changes to the models cannot change it.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "artist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_artist_name"), "artist", ["name"], unique=True)
    op.create_table(
        "platform",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_platform_name"), "platform", ["name"], unique=True)
    op.create_table(
        "statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("layout", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("encoding", sa.String(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("lines_stored", sa.Integer(), nullable=False),
        sa.Column("lines_skipped", sa.Integer(), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=True),
        sa.Column("last_month", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_statement_sha256"), "statement", ["sha256"], unique=True)
    op.create_table(
        "territory",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("iso3", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "line_rollup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("usage_month", sa.Integer(), nullable=False),
        sa.Column("usage_month_end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_currency", sa.String(length=3), nullable=True),
        sa.Column("fx_rate", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount_nano", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artist.id"],
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
        ),
        sa.ForeignKeyConstraint(["statement_id"], ["statement.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_line_rollup_statement_id"), "line_rollup", ["statement_id"], unique=False
    )
    op.create_index(
        "ix_rollup_artist_month", "line_rollup", ["artist_id", "usage_month"], unique=False
    )
    op.create_table(
        "line_rollup_territory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("usage_month", sa.Integer(), nullable=False),
        sa.Column("usage_month_end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_currency", sa.String(length=3), nullable=True),
        sa.Column("fx_rate", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount_nano", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("territory", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artist.id"],
        ),
        sa.ForeignKeyConstraint(["statement_id"], ["statement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["territory"],
            ["territory.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_line_rollup_territory_statement_id"),
        "line_rollup_territory",
        ["statement_id"],
        unique=False,
    )
    op.create_index(
        "ix_rollup_territory_artist_month",
        "line_rollup_territory",
        ["artist_id", "usage_month"],
        unique=False,
    )
    op.create_table(
        "line_rollup_territory_platform",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("usage_month", sa.Integer(), nullable=False),
        sa.Column("usage_month_end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_currency", sa.String(length=3), nullable=True),
        sa.Column("fx_rate", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount_nano", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("territory", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artist.id"],
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
        ),
        sa.ForeignKeyConstraint(["statement_id"], ["statement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["territory"],
            ["territory.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_line_rollup_territory_platform_statement_id"),
        "line_rollup_territory_platform",
        ["statement_id"],
        unique=False,
    )
    op.create_index(
        "ix_rollup_terp_artist_month",
        "line_rollup_territory_platform",
        ["artist_id", "usage_month"],
        unique=False,
    )
    op.create_index(
        "ix_rollup_terp_platform_month",
        "line_rollup_territory_platform",
        ["platform_id", "usage_month"],
        unique=False,
    )
    op.create_table(
        "release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("upc", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artist.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("artist_id", "upc", "title"),
    )
    op.create_table(
        "statement_total",
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.String(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statement.id"],
        ),
        sa.PrimaryKeyConstraint("statement_id", "currency"),
    )
    op.create_table(
        "store",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("raw_name", sa.String(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_store_raw_name"), "store", ["raw_name"], unique=True)
    op.create_table(
        "track",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("isrc", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artist.id"],
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["release.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("artist_id", "isrc", "title"),
    )
    op.create_table(
        "earning_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("usage_month", sa.Integer(), nullable=False),
        sa.Column("usage_month_end", sa.Integer(), nullable=False),
        sa.Column("reporting_month", sa.Integer(), nullable=True),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=True),
        sa.Column("release_id", sa.Integer(), nullable=True),
        sa.Column("territory", sa.String(length=8), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.String(), nullable=False),
        sa.Column("amount_nano", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_amount", sa.String(), nullable=True),
        sa.Column("source_currency", sa.String(length=3), nullable=True),
        sa.Column("fx_rate", sa.String(), nullable=True),
        sa.Column("line_hash", sa.BigInteger(), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artist.id"],
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["release.id"],
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["store.id"],
        ),
        sa.ForeignKeyConstraint(
            ["territory"],
            ["territory.code"],
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["track.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_line_statement", "earning_line", ["statement_id"], unique=False)
    op.create_table(
        "line_rollup_track",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("usage_month", sa.Integer(), nullable=False),
        sa.Column("usage_month_end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_currency", sa.String(length=3), nullable=True),
        sa.Column("fx_rate", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount_nano", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artist.id"],
        ),
        sa.ForeignKeyConstraint(["statement_id"], ["statement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["track.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_line_rollup_track_statement_id"),
        "line_rollup_track",
        ["statement_id"],
        unique=False,
    )
    op.create_index(
        "ix_rollup_track_artist_month",
        "line_rollup_track",
        ["artist_id", "usage_month"],
        unique=False,
    )
    op.create_table(
        "line_rollup_track_platform",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("artist_id", sa.Integer(), nullable=False),
        sa.Column("usage_month", sa.Integer(), nullable=False),
        sa.Column("usage_month_end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_currency", sa.String(length=3), nullable=True),
        sa.Column("fx_rate", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount_nano", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artist.id"],
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
        ),
        sa.ForeignKeyConstraint(["statement_id"], ["statement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["track.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_line_rollup_track_platform_statement_id"),
        "line_rollup_track_platform",
        ["statement_id"],
        unique=False,
    )
    op.create_index(
        "ix_rollup_tp_artist_month",
        "line_rollup_track_platform",
        ["artist_id", "usage_month"],
        unique=False,
    )
    op.create_index(
        "ix_rollup_tp_platform_month",
        "line_rollup_track_platform",
        ["platform_id", "usage_month"],
        unique=False,
    )


def downgrade() -> None:
    raise NotImplementedError("the first version has nothing to go back to")
