"""The one SQL schema every statement layout is normalized into.

All table models live in this module (as sqlmodel's docs recommend) so that importing it
registers every table before ``create_all``.

Money is never stored as a float: SQLite gives ``Numeric`` REAL affinity. Each line keeps the
exact decimal text the file gave (``amount``) for reconciliation and exports, and the same value
as an integer number of nano-units (``amount_nano``, 1e-9 of the currency) for SQL sums.
Months are integers ``YYYYMM``: compact, sortable, identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    SmallInteger,
    Table,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from royalty.vocabulary import KINDS, NANO  # noqa: F401  (the schema's words, defined there)

UNPAID = "amount_nano < 0 OR (amount_nano = 0 AND quantity > 0)"
"""The lines ``ix_line_unpaid`` holds: ``rollup.PAID_LESS`` and ``rollup.PAID_NOTHING``."""


def _now() -> datetime:
    return datetime.now(UTC)


class Artist(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)


class Platform(SQLModel, table=True):
    """A canonical service such as "Amazon Music"; raw store strings map here via ``Store``."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)


class Store(SQLModel, table=True):
    """The store string exactly as a statement wrote it ("Amazon Unlimited (Streaming)")."""

    id: int | None = Field(default=None, primary_key=True)
    raw_name: str = Field(unique=True, index=True)
    platform_id: int = Field(foreign_key="platform.id")


class Territory(SQLModel, table=True):
    """ISO 3166 alpha-2 code, or a distributor pseudo-code such as DistroKid's ``OU``."""

    code: str = Field(primary_key=True, max_length=8)
    name: str
    iso3: str | None = None


class Release(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("artist_id", "upc", "title"),)

    id: int | None = Field(default=None, primary_key=True)
    artist_id: int = Field(foreign_key="artist.id")
    upc: str = ""
    title: str = ""


class Track(SQLModel, table=True):
    """A recording as one statement names it: its ISRC (when the statement gives one) and its
    title. Each spelling is a row, so the Tracks page can say which titles it counted as one
    recording (``TrackLink``) and a wrong match can be split again without touching a line."""

    __table_args__ = (UniqueConstraint("artist_id", "isrc", "title"),)

    id: int | None = Field(default=None, primary_key=True)
    artist_id: int = Field(foreign_key="artist.id")
    isrc: str = ""
    title: str = ""
    release_id: int | None = Field(default=None, foreign_key="release.id")
    iswc: str = Field(default="", max_length=11)
    """The composition's ISWC, when a songwriting statement gave one for this title (the first
    given): a work is matched to the recording that knows the same ISWC
    (``royalty.track_matching``). Not part of the row's identity: a recording and the song in
    it are named alike, and one spelling is one row."""


