"""What is stored: artists, usage months and years, platforms, the main currency.

The sidebar and the first run of every page ask these before any figure (which artist, which
period, which currency to show), so each is one small query on the platform summary, never on
the lines.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Engine, Table, func, select

from royalty.analytics.currency import ecb_rate
from royalty.store import rollup
from royalty.store.models import Artist, Platform, Statement


def artists(engine: Engine) -> list[str]:
    """Names of artists with stored income, sorted."""
    present = select(rollup.PLATFORM.c.artist_id).distinct()
    with engine.connect() as conn:
        rows = conn.execute(select(Artist.name).where(Artist.id.in_(present))).scalars()
        return sorted(rows, key=str.casefold)


def months(engine: Engine, artist: str | None = None) -> list[int]:
    """Usage months (YYYYMM) with lines, sorted."""
    t = _grain(artist)
    query = select(t.c.usage_month).distinct()
    if artist is not None:
        query = query.where(
            t.c.artist_id == select(Artist.id).where(Artist.name == artist).scalar_subquery()
        )
    with engine.connect() as conn:
        return sorted(int(m) for m in conn.execute(query).scalars())


def _grain(artist: str | None) -> Table:
    """The smallest summary for one artist, or for all (without the artist in its key)."""
    return rollup.LABEL_REPORTING if artist is None else rollup.PLATFORM


def years(engine: Engine, artist: str | None = None) -> list[int]:
    return sorted({m // 100 for m in months(engine, artist)})


def platform_names(engine: Engine) -> list[str]:
    """Canonical platforms with stored lines, sorted."""
    present = select(rollup.LABEL_REPORTING.c.platform_id).distinct()
    with engine.connect() as conn:
        rows = conn.execute(select(Platform.name).where(Platform.id.in_(present))).scalars()
        return sorted(rows, key=str.casefold)


def statement_count(engine: Engine) -> int:
    """How many statements are stored (the list itself reads their lines' reporting months)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Statement)).scalar_one())


def has_data(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(rollup.PLATFORM.c.id).limit(1)).first() is not None


def main_currency(engine: Engine, artist: str | None = None) -> str:
    """The currency most of the income is in (compared at recent ECB rates); USD when empty."""
    t = _grain(artist)
    query = select(t.c.currency, func.sum(t.c.amount_nano), func.max(t.c.usage_month))
    if artist is not None:
        query = query.where(
            t.c.artist_id == select(Artist.id).where(Artist.name == artist).scalar_subquery()
        )
    with engine.connect() as conn:
        rows = conn.execute(query.group_by(t.c.currency)).all()
    if not rows:
        return "USD"
    if len(rows) == 1:
        return str(rows[0][0])

    def in_euro(row: tuple[str, int, int]) -> Decimal:
        rate = ecb_rate(row[0], "EUR", int(row[2]))
        return Decimal(int(row[1])) * (rate if rate is not None else Decimal(0))

    return str(max(rows, key=lambda r: (in_euro(r), r[0]))[0])


def latest_full_year(engine: Engine, artist: str | None = None) -> int | None:
    """The latest year whose December has data, else the latest year with any data."""
    present = months(engine, artist)
    if not present:
        return None
    full = [m // 100 for m in present if m % 100 == 12]
    return max(full) if full else present[-1] // 100
