"""Bulk loads: fast on SQLite through a scratch file, and still one transaction, all or nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from royalty.store import bulk, scratch
from royalty.store.bulk import Writer, bulk_transaction
from royalty.store.models import Artist, Platform, Store

STORES = Store.__table__


def scratch_folders(engine) -> set[str]:
    """Scratch data anywhere a load may put it: beside the database (or in the temporary
    folder for an in-memory one), and where earlier versions put it."""
    legacy = {p.name for p in Path(tempfile.gettempdir()).glob("royalty-load-*")}
    root = scratch.scratch_root(engine)
    return legacy | {str(p) for p in root.rglob("*")}


def add_platform(engine, name: str) -> None:
    with engine.begin() as conn:
        conn.execute(Platform.__table__.insert(), [{"name": name}])


def append_stores(writer: Writer, names: list[str]) -> None:
    """One append per name: each is a batch of its own."""
    for name in names:
        writer.append(STORES, pd.DataFrame({"raw_name": [name], "platform_id": [1]}))


def stores(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(Store.raw_name, Store.platform_id))]


def test_rows_keep_their_exact_text_and_order(engine):
    add_platform(engine, "Spotify")
    names = ["0.31278150", "007", "Spotify (Free)", "<script>x</script>", "Zoë", "", "\\N",
             'a "quoted", name', "two\nlines", " spaced "]  # fmt: skip
    before = scratch_folders(engine)
    with bulk_transaction(engine) as conn:
        writer = Writer(conn)
        writer.append(STORES, pd.DataFrame({"raw_name": names[:2], "platform_id": [1, 1]}))
        writer.append(STORES, pd.DataFrame({"raw_name": names[2:], "platform_id": [1] * 8}))
        writer.flush()
        inside = [r[0] for r in conn.execute(select(Store.raw_name).order_by(Store.id))]
    assert inside == names  # readable once flushed, inside the transaction
    assert stores(engine) == [(n, 1) for n in names]
    assert scratch_folders(engine) == before


@pytest.mark.parametrize("when", ["after flush", "before flush"])
def test_an_error_stores_nothing_and_leaves_no_scratch_file(engine, when):
    add_platform(engine, "Deezer")
    before = scratch_folders(engine)
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
    assert scratch_folders(engine) == before


def test_a_long_load_is_copied_in_segments_that_keep_the_order(engine, monkeypatch):
    """Segments of 2, 2, 4 and then the rest (the attach limit): every row once, in order."""
    monkeypatch.setattr(bulk, "SEGMENT_ROWS", 2)
    monkeypatch.setattr(bulk, "MAX_SEGMENTS", 4)
    add_platform(engine, "Spotify")
    names = [f"Store {i:02d}" for i in range(15)]
    before = scratch_folders(engine)
    with bulk_transaction(engine) as conn:
        writer = Writer(conn)
        append_stores(writer, names)
        writer.flush()
        inside = [r[0] for r in conn.execute(select(Store.raw_name).order_by(Store.id))]
        if engine.dialect.name == "sqlite":
            assert [s.rows for s in conn.info[bulk.SCRATCH]] == [2, 2, 4, 7]
    assert inside == names
    assert stores(engine) == [(n, 1) for n in names]
    assert scratch_folders(engine) == before


def test_an_error_after_segments_were_copied_stores_nothing(engine, monkeypatch):
    monkeypatch.setattr(bulk, "SEGMENT_ROWS", 1)
    add_platform(engine, "Deezer")
    before = scratch_folders(engine)
    with pytest.raises(RuntimeError), bulk_transaction(engine) as conn:
        writer = Writer(conn)
        append_stores(writer, [f"Deezer {i}" for i in range(6)])
        writer.flush()
        writer.append(STORES, pd.DataFrame({"raw_name": ["never copied"], "platform_id": [1]}))
        raise RuntimeError("row 7 is bad")
    assert stores(engine) == []
    assert scratch_folders(engine) == before


def test_a_failed_scratch_write_is_raised_and_stores_nothing(sqlite_engine, monkeypatch):
    """The scratch file is written in a background thread; its error reaches the caller."""

    def failing(self, name, data):
        raise OSError("disk full")

    monkeypatch.setattr(scratch.ScratchFile, "_ingest", failing)
    add_platform(sqlite_engine, "Tidal")
    before = scratch_folders(sqlite_engine)
    with pytest.raises(OSError, match="disk full"), bulk_transaction(sqlite_engine) as conn:
        writer = Writer(conn)
        writer.append(STORES, pd.DataFrame({"raw_name": ["Tidal"], "platform_id": [1]}))
        writer.flush()
    assert stores(sqlite_engine) == []
    assert scratch_folders(sqlite_engine) == before


def test_a_failed_background_copy_is_raised_and_stores_nothing(sqlite_engine, monkeypatch):
    """Full segments are copied by a background thread on the load's own connection; an error
    there reaches the caller (at ``flush`` or the next ``wait``) and the load rolls back."""
    monkeypatch.setattr(bulk, "SEGMENT_ROWS", 1)
    real_copy = bulk.Writer._copy
    copied = []

    def copy_then_fail(writer, scratch):
        real_copy(writer, scratch)
        copied.append(scratch.rows)
        if len(copied) == 2:
            raise OSError("database disk image is malformed")

    monkeypatch.setattr(bulk.Writer, "_copy", copy_then_fail)
    add_platform(sqlite_engine, "Tidal")
    before = scratch_folders(sqlite_engine)
    with pytest.raises(OSError, match="malformed"), bulk_transaction(sqlite_engine) as conn:
        writer = Writer(conn)
        append_stores(writer, [f"Tidal {i}" for i in range(5)])
        writer.flush()
    assert len(copied) == 2  # the copies after the failed one were never made
    assert stores(sqlite_engine) == []
    assert scratch_folders(sqlite_engine) == before
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_an_in_memory_database_is_copied_on_its_own_thread(monkeypatch):
    """``sqlite://`` exists on one thread's connection: its segments are copied in place."""
    from royalty.store.db import make_engine

    monkeypatch.setattr(bulk, "SEGMENT_ROWS", 1)
    memory = make_engine("sqlite://")
    add_platform(memory, "Deezer")
    names = [f"Deezer {i}" for i in range(6)]
    with bulk_transaction(memory) as conn:
        writer = Writer(conn)
        assert writer.copier.inline
        append_stores(writer, names)
        writer.flush()
    assert stores(memory) == [(n, 1) for n in names]


