"""The Statements page and a whole label's pages read summaries, not lines: every figure they
give is the one the same call gives from the lines themselves, on a label with refunds,
streams paid nothing, negative adjustments, several reporting months, several statements and
a statement's own exchange rate."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from test_analytics import load, tunecore_gbp
from test_import_counts import bandcamp
from test_ingest import dk_file, dk_row

from royalty import analytics
from royalty.analytics import aggregate, coverage, money_went, statements
from royalty.analytics.aggregate import Filters
from royalty.store import rollup

SCOPES = [
    Filters(),
    Filters(artist="Cold Harbor Choir"),
    Filters(artist="Bonehead"),
    Filters(period=(202402, 202412)),
    Filters(platforms=("Spotify",)),
    Filters(platforms=("Spotify", "Deezer"), period=(202401, 202403)),
    Filters(kinds=("stream",)),
    Filters(territories=("US",)),
]


def reported(date: str, row: str) -> str:
    """A DistroKid row reported on ``date``."""
    return "\t".join([date, *row.split("\t")[1:]])


@pytest.fixture
def label(engine):
    load(engine, "dk_1.tsv", dk_file([
        reported("2024-02-08", dk_row("2024-01", "0.50")),
        reported("2024-02-08", dk_row("2024-01", "0", store="Pandora", quantity="40")),
        reported("2024-03-08", dk_row("2024-01", "0", store="Spotify", quantity="7",
                                      country="GB")),
        reported("2024-03-08", dk_row("2024-02", "-1.25", store="Spotify", quantity="0")),
        reported("2024-03-08", dk_row("2024-02", "0.002", store="Deezer", quantity="3",
                                      country="FR")),
    ]))  # fmt: skip
    load(engine, "dk_2.tsv", dk_file([
        reported("2024-05-08", dk_row("2024-03", "0.75", store="Apple Music", country="DE")),
        reported("2024-06-08", dk_row("2024-04", "-0.10", store="YouTube Music",
                                      country="US")),
        reported("2024-06-08", dk_row("2024-04", "0", store="Spotify", quantity="0")),
    ]))  # fmt: skip
    load(engine, "bandcamp.csv", bandcamp(
        "1/4/24 4:14am,Bandcamp,album,Amazing,Bonehead,USD,10,1,,10,0.65,credit card,10,0,"
        "t100,,8.57",
        "1/5/24 11:44am,Bandcamp,refund,Amazing,Bonehead,USD,10,,,-10,-0.43,credit card,"
        "-10,-10.43,t100,,-8.57",
    ))  # fmt: skip
    load(engine, "marsh.csv", tunecore_gbp())
    return engine


ARTIST_GRAINS = (rollup.PLATFORM, rollup.TRACK, rollup.TERRITORY, rollup.TERRITORY_PLATFORM,
                 rollup.TRACK_PLATFORM, rollup.LINE)  # fmt: skip
"""The tables the pages read before the label grains (each equal to the lines already)."""


@pytest.fixture
def lines_only(monkeypatch):
    """Every call reads the lines (or, given them, only ``sources``): the reference."""

    def use_lines(sources=(rollup.LINE,)):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(aggregate, "SOURCES", sources)
        monkeypatch.setattr(money_went, "SOURCES", sources)

    return use_lines


def _money(causes: list[money_went.Cause]) -> list:
    return [(c.key, c.lines, c.totals, c.sample.to_dict("records")) for c in causes]


def test_where_money_went_from_summaries_is_what_the_lines_give(label, lines_only):
    got = {f: _money(money_went.where_money_went(label, f)) for f in SCOPES}
    assert {c[0] for c in got[Filters()]} == {"zero_paid_streams", "refunds",
                                              "negative_adjustments"}  # fmt: skip
    assert money_went._source(Filters()) is rollup.LABEL_REPORTING
    assert money_went._source(Filters(artist="Bonehead")) is rollup.REPORTING
    lines_only()
    assert money_went._source(Filters()) is rollup.LINE
    assert {f: _money(money_went.where_money_went(label, f)) for f in SCOPES} == got


def test_a_line_sample_comes_from_the_first_statements_that_hold_such_lines(label):
    zero = money_went.where_money_went(label, Filters())[0]
    assert zero.key == "zero_paid_streams"
    assert (zero.lines, list(zero.sample["platform"])) == (2, ["Pandora", "Spotify"])
    assert list(zero.sample["statement"]) == sorted(zero.sample["statement"])


def test_coverage_from_summaries_is_what_the_lines_give(label, lines_only):
    artists = [None, *analytics.artists(label)]
    got = {a: coverage.coverage(label, a, "USD").to_json() for a in artists}
    dk = next(s for s in got[None]["sources"] if s["source"] == "DistroKid")
    assert dk["lag_months"]["max"] == 2
    lines_only()
    assert {a: coverage.coverage(label, a, "USD").to_json() for a in artists} == got


def test_statement_list_reporting_months_are_the_lines(label):
    line = rollup.LINE.c
    with label.connect() as conn:
        expected = {
            sid: (low, high)
            for sid, low, high in conn.execute(
                select(line.statement_id, func.min(line.reporting_month),
                       func.max(line.reporting_month)).group_by(line.statement_id)
            )
        }  # fmt: skip
    listed = statements.statement_list(label)
    assert len(listed) == 4
    for info in listed:
        low, high = expected[info.id]
        want = None if low is None else [f"{low // 100}-{low % 100:02d}",
                                         f"{high // 100}-{high % 100:02d}"]  # fmt: skip
        assert info.reporting_period == want
        assert statements.statement_info(label, info.id) == info
    assert any(i.reporting_period == ["2024-02", "2024-03"] for i in listed)


def _pages(engine, f: Filters) -> dict:
    o = analytics.overview(engine, f, "USD")
    return {
        "overview": (
            o.total_income,
            o.total_streams,
            o.monthly.to_dict("records"),
            o.by_kind.to_dict("records"),
        ),
        "platforms": analytics.platform_table(engine, f, "USD").to_dict("records"),
        "territories": analytics.top_territories(engine, f, "USD").to_dict("records"),
        "tracks": analytics.top_tracks(engine, f, "USD", limit=None).to_dict("records"),
        "unwrapped": analytics.summary_json(analytics.unwrapped(engine, f, "USD")),
    }


def test_a_labels_pages_from_label_summaries_are_what_the_lines_give(label, lines_only):
    assert aggregate.source_for(aggregate.needed_columns(Filters(), ["territory"])) is (
        rollup.LABEL_TERRITORY_PLATFORM
    )
    assert aggregate.source_for(aggregate.needed_columns(Filters(), ["platform"])) is (
        rollup.LABEL_REPORTING
    )
    got = {f: _pages(label, f) for f in SCOPES}
    assert got[Filters()]["overview"][0] > 0
    lines_only(ARTIST_GRAINS)
    assert {f: _pages(label, f) for f in SCOPES} == got


def test_every_summary_adds_up_to_the_lines_and_removal_takes_its_rows(label):
    from royalty.store.statements import remove_statements

    with label.connect() as conn:
        nano = conn.execute(select(func.sum(rollup.LINE.c.amount_nano))).scalar_one()
        count = conn.execute(select(func.count()).select_from(rollup.LINE)).scalar_one()
        for t in rollup.TABLES:
            assert conn.execute(select(func.sum(t.c.amount_nano), func.sum(t.c.lines))).one() == (
                nano, count), t.name  # fmt: skip
    imported = {i.id for i in statements.statement_list(label)}
    remove_statements(label, [min(imported)])
    with label.connect() as conn:
        for t in rollup.TABLES:
            left = conn.execute(select(t.c.statement_id).distinct()).scalars().all()
            assert min(imported) not in left, t.name
    rollup.rebuild(label)
    with label.connect() as conn:
        nano = conn.execute(select(func.sum(rollup.LINE.c.amount_nano))).scalar_one()
        for t in rollup.TABLES:
            assert conn.execute(select(func.sum(t.c.amount_nano))).scalar_one() == nano, t.name


def test_the_sidebar_from_the_label_grain_is_what_the_lines_give(label, monkeypatch):
    from royalty.analytics import catalog
    from royalty.store.models import Platform

    line = rollup.LINE.c
    with label.connect() as conn:
        months = sorted(conn.execute(select(line.usage_month).distinct()).scalars())
        names = conn.execute(
            select(Platform.name).where(Platform.id.in_(select(line.platform_id)))
        ).scalars()
        platforms = sorted(names, key=str.casefold)
    assert analytics.months(label) == months
    assert analytics.platform_names(label) == platforms
    currency = analytics.main_currency(label)
    monkeypatch.setattr(catalog, "_grain", lambda artist: rollup.PLATFORM)
    assert analytics.main_currency(label) == currency
    assert analytics.months(label) == months


@pytest.fixture
def catalogue(engine):
    """Dollars only, so the database ranks the tracks: two tracks tied in income and streams,
    a third tied with them in income alone, a track on two platforms, refunds and negative
    adjustments, amounts finer than nano-units, an album sale without a track."""
    rows = [
        dk_row("2023-03", "0.50", title="Alder", isrc="QZPLR2280101"),
        dk_row("2023-03", "0.50", title="Birch", isrc="QZPLR2280102"),
        dk_row("2023-04", "0.2525", title="Cedar", isrc="QZPLR2280103", quantity="90"),
        dk_row("2023-04", "0.2525", title="Cedar", isrc="QZPLR2280103", store="Deezer"),
        dk_row("2024-01", "0.000000000012345", title="Dogwood", isrc="QZPLR2280104",
               quantity="999"),
        dk_row("2024-01", "-0.000000000987654321", title="Dogwood", isrc="QZPLR2280104",
               quantity="0"),
        dk_row("2024-02", "1.123456789123456789", title="Elm", isrc="QZPLR2280105",
               quantity="400"),
        dk_row("2024-02", "0.75", title="Elm", isrc="QZPLR2280105", store="Deezer",
               quantity="700"),
        dk_row("2024-03", "-2.50", title="Fir", isrc="QZPLR2280106", quantity="0"),
        dk_row("2024-03", "0", title="Fir", isrc="QZPLR2280106", quantity="1000"),
        dk_row("2024-04", "0.0049999999999", title="Alder", isrc="QZPLR2280101"),
        dk_row("2024-04", "0.0049999999999", title="Birch", isrc="QZPLR2280102"),
        dk_row("2024-05", "9.99", title="Grove", isrc="", quantity="1", song_album="Album"),
    ]  # fmt: skip
    load(engine, "dk_catalogue.tsv", dk_file(rows))
    return engine


TRACK_SCOPES = [
    *SCOPES,
    Filters(period=(202301, 202312)),
    Filters(period=(202501, 202512)),  # no lines
    Filters(artist="Nobody"),
    Filters(platforms=("Deezer",)),
    Filters(kinds=("download",)),
]


def _tracks(engine, f: Filters, currency: str = "USD") -> dict:
    return {
        "top": [(limit, analytics.top_tracks(engine, f, currency, limit=limit).to_dict("records"))
                for limit in (None, 1, 2, 3, 20)],
        "fx": analytics.top_tracks(engine, f, currency, limit=2).attrs["fx"],
        "low": [(n, analytics.low_stream_tracks(engine, f, currency, threshold=n))
                for n in (1, 100, 1000, 10**6)],
    }  # fmt: skip


def _comparable(got: dict) -> dict:
    low = [(n, frame.to_dict("records"), frame.attrs.get("fx"), frame.attrs.get("window"))
           for n, frame in got["low"]]  # fmt: skip
    return {**got, "low": low}


@pytest.fixture
def python_ranks(monkeypatch):
    """The tracks ranked after conversion, in Python (the path lines in another currency
    take): the reference for the database's ranking."""
    from royalty.analytics import track_ranks

    def use_python():  # type: ignore[no-untyped-def]
        monkeypatch.setattr(track_ranks, "top", lambda *a, **k: None)
        monkeypatch.setattr(track_ranks, "under", lambda *a, **k: None)

    return use_python


