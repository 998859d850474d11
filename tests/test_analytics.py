"""Analytics on small hand-made statements, imported through ``ingest`` (so the rollups are used).

Every expected value below is worked out by hand from the statement lines in this file.

Juniper Vale's DistroKid statement (USD), usage months 2023-12 .. 2024-02:

    month    store                         track country streams   USD  kind
    2023-12  Spotify                       A     US      5000   15.00
    2024-01  Spotify                       A     US      6000   18.00
    2024-01  Spotify                       B     GB      4000   12.00
    2024-01  Apple Music                   A     US      2000   12.00
    2024-01  Amazon Unlimited (Streaming)  A     DE      1000    5.00
    2024-01  iTunes Songs                  A     US        10    6.93  download
    2024-01  Tidal                         B     US       500    6.25
    2024-01  YouTube (Ads)                 A     US      3000    1.50  video
    2024-02  Spotify                       A     US     10000   30.00
    2024-02  Apple Music                   B     GB      2000   16.00
    2024-02  Deezer                        B     FR      1000    2.00

In 2024-01..2024-02: 26,500 streams, $109.68 income of which $101.25 from streams.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from royalty import analytics, formatting
from royalty.analytics import Filters
from royalty.analytics.unwrapped import split
from royalty.ingest import import_bytes
from royalty.store import rollup
from royalty.store.db import make_engine
from royalty.store.models import EarningLine

D = Decimal
PERIOD = (202401, 202402)

DK_HEADER = (
    "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage\t"
    "Song/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)"
)
TRACKS = {"A": ("Lantern Song", "QZTST2400001"), "B": ("Tin Bell", "QZTST2400002")}


def distrokid(
    rows: list[tuple[str, str, str, str, int, str]], artist: str = "Juniper Vale"
) -> bytes:
    """(sale month, store, track letter, country, quantity, earnings) -> a DistroKid TSV."""
    lines = [DK_HEADER]
    for month, store, track, country, quantity, earnings in rows:
        title, isrc = TRACKS.get(track, (track, ""))
        lines.append(
            f"2024-03-08\t{month}\t{store}\t{artist}\t{title}\t{isrc}\t195900000001\t{quantity}\t"
            f"100\tSong\t{country}\t0\t{earnings}"
        )
    return ("\n".join(lines) + "\n").encode()


MAIN = [
    ("2023-12", "Spotify", "A", "US", 5000, "15.00"),
    ("2024-01", "Spotify", "A", "US", 6000, "18.00"),
    ("2024-01", "Spotify", "B", "GB", 4000, "12.00"),
    ("2024-01", "Apple Music", "A", "US", 2000, "12.00"),
    ("2024-01", "Amazon Unlimited (Streaming)", "A", "DE", 1000, "5.00"),
    ("2024-01", "iTunes Songs", "A", "US", 10, "6.93"),
    ("2024-01", "Tidal", "B", "US", 500, "6.25"),
    ("2024-01", "YouTube (Ads)", "A", "US", 3000, "1.50"),
    ("2024-02", "Spotify", "A", "US", 10000, "30.00"),
    ("2024-02", "Apple Music", "B", "GB", 2000, "16.00"),
    ("2024-02", "Deezer", "B", "FR", 1000, "2.00"),
]


def load(engine, name: str, data: bytes) -> None:
    result = import_bytes(engine, name, data)
    assert result.status == "imported", result.message


@pytest.fixture
def juniper(engine):
    load(engine, "juniper.tsv", distrokid(MAIN))
    load(
        engine,
        "kestrel.tsv",
        distrokid([("2024-01", "Spotify", "K", "US", 1000, "4.00")], "Kestrel Bay"),
    )
    return engine


J = Filters(artist="Juniper Vale", period=PERIOD)


def test_lists(juniper):
    assert analytics.artists(juniper) == ["Juniper Vale", "Kestrel Bay"]
    assert analytics.months(juniper, "Juniper Vale") == [202312, 202401, 202402]
    assert analytics.months(juniper, "Kestrel Bay") == [202401]
    assert analytics.years(juniper) == [2023, 2024]
    assert analytics.platform_names(juniper) == [
        "Amazon Music", "Apple Music", "Deezer", "iTunes", "Spotify", "TIDAL", "YouTube",
    ]  # fmt: skip
    assert analytics.has_data(juniper)
    assert analytics.statement_count(juniper) == 2
    assert analytics.main_currency(juniper) == "USD"


def test_empty_database(engine):
    assert not analytics.has_data(engine)
    assert analytics.statement_count(engine) == 0
    assert analytics.artists(engine) == []
    o = analytics.overview(engine, Filters(), "GBP")
    assert (o.total_income, o.total_streams, o.income_per_stream) == (D(0), 0, None)
    s = analytics.unwrapped(engine, Filters(), "GBP")
    assert s.total_income == 0 and s.platforms == [] and s.what_if == [] and s.period == ""


def test_overview(juniper):
    o = analytics.overview(juniper, J, "USD")
    assert o.total_income == D("109.68")
    assert o.total_streams == 26500
    assert o.stream_income == D("101.25")
    assert o.income_per_stream == D("0.003820754717")  # 101.25 / 26500
    assert o.income_per_1000 == D("3.820754716981")
    assert o.monthly.to_dict("records") == [
        {"month": 202401, "income": D("61.68"), "streams": 13500},
        {"month": 202402, "income": D("48.00"), "streams": 13000},
    ]
    assert o.by_kind.to_dict("records") == [
        {"kind": "stream", "income": D("101.25"), "quantity": 26500},
        {"kind": "download", "income": D("6.93"), "quantity": 10},
        {"kind": "video", "income": D("1.50"), "quantity": 3000},
    ]
    assert o.fx.text == "All amounts are in USD as the statements give them; nothing was converted."


def test_platform_table_shares_rates_and_monthly_spread(juniper):
    t = analytics.platform_table(juniper, J, "USD")
    rows = {r["platform"]: r for r in t.to_dict("records")}
    assert list(t["platform"]) == [
        "Spotify", "Apple Music", "iTunes", "TIDAL", "Amazon Music", "Deezer", "YouTube",
    ]  # fmt: skip
    assert rows["Spotify"]["streams"] == 20000
    assert rows["Spotify"]["income"] == D("60.00")
    assert rows["Spotify"]["share_of_streams"] == D("0.754717")  # 20000 / 26500
    assert rows["Spotify"]["share_of_income"] == D("0.547046")  # 60 / 109.68
    assert rows["Spotify"]["income_per_stream"] == D("0.003")
    assert rows["Apple Music"]["income_per_stream"] == D("0.007")  # 28 / 4000
    # Apple paid 0.006 in January and 0.008 in February
    assert rows["Apple Music"]["median_monthly_rate"] == D("0.007")
    assert rows["Apple Music"]["rate_low"] == D("0.0065")
    assert rows["Apple Music"]["rate_high"] == D("0.0075")
    assert rows["Amazon Music"]["income_per_stream"] == D("0.005")
    assert rows["Deezer"]["income_per_stream"] == D("0.002")
    # 500 TIDAL streams are under the default 1,000: no rate shown
    assert rows["TIDAL"]["streams"] == 500 and rows["TIDAL"]["income_per_stream"] is None
    assert rows["TIDAL"]["median_monthly_rate"] is None
    # downloads and videos have no streams, so no per-stream rate
    assert rows["iTunes"]["streams"] == 0 and rows["iTunes"]["income_per_stream"] is None
    assert rows["YouTube"]["income"] == D("1.50") and rows["YouTube"]["income_per_stream"] is None
    assert sum(t["income"]) == D("109.68")
    low = analytics.platform_table(juniper, J, "USD", min_streams=100)
    assert low.set_index("platform").loc["TIDAL", "income_per_stream"] == D("0.0125")


def test_rates_by_month(juniper):
    t = analytics.platform_rates_by_month(juniper, Filters(artist="Juniper Vale"), "USD")
    apple = t[t["platform"] == "Apple Music"].to_dict("records")
    assert apple == [
        {"month": 202401, "platform": "Apple Music", "streams": 2000, "income": D("12.00"),
         "income_per_stream": D("0.006")},
        {"month": 202402, "platform": "Apple Music", "streams": 2000, "income": D("16.00"),
         "income_per_stream": D("0.008")},
    ]  # fmt: skip
    assert list(t["month"]) == sorted(t["month"])


def test_top_tracks_and_territories(juniper):
    tracks = analytics.top_tracks(juniper, J, "USD")
    assert tracks[["title", "isrc", "streams", "income"]].to_dict("records") == [
        {"title": "Lantern Song", "isrc": "QZTST2400001", "streams": 19000, "income": D("73.43")},
        {"title": "Tin Bell", "isrc": "QZTST2400002", "streams": 7500, "income": D("36.25")},
    ]
    # stream income only: 65.00 / 19,000 and 36.25 / 7,500
    assert tracks["income_per_stream"].tolist() == [D("0.003421052632"), D("0.004833333333")]
    places = analytics.top_territories(juniper, J, "USD")
    assert places[["territory", "name", "iso3", "streams", "income"]].to_dict("records") == [
        {"territory": "US", "name": "United States", "iso3": "USA", "streams": 18500,
         "income": D("74.68")},
        {"territory": "GB", "name": "United Kingdom", "iso3": "GBR", "streams": 6000,
         "income": D("28.00")},
        {"territory": "DE", "name": "Germany", "iso3": "DEU", "streams": 1000, "income": D("5.00")},
        {"territory": "FR", "name": "France", "iso3": "FRA", "streams": 1000, "income": D("2.00")},
    ]  # fmt: skip


def test_a_country_under_two_codes_is_one_territory(engine):
    """CD Baby writes ``UK`` and ``GB`` in one file: stored as given, counted as one country,
    one row, one place on the map, and the top country of the year by both codes' streams."""
    load(engine, "two-codes.tsv", distrokid([
        ("2024-01", "Spotify", "A", "GB", 3000, "9.00"),
        ("2024-01", "Spotify", "B", "UK", 2500, "7.50"),
        ("2024-02", "Apple Music", "A", "UK", 1000, "8.00"),
        ("2024-02", "Spotify", "A", "US", 4000, "12.00"),
    ]))  # fmt: skip
    with engine.connect() as conn:
        stored = conn.execute(select(EarningLine.territory).distinct()).scalars().all()
    assert sorted(stored) == ["GB", "UK", "US"]
    places = analytics.top_territories(engine, Filters(), "USD")
    assert places[["territory", "name", "iso3", "streams", "income"]].to_dict("records") == [
        {"territory": "GB", "name": "United Kingdom", "iso3": "GBR", "streams": 6500,
         "income": D("24.50")},
        {"territory": "US", "name": "United States", "iso3": "USA", "streams": 4000,
         "income": D("12.00")},
    ]  # fmt: skip
    for code in ("GB", "UK"):
        o = analytics.overview(engine, Filters(territories=(code,)), "USD")
        assert (o.total_income, o.total_streams) == (D("24.50"), 6500)
    top = analytics.unwrapped(engine, Filters(), "USD").top_country
    assert top is not None
    assert (top.code, top.name, top.streams, top.income) == (
        "GB",
        "United Kingdom",
        6500,
        D("24.50"),
    )