class TrackLink(SQLModel, table=True):
    """A track counted as another one: the same ISRC, or the same artist and normalized title
    (``royalty.track_matching``). Tracks counted as themselves have no row; the analytics read
    ``COALESCE(canonical_id, track_id)`` (see ``royalty.store.track_links``)."""

    __tablename__ = "track_link"

    track_id: int = Field(
        foreign_key="track.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    canonical_id: int = Field(foreign_key="track.id", index=True)
    matched_by: str = Field(max_length=8)
    """``isrc``, ``iswc`` or ``title``."""


class TrackSplit(SQLModel, table=True):
    """A person's "this is a different recording": the track as statements name it (artist,
    ISRC, title), so that it stays split when its statements are removed and imported again."""

    __tablename__ = "track_split"
    __table_args__ = (UniqueConstraint("artist", "isrc", "title"),)

    id: int | None = Field(default=None, primary_key=True)
    artist: str
    isrc: str = ""
    title: str = ""
    split_at: datetime = Field(default_factory=_now)


class Statement(SQLModel, table=True):
    """One imported file. ``sha256`` makes re-importing the same bytes a no-op."""

    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    sha256: str = Field(unique=True, index=True, max_length=64)
    layout: str
    source: str
    encoding: str = ""
    imported_at: datetime = Field(default_factory=_now)
    row_count: int = 0
    lines_stored: int = 0
    lines_skipped: int = 0
    dropped: str | None = None
    """Rows that are not lines, by reason, as JSON (``{"transfer": 6}``); None for statements
    imported before reasons were kept (their count is ``row_count - lines_stored -
    lines_skipped``)."""
    first_month: int | None = None
    last_month: int | None = None


class StatementTotal(SQLModel, table=True):
    """Per-currency total of a statement as the file states it (exact decimal text)."""

    __tablename__ = "statement_total"

    statement_id: int = Field(foreign_key="statement.id", primary_key=True)
    currency: str = Field(primary_key=True, max_length=3)
    amount: str
    lines: int


class EarningLine(SQLModel, table=True):
    """One statement row, normalized.

    ``line_hash`` + ``occurrence`` identify the row's content within its source (distributor)
    so that an export overlapping an earlier one does not count a row twice, while identical
    rows inside one file (``occurrence`` 0, 1, ...) all count. They are deliberately not a
    unique index: hashes are random, and a random-order index made bulk loads 3x slower; the
    import compares them per source and month range instead (see ``ingest``).

    The main index is by statement: lines go in statement after statement, so it grows at its
    end and costs a load little. An index by artist and month cost a million-line load a third
    of its insert time; pages read the summaries instead, and the few queries that read lines
    find their statements in a summary first (``aggregate.where``).

    On PostgreSQL (``docs/scale.md``) the statement index is a BRIN index (block ranges:
    the lines of one statement lie together, and it costs a load next to nothing where a
    B-tree cost a second per million lines), and there is neither a primary key (nothing looks
    a line up by id; ``id`` orders the lines as stored) nor any foreign key (``SQLITE_ONLY``).

    A second, partial index holds only the lines that earned nothing or less (``UNPAID``, a
    few percent), in statement order: where the money went shows the first of them without
    reading every line of their statements (migration 0010); a third holds the same lines by
    artist first, so one artist's are found without every other artist's (0013), and a fourth
    by statement and kind, so a statement's refunds are found without its other unpaid lines
    (0014).
    """

    __tablename__ = "earning_line"
    __table_args__ = (
        Index("ix_line_statement", "statement_id", postgresql_using="brin"),
        Index(
            "ix_line_unpaid",
            "statement_id",
            "row_number",
            postgresql_where=text(UNPAID),
            sqlite_where=text(UNPAID),
        ),
        Index(  # the same lines of one artist, without the other artists' (0013)
            "ix_line_unpaid_artist",
            "artist_id",
            "statement_id",
            "row_number",
            postgresql_where=text(UNPAID),
            sqlite_where=text(UNPAID),
        ),
        Index(  # the same lines of a kind, refunds (0014)
            "ix_line_unpaid_kind",
            "statement_id",
            "kind",
            "row_number",
            postgresql_where=text(UNPAID),
            sqlite_where=text(UNPAID),
        ),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    )
    statement_id: int = Field(foreign_key="statement.id")
    row_number: int
    artist_id: int = Field(foreign_key="artist.id")
    usage_month: int
    usage_month_end: int
    reporting_month: int | None = None
    platform_id: int = Field(foreign_key="platform.id")
    store_id: int = Field(foreign_key="store.id")
    track_id: int | None = Field(default=None, foreign_key="track.id")
    release_id: int | None = Field(default=None, foreign_key="release.id")
    territory: str | None = Field(default=None, foreign_key="territory.code", max_length=8)
    kind: str = Field(max_length=16)
    quantity: int = Field(sa_column=Column(BigInteger, nullable=False))
    amount: str
    amount_nano: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(max_length=3)
    source_amount: str | None = None
    source_currency: str | None = Field(default=None, max_length=3)
    fx_rate: str | None = None
    line_hash: int = Field(sa_column=Column(BigInteger, nullable=False))
    occurrence: int = 0


class SavedLayout(SQLModel, table=True):
    """A column mapping saved under a name: files with exactly this header import with it."""

    __tablename__ = "saved_layout"

    name: str = Field(primary_key=True, max_length=80)
    header: str
    """The header cells, as JSON (detection: the same cells in any order and case)."""
    fields: str
    """Field -> header cell, as JSON."""
    currency: str | None = Field(default=None, max_length=3)
    """The currency of every line, for files without a currency column."""
    saved_at: datetime = Field(default_factory=_now)


class AppSetting(SQLModel, table=True):
    """A durable app choice kept in the database (e.g. "the user removed the sample")."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = ""


def by_statement(table: str) -> Index:
    """A summary table's rows of one statement (its removal, its own sums). They are written
    together, so on PostgreSQL a block range index finds them at no cost per row stored
    (migration 0012); SQLite's is a B-tree."""
    return Index(f"ix_{table}_statement_id", "statement_id", postgresql_using="brin")


class _LabelRollupColumns(SQLModel):
    """Per-statement sums of ``earning_line`` at a coarser grain (see ``royalty.store.rollup``).

    Analytics read these instead of millions of lines. Every column a conversion or filter
    needs stays in the key (kind, currency, the statement's own rate), so a sum here is exactly
    the sum of the lines it replaces. Without the artist, these are a whole label's grains: a
    row per statement, month, platform and territory instead of one per artist as well.
    """

    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="statement.id", ondelete="CASCADE")  # see by_statement
    usage_month: int
    usage_month_end: int
    kind: str = Field(max_length=16)
    currency: str = Field(max_length=3)
    source_currency: str | None = Field(default=None, max_length=3)
    fx_rate: str | None = None
    quantity: int = Field(sa_type=BigInteger)
    amount_nano: int = Field(sa_type=BigInteger)
    lines: int = 0