def test_told_what_to_expect_each_segment_takes_half_of_what_remains(engine, monkeypatch):
    """So the segments copied at the end of a load are the small ones."""
    monkeypatch.setattr(bulk, "MIN_SEGMENT_ROWS", 2)
    add_platform(engine, "Spotify")
    names = [f"Store {i:02d}" for i in range(40)]
    with bulk_transaction(engine) as conn:
        writer = Writer(conn)
        writer.expect(40)
        append_stores(writer, names)
        writer.flush()
        if engine.dialect.name == "sqlite":
            assert [s.rows for s in conn.info[bulk.SCRATCH]] == [20, 10, 5, 2, 2, 1]
    assert stores(engine) == [(n, 1) for n in names]


def test_scratch_files_are_deleted_even_when_detaching_fails(sqlite_engine, monkeypatch):
    real_copy = bulk.Writer._copy

    def copy_then_lose_the_alias(writer, scratch):
        real_copy(writer, scratch)
        scratch.alias = "royalty_scratch_gone"  # DETACH of it fails

    monkeypatch.setattr(bulk.Writer, "_copy", copy_then_lose_the_alias)
    add_platform(sqlite_engine, "Tidal")
    before = scratch_folders(sqlite_engine)
    with bulk_transaction(sqlite_engine) as conn:
        writer = Writer(conn)
        append_stores(writer, ["Tidal HiFi"])
        writer.flush()
    assert scratch_folders(sqlite_engine) == before
    assert stores(sqlite_engine) == [("Tidal HiFi", 1)]
    monkeypatch.setattr(bulk.Writer, "_copy", real_copy)
    with bulk_transaction(sqlite_engine) as conn:  # the next load gets a clean connection
        writer = Writer(conn)
        append_stores(writer, ["Tidal Max"])
        writer.flush()
    assert stores(sqlite_engine) == [("Tidal HiFi", 1), ("Tidal Max", 1)]
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