def test_a_file_that_writes_only_the_other_code_is_shown_under_the_iso_one(engine):
    load(engine, "uk-only.tsv", distrokid([
        ("2024-01", "Spotify", "A", "UK", 2500, "7.50"),
        ("2024-01", "Spotify", "A", "US", 1000, "3.00"),
    ]))  # fmt: skip
    places = analytics.top_territories(engine, Filters(), "USD")
    assert places[["territory", "name", "iso3", "streams"]].to_dict("records") == [
        {"territory": "GB", "name": "United Kingdom", "iso3": "GBR", "streams": 2500},
        {"territory": "US", "name": "United States", "iso3": "USA", "streams": 1000},
    ]
    top = analytics.unwrapped(engine, Filters(), "USD").top_country
    assert top is not None and (top.code, top.name, top.streams) == ("GB", "United Kingdom", 2500)


def test_country_names_a_statement_prints_are_counted_as_their_countries(engine):
    """A mapped layout or a shop may write names: kept as stored, counted as the country."""
    load(engine, "names.tsv", distrokid([
        ("2024-01", "Spotify", "A", "RU", 1000, "3.00"),
        ("2024-01", "Spotify", "A", "Russia", 2000, "6.00"),
        ("2024-01", "Spotify", "B", "Österreich", 500, "2.50"),
        ("2024-01", "Spotify", "B", "Korea", 400, "1.20"),
        ("2024-01", "Spotify", "B", "US", 2500, "7.50"),
    ]))  # fmt: skip
    places = analytics.top_territories(engine, Filters(), "USD")
    assert places[["territory", "name", "iso3", "streams", "income"]].to_dict("records") == [
        {"territory": "RU", "name": "Russian Federation", "iso3": "RUS", "streams": 3000,
         "income": D("9.00")},
        {"territory": "US", "name": "United States", "iso3": "USA", "streams": 2500,
         "income": D("7.50")},
        {"territory": "AT", "name": "Austria", "iso3": "AUT", "streams": 500,
         "income": D("2.50")},
        {"territory": "KOREA", "name": "KOREA", "iso3": None, "streams": 400,
         "income": D("1.20")},  # North or South: not guessed
    ]  # fmt: skip
    o = analytics.overview(engine, Filters(territories=("RU",)), "USD")
    assert (o.total_income, o.total_streams) == (D("9.00"), 3000)
    top = analytics.unwrapped(engine, Filters(), "USD").top_country
    assert top is not None and (top.code, top.streams, top.income) == ("RU", 3000, D("9.00"))


