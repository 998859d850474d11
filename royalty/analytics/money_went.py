"""Where the money went: the lines that earned nothing or less than nothing, by cause, each
cause with its totals and the lines behind it.

Causes are told apart by what a line says, not by guesswork on amounts: a stream line with
plays and no money was paid zero; a negative line on a sale (a download, a physical item, a
merch order) is a refund, chargeback or reversal; a negative line on streams, videos or
royalties is an adjustment the payer made (a fine for artificial streams, a fee, a recouped
cost). Tracks under Spotify's 1,000-stream line earned nothing there by rule; they are listed
by ``analytics.low_stream_tracks`` and counted here by name.
Totals stay in each line's own currency: exact, with nothing converted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Table, and_, case, func, literal, or_, select

from royalty.analytics.aggregate import SOURCES, Filters, needed_columns, where
from royalty.analytics.plans import without_jit
from royalty.money import decimal_text, nano_to_decimal
from royalty.months import month_text
from royalty.store import rollup
from royalty.store.models import Artist, Platform, Release, Store, Track

SALE_KINDS = ("download", "physical", "other")
LINES_SHOWN = 100


@dataclass(frozen=True)
class Cause:
    key: str
    title: str
    explanation: str
    lines: int
    totals: dict[str, str]
    """Currency -> the lines' sum, exact."""
    sample: pd.DataFrame = field(repr=False)
    """The first lines behind it (``LINES_SHOWN`` at most), with names."""

    def to_json(self) -> dict[str, object]:
        return {
            "cause": self.key, "title": self.title, "lines": self.lines, "totals": self.totals,
        }  # fmt: skip


def _causes(t: Table) -> list[tuple[str, str, str, ColumnElement[bool]]]:
    """Each cause with its condition on ``t``: the lines, or a summary keyed by ``paid``
    (``rollup.PAID``), whose rows each hold lines of one kind and one sort of payment."""
    c = t.c
    if t is rollup.LINE:
        zero = and_(c.kind == "stream", c.quantity > 0, c.amount_nano == 0)
        negative = c.amount_nano < 0
    else:
        zero = and_(c.kind == "stream", c.paid == rollup.PAID_NOTHING)
        negative = c.paid == rollup.PAID_LESS
    return [
        (
            "zero_paid_streams",
            "Streams paid nothing",
            "Lines with plays and no money: a platform's free tier, a track under a payout "
            "threshold, or plays the platform did not pay for.",
            zero,
        ),
        (
            "refunds",
            "Refunds, chargebacks and reversals",
            "Sales taken back: a buyer's refund, a card chargeback, a reversed payment.",
            and_(negative, c.kind.in_(SALE_KINDS)),
        ),
        (
            "negative_adjustments",
            "Negative adjustments",
            "Money taken off streams, videos or royalties: fines for artificial streams, fees, "
            "recouped costs, corrections of earlier statements.",
            and_(negative, c.kind.not_in(SALE_KINDS)),
        ),
    ]


def where_money_went(engine: Engine, f: Filters) -> list[Cause]:
    """Each cause with lines in the selection (causes without lines are left out).

    Counted and summed on the smallest summary keyed by ``paid`` that the filters allow (the
    lines only for a track or territory filter); the lines shown are read from the first
    statements that hold such lines, which the summary names.
    """
    t = _source(f)
    on_lines = {key: condition for key, _, _, condition in _causes(rollup.LINE)}
    found, firsts = [], {}
    for key, title, explanation, condition in _causes(t):
        totals, lines, first = _totals(engine, t, f, condition)
        if lines:
            found.append((key, title, explanation, lines, totals))
            firsts[key] = first
    if t is rollup.LINE:
        samples = {key: line_sample(engine, f, on_lines[key]) for key, *_ in found}
    else:
        samples = _samples(engine, f, {k: (on_lines[k], firsts[k] or []) for k in firsts})
    return [Cause(*cause, samples.get(cause[0], pd.DataFrame())) for cause in found]