class _RollupColumns(_LabelRollupColumns):
    """The same sums per artist: the grains one artist's pages read."""

    artist_id: int = Field(foreign_key="artist.id")


class LineRollup(_RollupColumns, table=True):
    """By artist, month, platform and kind: overview, platform comparison, Unwrapped."""

    __tablename__ = "line_rollup"
    __table_args__ = (
        Index("ix_rollup_artist_month", "artist_id", "usage_month"),
        by_statement("line_rollup"),
    )

    platform_id: int = Field(foreign_key="platform.id")


class TrackRollup(_RollupColumns, table=True):
    """By track (all platforms together): top tracks."""

    __tablename__ = "line_rollup_track"
    __table_args__ = (
        Index("ix_rollup_track_artist_month", "artist_id", "usage_month"),
        by_statement("line_rollup_track"),
    )

    track_id: int | None = Field(default=None, foreign_key="track.id")


class TrackPlatformRollup(_RollupColumns, table=True):
    """By track and platform: one platform's tracks (Spotify's 1,000-stream rule)."""

    __tablename__ = "line_rollup_track_platform"
    __table_args__ = (
        by_statement("line_rollup_track_platform"),
        Index("ix_rollup_tp_artist_month", "artist_id", "usage_month"),
        Index(  # PostgreSQL sums one platform's rows from the index alone (0011)
            "ix_rollup_tp_platform_month", "platform_id", "usage_month",
            postgresql_include=["kind", "currency", "source_currency", "fx_rate", "track_id",
                                "quantity", "amount_nano", "lines"],
        ),
    )  # fmt: skip

    platform_id: int = Field(foreign_key="platform.id")
    track_id: int | None = Field(default=None, foreign_key="track.id")


class TerritoryRollup(_RollupColumns, table=True):
    """By territory (all platforms together): the map and top countries."""

    __tablename__ = "line_rollup_territory"
    __table_args__ = (
        Index("ix_rollup_territory_artist_month", "artist_id", "usage_month"),
        by_statement("line_rollup_territory"),
    )

    territory: str | None = Field(default=None, foreign_key="territory.code", max_length=8)


class TerritoryPlatformRollup(_RollupColumns, table=True):
    """By territory and platform: the map for chosen platforms."""

    __tablename__ = "line_rollup_territory_platform"
    __table_args__ = (
        by_statement("line_rollup_territory_platform"),
        Index("ix_rollup_terp_artist_month", "artist_id", "usage_month"),
        Index("ix_rollup_terp_platform_month", "platform_id", "usage_month"),
    )

    platform_id: int = Field(foreign_key="platform.id")
    territory: str | None = Field(default=None, foreign_key="territory.code", max_length=8)


class ReportingRollup(_RollupColumns, table=True):
    """By platform, reporting month and what a line was paid: the statement list's reporting
    months, coverage's lags and where the money went, without reading the lines."""

    __tablename__ = "line_rollup_reporting"
    __table_args__ = (
        Index("ix_rollup_rep_artist_month", "artist_id", "usage_month"),
        by_statement("line_rollup_reporting"),
    )

    platform_id: int = Field(foreign_key="platform.id")
    reporting_month: int | None = None
    paid: int = Field(sa_type=SmallInteger)
    """-1: less than nothing; 0: nothing for units played (quantity > 0); 1: the rest
    (``royalty.store.rollup.PAID``)."""


