"""A work (the song a songwriting statement pays for) is counted with its recording: by the
ISRC the statement gives, else the ISWC the recording is known by, else the same artist and
normalized title; a work no recording has stays a track of its own.

The statements are built row by row; expected figures are written out, and summed with
Decimal from the same text where they add up lines.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from test_ingest import dk_file, dk_row

from royalty import analytics
from royalty.analytics import songwriting
from royalty.analytics.aggregate import Filters
from royalty.cli import main
from royalty.importers import ImportOptions
from royalty.importers.normalizer import clean_iswc
from royalty.ingest import import_bytes, import_path
from royalty.store.models import Track, TrackLink
from royalty.track_matching import BY_ISRC, BY_ISWC, BY_TITLE, Link, StoredTrack, links

ARTIST = "Cold Harbor Choir"
PSALM, HARBOUR = "QZPLR2280031", "QZPLR2280032"
ISWC = "T1234567894"
PUBLISHER_HEADER = "Work Title,Work ID,Composers,Right Type,Source,Amount,Currency,ISRC"
Q1 = (202301, 202303)


def recordings() -> bytes:
    """DistroKid: two recordings streamed on Spotify in January 2023."""
    return dk_file(
        [
            dk_row("2023-01", "3.20", quantity="1000"),
            dk_row("2023-01", "1.50", title="Harbour", isrc=HARBOUR, quantity="500"),
        ]
    )


def publisher(*rows: str) -> bytes:
    return ("\n".join([PUBLISHER_HEADER, *rows]) + "\n").encode()


SONGS = publisher(
    f"Tin Roof Psalm,T-123.456.789-4,{ARTIST},PR,PRS,2.00,USD,{PSALM}",  # ISRC and ISWC
    f"Psalm (Tin Roof),T1234567894,{ARTIST},MR,Spotify,0.75,USD,",  # the ISWC only
    f"HARBOUR,X77,{ARTIST},PR,ASCAP,0.40,USD,",  # the title only
    f"Lantern Song,T-000.000.001-0,{ARTIST},SR,,1.10,USD,",  # no recording of it
)


def import_both(engine, songs_first: bool = False) -> None:
    steps = [
        lambda: import_bytes(engine, "dk.tsv", recordings()),
        lambda: import_bytes(
            engine, "publisher.csv", SONGS, ImportOptions(artist=ARTIST, period=Q1)
        ),
    ]
    for step in reversed(steps) if songs_first else steps:
        result = step()
        assert result.status == "imported", result.message


def matched(engine) -> dict[str, tuple[str, str]]:
    """Title of each track counted as another -> (the other's title, how)."""
    with engine.connect() as conn:
        titles = dict(conn.execute(select(Track.id, Track.title)).all())
        rows = conn.execute(
            select(TrackLink.track_id, TrackLink.canonical_id, TrackLink.matched_by)
        )
        return {titles[t]: (titles[c], by) for t, c, by in rows}


def test_iswc_is_kept_only_when_it_is_one():
    assert clean_iswc("T-123.456.789-4") == "T1234567894"
    assert clean_iswc(" t 123 456 789 4 ") == "T1234567894"
    assert clean_iswc("T3452468001") == "T3452468001"
    # a society's own work number, an ISRC, a short code: not an ISWC
    assert [clean_iswc(c) for c in ("41872630HX", "JM-K40-14-00001", "T-123", "")] == [""] * 4


@pytest.mark.parametrize("songs_first", [False, True], ids=["recordings first", "songs first"])
def test_works_join_their_recordings_by_isrc_iswc_or_title(engine, songs_first):
    import_both(engine, songs_first)

    with engine.connect() as conn:
        iswcs = dict(conn.execute(select(Track.title, Track.iswc)).all())
    assert iswcs == {
        "Tin Roof Psalm": ISWC, "Harbour": "", "Psalm (Tin Roof)": ISWC, "HARBOUR": "",
        "Lantern Song": "T0000000010",
    }  # fmt: skip
    assert matched(engine) == {
        "Psalm (Tin Roof)": ("Tin Roof Psalm", BY_ISWC),
        "HARBOUR": ("Harbour", BY_TITLE),
    }
    frame = analytics.top_tracks(engine, Filters(artist=ARTIST), "USD", limit=None)
    got = [(r.title, r.isrc, int(r.streams), r.income) for r in frame.itertuples(index=False)]
    assert got == [
        ("Tin Roof Psalm", PSALM, 1000, Decimal("5.95")),  # 3.20 + 2.00 + 0.75
        ("Harbour", HARBOUR, 500, Decimal("1.90")),  # 1.50 + 0.40
        ("Lantern Song", "", 0, Decimal("1.10")),
    ]
    # the songs' money is no stream's: the rates are the recordings' alone
    rates = dict(zip(frame["title"], frame["income_per_stream"], strict=True))
    assert rates["Tin Roof Psalm"] == Decimal("0.0032")  # 3.20 / 1,000
    assert rates["Harbour"] == Decimal("0.003")  # 1.50 / 500
    assert rates["Lantern Song"] is None


def test_the_rule_on_works():
    rows = [
        StoredTrack(1, PSALM, "Tin Roof Psalm", ISWC),
        StoredTrack(2, "", "Psalm (Tin Roof)", ISWC),  # the ISWC: recording 1
        StoredTrack(3, HARBOUR, "Harbour"),
        StoredTrack(4, "", "harbour", "T0000000028"),  # by title: now recording 3 knows it
        StoredTrack(5, "", "Harbour Song", "T0000000028"),  # so by that ISWC
        StoredTrack(6, "QZPLR2280040", "Lantern"),
        StoredTrack(7, "QZPLR2280041", "Lantern", "T0000000036"),  # one of two "Lantern"s
        StoredTrack(8, "", "Lantern", "T0000000036"),  # the ISWC tells which
        StoredTrack(9, "", "Lantern"),  # nothing does: apart
        StoredTrack(10, "", "Anthem", "T0000000044"),  # no recording knows it: apart
    ]
    assert links(rows) == [
        _link(2, 1, BY_ISWC),
        _link(4, 3, BY_TITLE),
        _link(5, 3, BY_ISWC),
        _link(8, 7, BY_ISWC),
    ]
    # a split of the title keeps its works apart too (rule 3)
    assert _link(8, 7, BY_ISWC) not in links(rows, split={("", "Lantern")})
    # two recordings know one ISWC (the song and its remaster): the title decides
    both = [
        StoredTrack(1, PSALM, "Tin Roof Psalm", ISWC),
        StoredTrack(2, "QZPLR2280099", "Tin Roof Psalm (Remastered)", ISWC),
        StoredTrack(3, "", "TIN ROOF PSALM", ISWC),
        StoredTrack(4, "", "Psalm", ISWC),
    ]
    assert links(both) == [_link(3, 1, BY_TITLE)]


def _link(track: int, canonical: int, by: str) -> Link:
    return Link(track, canonical, by)


def test_a_work_known_by_isrc_alone_is_matched_by_it(engine):
    import_both(engine)
    with engine.connect() as conn:
        psalms = conn.execute(
            select(Track.title).where(Track.isrc == PSALM).order_by(Track.id)
        ).all()
    # the publisher's line with the ISRC names the same row as DistroKid: one spelling, one row
    assert [p.title for p in psalms] == ["Tin Roof Psalm"]
    assert BY_ISRC not in {by for _, by in matched(engine).values()}


# --- recording and songwriting income side by side -------------------------------------------

ASCAP_HEADER = (
    '"File Type","Statement Recipient Name","Statement Recipient ID","Party Name","Party ID",'
    '"Legal Earner Party ID","Legal Earner Party Name","Distribution Date","Country Name",'
    '"Licensor","Licensor Code","Performance Start Date","Performance End Date","Work Title",'
    '"Work ID","Member Share","Series Name","Program Name","Revenue Class Code",'
    '"Revenue Class Description","$ Amount","Adjustment Distribution Date",'
    '"Adjustment Indicator","Role Type","Type Of Right","Territory"'
)
ASCAP = (
    ASCAP_HEADER + "\n"
    '"F","ODETTE MARLOWE","1","ODETTE MARLOWE","1","","","06-02-2023","GERMANY","GEMA","S35",'
    '"01-01-2023","03-31-2023","TIN ROOF PSALM","887310041","","-","-","21","Television",'
    '" 00000000000.30000","","N","OWNER-COLLECTOR","PR","DE"\n'
).encode()
ALL = Filters(artist=ARTIST)


@pytest.fixture
def both(engine):
    import_both(engine)
    result = import_bytes(engine, "ascap.csv", ASCAP, ImportOptions(artist=ARTIST))
    assert result.status == "imported", result.message
    return engine


def test_each_track_shows_its_recording_and_songwriting_income(both):
    frame = songwriting.by_track(both, ALL, "USD")

    got = [
        (r.title, r.recording, r.songwriting, r.income, int(r.streams), r.income_per_stream)
        for r in frame.itertuples(index=False)
    ]
    assert got == [
        # 3.20 | 2.00 + 0.75 (publisher) + 0.30 (ASCAP) | 1,000 streams: 3.20 / 1,000
        ("Tin Roof Psalm", Decimal("3.20"), Decimal("3.05"), Decimal("6.25"), 1000,
         Decimal("0.0032")),
        ("Harbour", Decimal("1.50"), Decimal("0.40"), Decimal("1.90"), 500, Decimal("0.003")),
        ("Lantern Song", Decimal("0"), Decimal("1.10"), Decimal("1.10"), 0, None),
    ]  # fmt: skip
    assert list(frame.columns) == songwriting.TRACK_COLUMNS


def test_each_source_shows_what_it_paid_for_recordings_and_for_songs(both):
    frame = songwriting.by_source(both, ALL, "USD")

    assert [tuple(r) for r in frame.itertuples(index=False)] == [
        ("DistroKid", Decimal("4.70"), Decimal("0"), Decimal("4.70")),
        ("Publisher", Decimal("0"), Decimal("4.25"), Decimal("4.25")),
        ("ASCAP", Decimal("0"), Decimal("0.30"), Decimal("0.30")),
    ]


def test_per_stream_rates_count_recordings_only(both):
    view = analytics.overview(both, ALL, "USD")

    assert (view.total_streams, view.stream_income) == (1500, Decimal("4.70"))
    assert view.total_income == Decimal("9.25")  # 4.70 + 4.25 + 0.30
    assert view.income_per_stream == Decimal("0.003133333333")  # 4.70 / 1,500
    table = analytics.platform_table(both, ALL, "USD", min_streams=1).set_index("platform")
    # the publisher's 0.75 from Spotify is Spotify income, but no stream of it
    assert table.loc["Spotify", "streams"] == 1500
    assert table.loc["Spotify", "income"] == Decimal("5.45")  # 3.20 + 1.50 + 0.75
    assert table.loc["Spotify", "income_per_stream"] == Decimal("0.003133333333")


def test_the_summary_has_songwriting_as_its_own_line(both):
    s = songwriting.summary(both, Filters(artist=ARTIST, period=Q1), "USD")

    assert (s.total_income, s.total_streams) == (Decimal("9.25"), 1500)
    assert s.songwriting == songwriting.Songwriting(
        recording_income=Decimal("4.70"),
        songwriting_income=Decimal("4.55"),
        sources=[
            songwriting.SourceIncome("Publisher", Decimal("4.25")),
            songwriting.SourceIncome("ASCAP", Decimal("0.30")),
        ],
    )
    assert analytics.summary_json(s)["songwriting"] == {
        "recording_income": "4.7", "songwriting_income": "4.55",
        "sources": [{"source": "Publisher", "income": "4.25"},
                    {"source": "ASCAP", "income": "0.3"}],
    }  # fmt: skip

    recordings = songwriting.summary(
        both, Filters(artist=ARTIST, period=Q1), "USD", songwriting=False
    )
    assert (recordings.total_income, recordings.total_streams) == (Decimal("4.70"), 1500)
    assert recordings.songwriting is None
    assert [p.platform for p in recordings.platforms] == ["Spotify"]
    assert recordings.income_per_stream == s.income_per_stream


def test_no_songwriting_income_no_line(engine):
    assert import_bytes(engine, "dk.tsv", recordings()).status == "imported"
    s = songwriting.summary(engine, ALL, "USD")
    assert s.songwriting is None
    assert s.total_income == Decimal("4.70")


def test_royalty_summary_prints_the_songwriting_line_or_leaves_the_songs_out(both, capsys):
    db = both.url.render_as_string(hide_password=False)
    scope = ["--db", db, "--artist", ARTIST, "--period", "2023-01..2023-03", "--currency", "USD"]

    assert main(["summary", *scope]) == 0
    text = capsys.readouterr().out
    assert "Income            $9.25\n" in text
    assert "  Recordings      $4.70\n" in text
    assert "  Songwriting     $4.55 (Publisher $4.25, ASCAP $0.30)\n" in text

    assert main(["summary", *scope, "--no-songwriting", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total_income"], data["total_streams"], data["songwriting"]) == ("4.7", 1500, None)

    assert main(["summary", *scope, "--songwriting", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_income"] == "9.25"
    assert data["songwriting"]["songwriting_income"] == "4.55"


def test_the_html_report_has_the_songwriting_line_and_rates_only_leaves_it_out(both):
    from royalty import reports

    f = Filters(artist=ARTIST, period=Q1)
    page = reports.html_report(both, f, "USD")
    assert "Songwriting $4.55 (Publisher $4.25, ASCAP $0.30) and recordings $4.70" in page
    assert "Songwriting $4.55" not in reports.html_report(both, f, "USD", rates_only=True)
    assert reports.json_summary(both, f, "USD")["songwriting"]["songwriting_income"] == "4.55"
    hidden = reports.json_summary(both, f, "USD", rates_only=True)["songwriting"]
    assert hidden == {"sources": [{"source": "Publisher"}, {"source": "ASCAP"}]}


FIXTURES = Path(__file__).parent / "fixtures"


def test_clicknclear_keeps_a_publishing_sales_iswc_and_counts_it_with_the_recording(engine):
    result = import_path(engine, FIXTURES / "clicknclear_2024-q2_usd.csv", ImportOptions())
    assert result.status == "imported", result.message

    with engine.connect() as conn:
        named = set(conn.execute(select(Track.title, Track.isrc, Track.iswc)).all())
    assert named == {
        ("Paper Lanterns", "QZHN92400101", ""),
        ("Glasshouse (Routine Edit)", "QZHN92400102", ""),
        ("Paper Lanterns", "", "T9123456782"),  # the composition: its ISWC, never as an ISRC
        ("Glasshouse", "", "T9123456793"),
    }
    assert matched(engine) == {"Paper Lanterns": ("Paper Lanterns", BY_TITLE)}
    both = songwriting.by_track(engine, Filters(artist="Juniper Vale, The Marrow Lights"), "USD")
    assert [(r.title, r.recording, r.songwriting) for r in both.itertuples(index=False)] == [
        (
            "Paper Lanterns",
            Decimal("18.9582"),
            Decimal("9.4791"),
        ),  # 7.2916 + 11.6666 | 3.6458 + 5.8333
    ]
    # another edit is another recording: the song "Glasshouse" is a track of its own
    alone = songwriting.by_track(engine, Filters(artist="Juniper Vale"), "USD")
    assert [(r.title, r.recording, r.songwriting) for r in alone.itertuples(index=False)] == [
        ("Glasshouse", Decimal("0"), Decimal("8.75")),
        ("Glasshouse (Routine Edit)", Decimal("5.4139"), Decimal("0")),
    ]


def test_a_prs_work_number_is_not_kept_as_an_iswc(engine):
    result = import_path(engine, FIXTURES / "prs_2024-04_distribution.csv", ImportOptions())
    assert result.status == "imported", result.message
    with engine.connect() as conn:
        assert set(conn.execute(select(Track.iswc)).scalars()) == {""}


def test_the_card_says_what_of_its_income_was_songwriting(both):
    from royalty import reports
    from royalty.reports import card

    data = reports.gather(both, Filters(artist=ARTIST, period=Q1), "USD")
    for size in ("portrait", "story"):
        page = card.card_html(data, size)
        assert "$9.25" in page  # everything earned, as the summary counts it
        assert "$4.70 from 1,500 streams · $4.55 songwriting" in page

    rates = reports.gather(both, Filters(artist=ARTIST, period=Q1), "USD", rates_only=True)
    assert "songwriting" not in card.card_html(rates, "portrait")  # an income figure


def test_the_spreadsheets_summary_has_recording_and_songwriting_income(both):
    import csv
    import io

    import openpyxl

    from royalty import reports

    f = Filters(artist=ARTIST, period=Q1)
    book = openpyxl.load_workbook(io.BytesIO(reports.xlsx_bytes(both, f, "USD")))
    facts = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert facts["Total income (USD)"] == 9.25  # numbers in the sheet, as written
    assert facts["Recording income (USD)"] == 4.7
    assert facts["Songwriting income (USD)"] == 4.55
    assert facts["Songwriting from Publisher (USD)"] == 4.25
    assert facts["Songwriting from ASCAP (USD)"] == 0.3
    rows = list(
        csv.reader(io.StringIO(reports.csv_bytes(both, f, "USD", table="summary").decode()))
    )
    assert ["Songwriting income (USD)", "4.55"] in [r[:2] for r in rows]
    rates = openpyxl.load_workbook(io.BytesIO(reports.xlsx_bytes(both, f, "USD", rates_only=True)))
    labels = [r[0] for r in rates["Summary"].iter_rows(min_row=2, values_only=True)]
    assert not [label for label in labels if "ongwriting" in label or "Recording" in label]