def test_filters(juniper):
    def income(**kw) -> tuple[Decimal, int]:
        o = analytics.overview(juniper, Filters(**kw), "USD")
        return o.total_income, o.total_streams

    assert income() == (D("128.68"), 32500)  # both artists, every month
    assert income(artist="Kestrel Bay") == (D("4.00"), 1000)
    assert income(artist="Nobody") == (D(0), 0)
    assert income(artist="Juniper Vale") == (D("124.68"), 31500)
    assert income(artist="Juniper Vale", period=(202312, 202312)) == (D("15.00"), 5000)
    assert income(artist="Juniper Vale", period=PERIOD, platforms=("Spotify",)) == (
        D("60.00"),
        20000,
    )
    assert income(period=PERIOD, platforms=("Spotify", "Deezer")) == (D("66.00"), 22000)
    assert income(period=PERIOD, kinds=("download",)) == (D("6.93"), 0)
    assert income(period=PERIOD, kinds=("stream", "video")) == (D("106.75"), 27500)
    assert income(artist="Juniper Vale", territories=("GB",)) == (D("28.00"), 6000)
    tin_bell = int(analytics.top_tracks(juniper, J, "USD").iloc[1]["track_id"])
    assert income(tracks=(tin_bell,)) == (D("36.25"), 7500)
    # track and territory together are answered from the lines themselves
    assert income(tracks=(tin_bell,), territories=("GB",)) == (D("28.00"), 6000)
    assert income(tracks=(tin_bell,), territories=("US",), platforms=("TIDAL",)) == (D("6.25"), 500)
    # ... and with an artist or period, only the statements holding such lines are read
    assert income(tracks=(tin_bell,), territories=("GB",), artist="Juniper Vale") == (
        D("28.00"),
        6000,
    )
    assert income(tracks=(tin_bell,), territories=("GB",), artist="Kestrel Bay") == (D(0), 0)
    assert income(tracks=(tin_bell,), territories=("US",), period=(202312, 202312)) == (D(0), 0)
    assert income(tracks=(tin_bell,), territories=("US",), period=PERIOD) == (D("6.25"), 500)


