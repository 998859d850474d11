"""The schema's version: a new database is created at the newest version, an older one is
upgraded in place by the migrations in ``migrations/versions`` (Alembic), before anything
reads it.

A database written by the 2026-12 release has the tables and no version table: it is
recognized as version ``0001`` and upgraded from there. An upgrade runs in one transaction, so
an interrupted one leaves the database as it was; one process upgrades at a time (the same
lock as imports), and a process that finds the database already at the newest version pays
one small query and never imports Alembic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import SQLModel

HEAD = "0014"
"""The newest migration (a test checks it is Alembic's head)."""
FIRST = "0001"
"""The schema of the 2026-12 release, the first versioned one."""
VERSION_TABLE = "alembic_version"
MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_LOCK = 0x726F79616C7479 + 1
"""PostgreSQL advisory lock held while the schema is created or upgraded."""


@dataclass(frozen=True)
class Version:
    current: str | None
    """The database's version; None for an empty database."""
    head: str
    pending: tuple[str, ...]
    """Migrations an upgrade would run, oldest first."""

    @property
    def up_to_date(self) -> bool:
        return not self.pending and self.current is not None

    def to_json(self) -> dict[str, object]:
        return {"current": self.current, "head": self.head, "pending": list(self.pending)}


def ensure(engine: Engine) -> list[str]:
    """Create or upgrade the schema to ``HEAD``; the migrations it ran, oldest first."""
    with engine.connect() as conn:
        if _version(conn) == HEAD and _complete(conn):  # the usual case: no lock, no Alembic
            return []
    with engine.connect() as conn:
        _lock(conn)
        current = _version(conn)  # again: another process may have upgraded meanwhile
        if current == HEAD:  # tables dropped by hand (or by a test) come back, empty
            SQLModel.metadata.create_all(conn)
            conn.commit()
            return []
        if current is None and not _has_tables(conn):
            SQLModel.metadata.create_all(conn)
            _stamp_new(conn)
            conn.commit()
            return []
        ran = list(_pending(current))
        if current is None:  # written by the 2026-12 release, before versions
            _alembic(conn, "stamp", FIRST)
        _alembic(conn, "upgrade", HEAD)
        conn.commit()
        return ran


def status(engine: Engine) -> Version:
    with engine.connect() as conn:
        current = _version(conn)
        if current is None and _has_tables(conn):
            current = f"{FIRST} (unversioned)"
            pending = _pending(None)
        else:
            pending = _pending(current) if current else ()
    return Version(current, HEAD, tuple(pending))


def _version(conn: Connection) -> str | None:
    if VERSION_TABLE not in inspect(conn).get_table_names():
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _complete(conn: Connection) -> bool:
    return set(SQLModel.metadata.tables) <= set(inspect(conn).get_table_names())


def _has_tables(conn: Connection) -> bool:
    return "statement" in inspect(conn).get_table_names()


def _pending(current: str | None) -> tuple[str, ...]:
    """Revisions after ``current`` (None: an unversioned release database, at ``FIRST``)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(MIGRATIONS))
    start = current or FIRST
    revisions = [r.revision for r in scripts.iterate_revisions(HEAD, start)]
    return tuple(reversed([r for r in revisions if r != start]))


def _stamp_new(conn: Connection) -> None:
    """A new database marked as ``HEAD`` the way Alembic's ``stamp`` marks it (its version
    table, one row), without importing Alembic: a first import or a test's fresh database
    does not pay for the migration machinery it does not need."""
    conn.execute(
        text(f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    )
    conn.execute(text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:v)"), {"v": HEAD})


def exists_on(dialect: str) -> Callable[..., bool]:
    """Alembic's ``include_object`` for comparing a ``dialect`` database with the models: a
    constraint or index the models create on other dialects only (``ddl_if``, such as the
    line tables' foreign keys, SQLite-only) is not expected there."""

    def include(obj: object, _name: str, _type: str, reflected: bool, _other: object) -> bool:
        rule = getattr(obj, "_ddl_if", None)  # SQLAlchemy keeps the ``ddl_if`` rule here
        if reflected or rule is None or rule.dialect is None:
            return True
        return dialect in ((rule.dialect,) if isinstance(rule.dialect, str) else rule.dialect)

    return include


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        from royalty.store.db import lock_for_writing

        lock_for_writing(conn)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")


def _alembic(conn: Connection, command: str, revision: str) -> None:
    from alembic import command as commands
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    getattr(commands, command)(config, revision)