class LabelReportingRollup(_LabelRollupColumns, table=True):
    """Every artist's lines by platform, reporting month and what was paid: a label's
    overview, platforms, statement list, coverage and where the money went."""

    __tablename__ = "label_rollup_reporting"
    __table_args__ = (by_statement("label_rollup_reporting"),)

    platform_id: int = Field(foreign_key="platform.id")
    reporting_month: int | None = None
    paid: int = Field(sa_type=SmallInteger)


class LabelTerritoryPlatformRollup(_LabelRollupColumns, table=True):
    """Every artist's lines by territory and platform: a label's map and top countries."""

    __tablename__ = "label_rollup_territory_platform"
    __table_args__ = (by_statement("label_rollup_territory_platform"),)

    platform_id: int = Field(foreign_key="platform.id")
    territory: str | None = Field(default=None, foreign_key="territory.code", max_length=8)


class Payee(SQLModel, table=True):
    """Someone who gets a share of an artist's income: a band member, a producer, a featured
    artist, a manager's commission. The artist itself is a payee too, by its name, for the
    income nobody else shares."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=120)


class Split(SQLModel, table=True):
    """One payee's share of a track, a release or an artist's whole catalogue, from a usage
    month on (a later row for the same track replaces it from its own month).

    Tracks and releases are named as statements name them (ISRC, else title; UPC or release
    title), not by id: a split outlives removing and re-importing the statements, and can be
    set before they arrive. The share is an exact fraction (``numerator / denominator``), so a
    third stays a third.
    """

    __table_args__ = (Index("ix_split_artist", "artist"),)

    id: int | None = Field(default=None, primary_key=True)
    artist: str
    """The artist's name, as statements give it."""
    isrc: str = ""
    title: str = ""
    release: str = ""
    """A UPC or release title, for a split of every track of one release."""
    payee_id: int = Field(foreign_key="payee.id")
    share_numerator: int = Field(sa_column=Column(BigInteger, nullable=False))
    share_denominator: int = Field(sa_column=Column(BigInteger, nullable=False))
    from_month: int = 0
    """YYYYMM of the first usage month it covers; 0 = from the start."""
    applies_to: str = Field(default="all", max_length=16)
    """``all``, ``master`` or ``publishing`` income (``royalty.shares.APPLIES_TO``)."""


class Deal(SQLModel, table=True):
    """A label deal: a royalty rate on the income, against an advance and recoupable costs.

    Amounts are exact decimal text in the deal's currency, as the contract states them.
    """

    __table_args__ = (UniqueConstraint("artist", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    artist: str
    name: str = Field(default="Label deal", max_length=120)
    royalty_rate: str
    """The artist's share of what the label receives, 0..1 (``0.2``)."""
    advance: str = "0"
    costs: str = "0"
    """Recoupable costs (recording, video, marketing) charged against royalties like the advance."""
    currency: str = Field(max_length=3)
    from_month: int
    """YYYYMM the deal starts: royalties from this usage month on recoup it."""
    applies_to: str = Field(default="all", max_length=16)


SQLITE_ONLY: tuple[Table, ...] = (
    EarningLine.__table__,
    LineRollup.__table__,
    TrackRollup.__table__,
    TrackPlatformRollup.__table__,
    TerritoryRollup.__table__,
    TerritoryPlatformRollup.__table__,
    ReportingRollup.__table__,
    LabelReportingRollup.__table__,
    LabelTerritoryPlatformRollup.__table__,
)
"""Tables whose foreign keys exist on SQLite only. On PostgreSQL each key was a trigger and a
lookup per row, most of a million-line import's time; the importer writes only ids it has just
read or inserted, and checks them once per import instead (``royalty.store.references``).
SQLite keeps them: its bulk load switches them off anyway, and they still guard every other
write. The line table's primary key is SQLite's rowid (free there); PostgreSQL has none."""
for _table in SQLITE_ONLY:
    for _key in _table.foreign_key_constraints:
        _key.ddl_if(dialect="sqlite")
EarningLine.__table__.primary_key.ddl_if(dialect="sqlite")
