"""Summaries for what still read every line, and a whole label's pages without the artist.

``line_rollup_reporting`` sums each statement by artist, platform, reporting month and what a
line was paid (-1: a negative amount; 0: nothing for units played; 1: the rest): the statement
list's reporting months, coverage's lags and where the money went read it instead of the
lines. ``label_rollup_reporting`` and ``label_rollup_territory_platform`` are the same sums
without the artist, for the pages of every artist at once.

The new tables are filled here from what is stored, one statement at a time, with the same
grouped ``INSERT ... SELECT`` an import's rebuild uses (written out, so that later grains
cannot change this step): the reporting grain from the lines, the label grains from it and
from ``line_rollup_territory_platform``. Every sum is an exact integer sum of the lines it
replaces; nothing stored before is changed.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

LABEL_KEY = ("statement_id", "usage_month", "usage_month_end", "kind", "currency",
             "source_currency", "fx_rate")  # fmt: skip
KEY = ("statement_id", "artist_id", *LABEL_KEY[1:])
FILLS = (  # (table, its key, what it is summed from)
    ("line_rollup_reporting", (*KEY, "platform_id", "reporting_month", "paid"), "earning_line"),
    ("label_rollup_reporting", (*LABEL_KEY, "platform_id", "reporting_month", "paid"),
     "line_rollup_reporting"),
    ("label_rollup_territory_platform", (*LABEL_KEY, "platform_id", "territory"),
     "line_rollup_territory_platform"),
)  # fmt: skip
PAID = "CASE WHEN amount_nano < 0 THEN -1 WHEN amount_nano = 0 AND quantity > 0 THEN 0 ELSE 1 END"


def _columns(artist: bool, sqlite: bool) -> list[sa.Column]:
    """The summary columns every grain has (``_RollupColumns``, with or without the artist)."""

    def key(target: str, **kw) -> list:  # type: ignore[no-untyped-def]
        return [sa.ForeignKey(target, **kw)] if sqlite else []  # PostgreSQL: none (see 0007)

    return [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "statement_id", sa.Integer(), *key("statement.id", ondelete="CASCADE"), nullable=False
        ),
        *(
            [sa.Column("artist_id", sa.Integer(), *key("artist.id"), nullable=False)]
            if artist
            else []
        ),
        sa.Column("usage_month", sa.Integer(), nullable=False),
        sa.Column("usage_month_end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_currency", sa.String(length=3), nullable=True),
        sa.Column("fx_rate", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount_nano", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), *key("platform.id"), nullable=False),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"

    def key(target: str) -> list:  # type: ignore[no-untyped-def]
        return [sa.ForeignKey(target)] if sqlite else []

    reporting = [
        sa.Column("reporting_month", sa.Integer(), nullable=True),
        sa.Column("paid", sa.SmallInteger(), nullable=False),
    ]
    op.create_table("line_rollup_reporting", *_columns(True, sqlite), *reporting)
    op.create_index(
        "ix_rollup_rep_artist_month", "line_rollup_reporting", ["artist_id", "usage_month"]
    )
    op.create_table(
        "label_rollup_reporting",
        *_columns(False, sqlite),
        *[sa.Column(c.name, c.type, nullable=c.nullable) for c in reporting],
    )
    op.create_table(
        "label_rollup_territory_platform",
        *_columns(False, sqlite),
        sa.Column("territory", sa.String(length=8), *key("territory.code"), nullable=True),
    )
    for table in ("line_rollup_reporting", "label_rollup_reporting",
                  "label_rollup_territory_platform"):  # fmt: skip
        op.create_index(f"ix_{table}_statement_id", table, ["statement_id"])
    statements = bind.execute(sa.text("SELECT id FROM statement ORDER BY id")).scalars().all()
    for statement_id in statements:
        for table, names, source in FILLS:
            picked = ", ".join(PAID if n == "paid" and source == "earning_line" else n
                               for n in names)  # fmt: skip
            lines = "COUNT(*)" if source == "earning_line" else "SUM(lines)"
            bind.execute(
                sa.text(
                    f"INSERT INTO {table} ({', '.join(names)}, quantity, amount_nano, lines) "
                    f"SELECT {picked}, SUM(quantity), SUM(amount_nano), {lines} FROM {source} "
                    f"WHERE statement_id = :s GROUP BY {picked}"
                ),
                {"s": statement_id},
            )
    if not sqlite:  # the planner's statistics now, not when autovacuum next gets to them
        for table, _, _ in FILLS:
            bind.execute(sa.text(f"ANALYZE {table}"))


def downgrade() -> None:
    for table in ("label_rollup_territory_platform", "label_rollup_reporting",
                  "line_rollup_reporting"):  # fmt: skip
        op.drop_table(table)
