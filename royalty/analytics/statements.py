"""What was imported: every statement with its counts and totals, and one statement's
reconciliation receipt (the file's own totals against what is stored, to the last digit).

The file's totals are what the import summed from every line the file gives, kept at full
precision (``statement_total``); what is stored is summed again here from the stored lines'
exact text, so the receipt is a fresh check, not a copy of the import's own word. That is why
the receipt alone reads lines (one statement's, which the statement index finds): the
summaries hold nano-units, and the text a line keeps may be finer than that, and they were
written by the same import whose work the receipt checks. The list reads the summaries. Lines the
import skipped as already stored by an earlier statement of the same source make the only
difference allowed, and the receipt says how much that is.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, Numeric, Row, Text, cast, func, select

from royalty.analytics.plans import without_jit
from royalty.money import EXACT, decimal_text, exact_sum, nano_to_decimal
from royalty.months import month_text
from royalty.store import rollup
from royalty.store.models import (
    Artist,
    EarningLine,
    Platform,
    Release,
    Statement,
    StatementTotal,
    Store,
    Track,
)

SUM_BATCH = 200_000
"""Stored lines summed per batch when a receipt re-adds a statement's amounts."""


@dataclass(frozen=True)
class StatementInfo:
    """One imported file, as ``royalty statements --json`` lists it."""

    id: int
    file: str
    source: str
    layout: str
    period: list[str] | None
    """Usage months covered, first and last (``2024-01``)."""
    reporting_period: list[str] | None
    """Months the lines were reported or credited in, where the layout says."""
    rows: int
    stored: int
    skipped: int
    dropped: int
    dropped_because: dict[str, int] | None
    """Reason -> rows; None for statements imported before reasons were kept."""
    totals: dict[str, str]
    """Currency -> the file's own total (every line it gives), exact."""
    imported_at: str
    sha256: str
    encoding: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class CurrencyCheck:
    """One currency of a receipt."""

    currency: str
    file_total: str
    file_lines: int
    stored_total: str
    """The stored lines' exact amounts, added again."""
    stored_lines: int
    pages_total: str
    """What the pages add up: the same lines at 9 decimals each."""
    skipped_total: str
    skipped_lines: int

    @property
    def reconciles(self) -> bool:
        """Stored plus skipped is the file, in lines and to the last digit."""
        stored_plus_skipped = EXACT.add(Decimal(self.stored_total), Decimal(self.skipped_total))
        return (
            self.stored_lines + self.skipped_lines == self.file_lines
            and stored_plus_skipped == Decimal(self.file_total)
        )

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "reconciles": self.reconciles}


@dataclass(frozen=True)
class Receipt:
    statement: StatementInfo
    currencies: list[CurrencyCheck]
    first_lines: pd.DataFrame = field(repr=False)
    """The first lines as stored, with names (row, month, platform, store, title, ...)."""

    @property
    def reconciles(self) -> bool:
        return all(c.reconciles for c in self.currencies)

    def to_json(self) -> dict[str, object]:
        lines = [
            {k: (None if pd.isna(v) else v) for k, v in row.items()}
            for row in self.first_lines.astype(object).to_dict("records")
        ]
        return {
            **self.statement.to_json(),
            "reconciles": self.reconciles,
            "currencies": [c.to_json() for c in self.currencies],
            "first_lines": lines,
        }


def statement_list(engine: Engine) -> list[StatementInfo]:
    """Every statement, the latest import first."""
    return _statements(engine, None)


def statement_info(engine: Engine, statement_id: int) -> StatementInfo | None:
    """One statement; its lines alone are read (a receipt need not scan every statement's)."""
    return next(iter(_statements(engine, statement_id)), None)


def _statements(engine: Engine, statement_id: int | None) -> list[StatementInfo]:
    summed = rollup.LABEL_REPORTING.c  # the lines' reporting months, summed without the artist
    table = Statement.__table__
    one = statement_id is not None
    with engine.connect() as conn:
        statements = conn.execute(
            select(table)
            .where(*([table.c.id == statement_id] if one else []))
            .order_by(table.c.imported_at.desc(), table.c.id.desc())
        ).all()
        totals: dict[int, dict[str, str]] = {}
        for sid, currency, amount in conn.execute(
            select(
                StatementTotal.statement_id, StatementTotal.currency, StatementTotal.amount
            ).where(*([StatementTotal.statement_id == statement_id] if one else []))
        ):
            totals.setdefault(sid, {})[currency] = amount
        reported = {
            sid: (low, high)
            for sid, low, high in conn.execute(
                select(
                    summed.statement_id,
                    func.min(summed.reporting_month),
                    func.max(summed.reporting_month),
                )
                .where(*([summed.statement_id == statement_id] if one else []))
                .group_by(summed.statement_id)
            )
        }
    return [_info(row, totals.get(row.id, {}), reported.get(row.id)) for row in statements]