def _samples(
    engine: Engine, f: Filters, wanted: dict[str, tuple[ColumnElement[bool], list[int]]]
) -> dict[str, pd.DataFrame]:
    """``line_sample`` of each cause, in one read of the statements that hold them (each cause
    its own first ``LINES_SHOWN`` lines, numbered in statement order)."""
    if not wanted:
        return {}
    t = rollup.LINE.c
    each = {key: and_(cond, t.statement_id.in_(ids)) for key, (cond, ids) in wanted.items()}
    cause = case(*[(c, literal(key)) for key, c in each.items()], else_=None).label("cause")
    order = (t.statement_id, t.row_number, t.id)
    inner = (
        _sample_select()
        .add_columns(cause, func.row_number().over(partition_by=cause, order_by=order).label("n"))
        .where(*where(rollup.LINE, f), or_(*each.values()))
        .subquery()
    )
    shown = [c for c in inner.c if c.key not in ("cause", "n")]
    query = (
        select(inner.c.cause, *shown)
        .where(inner.c.n <= LINES_SHOWN)
        .order_by(inner.c.cause, inner.c.n)
    )
    rows: dict[str, list[dict[str, object]]] = {key: [] for key in wanted}
    with engine.connect() as conn:
        without_jit(conn)  # the lines' estimate is far above the few index entries read
        for row in conn.execute(query).mappings():
            rows[row["cause"]].append({k: v for k, v in row.items() if k != "cause"})
    out = {key: _shown(pd.DataFrame(part)) for key, part in rows.items()}
    return out


def _source(f: Filters) -> Table:
    """The smallest summary keyed by ``paid`` with every column ``f`` filters on, else the
    lines."""
    wanted = needed_columns(f, ["statement"]) | {"paid"}
    return next((t for t in SOURCES if wanted <= set(t.c.keys())), rollup.LINE)


def _totals(
    engine: Engine, t: Table, f: Filters, condition: ColumnElement[bool]
) -> tuple[dict[str, str], int, list[int] | None]:
    """Currency -> exact sum, the lines, and the first statements holding ``LINES_SHOWN`` of
    them (None when ``t`` is the lines)."""
    lines = func.count() if t is rollup.LINE else func.sum(t.c.lines)
    query = (
        select(t.c.statement_id, t.c.currency, func.sum(t.c.amount_nano), lines)
        .where(condition, *where(t, f))
        .group_by(t.c.statement_id, t.c.currency)
        .order_by(t.c.statement_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    nano: dict[str, int] = {}
    count, first = 0, []
    for statement_id, currency, n, k in rows:
        nano[currency] = nano.get(currency, 0) + int(n or 0)
        if count < LINES_SHOWN and (not first or first[-1] != statement_id):
            first.append(int(statement_id))
        count += int(k)
    totals = {c: decimal_text(nano_to_decimal(n)) for c, n in sorted(nano.items())}
    return totals, count, (None if t is rollup.LINE else first)


def line_sample(
    engine: Engine,
    f: Filters,
    condition: ColumnElement[bool] | None = None,
    *,
    limit: int = LINES_SHOWN,
    statements: list[int] | None = None,
) -> pd.DataFrame:
    """The lines of a selection (and condition), with names, in statement order; only those
    of ``statements`` when given (the statements known to hold the first of them)."""
    t = rollup.LINE.c
    query = (
        _sample_select()
        .where(*where(rollup.LINE, f), *([condition] if condition is not None else []))
        .where(*([t.statement_id.in_(statements)] if statements is not None else []))
        .order_by(t.statement_id, t.row_number, t.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        without_jit(conn)
        frame = pd.DataFrame(conn.execute(query).mappings().all())
    return _shown(frame)


def _sample_select():  # type: ignore[no-untyped-def]
    """The columns a sample shows, with names."""
    t = rollup.LINE.c
    return (
        select(
            t.usage_month.label("month"),
            Platform.name.label("platform"),
            Store.raw_name.label("store"),
            t.kind,
            Artist.name.label("artist"),
            Track.title.label("title"),
            Release.title.label("release"),
            t.territory,
            t.quantity,
            t.amount,
            t.currency,
            t.statement_id.label("statement"),
            t.row_number.label("row"),
        )
        .join(Artist, Artist.id == t.artist_id)
        .join(Platform, Platform.id == t.platform_id)
        .join(Store, Store.id == t.store_id)
        .outerjoin(Track, Track.id == t.track_id)
        .outerjoin(Release, Release.id == t.release_id)
    )


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """Months and amounts as text, as the page shows them."""
    if frame.empty:
        return frame
    frame["month"] = frame["month"].map(month_text)
    frame["amount"] = frame["amount"].map(lambda v: decimal_text(Decimal(v)))
    return frame
