"""Split and deal writes: a split sheet stored whole or not at all, payees as they are named.

Every write checks the rows first (``shares.problems``): a sheet whose shares for one track at
one time do not total 100% raises ``SplitError`` and stores nothing. A sheet replaces, for its
artist, the groups it names (the same track, release or catalogue from the same month for the
same income), or with ``replace=True`` every split of that artist: either way each stored
group is one whole sheet's, so it always totals 100%. Reading is ``analytics.splits``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, select

from royalty.shares import DealTerms, SplitError, SplitRow, check_name, group, problems
from royalty.store.db import writing
from royalty.store.models import Deal, Payee, Split

__all__ = ["SplitError", "Stored", "remove_deal", "remove_splits", "save_deal", "save_splits"]


@dataclass(frozen=True)
class Stored:
    """What a save did."""

    artist: str
    rows: int
    groups: int
    replaced: int
    """Stored rows the sheet replaced."""
    new_payees: list[str]


def save_splits(
    engine: Engine, artist: str, rows: Iterable[SplitRow], *, replace: bool = False
) -> Stored:
    """Store a split sheet for ``artist`` in one transaction (see the module docstring)."""
    artist = check_name(artist, "artist")
    rows = list(rows)
    found = problems(rows)
    if found:
        raise SplitError(found)
    groups = {r.group for r in rows}
    with writing(engine) as conn:
        payees, new = _payee_ids(conn, [r.payee for r in rows])
        t = Split.__table__
        stored = conn.execute(
            select(t.c.id, t.c.isrc, t.c.title, t.c.release, t.c.from_month, t.c.applies_to)
            .where(t.c.artist == artist)
        ).all()  # fmt: skip
        gone = [
            s.id
            for s in stored
            if replace or group(s.isrc, s.title, s.release, s.from_month, s.applies_to) in groups
        ]
        if gone:
            conn.execute(delete(Split).where(t.c.id.in_(gone)))
        if rows:
            conn.execute(t.insert(), [_values(artist, r, payees) for r in rows])
        _drop_unused_payees(conn)
    return Stored(artist, len(rows), len(groups), len(gone), new)


def remove_splits(engine: Engine, artist: str) -> int:
    """Every split of ``artist`` (its income goes to the artist again); how many rows."""
    with writing(engine) as conn:
        removed = conn.execute(delete(Split).where(Split.__table__.c.artist == artist)).rowcount
        _drop_unused_payees(conn)
    return int(removed or 0)


def save_deal(engine: Engine, terms: DealTerms) -> None:
    """Store (or replace) the artist's deal of this name."""
    t = Deal.__table__
    with writing(engine) as conn:
        conn.execute(delete(Deal).where(t.c.artist == terms.artist, t.c.name == terms.name))
        conn.execute(
            t.insert().values(
                artist=terms.artist, name=terms.name,
                royalty_rate=f"{terms.royalty_rate:f}", advance=f"{terms.advance:f}",
                costs=f"{terms.costs:f}", currency=terms.currency,
                from_month=terms.from_month, applies_to=terms.applies_to,
            )
        )  # fmt: skip


def remove_deal(engine: Engine, artist: str, name: str) -> bool:
    t = Deal.__table__
    with writing(engine) as conn:
        gone = conn.execute(delete(Deal).where(t.c.artist == artist, t.c.name == name)).rowcount
    return bool(gone)


def _values(artist: str, r: SplitRow, payees: dict[str, int]) -> dict[str, object]:
    return {
        "artist": artist, "isrc": r.isrc, "title": r.title, "release": r.release,
        "payee_id": payees[r.payee.casefold()], "share_numerator": r.share.numerator,
        "share_denominator": r.share.denominator, "from_month": r.from_month,
        "applies_to": r.applies_to,
    }  # fmt: skip


def _payee_ids(conn: Connection, names: list[str]) -> tuple[dict[str, int], list[str]]:
    """Payee ids by name (casefolded: "ana" is Ana), adding the payees not stored yet."""
    t = Payee.__table__
    known = {n.casefold(): i for i, n in conn.execute(select(t.c.id, t.c.name))}
    new = []
    for name in dict.fromkeys(names):
        if name.casefold() not in known:
            known[name.casefold()] = conn.execute(
                t.insert().values(name=name).returning(t.c.id)
            ).scalar_one()
            new.append(name)
    return known, new


def _drop_unused_payees(conn: Connection) -> None:
    """Payees no split names any more: a payee is someone with a share of something."""
    used = select(Split.__table__.c.payee_id).distinct()
    conn.execute(delete(Payee).where(Payee.__table__.c.id.not_in(used)))
