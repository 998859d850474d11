"""A label deal's account: royalties at the deal's rate against its advance and recoupable
costs, month by month; the month it recouped or, at the pace of the trailing 12 months, the
month it would.

The income is what the statements say the music earned, taken as what the label would
receive; the artist's royalties are that times the rate, exact to nano-units (the same
``royalties`` the Unwrapped page's label-deal comparison uses). The balance starts at minus
the advance and costs and every month's royalties pay it back: while it is negative the deal
is unrecouped and the artist is paid nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from math import ceil

from sqlalchemy import Engine, select

from royalty.analytics.aggregate import NANO_QUANTUM, Filters, totals
from royalty.analytics.currency import Converter, FxNote
from royalty.months import add_months
from royalty.shares import DealTerms
from royalty.store.models import Deal
from royalty.vocabulary import MASTER_KINDS, PUBLISHING_KINDS

TRAILING_MONTHS = 12
KINDS = {"all": (), "master": MASTER_KINDS, "publishing": PUBLISHING_KINDS}
LAST_MONTH = 999912


def royalties(income: Decimal, rate: Decimal) -> Decimal:
    """The artist's royalties on ``income`` at ``rate``, half-even to nano-units."""
    return (income * rate).quantize(NANO_QUANTUM, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class DealMonth:
    month: int
    income: Decimal
    royalties: Decimal
    balance: Decimal
    """Royalties so far minus the advance and costs: negative while unrecouped."""


@dataclass(frozen=True)
class DealAccount:
    terms: DealTerms
    months: list[DealMonth]
    """Every month from the deal's start to the last month with income (or ``until``)."""
    royalties: Decimal
    balance: Decimal
    recouped: int | None
    """The month the balance reached zero; None while unrecouped."""
    pace: Decimal | None
    """Average monthly royalties over the trailing 12 months (fewer when the deal is younger)."""
    projected: int | None
    """At that pace, the month it would recoup; None when recouped or when it never would."""
    fx: FxNote


def account(engine: Engine, terms: DealTerms, until: int | None = None) -> DealAccount:
    """The deal's account from its first month to ``until`` (default: the latest income)."""
    conv = Converter(terms.currency)
    f = Filters(
        artist=terms.artist or None,
        period=(terms.from_month, until or LAST_MONTH),
        kinds=KINDS[terms.applies_to],
    )
    data = totals(engine, f, conv, by=["month"])
    income = {int(m): v for m, v in zip(data["month"], data["income"], strict=True)}
    last = until or max(income, default=terms.from_month)
    balance = -terms.to_recoup
    recouped = terms.from_month if balance >= 0 else None
    months, month = [], terms.from_month
    while month <= last:
        earned = income.get(month, Decimal(0))
        paid = royalties(earned, terms.royalty_rate)
        balance += paid
        if recouped is None and balance >= 0:
            recouped = month
        months.append(DealMonth(month, earned, paid, balance))
        month = add_months(month, 1)
    trailing = months[-TRAILING_MONTHS:]
    pace = projected = None
    if trailing:
        paid = sum((m.royalties for m in trailing), Decimal(0))
        pace = (paid / len(trailing)).quantize(NANO_QUANTUM)
        if recouped is None and paid > 0:
            needed = ceil(Fraction(-balance) * len(trailing) / Fraction(paid))
            projected = add_months(last, needed)
    return DealAccount(
        terms=terms,
        months=months,
        royalties=sum((m.royalties for m in months), Decimal(0)),
        balance=balance,
        recouped=recouped,
        pace=pace,
        projected=projected,
        fx=conv.note(),
    )


def stored_deals(engine: Engine, artist: str | None = None) -> list[DealTerms]:
    """The deals stored (for ``artist``), by artist and name."""
    t = Deal.__table__
    query = select(t).order_by(t.c.artist, t.c.name)
    if artist is not None:
        query = query.where(t.c.artist == artist)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        DealTerms(
            artist=r.artist,
            royalty_rate=Decimal(r.royalty_rate),
            currency=r.currency,
            from_month=int(r.from_month),
            advance=Decimal(r.advance),
            costs=Decimal(r.costs),
            name=r.name,
            applies_to=r.applies_to,
        )
        for r in rows
    ]