def _both_paths(engine, use_python) -> dict:
    """Every track call in both currencies, asserted the same on the Python path."""
    got = {(f, c): _comparable(_tracks(engine, f, c)) for f in TRACK_SCOPES for c in ("USD", "GBP")}
    use_python()
    assert {(f, c): _comparable(_tracks(engine, f, c)) for f in TRACK_SCOPES
            for c in ("USD", "GBP")} == got  # fmt: skip
    return got


def test_tracks_ranked_by_the_database_are_the_tracks_ranked_in_python(catalogue, python_ranks):
    from royalty.analytics import track_ranks
    from royalty.analytics.currency import Converter

    assert track_ranks.top(catalogue, Filters(), Converter("USD"), None) is not None
    assert track_ranks.top(catalogue, Filters(), Converter("GBP"), None) is None
    got = _both_paths(catalogue, python_ranks)
    top = got[(Filters(), "USD")]["top"][0][1]  # ties by streams (more first), then by id
    assert [t["title"] for t in top] == ["Elm", "Cedar", "Alder", "Birch", "Dogwood", "Fir"]
    assert top[2]["income"] == top[3]["income"] == top[1]["income"]
    assert str(top[0]["income"]) == "1.873456789"
    assert top[4]["income"] < 0 < top[4]["streams"]
    low = {n: rows for n, rows, *_ in got[(Filters(period=(202402, 202412)), "USD")]["low"]}[1000]
    assert [(t["title"], t["streams"]) for t in low] == [
        ("Alder", 10), ("Birch", 10), ("Elm", 400), ("Dogwood", 999)
    ]  # fmt: skip
    assert [t["streams_before"] for t in low] == [10, 10, 0, 0]