def receipt(engine: Engine, statement_id: int, *, lines: int = 20) -> Receipt | None:
    """The statement's reconciliation receipt; None if there is no such statement."""
    info = statement_info(engine, statement_id)
    if info is None:
        return None
    line = EarningLine.__table__.c
    stored: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    nano: dict[str, int] = {}
    query = (
        select(line.currency, line.amount, line.amount_nano)
        .where(line.statement_id == statement_id)
        .execution_options(yield_per=SUM_BATCH)
    )
    with engine.connect() as conn:
        without_jit(conn)  # one pass over a statement's lines: compiling costs more than it saves
        file_lines = dict(
            conn.execute(
                select(StatementTotal.currency, StatementTotal.lines).where(
                    StatementTotal.statement_id == statement_id
                )
            ).all()
        )
        if conn.dialect.name == "postgresql":  # NUMERIC adds the text exactly, in the server
            summed = (
                select(
                    line.currency,
                    func.count(),
                    cast(func.sum(cast(line.amount, Numeric)), Text),
                    cast(func.sum(line.amount_nano), Text),
                )
                .where(line.statement_id == statement_id)
                .group_by(line.currency)
            )
            for currency, count, amount, nanos in conn.execute(summed):
                stored[currency] = Decimal(amount)
                counts[currency] = int(count)
                nano[currency] = int(nanos)
        else:
            for part in conn.execute(query).partitions():
                batch = pd.DataFrame(part, columns=["currency", "amount", "nano"])
                for currency, rows in batch.groupby("currency", sort=False):
                    stored[currency] = EXACT.add(
                        stored.get(currency, Decimal(0)), exact_sum(rows["amount"])
                    )
                    counts[currency] = counts.get(currency, 0) + len(rows)
                    nano[currency] = nano.get(currency, 0) + sum(int(v) for v in rows["nano"])
        first = _first_lines(conn, statement_id, lines)
    checks = []
    for currency in sorted(set(info.totals) | set(stored)):
        file_total = Decimal(info.totals.get(currency, "0"))
        kept = stored.get(currency, Decimal(0))
        checks.append(
            CurrencyCheck(
                currency=currency,
                file_total=decimal_text(file_total),
                file_lines=int(file_lines.get(currency, 0)),
                stored_total=decimal_text(kept),
                stored_lines=counts.get(currency, 0),
                pages_total=decimal_text(nano_to_decimal(nano.get(currency, 0))),
                skipped_total=decimal_text(EXACT.subtract(file_total, kept)),
                skipped_lines=int(file_lines.get(currency, 0)) - counts.get(currency, 0),
            )
        )
    return Receipt(info, checks, first)


def _first_lines(conn, statement_id: int, n: int) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The statement's first ``n`` lines, chosen before the names are joined: the names of
    ``n`` lines are looked up, not those of every line of the statement."""
    line = EarningLine.__table__.c
    first = (
        select(
            line.id, line.row_number, line.usage_month, line.platform_id, line.store_id,
            line.kind, line.artist_id, line.track_id, line.release_id, line.territory,
            line.quantity, line.amount, line.currency,
        )
        .where(line.statement_id == statement_id)
        .order_by(line.row_number, line.id)
        .limit(n)
        .subquery()
    )  # fmt: skip
    f = first.c
    query = (
        select(
            f.row_number.label("row"),
            f.usage_month.label("month"),
            Platform.name.label("platform"),
            Store.raw_name.label("store"),
            f.kind,
            Artist.name.label("artist"),
            Track.title.label("title"),
            Track.isrc.label("isrc"),
            Release.title.label("release"),
            f.territory,
            f.quantity,
            f.amount,
            f.currency,
        )
        .select_from(first)
        .join(Artist, Artist.id == f.artist_id)
        .join(Platform, Platform.id == f.platform_id)
        .join(Store, Store.id == f.store_id)
        .outerjoin(Track, Track.id == f.track_id)
        .outerjoin(Release, Release.id == f.release_id)
        .order_by(f.row_number, f.id)
    )
    frame = pd.DataFrame(conn.execute(query).mappings().all())
    if not frame.empty:
        frame["month"] = frame["month"].map(month_text)
    return frame


def _info(s: Row, totals: dict[str, str], reported: tuple[int, int] | None) -> StatementInfo:
    because = json.loads(s.dropped) if s.dropped else None
    period = [month_text(s.first_month), month_text(s.last_month)] if s.first_month else None
    reporting = (
        [month_text(reported[0]), month_text(reported[1])]
        if reported and reported[0] is not None
        else None
    )
    return StatementInfo(
        id=int(s.id or 0),
        file=s.file_name,
        source=s.source,
        layout=s.layout,
        period=period,
        reporting_period=reporting,
        rows=s.row_count,
        stored=s.lines_stored,
        skipped=s.lines_skipped,
        dropped=s.row_count - s.lines_stored - s.lines_skipped,
        dropped_because=because,
        totals=dict(sorted(totals.items())),
        imported_at=s.imported_at.isoformat(timespec="seconds"),
        sha256=s.sha256,
        encoding=s.encoding,
    )
