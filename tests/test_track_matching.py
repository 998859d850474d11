"""One recording is one track across distributors: the same ISRC whatever the titles, a
Bandcamp title (no ISRC) with the recording of the same artist and normalized title, never a
different mix or edit; a wrong match split again stays split through removals and re-imports;
every figure stays exact.

Statements are built row by row (DistroKid and CD Baby give ISRCs, Bandcamp does not), and
the expected figures are summed with Decimal from the same text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from test_import_counts import bandcamp
from test_ingest import dk_file, dk_row

from royalty import analytics, formatting
from royalty.analytics.aggregate import Filters
from royalty.cli import main
from royalty.formatting import markdown_text
from royalty.ingest import import_bytes
from royalty.store import track_links
from royalty.store.models import EarningLine, Track, TrackLink, TrackSplit
from royalty.store.statements import remove_statements
from royalty.track_matching import StoredTrack, links, normalized_title

ARTIST = "Cold Harbor Choir"
ISRC = "QZPLR2280031"
CDBABY_HEADER = (
    "Report Date\tSales Date\tQuantity\tPrice\tSubtotal\tIsrc\tBarcode\tCDBabySku\tAlbum Name"
    "\tArtist Name\tTrack Name\tPartner Name\tTransaction Type\tDelivery Country"
)


def cdbaby(*rows: tuple[str, str, str, str]) -> bytes:
    """CD Baby lines of (track name, ISRC, streams, amount), July 2023, on Spotify US."""
    lines = [
        f"10/15/2023 12:00:00 AM\t7/31/2023 12:00:00 AM\t{streams}\t0.004\t{amount}\t{isrc}"
        f'\t"884501723416"\tcoldharbor1\tHarbour Songs\t{ARTIST}\t{title}\tSpotify\tStream\tUS'
        for title, isrc, streams, amount in rows
    ]
    return ("\n".join([CDBABY_HEADER, *lines]) + "\n").encode()


def bandcamp_sale(title: str, net: str, *, when: str = "1/4/23 4:14am", tid: str = "t1") -> str:
    """A Bandcamp track download (Bandcamp gives no ISRC)."""
    return f"{when},Bandcamp,track,{title},{ARTIST},USD,1,1,,1,0.15,credit card,1,0,{tid},,{net}"


def tracks(engine, artist: str | None = ARTIST) -> list[tuple[str, str, int, Decimal]]:
    """The Tracks page's table: (title, ISRC, streams, income), by income."""
    frame = analytics.top_tracks(engine, Filters(artist=artist), "USD", limit=None)
    return [(r.title, r.isrc, int(r.streams), r.income) for r in frame.itertuples(index=False)]


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def imported(engine, name: str, data: bytes) -> int:
    result = import_bytes(engine, name, data)
    assert result.status == "imported", result.message
    return result.statement_id


def line_sum(engine) -> Decimal:
    """Every stored line's amount, summed exactly (all in USD here)."""
    with engine.connect() as conn:
        return sum((Decimal(a) for a in conn.execute(select(EarningLine.amount)).scalars()),
                   Decimal(0))  # fmt: skip


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Tin Roof Psalm", "TIN ROOF PSALM"),
        ("Café del Puerto", "Cafe Del Puerto"),
        ("Fjordenʼs Lys", "Fjorden's Lys"),
        ("Salt & Smoke", "Salt and Smoke"),
        ("Undertow (feat. Mira Sol)", "Undertow"),
        ("Undertow [Feat Mira Sol]", "Undertow"),
        ("Undertow feat. Mira Sol", "Undertow"),
        ("Undertow (featuring Mira Sol) [Radio Edit]", "Undertow - Radio Edit"),
        ("Song - Live", "Song (Live)"),
        ("Straße", "STRASSE"),
    ],
)
def test_titles_that_differ_only_in_spelling_are_one(a, b):
    assert normalized_title(a) == normalized_title(b) != ""