def test_unwrapped(juniper):
    s = analytics.unwrapped(juniper, J, "USD", members=7)
    assert (s.period, s.period_months, s.currency, s.artist) == (
        "2024-01..2024-02", (202401, 202402), "USD", "Juniper Vale",
    )  # fmt: skip
    assert s.total_streams == 26500
    assert s.total_income == D("109.68")
    assert s.income_per_stream == D("0.003820754717")
    assert s.streams_per_unit == 262  # 26500 / 101.25 = 261.7..., rounded up
    assert [(p.platform, p.streams, p.income, p.share_of_streams, p.income_per_stream)
            for p in s.platforms] == [
        ("Spotify", 20000, D("60.00"), D("0.754717"), D("0.003")),
        ("Apple Music", 4000, D("28.00"), D("0.150943"), D("0.007")),
        ("iTunes", 0, D("6.93"), D("0"), None),
        ("TIDAL", 500, D("6.25"), D("0.018868"), None),
        ("Amazon Music", 1000, D("5.00"), D("0.037736"), D("0.005")),
        ("Deezer", 1000, D("2.00"), D("0.037736"), D("0.002")),
        ("YouTube", 0, D("1.50"), D("0"), None),
    ]  # fmt: skip
    assert s.best_platform.platform == "Apple Music"
    assert s.worst_platform.platform == "Deezer"
    assert (s.top_track.title, s.top_track.streams, s.top_track.income) == (
        "Lantern Song", 19000, D("73.43"),
    )  # fmt: skip
    assert (s.top_country.code, s.top_country.name, s.top_country.streams) == (
        "US", "United States", 18500,
    )  # fmt: skip
    assert s.previous.period == "2023-11..2023-12"
    assert (s.previous.total_income, s.previous.total_streams) == (D("15.00"), 5000)
    assert s.previous.income_change == D("6.312")  # (109.68 - 15) / 15
    assert s.previous.streams_change == D("4.3")
    # Spotify's 20,000 streams at each other shown rate, less the $60.00 Spotify paid
    assert [(w.from_platform, w.to_platform, w.extra_income) for w in s.what_if] == [
        ("Spotify", "Apple Music", D("80.00")),
        ("Spotify", "Amazon Music", D("40.00")),
        ("Spotify", "Deezer", D("-20.00")),
    ]
    assert s.label_deal.royalty_rate == D("0.20")
    assert s.label_deal.would_have_paid == D("21.936")
    assert s.label_deal.difference == D("87.744")
    # $109.68 = 10,968 cents among 7: 1,566 each and 6 cents left, one each to the first six
    assert [m.income for m in s.members] == [D("15.67")] * 6 + [D("15.66")]
    assert sum(m.income for m in s.members) == D("109.68")
    assert [m.name for m in s.members][:2] == ["Member 1", "Member 2"]
    assert s.sources == ["juniper.tsv (DistroKid)"]
    assert len(s.fingerprint) == 12
    assert s.fingerprint == analytics.unwrapped(juniper, J, "USD").fingerprint
    assert s.fingerprint != analytics.unwrapped(juniper, J, "GBP").fingerprint


