"""Upgrades keep every figure: a database written by the 2026-12 release (committed as a
fixture, with the figures that release's code showed for it) opens in today's code with the
same figures, on SQLite and PostgreSQL; the upgraded schema is the models' schema; an
interrupted upgrade leaves the database as it was; ``royalty db status|upgrade``.

Since 0006 a Bandcamp title and the distributor's recording of that title are one track: the
release counted them apart, so its track tables are compared with those rows summed, exactly,
and, split apart again, with the release's own figures, every one.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import PG_URL
from release_figures import figures
from sqlalchemy import MetaData, create_engine, func, insert, select, text
from sqlmodel import SQLModel
from test_ingest import dk_file, dk_row

from royalty import analytics
from royalty.cli import main
from royalty.ingest import import_bytes
from royalty.store import schema, track_links
from royalty.store.db import make_engine
from royalty.store.models import EarningLine

RELEASE = Path(__file__).parent / "releases" / "2026-12"
FIGURES = json.loads((RELEASE / "figures.json").read_text(encoding="utf-8"))
PENDING = (
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
)
"""What a release database is upgraded through."""
SUMMARY_TABLES = [
    name for name in SQLModel.metadata.tables if name.startswith(("line_rollup", "label_rollup"))
]
NEW_FILE = dk_file([dk_row("2026-10", "1.25"), dk_row("2026-11", "0.75", store="Deezer")])
"""A statement the release database does not hold."""


def release_copy(tmp_path: Path) -> str:
    path = tmp_path / "release.db"
    shutil.copy(RELEASE / "royalty.db", path)
    return f"sqlite:///{path}"


def schema_differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": conn.dialect.name != "sqlite",
                "include_object": schema.exists_on(conn.dialect.name),
            },
        )
        return compare_metadata(context, SQLModel.metadata)


HALF_NANO = Decimal("0.0000000005")


def merged_rows(rows: list[dict[str, str]], merged: list[analytics.MergedTrack]) -> list:
    """The release's rows of one track table with the rows of each merged track summed: its
    streams exactly, its income as the sum of its rows' (each rounded to 9 decimals after a
    conversion, so the merged row, rounded once, is within half a nano-unit per row of it),
    its per-stream rate between its rows' (a weighted mean)."""
    shown = {str(t.track_id): str(m.track_id) for m in merged for t in m.titles}
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(shown.get(row["track_id"], row["track_id"]), []).append(row)
    out = []
    for track_id, members in groups.items():
        head = next(r for r in members if r["track_id"] == track_id)
        rates = [
            Decimal(r["income_per_stream"]) for r in members if r["income_per_stream"] != "None"
        ]
        out.append(
            {
                **head,
                "streams": str(sum(int(r["streams"]) for r in members)),
                "income": str(sum((Decimal(r["income"]) for r in members), Decimal(0))),
                "income_per_stream": (min(rates), max(rates)) if rates else "None",
                "rows": len(members),
            }
        )
    return sorted(out, key=lambda r: (-Decimal(r["income"]), -int(r["streams"])))


def assert_release_figures(engine) -> None:
    """The release's figures, with merged tracks summed (``merged_rows``); then every merge
    split: the release's figures exactly."""
    now = figures(engine)
    merged = analytics.merged_tracks(engine)
    assert {(m.artist, m.title) for m in merged} >= {("Juniper Vale", "Glass Orchard"),
                                                    ("Aurélie Noor", "Dunes")}  # fmt: skip
    assert all(t.matched_by == "title" for m in merged for t in m.titles[1:])
    tracks = {k for k in FIGURES if k.startswith("tracks ")}
    assert {k: v for k, v in now.items() if k not in tracks} == {
        k: v for k, v in FIGURES.items() if k not in tracks
    }
    for key in sorted(tracks):
        expected = merged_rows(FIGURES[key], merged)
        assert len(now[key]) == len(expected), key
        for got, want in zip(now[key], expected, strict=True):
            rate, rows, income = want.pop("income_per_stream"), want.pop("rows"), want.pop("income")
            assert {k: v for k, v in got.items() if k not in ("income_per_stream", "income")} == (
                want
            ), key
            if rows == 1:
                assert got["income"] == income, key
            else:
                assert abs(Decimal(got["income"]) - Decimal(income)) <= rows * HALF_NANO, key
            if rate == "None":
                assert got["income_per_stream"] == "None"
            else:
                assert rate[0] <= Decimal(got["income_per_stream"]) <= rate[1], key
    for m in merged:
        for t in m.titles[1:]:
            track_links.split(engine, t.track_id)
    assert analytics.merged_tracks(engine) == []
    assert figures(engine) == FIGURES


