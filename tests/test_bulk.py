"""Bulk loads: fast on SQLite through a scratch file, and still one transaction, all or nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from royalty.bulk import Writer, bulk_transaction
from royalty.models import Artist, Platform, Store

STORES = Store.__table__


def scratch_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("royalty-load-*")}


def stores(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(Store.raw_name, Store.platform_id))]


def test_rows_keep_their_exact_text_and_order(engine):
    with engine.begin() as conn:
        conn.execute(Platform.__table__.insert(), [{"name": "Spotify"}])
    names = ["0.31278150", "007", "Spotify (Free)", "<script>x</script>", "Zoë"]
    before = scratch_folders()
    with bulk_transaction(engine) as conn:
        writer = Writer(conn)
        writer.append(STORES, pd.DataFrame({"raw_name": names[:2], "platform_id": [1, 1]}))
        writer.append(STORES, pd.DataFrame({"raw_name": names[2:], "platform_id": [1, 1, 1]}))
        writer.flush()
        inside = [r[0] for r in conn.execute(select(Store.raw_name).order_by(Store.id))]
    assert inside == names  # readable once flushed, inside the transaction
    assert stores(engine) == [(n, 1) for n in names]
    assert scratch_folders() == before


@pytest.mark.parametrize("when", ["after flush", "before flush"])
def test_an_error_stores_nothing_and_leaves_no_scratch_file(engine, when):
    with engine.begin() as conn:
        conn.execute(Platform.__table__.insert(), [{"name": "Deezer"}])
    before = scratch_folders()
    with pytest.raises(RuntimeError), bulk_transaction(engine) as conn:
        conn.execute(Artist.__table__.insert(), [{"name": "Wren Okafor"}])
        writer = Writer(conn)
        writer.append(STORES, pd.DataFrame({"raw_name": ["Deezer"], "platform_id": [1]}))
        if when == "after flush":
            writer.flush()
        raise RuntimeError("the file did not reconcile")
    assert stores(engine) == []
    with engine.connect() as conn:
        assert conn.execute(select(Artist.name)).all() == []
        if engine.dialect.name == "sqlite":
            attached = [r[1] for r in conn.exec_driver_sql("PRAGMA database_list")]
            assert not [name for name in attached if name not in ("main", "temp")]
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert scratch_folders() == before