def test_unwrapped_options(juniper):
    s = analytics.unwrapped(
        juniper, J, "USD", label_royalty=D("0.25"), shares=[D(50), D(30), D(20)],
        min_streams=100, fold_below=D("0.05"),
    )  # fmt: skip
    assert s.label_deal.would_have_paid == D("27.42")
    assert s.label_deal.difference == D("82.26")
    # 10,968 cents: 5,484 / 3,290.4 / 2,193.6 -> 5,484 + 3,290 + 2,193 and the cent left to
    # the largest remainder (0.6, the third), as payee statements round; the first member's
    # exact 5,484 cents stay 5,484
    assert [(m.share, m.income) for m in s.members] == [
        (D("0.5"), D("54.84")), (D("0.3"), D("32.90")), (D("0.2"), D("21.94")),
    ]  # fmt: skip
    tidal = next(p for p in s.platforms if p.platform == "TIDAL")
    assert tidal.income_per_stream == D("0.0125")
    assert s.best_platform.platform == "TIDAL"
    assert ("Spotify", "TIDAL", D("190.00")) in [
        (w.from_platform, w.to_platform, w.extra_income) for w in s.what_if
    ]
    # under 5% of income: Amazon 4.6%, Deezer 1.8%, YouTube 1.4%
    assert [r.platform for r in s.folded.rows] == [
        "Spotify", "Apple Music", "iTunes", "TIDAL", "Other (3 sources)",
    ]  # fmt: skip
    other = s.folded.rows[-1]
    assert (other.streams, other.income) == (2000, D("8.50"))
    assert s.folded.other == ["Amazon Music", "Deezer", "YouTube"]
    assert len(s.platforms) == 7  # the full list is never folded


