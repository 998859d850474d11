"""The pages show songwriting income beside recording income: the Tracks page's Recording and
Songwriting columns, the Platforms page's sources, the Unwrapped page's line and its checkbox;
and nothing of it where no society or publisher statement was imported."""

from __future__ import annotations

from decimal import Decimal

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from test_app import APP
from test_ingest import dk_file, dk_row
from test_works import ARTIST, ASCAP, Q1, SONGS, recordings

from royalty import formatting
from royalty.importers import ImportOptions
from royalty.ingest import import_bytes
from royalty.store import db


def money(text: str) -> str:
    return formatting.money(Decimal(text), "USD")


@pytest.fixture
def app_db(engine, monkeypatch):
    """The app opened on ``engine``'s database (imports go in before a page is opened)."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ROYALTY_NO_SAMPLE", "1")
    monkeypatch.delenv("ROYALTY_DB", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    db.get_engine.cache_clear()
    return engine


def songs_and_recordings(engine) -> None:
    for name, body, options in (
        ("dk.tsv", recordings(), ImportOptions()),
        ("publisher.csv", SONGS, ImportOptions(artist=ARTIST, period=Q1)),
        ("ascap.csv", ASCAP, ImportOptions(artist=ARTIST)),
    ):
        result = import_bytes(engine, name, body, options)
        assert result.status == "imported", result.message


def page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, at.exception
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str) -> list[dict[str, str]]:
    frame = next(t.value for t in at.dataframe if column in t.value.columns)
    return frame.to_dict("records")


def test_the_tracks_page_shows_recording_and_songwriting_per_track(app_db):
    songs_and_recordings(app_db)
    at = page("tracks")

    rows = table(at, "Songwriting")
    assert [(r["Track"], r["Income"], r["Recording"], r["Songwriting"], r["Streams"])
            for r in rows] == [
        ("Tin Roof Psalm", money("6.25"), money("3.20"), money("3.05"), "1,000"),
        ("Harbour", money("1.90"), money("1.50"), money("0.40"), "500"),
        ("Lantern Song", money("1.10"), money("0"), money("1.10"), "0"),
    ]  # fmt: skip
    assert any("Per stream and streams are the recording's" in c.value for c in at.caption)


def test_the_platforms_page_shows_each_source_recording_and_songwriting(app_db):
    songs_and_recordings(app_db)
    at = page("platforms")

    assert [(r["Source"], r["Income"], r["Recording"], r["Songwriting"])
            for r in table(at, "Songwriting")] == [
        ("DistroKid", money("4.70"), money("4.70"), money("0")),
        ("Publisher", money("4.25"), money("0"), money("4.25")),
        ("ASCAP", money("0.30"), money("0"), money("0.30")),
    ]  # fmt: skip


def test_the_unwrapped_page_has_a_songwriting_line_and_can_leave_it_out(app_db):
    songs_and_recordings(app_db)
    at = page("unwrapped")

    assert at.metric[0].value == money("9.25")
    line = next(m.value for m in at.markdown if "**Songwriting**" in m.value)
    assert line.startswith(
        f"**Songwriting** {money('4.55')} (Publisher {money('4.25')}, ASCAP {money('0.30')}) "
        f"and **recordings** {money('4.70')}."
    )

    at.checkbox(key="unwrapped_songwriting").uncheck().run()

    assert not at.exception, at.exception
    assert at.metric[0].value == money("4.70")
    assert not any("**Songwriting**" in m.value for m in at.markdown)
    assert at.checkbox(key="unwrapped_songwriting").value is False


def test_without_songwriting_income_the_pages_are_as_they_were(app_db):
    result = import_bytes(app_db, "dk.tsv", dk_file([dk_row("2023-01", "3.20")]))
    assert result.status == "imported", result.message

    tracks = page("tracks")
    assert "Songwriting" not in table(tracks, "Track")[0]
    assert not any("Songwriting" in t.value.columns for t in page("platforms").dataframe)
    unwrapped = page("unwrapped")
    assert not [c for c in unwrapped.checkbox if c.key == "unwrapped_songwriting"]