@pytest.mark.parametrize(
    "a, b",
    [
        ("Tin Roof Psalm", "Tin Roof Psalm (Radio Edit)"),
        ("Tin Roof Psalm", "Tin Roof Psalm - Remastered 2011"),
        ("Tin Roof Psalm", "Tin Roof Psalm (Live)"),
        ("Tin Roof Psalm", "Tin Roof Psalm (Original Mix)"),
        ("Tin Roof Psalm (Extended Mix)", "Tin Roof Psalm (Club Mix)"),
        ("Tin Roof Psalm", "Tin Roof Psalm (Acoustic)"),
        ("Tin Roof Psalm", "Tin Roof Psalm (Instrumental)"),
        ("Harbour, Pt. 1", "Harbour, Pt. 2"),
        ("Great Feat of Strength", "Great"),
        ("Six Ft. Under", "Six"),
        ("कमल", "कमला"),  # a vowel sign is a letter's part, not an accent
    ],
)
def test_another_mix_edit_or_version_is_another_recording(a, b):
    assert normalized_title(a) != normalized_title(b)


def test_a_title_of_punctuation_matches_nothing():
    rows = [StoredTrack(1, ISRC, "..."), StoredTrack(2, "", "..."), StoredTrack(3, "", "?!")]
    assert normalized_title("...") == ""
    assert links(rows) == []


def test_the_rule_on_rows():
    rows = [
        StoredTrack(1, ISRC, "Tin Roof Psalm"),
        StoredTrack(2, "", "tin roof psalm"),
        StoredTrack(3, ISRC, "Tin Roof Psalm (2023 Version)"),
        StoredTrack(4, "", "Tin Roof Psalm (Radio Edit)"),
        StoredTrack(5, "", "Tin Roof Psalm (radio edit)"),
        StoredTrack(6, "QZPLR2280099", "Harbour"),
        StoredTrack(7, "QZPLR2280098", "Harbour"),  # a re-recording: its own ISRC
        StoredTrack(8, "", "Harbour"),
    ]
    found = {(link.track, link.canonical, link.by) for link in links(rows)}
    assert found == {
        (2, 1, "title"),  # a Bandcamp title joins the one recording of that title
        (3, 1, "isrc"),  # the same ISRC, another title
        (5, 4, "title"),  # two title-only spellings of one edit
    }  # 6, 7 and 8 stay apart: which "Harbour" the Bandcamp one is cannot be told


# --- on the database -----------------------------------------------------------------------


def test_the_same_isrc_from_two_distributors_is_one_track_whatever_the_titles(engine):
    # today's import already gave one track per ISRC within a source: still so
    imported(engine, "dk.tsv", dk_file([dk_row("2023-07", "1.00000000", quantity="250"),
                                        dk_row("2023-08", "2.00000000", quantity="500")]))  # fmt: skip
    assert count(engine, Track) == 1
    imported(engine, "cdbaby.txt", cdbaby(("Tin Roof Psalm (Single Version)", ISRC, "100",
                                           "0.4000000000")))  # fmt: skip

    assert count(engine, Track) == 2  # each spelling is a row ...
    assert tracks(engine) == [
        ("Tin Roof Psalm", ISRC, 850, Decimal("3.400000000"))
    ]  # ... one track
    (merged,) = analytics.merged_tracks(engine)
    assert [(t.title, t.isrc, t.sources, t.matched_by) for t in merged.titles] == [
        ("Tin Roof Psalm", ISRC, ("DistroKid",), None),
        ("Tin Roof Psalm (Single Version)", ISRC, ("CD Baby",), "isrc"),
    ]


@pytest.mark.parametrize("bandcamp_first", [False, True])
def test_a_bandcamp_title_is_the_recording_with_that_title_and_an_isrc(engine, bandcamp_first):
    dk = dk_file([dk_row("2023-01", "0.60000000", title="Undertow (feat. Mira Sol)",
                         quantity="200")])  # fmt: skip
    bc = bandcamp(bandcamp_sale("Undertow", "0.85"), bandcamp_sale("UNDERTOW", "1.70", tid="t2"))
    for name, data in [("bc.csv", bc), ("dk.tsv", dk)][:: 1 if bandcamp_first else -1]:
        imported(engine, name, data)

    assert tracks(engine) == [("Undertow (feat. Mira Sol)", ISRC, 200, Decimal("3.150000000"))]
    (merged,) = analytics.merged_tracks(engine)
    assert merged.title == "Undertow (feat. Mira Sol)"  # shown as the recording with the ISRC
    assert sorted((t.title, t.matched_by) for t in merged.titles[1:]) == [
        ("UNDERTOW", "title"), ("Undertow", "title"),
    ]  # fmt: skip
    assert {s for t in merged.titles for s in t.sources} == {"Bandcamp", "DistroKid"}