def test_split_exact_to_the_penny():
    parts = split(D("100.00"), "GBP", members=3)
    assert [p.income for p in parts] == [D("33.34"), D("33.33"), D("33.33")]
    assert [p.share for p in parts] == [D("0.333333")] * 3
    parts = split(D("0.05"), "GBP", members=4, names=["Ana", "Ben"])
    assert [(p.name, p.income) for p in parts] == [
        ("Ana", D("0.02")), ("Ben", D("0.01")), ("Member 3", D("0.01")), ("Member 4", D("0.01")),
    ]  # fmt: skip
    assert [p.income for p in split(D("-10.00"), "USD", members=3)] == [
        D("-3.34"), D("-3.33"), D("-3.33"),
    ]  # fmt: skip
    assert [p.income for p in split(D("1001"), "JPY", members=2)] == [D("501"), D("500")]
    assert sum(p.income for p in split(D("12.345"), "EUR", shares=[D(1), D(2)])) == D("12.34")
    # the leftover penny goes to the largest remainder, not to the first member: 2:1:1 of
    # 10p is 5p, 2.5p, 2.5p, so 5p, 3p, 2p (the tie to the earlier), never 6p, 2p, 2p
    parts = split(D("0.10"), "GBP", shares=[D(2), D(1), D(1)])
    assert [p.income for p in parts] == [D("0.05"), D("0.03"), D("0.02")]
    parts = split(D("1.00"), "GBP", shares=[D("0.334"), D("0.333"), D("0.333")])
    assert [p.income for p in parts] == [D("0.34"), D("0.33"), D("0.33")]
    parts = split(D("0.07"), "GBP", shares=[D(1), D(3), D(3)])  # 1p, 3p, 3p exactly
    assert [p.income for p in parts] == [D("0.01"), D("0.03"), D("0.03")]
    parts = split(D("0.05"), "GBP", shares=[D(1), D(8)])  # 0.56p and 4.44p
    assert [p.income for p in parts] == [D("0.01"), D("0.04")]
    with pytest.raises(ValueError):
        split(D(1), "GBP", shares=[D(0), D(0)])


def test_low_stream_tracks(engine):
    load(engine, "ferry.tsv", distrokid([
        ("2023-01", "Spotify", "Quiet", "US", 2000, "6.00"),
        ("2023-06", "Spotify", "Loud", "US", 900, "2.70"),
        ("2024-01", "Spotify", "Quiet", "US", 300, "0.00"),
        ("2024-02", "Spotify", "Quiet", "GB", 200, "0.00"),
        ("2024-02", "Apple Music", "Quiet", "US", 5000, "35.00"),
        ("2024-02", "Spotify", "Loud", "US", 1500, "4.50"),
    ], "Ferry Lights"))  # fmt: skip
    t = analytics.low_stream_tracks(engine, Filters(period=(202301, 202402)), "USD")
    assert t.attrs["window"] == (202303, 202402)
    # "Loud" has 900 + 1,500 Spotify streams in the window; "Quiet" 500 (Apple does not count)
    assert t[["title", "streams", "income", "streams_before", "income_before"]].to_dict(
        "records"
    ) == [{"title": "Quiet", "streams": 500, "income": D("0.00"), "streams_before": 2000,
           "income_before": D("6.00")}]  # fmt: skip
    assert analytics.low_stream_tracks(engine, Filters(platforms=("Apple Music",)), "USD").empty


def test_rollup_rebuild_and_catch_up(juniper):
    before = analytics.overview(juniper, Filters(), "USD").total_income
    assert rollup.rebuild(juniper) == 2
    assert analytics.overview(juniper, Filters(), "USD").total_income == before == D("128.68")
    with juniper.begin() as conn:  # a database from before the summaries existed
        for table in rollup.TABLES:
            conn.execute(table.delete())
    rollup._checked.discard(juniper)
    restarted = make_engine(juniper.url.render_as_string(hide_password=False))  # the next start
    assert analytics.overview(restarted, Filters(), "USD").total_income == D("128.68")


# --- currencies --------------------------------------------------------------------------------

TC_HEADER = (
    "Sales Period,Posted Date,Store Name,Country Of Sale,Artist,Release Type,Release Title,"
    "Song Title,Label,UPC,Optional UPC,TC Song ID,Optional ISRC,Sales Type,# Units Sold,"
    "Per Unit Price,Net Sales,Net Sales Currency,Exchange Rate,Total Earned,Currency,Commission,"
    "Youtube Video ID,Youtube Policy Type"
)


def tunecore_gbp() -> bytes:
    """TuneCore converted the stores' dollars to pounds itself, at 0.8, less its commission."""
    rows = [
        "2024-01-01,2024-03-01,Spotify,GB,Marsh Lights,Album,Tide,Reed,ML,859700000001,,"
        "USTCZ2400001,,Streaming,1000,0.005,5.00,USD,0.8,4.00,GBP,0,,",
        "2024-01-01,2024-03-01,Deezer,FR,Marsh Lights,Album,Tide,Reed,ML,859700000001,,"
        "USTCZ2400001,,Streaming,500,0.005,2.50,USD,0.8,1.60,GBP,0.40,,",
    ]
    return ("\n".join([TC_HEADER, *rows]) + "\n").encode()


