"""PostgreSQL's line and summary tables without per-row checks: imports at bulk speed.

On PostgreSQL each foreign key of ``earning_line`` and the ``line_rollup*`` tables was a
trigger and a lookup per row: most of a million-line import's time. They are dropped; the
importer checks the ids it wrote once per import (``royalty.store.references``). The line
table also loses its primary key (nothing looks a line up by id, and the index cost a load a
second per million lines), its id becomes a BIGINT (a distributor's lines outgrow 2^31), and
its statement index becomes a BRIN index (a statement's lines lie together).

SQLite is left as it is: its bulk load switches foreign keys off already, they still guard
every other write there, its primary key is the rowid (free), and rewriting every line table
to drop them would cost a large database's upgrade minutes for nothing.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
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
LINE_KEYS = {
    "statement_id": ("statement", "id"), "artist_id": ("artist", "id"),
    "platform_id": ("platform", "id"), "store_id": ("store", "id"), "track_id": ("track", "id"),
    "release_id": ("release", "id"), "territory": ("territory", "code"),
}  # fmt: skip
"""The keys the lines had, for ``downgrade``; the summaries had those they have columns for."""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    inspector = sa.inspect(bind)
    for table in TABLES:
        for key in inspector.get_foreign_keys(table):
            op.drop_constraint(key["name"], table, type_="foreignkey")
    primary = inspector.get_pk_constraint("earning_line")["name"]
    if primary:
        op.drop_constraint(primary, "earning_line", type_="primary")
    op.execute("ALTER TABLE earning_line ALTER COLUMN id TYPE BIGINT")
    op.execute("ALTER SEQUENCE earning_line_id_seq AS BIGINT")
    op.drop_index("ix_line_statement", table_name="earning_line")
    op.create_index("ix_line_statement", "earning_line", ["statement_id"], postgresql_using="brin")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.drop_index("ix_line_statement", table_name="earning_line")
    op.create_index("ix_line_statement", "earning_line", ["statement_id"])
    op.execute("ALTER SEQUENCE earning_line_id_seq AS INTEGER")
    op.execute("ALTER TABLE earning_line ALTER COLUMN id TYPE INTEGER")
    op.create_primary_key("earning_line_pkey", "earning_line", ["id"])
    inspector = sa.inspect(bind)
    for table in TABLES:
        columns = {c["name"] for c in inspector.get_columns(table)}
        for column, (target, remote) in LINE_KEYS.items():
            if column in columns:
                cascade = (
                    "CASCADE" if table != "earning_line" and column == "statement_id" else None
                )
                op.create_foreign_key(
                    f"{table}_{column}_fkey", table, target, [column], [remote], ondelete=cascade
                )