def test_a_different_mix_or_edit_is_another_track(engine):
    imported(engine, "dk.tsv", dk_file([dk_row("2023-01", "0.50000000")]))
    imported(engine, "bc.csv", bandcamp(
        bandcamp_sale("Tin Roof Psalm (Radio Edit)", "0.85"),
        bandcamp_sale("Tin Roof Psalm - Live", "0.80", tid="t2"),
        bandcamp_sale("Tin Roof Psalm", "0.75", tid="t3"),
    ))  # fmt: skip

    assert tracks(engine) == [
        ("Tin Roof Psalm", ISRC, 10, Decimal("1.250000000")),
        ("Tin Roof Psalm (Radio Edit)", "", 0, Decimal("0.850000000")),
        ("Tin Roof Psalm - Live", "", 0, Decimal("0.800000000")),
    ]


def test_a_title_two_recordings_share_joins_neither(engine):
    imported(engine, "dk.tsv", dk_file([dk_row("2023-01", "0.50000000", title="Harbour"),
                                        dk_row("2023-01", "0.25000000", title="Harbour",
                                               isrc="QZPLR2280099")]))  # fmt: skip
    imported(engine, "bc.csv", bandcamp(bandcamp_sale("Harbour", "0.85")))

    assert len(tracks(engine)) == 3
    assert analytics.merged_tracks(engine) == []


def test_a_split_stands_through_removal_and_reimport_and_can_be_undone(engine):
    dk = dk_file([dk_row("2023-01", "0.60000000", quantity="200")])
    bc = bandcamp(bandcamp_sale("Tin Roof Psalm", "0.85"))
    dk_id, bc_id = imported(engine, "dk.tsv", dk), imported(engine, "bc.csv", bc)
    (merged,) = analytics.merged_tracks(engine)
    assert tracks(engine) == [("Tin Roof Psalm", ISRC, 200, Decimal("1.450000000"))]

    done = track_links.split(engine, merged.track_id, "Tin Roof Psalm")

    assert done.track_id == merged.track_id
    assert [(i, s, t) for i, s, t in done.titles] == [
        (merged.titles[1].track_id, "", "Tin Roof Psalm")
    ]
    apart = [("Tin Roof Psalm", "", 0, Decimal("0.850000000")),
             ("Tin Roof Psalm", ISRC, 200, Decimal("0.600000000"))]  # fmt: skip
    assert tracks(engine) == apart
    assert analytics.merged_tracks(engine) == []
    # removed and imported again, in the other order, and a new Bandcamp statement: still apart
    remove_statements(engine, [dk_id, bc_id])
    assert count(engine, Track) == count(engine, TrackLink) == 0
    assert count(engine, TrackSplit) == 1  # a person's decision, not an orphan
    bc_id = imported(engine, "bc.csv", bc)
    imported(engine, "dk.tsv", dk)
    imported(engine, "bc2.csv", bandcamp(bandcamp_sale("tin roof psalm", "1.00", tid="t9",
                                                      when="2/4/23 4:14am")))  # fmt: skip
    assert tracks(engine) == [("Tin Roof Psalm", "", 0, Decimal("1.850000000")),
                              ("Tin Roof Psalm", ISRC, 200, Decimal("0.600000000"))]  # fmt: skip
    # the split spelling's statement goes; another spelling of it stays split, and undoable
    remove_statements(engine, [bc_id])
    (kept,) = analytics.kept_apart(engine)
    assert (kept.artist, kept.isrc, kept.title) == (ARTIST, "", "Tin Roof Psalm")
    assert tracks(engine) == [("tin roof psalm", "", 0, Decimal("1.000000000")),
                              ("Tin Roof Psalm", ISRC, 200, Decimal("0.600000000"))]  # fmt: skip
    assert kept.track_id == int(analytics.top_tracks(engine, Filters(), "USD")["track_id"].iloc[0])

    track_links.unsplit(engine, kept.track_id)

    assert tracks(engine) == [("Tin Roof Psalm", ISRC, 200, Decimal("1.600000000"))]
    assert analytics.kept_apart(engine) == []