@pytest.fixture
def two_currencies(engine):
    load(engine, "marsh.csv", tunecore_gbp())
    load(engine, "marsh.tsv", distrokid([
        ("2024-01", "Spotify", "Reed", "US", 1000, "10.00"),
        ("2024-06", "Spotify", "Reed", "US", 1000, "10.00"),
    ], "Marsh Lights"))  # fmt: skip
    return engine


# ECB reference rates (per euro) as published: 2024-01-15 and 2024-06-14 (the 15th was a Saturday)
USD_JAN, GBP_JAN = D("1.0945"), D("0.86075")
USD_JUN, GBP_JUN = D("1.0686"), D("0.84205")


def cross(per_euro_target: Decimal, per_euro_source: Decimal) -> Decimal:
    return (per_euro_target / per_euro_source).quantize(D("1e-10"))


def test_statement_rate_converts_back_to_its_source_currency(two_currencies):
    o = analytics.overview(two_currencies, Filters(), "USD")
    # 4.00 / 0.8 = 5.00 and 1.60 / 0.8 = 2.00 (the artist's share, not the 2.50 gross before
    # commission), plus the DistroKid dollars as they are
    assert o.total_income == D("27.00")
    assert (
        "£5.60 earned in GBP was converted to USD at the statements' own exchange rates"
        in o.fx.text
    )
    assert "ECB" not in o.fx.text
    assert analytics.main_currency(two_currencies) == "USD"


def test_ecb_rate_of_the_usage_month(two_currencies):
    o = analytics.overview(two_currencies, Filters(), "GBP")
    usd = D("10.00") * cross(GBP_JAN, USD_JAN) + D("10.00") * cross(GBP_JUN, USD_JUN)
    assert cross(GBP_JAN, USD_JAN) == D("0.7864321608")
    assert o.total_income == (D("5.60") + usd).quantize(D("1e-9"))
    assert o.monthly.set_index("month").loc[202406, "income"] == D("7.879936365")
    assert "$20.00 earned in USD was converted at the ECB reference rate of the 15th" in o.fx.text
    assert "(2024-01 to 2024-06: 0.7864–0.7880 GBP per USD)" in o.fx.text
    # the stored amounts are untouched
    assert analytics.overview(two_currencies, Filters(), "USD").total_income == D("27.00")


def test_statement_rate_only_for_its_own_currency(two_currencies):
    """Pounds converted by TuneCore from dollars go to euros at the ECB rate, not 0.8."""
    o = analytics.overview(two_currencies, Filters(platforms=("Deezer",)), "EUR")
    assert o.total_income == (D("1.60") * cross(D(1), GBP_JAN)).quantize(D("1e-9"))
    assert "£1.60 earned in GBP was converted at the ECB reference rate" in o.fx.text


def test_months_after_the_ecb_data_use_its_last_rate(engine):
    from royalty.analytics.currency import _ecb

    load(engine, "future.tsv", distrokid([("2099-01", "Spotify", "Later", "US", 1000, "10.00")]))
    last = _ecb(("GBP", "USD")).bounds["USD"].last_date
    rate = cross(
        D(repr(_ecb(("GBP",)).convert(1, "EUR", "GBP", last))),
        D(repr(_ecb(("USD",)).convert(1, "EUR", "USD", last))),
    )
    o = analytics.overview(engine, Filters(), "GBP")
    assert o.total_income == (D("10.00") * rate).quantize(D("1e-9"))
    assert f"Months after {last:%Y-%m-%d} use the last published ECB rate" in o.fx.text


# --- formatting --------------------------------------------------------------------------------


def test_formatting():
    assert formatting.rate(D("0.0029"), "GBP") == "0.29p"
    assert formatting.rate(D("0.0039"), "USD") == "0.39¢"
    assert formatting.rate(D("0.0041"), "EUR") == "0.41 c"
    assert formatting.rate(D("0.00002"), "GBP") == "0.0020p"
    assert formatting.rate(D("0.003820754717"), "USD") == "0.38¢"
    assert formatting.rate(None, "GBP") == "—"
    assert formatting.rate(D("1.5"), "GBP") == "£1.50"
    assert formatting.rate(D("0.0312"), "SEK") == "0.031 SEK"
    assert formatting.money(D("1234.565"), "GBP") == "£1,234.56"
    assert formatting.money(D("1234.5"), "EUR") == "€1,234.50"
    assert formatting.money(D("-12.3"), "USD") == "-$12.30"
    assert formatting.money(D("80"), "USD", signed=True) == "+$80.00"
    assert formatting.money(D("0.004"), "GBP") == "<£0.01"
    assert formatting.money(D("0"), "GBP") == "£0.00"
    assert formatting.money(D("1234.5"), "JPY") == "¥1,234"
    assert formatting.count(1234567) == "1,234,567"
    assert formatting.percent(D("0.754717")) == "75.5%"
    assert formatting.percent(D("0.0004")) == "<0.1%"
    assert formatting.percent(D("6.312"), signed=True) == "+631.2%"
    for value in (D("0.0001"), D("0.001"), D("0.00004")):
        assert formatting.rate(value, "GBP") not in {"0.00p", "£0.00", "0p"}