def assert_new_summaries_are_the_lines(engine, monkeypatch) -> None:
    """What 0009's summaries give the Statements page and a label's pages is what the lines
    themselves give (the release had no such summaries: its pages read the lines)."""
    from sqlalchemy import func as f

    from royalty.analytics import aggregate, coverage, money_went, statements
    from royalty.store import rollup

    line = rollup.LINE.c
    with engine.connect() as conn:
        reported = {
            sid: (low, high)
            for sid, low, high in conn.execute(
                select(
                    line.statement_id, f.min(line.reporting_month), f.max(line.reporting_month)
                ).group_by(line.statement_id)
            )
        }
    listed = statements.statement_list(engine)
    assert listed and all(
        (i.reporting_period is None) == (reported.get(i.id, (None,))[0] is None) for i in listed
    )
    artists = [None, *analytics.artists(engine)]

    def figures_now():  # type: ignore[no-untyped-def]
        return (
            [(i.id, i.reporting_period) for i in statements.statement_list(engine)],
            {a: coverage.coverage(engine, a).to_json() for a in artists},
            {
                a: [
                    (c.key, c.lines, c.totals, c.sample.to_dict("records"))
                    for c in money_went.where_money_went(engine, analytics.Filters(artist=a))
                ]
                for a in artists
            },
            {
                a: analytics.top_territories(
                    engine, analytics.Filters(artist=a), analytics.main_currency(engine, a)
                ).to_dict("records")
                for a in artists
            },
        )

    summed = figures_now()
    assert any(causes for causes in summed[2].values())
    monkeypatch.setattr(aggregate, "SOURCES", (rollup.PLATFORM, rollup.TERRITORY, rollup.LINE))
    monkeypatch.setattr(money_went, "SOURCES", (rollup.LINE,))
    monkeypatch.setattr(rollup, "LABEL_REPORTING", rollup.LINE)  # the list's months, from lines
    assert figures_now() == summed


def test_head_is_the_newest_migration():
    scripts = ScriptDirectory(str(schema.MIGRATIONS))
    assert scripts.get_heads() == [schema.HEAD]


def test_a_release_database_opens_with_every_figure_unchanged(tmp_path, monkeypatch):
    url = release_copy(tmp_path)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert "alembic_version" not in conn.dialect.get_table_names(conn)
    assert schema.status(engine).current == "0001 (unversioned)"
    assert schema.status(engine).pending == PENDING

    engine = make_engine(url)

    assert schema.status(engine).up_to_date
    assert_release_figures(engine)
    assert schema_differences(engine) == []
    assert_new_summaries_are_the_lines(engine, monkeypatch)
    monkeypatch.undo()
    # and it takes new statements as any database does
    assert import_bytes(engine, "dk_2026-11.tsv", NEW_FILE).status == "imported"


