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
from sqlalchemy import ColumnElement, Engine, and_, func, select

from royalty.analytics.aggregate import Filters, where
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


def _causes() -> list[tuple[str, str, str, ColumnElement[bool]]]:
    t = rollup.LINE.c
    return [
        (
            "zero_paid_streams",
            "Streams paid nothing",
            "Lines with plays and no money: a platform's free tier, a track under a payout "
            "threshold, or plays the platform did not pay for.",
            and_(t.kind == "stream", t.quantity > 0, t.amount_nano == 0),
        ),
        (
            "refunds",
            "Refunds, chargebacks and reversals",
            "Sales taken back: a buyer's refund, a card chargeback, a reversed payment.",
            and_(t.amount_nano < 0, t.kind.in_(SALE_KINDS)),
        ),
        (
            "negative_adjustments",
            "Negative adjustments",
            "Money taken off streams, videos or royalties: fines for artificial streams, fees, "
            "recouped costs, corrections of earlier statements.",
            and_(t.amount_nano < 0, t.kind.not_in(SALE_KINDS)),
        ),
    ]


def where_money_went(engine: Engine, f: Filters) -> list[Cause]:
    """Each cause with lines in the selection (causes without lines are left out)."""
    found = []
    for key, title, explanation, condition in _causes():
        totals, lines = _totals(engine, f, condition)
        if lines:
            found.append(
                Cause(key, title, explanation, lines, totals, line_sample(engine, f, condition))
            )
    return found


def _totals(
    engine: Engine, f: Filters, condition: ColumnElement[bool]
) -> tuple[dict[str, str], int]:
    t = rollup.LINE
    query = (
        select(t.c.currency, func.sum(t.c.amount_nano), func.count())
        .where(condition, *where(t, f))
        .group_by(t.c.currency)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    totals = {c: decimal_text(nano_to_decimal(int(n or 0))) for c, n, _ in sorted(rows)}
    return totals, sum(int(n) for _, _, n in rows)


def line_sample(
    engine: Engine,
    f: Filters,
    condition: ColumnElement[bool] | None = None,
    *,
    limit: int = LINES_SHOWN,
) -> pd.DataFrame:
    """The lines of a selection (and condition), with names, in statement order."""
    t = rollup.LINE.c
    query = (
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
        .where(*where(rollup.LINE, f), *([condition] if condition is not None else []))
        .order_by(t.statement_id, t.row_number)
        .limit(limit)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all())
    if frame.empty:
        return frame
    frame["month"] = frame["month"].map(month_text)
    frame["amount"] = frame["amount"].map(lambda v: decimal_text(Decimal(v)))
    return frame