# --- a band's published disclosure summary -------------------------------------------------------

DISCLOSURE = """Platform,Streams,Income (GBP)
Spotify,"100,000",320.00
Apple Music,"20,000",130.00
YouTube Music,"10,000",20.00
Deezer,"5,000",15.00
"""


def test_disclosure_summary(engine):
    from royalty.importers import ImportOptions

    options = ImportOptions(artist="Harbour Band", period=(202407, 202506))
    result = import_bytes(engine, "harbour.csv", DISCLOSURE.encode(), options)
    assert result.status == "imported", result.message
    s = analytics.unwrapped(engine, Filters(artist="Harbour Band"), "GBP", members=3)
    assert s.period == "2024-07..2025-06"  # one line per platform covering the whole year
    assert (s.total_streams, s.total_income) == (135000, D("485.00"))
    assert s.income_per_stream == D("0.003592592593")  # 485 / 135,000
    assert s.streams_per_unit == 279  # 278.35 streams to earn £1, rounded up
    assert [(p.platform, p.share_of_streams, p.income_per_stream) for p in s.platforms] == [
        ("Spotify", D("0.740741"), D("0.0032")),
        ("Apple Music", D("0.148148"), D("0.0065")),
        ("YouTube", D("0.074074"), D("0.002")),
        ("Deezer", D("0.037037"), D("0.003")),
    ]
    assert (s.best_platform.platform, s.worst_platform.platform) == ("Apple Music", "YouTube")
    assert [(w.to_platform, w.extra_income) for w in s.what_if] == [
        ("Apple Music", D("330.00")),  # 100,000 x 0.0065 - 320
        ("Deezer", D("-20.00")),
        ("YouTube", D("-120.00")),
    ]
    assert (s.label_deal.would_have_paid, s.label_deal.difference) == (D("97.00"), D("388.00"))
    assert [m.income for m in s.members] == [D("161.67"), D("161.67"), D("161.66")]
    assert formatting.rate(s.income_per_stream, "GBP") == "0.36p"
    same_year = analytics.unwrapped(engine, Filters(period=(202407, 202506)), "GBP")
    assert same_year.total_income == D("485.00") and same_year.previous.total_income == 0


def test_overlapping_export_is_summed_once(engine):
    """A later export repeating earlier rows adds only its new rows to the summaries too."""
    load(engine, "jan.tsv", distrokid(MAIN[1:3]))
    load(engine, "jan-feb.tsv", distrokid(MAIN[1:3] + MAIN[8:9]))
    o = analytics.overview(engine, Filters(), "USD")
    assert (o.total_income, o.total_streams) == (D("60.00"), 20000)  # 18 + 12 + 30
    with engine.connect() as conn:
        lines = conn.execute(select(func.sum(EarningLine.amount_nano))).scalar()
        for table in rollup.TABLES:
            assert conn.execute(select(func.sum(table.c.amount_nano))).scalar() == lines


def test_a_currency_without_any_rate_is_said_to_be_left_out_in_a_whole_sentence():
    from royalty.analytics.currency import FxNote

    alone = FxNote("USD", missing={"QQQ": Decimal("1.00")})
    two = FxNote("USD", missing={"QQQ": Decimal("1.00"), "XTS": Decimal("2.50")})
    beside = FxNote("USD", statement_rates={"GBP": Decimal("5.60")}, missing={"QQQ": Decimal(1)})

    assert alone.text == "Not included, as the ECB publishes no rate for it: 1.00 QQQ."
    assert two.text.startswith("Not included, as the ECB publishes no rate for them: 1.00 QQQ, ")
    assert beside.text.endswith(
        "exchange rates. Not included, as the ECB publishes no rate for it: 1.00 QQQ."
    )