def test_splitting_nothing_merged_or_an_unknown_title_changes_nothing(engine):
    imported(engine, "dk.tsv", dk_file([dk_row("2023-01", "0.60000000")]))
    imported(engine, "bc.csv", bandcamp(bandcamp_sale("Tin Roof Psalm", "0.85")))
    (merged,) = analytics.merged_tracks(engine)
    imported(engine, "dk2.tsv", dk_file([dk_row("2023-02", "0.10000000", title="Lamplighter",
                                                isrc="QZPLR2280032")]))  # fmt: skip
    alone = next(t for t in analytics.top_tracks(engine, Filters(), "USD").itertuples()
                 if t.title == "Lamplighter").track_id  # fmt: skip

    with pytest.raises(track_links.TrackNotFound, match="not counted with any other"):
        track_links.split(engine, alone)
    with pytest.raises(track_links.TrackNotFound, match="no title 'Harbour'"):
        track_links.split(engine, merged.track_id, "Harbour")
    with pytest.raises(track_links.TrackNotFound, match="no track with id 4242"):
        track_links.split(engine, 4242)
    with pytest.raises(track_links.TrackNotFound, match="was not split"):
        track_links.unsplit(engine, merged.track_id)
    assert count(engine, TrackSplit) == 0
    assert len(analytics.merged_tracks(engine)) == 1


def test_removing_a_statement_removes_its_tracks_and_their_links(engine):
    dk_id = imported(engine, "dk.tsv", dk_file([dk_row("2023-01", "0.60000000")]))
    imported(engine, "bc.csv", bandcamp(bandcamp_sale("Tin Roof Psalm", "0.85"),
                                        bandcamp_sale("tin roof psalm", "0.15", tid="t2")))  # fmt: skip
    assert count(engine, TrackLink) == 2

    remove_statements(
        engine, [dk_id]
    )  # the recording with the ISRC goes: the two spellings stay one

    assert count(engine, Track) == 2 and count(engine, TrackLink) == 1
    assert tracks(engine) == [("Tin Roof Psalm", "", 0, Decimal("1.000000000"))]


def test_every_track_figure_is_exact_with_merged_tracks(engine):
    imported(engine, "dk.tsv", dk_file([
        dk_row("2023-01", "0.60000000", quantity="200"),
        dk_row("2023-01", "0.00300000", quantity="1", store="Apple Music"),
        dk_row("2023-02", "0.01234567", quantity="3", title="Lamplighter", isrc="QZPLR2280032"),
    ]))  # fmt: skip
    imported(engine, "cdbaby.txt", cdbaby(("Tin Roof Psalm - Single", ISRC, "7", "0.0280000001")))
    imported(engine, "bc.csv", bandcamp(bandcamp_sale("tin roof psalm", "0.85"),
                                        bandcamp_sale("Lamplighter", "0.33", tid="t2")))  # fmt: skip
    every = analytics.top_tracks(engine, Filters(), "USD", limit=None)

    assert [(r.title, int(r.streams), r.income) for r in every.itertuples()] == [
        ("Tin Roof Psalm", 208, Decimal("1.481000000")),  # 0.6 + 0.003 + 0.028 + 0.85
        ("Lamplighter", 3, Decimal("0.342345670")),
    ]
    assert sum(every["income"], Decimal(0)) == line_sum(engine).quantize(Decimal("1e-9"))
    view = analytics.overview(engine, Filters(), "USD")
    assert view.total_income == sum(every["income"], Decimal(0))
    assert view.total_streams == int(every["streams"].sum())
    shown = int(every["track_id"].iloc[0])
    # a track filter takes every row of the track, by the id shown or any of its rows' ids
    (merged,) = [m for m in analytics.merged_tracks(engine) if m.track_id == shown]
    for any_id in (t.track_id for t in merged.titles):
        chosen = analytics.overview(engine, Filters(tracks=(any_id,)), "USD")
        assert (chosen.total_streams, chosen.total_income) == (208, Decimal("1.481000000"))
    # Spotify's 1,000-stream list and Unwrapped count the track as one
    low = analytics.low_stream_tracks(engine, Filters(period=(202301, 202312)), "USD")
    assert [(r.title, int(r.streams)) for r in low.itertuples()] == [
        ("Lamplighter", 3), ("Tin Roof Psalm", 207),
    ]  # fmt: skip
    summary = analytics.unwrapped(engine, Filters(period=(202301, 202312)), "USD")
    assert summary.top_track is not None
    assert (summary.top_track.title, summary.top_track.streams) == ("Tin Roof Psalm", 208)
    # the per-stream rate of the merged track is its stream income over its streams
    rate = every["income_per_stream"].iloc[0]
    assert rate == (Decimal("0.631000000") / 208).quantize(Decimal("1e-12"))
    # a platform filter reads the track-and-platform summary through the same links
    spotify = analytics.top_tracks(engine, Filters(platforms=("Spotify",)), "USD")
    assert [(r.title, int(r.streams), r.income) for r in spotify.itertuples()] == [
        ("Tin Roof Psalm", 207, Decimal("0.628000000")),
        ("Lamplighter", 3, Decimal("0.012345670")),
    ]
    # and with a territory too, where only the lines have every column
    us = replace(Filters(platforms=("Spotify",)), territories=("US",), tracks=(shown,))
    assert analytics.overview(engine, us, "USD").total_income == Decimal("0.628000000")