def test_a_new_database_is_created_at_the_newest_version(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")

    assert schema.status(engine).current == schema.HEAD
    assert schema.status(engine).pending == ()
    assert schema_differences(engine) == []


def test_migrations_from_nothing_build_the_models_schema(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    with engine.connect() as conn:
        schema._alembic(conn, "upgrade", schema.HEAD)
        conn.commit()

    assert schema_differences(engine) == []


def test_an_interrupted_upgrade_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    url = release_copy(tmp_path)
    real = schema._alembic

    def upgrade_then_fail(conn, command, revision):
        real(conn, command, revision)
        if command == "upgrade":
            raise KeyboardInterrupt

    monkeypatch.setattr(schema, "_alembic", upgrade_then_fail)
    with pytest.raises(KeyboardInterrupt):
        make_engine(url)
    monkeypatch.setattr(schema, "_alembic", real)

    assert schema.status(create_engine(url)).current == "0001 (unversioned)"
    engine = make_engine(url)
    assert_release_figures(engine)


def test_db_status_and_upgrade_on_the_command_line(tmp_path, capsys):
    url = release_copy(tmp_path)

    assert main(["db", "status", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "current": "0001 (unversioned)", "head": "0014", "pending": list(PENDING),
    }  # fmt: skip
    assert main(["db", "upgrade", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "current": "0014", "head": "0014", "pending": [], "ran": list(PENDING),
    }  # fmt: skip
    assert main(["db", "upgrade", "--db", url]) == 0
    assert "already at the newest version (0014)" in capsys.readouterr().out
    assert main(["db", "status", "--db", url]) == 0
    assert "version 0014, the newest" in capsys.readouterr().out


# --- PostgreSQL: the release schema built by its migration, filled with the fixture's rows ------


@pytest.mark.skipif(PG_URL is None, reason="no PostgreSQL server configured")
def test_a_release_database_on_postgresql_keeps_every_figure(tmp_path, monkeypatch):
    pg = create_engine(PG_URL)
    with pg.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    with pg.connect() as conn:
        schema._alembic(conn, "upgrade", schema.FIRST)  # the 2026-12 release's tables
        conn.execute(text(f"DROP TABLE {schema.VERSION_TABLE}"))  # that release had none
        conn.commit()
    release = MetaData()
    source = create_engine(release_copy(tmp_path))
    release.reflect(source)
    target = MetaData()
    target.reflect(pg)
    with source.connect() as read, pg.begin() as write:
        for table in release.sorted_tables:
            rows = [dict(r._mapping) for r in read.execute(select(table))]
            if rows:
                write.execute(insert(target.tables[table.name]), rows)
        for table in target.sorted_tables:  # the ids the release's own sequences had reached
            if "id" in table.c:
                write.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                    )
                )

    engine = make_engine(PG_URL)

    assert schema.status(engine).up_to_date
    assert_release_figures(engine)
    assert schema_differences(engine) == []
    assert_new_summaries_are_the_lines(engine, monkeypatch)
    monkeypatch.undo()
    with engine.connect() as conn:
        widths = conn.execute(
            text(
                "SELECT DISTINCT character_maximum_length FROM information_schema.columns "
                "WHERE column_name = 'kind'"
            )
        ).scalars()
        assert set(widths) == {16}
        covering = conn.execute(  # 0011: one platform's tracks summed from the index alone
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_rollup_tp_platform_month'")
        ).scalar_one()
        assert (
            "INCLUDE (kind, currency, source_currency, fx_rate, track_id, quantity, amount_nano, lines)"
            in covering
        )
        by_statement = conn.execute(  # 0012: a statement's summaries found by block ranges
            text(
                "SELECT tablename, indexdef FROM pg_indexes "
                "WHERE indexname LIKE 'ix_%_statement_id'"
            )
        ).all()
        assert {t for t, _ in by_statement} == set(SUMMARY_TABLES)
        assert all("USING brin (statement_id)" in d for _, d in by_statement), by_statement
        lines = conn.execute(select(func.count()).select_from(EarningLine)).scalar_one()
    assert import_bytes(engine, "dk_2026-11.tsv", NEW_FILE).status == "imported"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EarningLine)).scalar_one() > lines
    engine.dispose()
    with pg.begin() as conn:  # leave the server as the other tests expect it: empty, current
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    make_engine(PG_URL).dispose()