def test_tracks_of_a_label_with_two_currencies_are_ranked_in_python(label, python_ranks):
    from royalty.analytics import track_ranks
    from royalty.analytics.currency import Converter

    assert track_ranks.top(label, Filters(), Converter("USD"), None) is None
    assert track_ranks.top(label, Filters(artist="Bonehead"), Converter("USD"), 5) is not None
    _both_paths(label, python_ranks)


def test_a_receipts_first_lines_are_the_statements_first_lines_with_their_names(label):
    from royalty.store.models import Artist, EarningLine, Platform, Release, Store, Track

    line = EarningLine.__table__.c
    for info in statements.statement_list(label):
        for n in (1, 2, 3, 100):
            shown = statements.receipt(label, info.id, lines=n).first_lines
            with label.connect() as conn:  # every line joined to its names, then the first n
                expected = conn.execute(
                    select(line.row_number, line.usage_month, Platform.name, Store.raw_name,
                           line.kind, Artist.name, Track.title, Track.isrc, Release.title,
                           line.territory, line.quantity, line.amount, line.currency)
                    .join(Artist, Artist.id == line.artist_id)
                    .join(Platform, Platform.id == line.platform_id)
                    .join(Store, Store.id == line.store_id)
                    .outerjoin(Track, Track.id == line.track_id)
                    .outerjoin(Release, Release.id == line.release_id)
                    .where(line.statement_id == info.id)
                    .order_by(line.row_number, line.id)
                    .limit(n)
                ).all()  # fmt: skip
            assert len(shown) == min(n, info.stored)
            got = [
                tuple(None if v != v else v for v in row) for row in shown.itertuples(index=False)
            ]
            want = [(r[0], f"{r[1] // 100}-{r[1] % 100:02d}", *r[2:]) for r in expected]
            assert got == want