# --- the command line ----------------------------------------------------------------------


def test_tracks_merged_split_kept_apart_unsplit_on_the_command_line(engine, capsys):
    url = engine.url.render_as_string(hide_password=False)
    imported(engine, "dk.tsv", dk_file([dk_row("2023-01", "0.60000000")]))
    imported(engine, "bc.csv", bandcamp(bandcamp_sale("Tin Roof Psalm", "0.85")))

    assert main(["tracks", "merged", "--db", url, "--json"]) == 0
    (merged,) = json.loads(capsys.readouterr().out)
    assert merged["title"] == "Tin Roof Psalm" and merged["isrc"] == ISRC
    assert [(t["title"], t["isrc"], t["sources"], t["matched_by"]) for t in merged["titles"]] == [
        ("Tin Roof Psalm", ISRC, ["DistroKid"], None),
        ("Tin Roof Psalm", "", ["Bandcamp"], "title"),
    ]
    assert main(["tracks", "merged", "--db", url]) == 0
    assert "same title" in capsys.readouterr().out

    assert main(["tracks", "split", str(merged["track_id"]), "Tin Roof Psalm", "--db", url,
                 "--json"]) == 0  # fmt: skip
    done = json.loads(capsys.readouterr().out)
    member = merged["titles"][1]["track_id"]
    assert done["titles"] == [{"track_id": member, "isrc": "", "title": "Tin Roof Psalm"}]
    assert main(["tracks", "merged", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["tracks", "kept-apart", "--db", url, "--json"]) == 0
    (kept,) = json.loads(capsys.readouterr().out)
    assert (kept["track_id"], kept["title"], kept["isrc"]) == (member, "Tin Roof Psalm", "")

    assert main(["tracks", "split", "4242", "--db", url]) == 1
    assert "no track with id 4242" in capsys.readouterr().err
    assert main(["tracks", "unsplit", str(member), "--db", url]) == 0
    assert "matched by the rule again" in capsys.readouterr().out
    assert main(["tracks", "merged", "--db", url, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


# --- the Tracks page -----------------------------------------------------------------------


def open_tracks_page(engine, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from test_app import APP

    from royalty.store import db

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ROYALTY_NO_SAMPLE", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    db.get_engine.cache_clear()
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("app_pages/tracks.py").run()
    assert not at.exception, at.exception
    return at


def table(at, column: str) -> list[dict[str, str]]:
    """The first table on the page with ``column``, as text rows."""
    frame = next(t.value for t in at.dataframe if column in t.value.columns)
    return frame.to_dict("records")


def money(text: str) -> str:
    return formatting.money(Decimal(text), "USD")


def test_the_tracks_page_says_which_titles_were_merged_and_splits_one(engine, monkeypatch):
    imported(engine, "dk.tsv", dk_file([dk_row("2023-01", "0.60000000", quantity="200"),
                                        dk_row("2023-02", "0.01234567", title="Lamplighter",
                                               isrc="QZPLR2280032")]))  # fmt: skip
    imported(engine, "bc.csv", bandcamp(bandcamp_sale("Tin Roof Psalm", "0.85")))

    at = open_tracks_page(engine, monkeypatch)
    top = table(at, "Also reported as")
    assert [(r["Track"], r["ISRC"], r["Streams"], r["Income"], r["Also reported as"])
            for r in top] == [
        ("Tin Roof Psalm", ISRC, "200", money("1.45"), "Tin Roof Psalm (Bandcamp; no ISRC)"),
        ("Lamplighter", "QZPLR2280032", "10", money("0.01234567"), ""),
    ]  # fmt: skip
    assert table(at, "Matched by") == [
        {"Track": "Tin Roof Psalm", "Also reported as": "Tin Roof Psalm", "ISRC": "none",
         "Reported by": "Bandcamp", "Matched by": "same artist and title"},
    ]  # fmt: skip

    at.button(key="tracks_split").click().run()

    assert not at.exception, at.exception
    assert any("a track of its own now" in s.value for s in at.success)
    top = table(at, "Track")
    assert [(r["Track"], r["ISRC"], r["Income"]) for r in top] == [
        ("Tin Roof Psalm", "", money("0.85")),
        ("Tin Roof Psalm", ISRC, money("0.6")),
        ("Lamplighter", "QZPLR2280032", money("0.01234567")),
    ]
    assert "Also reported as" not in top[0]

    at.button(key="tracks_unsplit").click().run()

    assert not at.exception, at.exception
    assert [r["Income"] for r in table(at, "Also reported as")] == [money("1.45"),
                                                                    money("0.01234567")]  # fmt: skip


def test_a_split_titles_text_stays_text_on_the_page(engine, monkeypatch):
    hostile = "Psalm *bold* [x](http://127.0.0.1:8799/a) <b>tag</b>"
    imported(engine, "dk.tsv", dk_file([dk_row("2023-01", "0.60000000", title=hostile)]))
    imported(engine, "bc.csv", bandcamp(bandcamp_sale(hostile, "0.85")))
    at = open_tracks_page(engine, monkeypatch)
    assert [r["Also reported as"] for r in table(at, "Matched by")] == [hostile]

    at.button(key="tracks_split").click().run()

    (notice,) = [s.value for s in at.success]
    assert markdown_text(f"{hostile} (Bandcamp; no ISRC) in “{hostile}”") in notice
    assert "](http" not in notice and "<b>" not in notice


# --- payees' splits ------------------------------------------------------------------------


def test_a_payees_split_by_isrc_covers_the_bandcamp_title_of_that_recording(engine):
    from fractions import Fraction

    from royalty.analytics.payees import payees
    from royalty.shares import row
    from royalty.store.splits import save_splits

    imported(engine, "dk.tsv", dk_file([dk_row("2023-01", "0.60000000", quantity="200")]))
    imported(engine, "bc.csv", bandcamp(bandcamp_sale("Tin Roof Psalm", "0.80")))
    save_splits(engine, ARTIST, [row("Ana", "50%", isrc=ISRC), row("Ben", "50%", isrc=ISRC)])
    year = Filters(artist=ARTIST, period=(202301, 202312))

    shared = {s.payee: s.exact for s in payees(engine, year, "USD").payees}
    assert shared == {"Ana": Fraction("0.70"), "Ben": Fraction("0.70")}  # (0.60 + 0.80) / 2

    (merged,) = analytics.merged_tracks(engine)
    track_links.split(engine, merged.titles[1].track_id)  # Bandcamp's title: not that recording

    apart = {s.payee: s.exact for s in payees(engine, year, "USD").payees}
    assert apart == {"Ana": Fraction("0.30"), "Ben": Fraction("0.30"), ARTIST: Fraction("0.80")}
