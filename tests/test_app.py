"""Every page of the Streamlit app, run headless with AppTest: sample data, an empty database,
changed filters, and the Import page's upload -> preview -> import -> result table.

The app reads ``DATABASE_URL``; each test points it at its own SQLite file. Streamlit's caches
outlive one AppTest, so they are cleared before each test.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from royalty import analytics, formatting, ingest, sample
from royalty.store import db
from royalty.store.models import EarningLine, Statement

APP = str(Path(__file__).resolve().parent.parent / "app.py")
FIXTURES = Path(__file__).parent / "fixtures"
PAGES = {
    "app_pages/overview.py": ("Overview", True),
    "app_pages/platforms.py": ("Platforms", True),
    "app_pages/tracks.py": ("Tracks", True),
    "app_pages/territories.py": ("Territories", True),
    "app_pages/unwrapped.py": ("Unwrapped", True),
    "app_pages/splits.py": ("Splits", False),
    "app_pages/statements.py": ("Statements", False),
    "app_pages/import_statements.py": ("Import statements", False),
}
"""page -> (title, draws plotly charts on sample data)."""


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample statements imported once; each test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    eng = db.make_engine(f"sqlite:///{path}")
    sample.ensure_sample_data(eng)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    db.get_engine.cache_clear()
    return path


def _use_db(monkeypatch: pytest.MonkeyPatch, path: Path, *, sample_on: bool = True) -> str:
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("ROYALTY_DB", raising=False)
    if sample_on:
        monkeypatch.delenv("ROYALTY_NO_SAMPLE", raising=False)
    else:
        monkeypatch.setenv("ROYALTY_NO_SAMPLE", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    db.get_engine.cache_clear()
    return url


@pytest.fixture
def on_sample(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    copy = tmp_path / "app.db"
    shutil.copy(sample_db, copy)
    return _use_db(monkeypatch, copy)


@pytest.fixture
def on_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return _use_db(monkeypatch, tmp_path / "empty.db", sample_on=False)


def _open(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _frame(at: AppTest, column: str):
    """The first table on the page with ``column`` (tables are not widgets, so have no key)."""
    for table in at.dataframe:
        if column in table.value.columns:
            return table.value
    raise AssertionError(f"no table with a {column!r} column")


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [i.value for i in at.info] + [e.value for e in at.error] + [s.value for s in at.success]
    )
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_the_sample(on_sample: str, page: str) -> None:
    title, has_charts = PAGES[page]
    at = _open(page)
    assert [t.value for t in at.title] == [title]
    assert not at.error
    if has_charts:
        charts = _charts(at)
        assert charts, f"{page} drew no chart"
        assert all(c["layout"]["title"]["text"] for c in charts)
    if page != "app_pages/import_statements.py":
        assert "sample data" in _texts(at).lower()


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_is_friendly_on_an_empty_database(on_empty: str, page: str) -> None:
    at = _open(page)
    assert [t.value for t in at.title] == [PAGES[page][0]]
    assert not at.error
    if page != "app_pages/import_statements.py":
        assert any("No data yet" in i.value for i in at.info)
        assert not at.get("plotly_chart")
    eng = db.get_engine(on_empty)
    assert not analytics.has_data(eng)


def test_the_overview_metrics_are_the_exact_analytics_figures(on_sample: str) -> None:
    at = _open("app_pages/overview.py")
    eng = db.get_engine(on_sample)
    currency = at.selectbox(key="f_currency").value
    assert currency == analytics.main_currency(eng)
    year = analytics.latest_full_year(eng)  # the sidebar starts on the latest full year
    assert at.selectbox(key="f_period").value == str(year)
    ov = analytics.overview(
        eng, analytics.Filters(period=(year * 100 + 1, year * 100 + 12)), currency
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total income"] == formatting.money(ov.total_income, currency)
    assert metrics["Streams"] == formatting.count(ov.total_streams)
    assert metrics["Average per stream"] == formatting.rate(ov.income_per_stream, currency)
    assert "£0.00" not in metrics["Average per stream"]


def test_filters_change_every_page(on_sample: str) -> None:
    at = _open("app_pages/platforms.py")
    eng = db.get_engine(on_sample)
    years = analytics.years(eng)
    at.selectbox(key="f_period").set_value(str(years[0])).run()
    at.multiselect(key="f_platforms").set_value(["Spotify"]).run()
    at.selectbox(key="f_currency").set_value("EUR").run()
    at.number_input(key="f_min_streams").set_value(10).run()
    assert not at.exception, at.exception
    table = _frame(at, "Share of income")
    assert list(table["Platform"]) == ["Spotify"]
    f = analytics.Filters(period=(years[0] * 100 + 1, years[0] * 100 + 12), platforms=("Spotify",))
    expected = analytics.platform_table(eng, f, "EUR", min_streams=10)
    assert list(table["Income"]) == [formatting.money(v, "EUR") for v in expected["income"]]
    for page in [*PAGES, "app_pages/overview.py"]:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        if page not in ("app_pages/import_statements.py", "app_pages/statements.py"):
            # the filters survive page changes, including visits to Statements and Import
            # (pages without the sidebar's filters)
            assert at.selectbox(key="f_currency").value == "EUR"
            assert at.multiselect(key="f_platforms").value == ["Spotify"]
            assert any("EUR" in c.value for c in at.caption)


def test_a_custom_month_range_and_an_artist(on_sample: str) -> None:
    at = _open("app_pages/overview.py")
    eng = db.get_engine(on_sample)
    months = analytics.months(eng)
    at.selectbox(key="f_period").set_value("Choose months…").run()
    first, last = (
        f"{months[2] // 100}-{months[2] % 100:02d}",
        f"{months[5] // 100}-{months[5] % 100:02d}",
    )
    at.select_slider(key="f_months").set_range(first, last).run()
    assert not at.exception, at.exception
    currency = at.selectbox(key="f_currency").value
    ov = analytics.overview(eng, analytics.Filters(period=(months[2], months[5])), currency)
    assert {m.label: m.value for m in at.metric}["Total income"] == formatting.money(
        ov.total_income, currency
    )
    assert len(_charts(at)[0]["data"][0]["x"]) == 4

    artist = analytics.artists(eng)[0]
    at.selectbox(key="f_artist").set_value(artist).run()
    at.multiselect(key="f_kinds").set_value(["stream"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="f_period").value == "Choose months…"  # the range is kept
    assert at.select_slider(key="f_months").value == (first, last)
    f = analytics.Filters(artist=artist, period=(months[2], months[5]), kinds=("stream",))
    ov = analytics.overview(eng, f, currency)
    assert {m.label: m.value for m in at.metric}["Total income"] == formatting.money(
        ov.total_income, currency
    )
    assert any(artist in c.value and "Stream" in c.value for c in at.caption)


def test_unwrapped_controls(on_sample: str) -> None:
    at = _open("app_pages/unwrapped.py")
    at.slider(key="unwrapped_royalty").set_value(50).run()
    at.number_input(key="unwrapped_members").set_value(3).run()
    assert not at.exception, at.exception
    names = at.selectbox(key="whatif_from").options
    at.selectbox(key="whatif_from").set_value(names[-1]).run()
    assert not at.exception, at.exception
    at.radio(key="unwrapped_split_mode").set_value("Custom shares").run()
    at.text_input(key="unwrapped_shares").input("half, half").run()
    assert any(e.value.startswith("Shares") for e in at.error)  # not numbers: refused, said why
    at.text_input(key="unwrapped_shares").input("50, 25, 25").run()
    assert not at.exception and not at.error
    eng = db.get_engine(on_sample)
    year = analytics.latest_full_year(eng)
    currency = at.selectbox(key="f_currency").value
    summary = analytics.unwrapped(
        eng, analytics.Filters(period=(year * 100 + 1, year * 100 + 12)), currency,
        label_royalty=Decimal("0.5"), shares=[Decimal(50), Decimal(25), Decimal(25)],
    )  # fmt: skip
    members = _frame(at, "Member")
    assert list(members["Income"]) == [
        formatting.money(m.income, currency) for m in summary.members
    ]
    assert sum(m.income for m in summary.members) == summary.total_income.quantize(Decimal("0.01"))
    deal = formatting.money(summary.label_deal.would_have_paid, currency)
    assert any(deal in m.value for m in at.markdown)
    assert [b.label for b in at.download_button] == [
        "HTML report", "PNG card", "Spreadsheet (XLSX)", "CSV",
    ]  # fmt: skip


def test_what_if_is_exact(on_sample: str) -> None:
    at = _open("app_pages/unwrapped.py")
    at.selectbox(key="whatif_from").set_value("Spotify").run()
    at.selectbox(key="whatif_to").set_value("Apple Music").run()
    assert not at.exception, at.exception
    eng = db.get_engine(on_sample)
    year = analytics.latest_full_year(eng)
    currency = at.selectbox(key="f_currency").value
    summary = analytics.unwrapped(
        eng, analytics.Filters(period=(year * 100 + 1, year * 100 + 12)), currency
    )
    rows = {r.platform: r for r in summary.platforms}
    spotify, apple = rows["Spotify"], rows["Apple Music"]
    extra = spotify.streams * apple.stream_income / apple.streams - spotify.stream_income
    assert extra > 0
    assert any(
        f"{formatting.count(spotify.streams)} Spotify streams" in m.value
        and formatting.money(extra, currency) in m.value
        for m in at.markdown
    )
    # the summary's own what-if for the most-streamed platform agrees
    same = [
        w for w in summary.what_if if (w.from_platform, w.to_platform) == ("Spotify", "Apple Music")
    ]
    assert not same or same[0].extra_income == extra.quantize(Decimal("1e-9"))


def _statements(url: str) -> int:
    with db.get_engine(url).connect() as conn:
        return conn.execute(select(func.count(Statement.id))).scalar_one()


def test_import_page_uploads_previews_and_imports(on_empty: str) -> None:
    name = "distrokid_2023-02.tsv"
    data = (FIXTURES / name).read_bytes()
    at = _open("app_pages/import_statements.py")
    at.file_uploader(key="uploads").set_value([(name, data, "text/tab-separated-values")]).run()
    assert not at.exception, at.exception
    assert any("DistroKid" in e.label for e in at.expander)
    assert _statements(on_empty) == 0  # a preview stores nothing
    at.button(key="import_button").click().run()
    assert not at.exception, at.exception
    result = _frame(at, "Status")
    assert list(result["Status"]) == ["imported"]
    assert list(result["Layout"]) == ["distrokid"]
    assert not at.error
    eng = db.get_engine(on_empty)
    with eng.connect() as conn:
        nano = conn.execute(select(func.sum(EarningLine.amount_nano))).scalar_one()
    assert result["Totals"][0] == f"{Decimal(nano).scaleb(-9).normalize():f} USD"

    # the other pages now show the imported statement, exactly
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception, at.exception
    ov = analytics.overview(eng, analytics.Filters(), "USD")
    assert {m.label: m.value for m in at.metric}["Total income"] == formatting.money(
        ov.total_income, "USD"
    )
    assert ov.total_income == Decimal(nano).scaleb(-9)

    # the same file again adds nothing and says so
    at.switch_page("app_pages/import_statements.py").run()
    at.file_uploader(key="uploads").set_value([(name, data, "text/tab-separated-values")]).run()
    at.button(key="import_button").click().run()
    assert list(_frame(at, "Status")["Status"]) == ["duplicate"]
    assert _statements(on_empty) == 1


def test_the_sample_is_removed_after_a_confirmation_and_can_come_back(on_sample: str) -> None:
    at = _open("app_pages/overview.py")
    assert "sample data" in _texts(at).lower()
    at.switch_page("app_pages/import_statements.py").run()
    assert at.button(key="sample_remove_button").disabled  # not without the confirmation
    at.checkbox(key="sample_remove_confirm").check().run()
    at.button(key="sample_remove_button").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Removed the sample data (8 statements). It will not come back on the next start."
    ]
    assert _statements(on_sample) == 0
    assert not at.get("checkbox")  # nothing left to remove: only the offer to load it again
    assert at.button(key="sample_load_button")

    at.switch_page("app_pages/overview.py").run()
    assert not at.exception, at.exception
    assert "sample data" not in _texts(at).lower()
    assert any("No data yet" in i.value for i in at.info)
    assert not at.get("plotly_chart")

    # the next start (a new session) leaves the database empty
    again = _open("app_pages/overview.py")
    assert any("No data yet" in i.value for i in again.info)
    assert _statements(on_sample) == 0

    again.switch_page("app_pages/import_statements.py").run()
    again.button(key="sample_load_button").click().run()
    assert not again.exception, again.exception
    assert [s.value for s in again.success] == ["Loaded the sample data."]
    assert _statements(on_sample) == 8
    again.switch_page("app_pages/overview.py").run()
    assert "sample data" in _texts(again).lower()
    assert _charts(again)


def test_removing_the_sample_keeps_the_users_own_figures(on_sample: str) -> None:
    eng = db.get_engine(on_sample)
    own = ingest.import_path(eng, FIXTURES / "distrokid_2023-02.tsv")
    assert own.status == "imported", own.message
    at = _open("app_pages/import_statements.py")
    at.checkbox(key="sample_remove_confirm").check().run()
    at.button(key="sample_remove_button").click().run()
    assert not at.exception, at.exception
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception, at.exception
    assert "sample data" not in _texts(at).lower()
    assert at.selectbox(key="f_artist").options == ["All artists", "Cold Harbor Choir"]
    # filters chosen on the sample's figures start over: the user's statement is in dollars
    assert at.selectbox(key="f_currency").value == "USD"
    at.selectbox(key="f_period").set_value("All time").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total income"] == formatting.money(Decimal("8.54545271"), "USD")


def _bad_cell_statement() -> bytes:
    """A DistroKid statement whose second line's earnings are no amount."""
    lines = (FIXTURES / "distrokid_2023-02.tsv").read_bytes().split(b"\r\n")
    lines[2] = lines[2].rsplit(b"\t", 1)[0] + b"\tabc"
    return b"\r\n".join(lines)


def test_a_bad_file_shows_an_error_and_stores_nothing(on_empty: str) -> None:
    at = _open("app_pages/import_statements.py")
    files = [
        ("notes.csv", b"hello,world\n1,2\n", "text/csv"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "application/octet-stream"),
        ("bad_cell.tsv", _bad_cell_statement(), "text/plain"),
    ]
    at.file_uploader(key="uploads").set_value(files).run()
    assert not at.exception, at.exception
    assert len(at.warning) == 3  # the preview already says what is wrong
    said = at.warning[2].value.replace("\\", "").replace("\u2060", "")  # markdown escapes
    assert said.startswith("**bad_cell.tsv**: row 3, column 'Earnings (USD)': is not an amount")
    # each file named once ("broken.xlsx: broken.xlsx: ..." before), and with every preview
    # failed there is nothing to import (issue 15: the button was enabled)
    for warning, (name, _data, _mime) in zip(at.warning, files, strict=True):
        assert warning.value.replace("\\", "").count(name) == 1, warning.value
    assert at.button(key="import_button").disabled
    assert _statements(on_empty) == 0

    # beside a good file, the bad one is tried too, refused and named once, in its error box
    good = ("dk.tsv", (FIXTURES / "distrokid_2023-02.tsv").read_bytes(), "text/plain")
    at.file_uploader(key="uploads").set_value([files[1], good]).run()
    assert not at.button(key="import_button").disabled
    at.button(key="import_button").click().run()
    assert not at.exception, at.exception
    result = _frame(at, "Status")
    assert list(result["Status"]) == ["error", "imported"]
    assert result["Message"].iloc[0] == ""  # said in the error box, not again in a cut cell
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert errors[0].startswith("broken.xlsx")
    assert not at.warning  # the preview's warning gave way to the result
    assert _statements(on_empty) == 1


def test_a_bad_period_is_refused_before_import(on_empty: str) -> None:
    at = _open("app_pages/import_statements.py")
    at.text_input(key="import_period").input("last summer").run()
    assert any("Period" in e.value for e in at.error)
    data = (FIXTURES / "distrokid_2023-02.tsv").read_bytes()
    at.file_uploader(key="uploads").set_value(("dk.tsv", data, "text/plain")).run()
    assert at.button(key="import_button").disabled


def test_upload_limit_matches_the_setting() -> None:
    import tomllib

    from royalty.settings import MAX_UPLOAD_MB

    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB


def test_tables_show_exact_text_and_never_round_a_rate_to_zero() -> None:
    import pandas as pd

    from royalty.ui import views as ui_views

    frame = pd.DataFrame(
        {
            "platform": ["Spotify", "Tiny"],
            "income": [Decimal("1234.565"), Decimal("0.004")],
            "income_per_stream": [Decimal("0.0029"), None],
            "share": [Decimal("0.5"), Decimal("0.0001")],
        }
    )
    shown = ui_views.display_table(
        frame,
        "GBP",
        {
            "platform": ("Platform", "text"),
            "income": ("Income", "money"),
            "income_per_stream": ("Per stream", "rate"),
            "share": ("Share", "percent"),
        },
    )
    assert shown.to_dict("list") == {
        "Platform": ["Spotify", "Tiny"],
        "Income": ["£1,234.56", "<£0.01"],
        "Per stream": ["0.29p", "—"],
        "Share": ["50.0%", "<0.1%"],
    }
    assert shown.attrs["numeric"] == ["Income", "Per stream", "Share"]


def test_member_shares_are_parsed_or_refused_with_a_reason() -> None:
    from royalty.ui import unwrapped as ui_unwrapped

    assert ui_unwrapped.parse_shares("40, 30, 30") == (
        [Decimal(40), Decimal(30), Decimal(30)],
        None,
    )
    assert ui_unwrapped.parse_shares("2 1 1%") == ([Decimal(2), Decimal(1), Decimal(1)], None)
    for bad in ["", "a, b", "-1, 2", "0, 0"]:
        shares, problem = ui_unwrapped.parse_shares(bad)
        assert shares is None and problem.startswith("Shares")


def test_statements_page_shows_a_receipt_and_removes_after_a_confirmation(on_empty: str) -> None:
    eng = db.get_engine(on_empty)
    kept = ingest.import_path(eng, FIXTURES / "tunecore_2024-02_gbp.csv")
    gone = ingest.import_path(eng, FIXTURES / "bandcamp_2022-12_artist_utf8.csv")
    at = _open("app_pages/statements.py")
    table = _frame(at, "Stored")
    assert list(table["File"]) == [gone.file.split("/")[-1], kept.file.split("/")[-1]]
    assert list(table["Dropped"]) == [1, 0]

    at.session_state["statements_table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception, at.exception
    checks = _frame(at, "Reconciles")
    assert list(checks["Stored"]) == ["24.16", "13.98"]
    assert list(checks["Reconciles"]) == ["yes", "yes"]
    assert at.button(key="statements_remove_button").disabled
    at.checkbox(key="statements_confirm").check().run()
    at.button(key="statements_remove_button").click().run()
    assert not at.exception, at.exception
    assert any("Removed 1 statement" in s.value for s in at.success)
    assert _statements(on_empty) == 1
    assert list(_frame(at, "Stored")["File"]) == [kept.file.split("/")[-1]]


LABEL_FILE = (
    "Monat;Titel;Künstler;Shop;Land;Menge;Umsatz (EUR)\n"
    "2024-01;Nachtzug;Die Beispiele;Spotify;DE;1200;3,45\n"
    "2024-02;Nachtzug;Die Beispiele;Deezer;AT;300;0,81\n"
).encode()


def test_a_file_in_no_known_layout_is_mapped_saved_and_imported(on_empty: str) -> None:
    at = _open("app_pages/import_statements.py")
    at.file_uploader(key="uploads").set_value([("label.csv", LABEL_FILE, "text/csv")]).run()
    assert not at.exception, at.exception
    (upload_id,) = {k.split("_")[1] for k in at.session_state if str(k).startswith("map_")}
    key = f"map_{upload_id}"
    # the guess from the German header words
    assert at.selectbox(key=f"{key}_usage_month").value == "Monat"
    assert at.selectbox(key=f"{key}_amount").value == "Umsatz (EUR)"
    assert at.selectbox(key=f"{key}_territory").value == "Land"
    assert at.selectbox(key=f"{key}_fixed_currency").value == "EUR"
    assert "2 lines, 4.26 EUR" in _texts(at).replace("\\", "")  # as rendered
    assert _statements(on_empty) == 0

    # a wrong choice is refused with the field and an example cell
    at.selectbox(key=f"{key}_amount").set_value("Titel").run()
    assert any(
        "amount field is mapped to column 'Titel'" in e.value and "Nachtzug" in e.value
        for e in at.error
    )
    at.selectbox(key=f"{key}_amount").set_value("Umsatz (EUR)").run()
    at.text_input(key=f"{key}_name").set_value("Beispiel Vertrieb").run()
    at.button(key=f"{key}_save").click().run()
    assert not at.exception, at.exception
    assert any("Saved the layout 'Beispiel Vertrieb'" in s.value for s in at.success)
    assert any("Beispiel Vertrieb" in e.label for e in at.expander)  # now detected

    at.button(key="import_button").click().run()
    result = _frame(at, "Status")
    assert list(result["Status"]) == ["imported"]
    assert list(result["Totals"]) == ["4.26 EUR"]
    assert _statements(on_empty) == 1


# --- issue 15: what the pages show, as a person reads it -------------------------------------------


def test_tables_lead_with_name_income_and_rate(on_sample: str) -> None:
    """On a phone the first three columns are what shows without scrolling."""
    at = _open("app_pages/platforms.py")
    assert list(_frame(at, "Share of income").columns[:4]) == [
        "Platform", "Income", "Per stream", "Streams",
    ]  # fmt: skip
    at.switch_page("app_pages/tracks.py").run()
    assert list(_frame(at, "ISRC").columns[:3]) == ["Track", "Income", "Per stream"]
    at.switch_page("app_pages/territories.py").run()
    assert list(_frame(at, "Code").columns[:3]) == ["Country", "Income", "Per stream"]
    at.switch_page("app_pages/overview.py").run()
    kinds = _frame(at, "How many")
    assert all(
        v.split()[-1] in {"streams", "downloads", "views", "sold"} for v in kinds["How many"]
    )


def test_best_paid_tracks_show_the_digits_that_tell_them_apart(on_sample: str) -> None:
    at = _open("app_pages/tracks.py")
    ranked = [t.value for t in at.dataframe if "ISRC" in t.value.columns][1]
    rates = list(ranked["Per stream"])
    assert len(set(rates)) == len(rates), rates  # the sample's tracks differ: none look tied
    assert any("significant digits" in c.value for c in at.caption)
    assert [t.label for t in at.tabs] == ["Earned most", "Best paid per stream"]


def test_the_industry_table_lists_the_artists_platforms_first(on_sample: str) -> None:
    at = _open("app_pages/platforms.py")
    eng = db.get_engine(on_sample)
    year = analytics.latest_full_year(eng)
    own = set(analytics.platform_table(eng, analytics.Filters(period=(year * 100 + 1,
              year * 100 + 12)), "GBP")["platform"])  # fmt: skip
    first = _frame(at, "Published average")
    assert set(first["Platform"]) <= own
    assert any("you have no income from" in e.label for e in at.expander)


def test_unwrapped_names_the_period_and_the_members(on_sample: str) -> None:
    at = _open("app_pages/unwrapped.py")
    eng = db.get_engine(on_sample)
    year = analytics.latest_full_year(eng)
    artists = analytics.artists(eng)
    assert f"{' & '.join(artists)} · {year}" in [h.value for h in at.main.header]
    assert any(f"**{year - 1}:**" in m.value for m in at.markdown)  # not 2024-01..2024-12
    assert any("paying 20% royalties" in m.value for m in at.markdown)  # not "20.0%"
    at.text_input(key="unwrapped_names").input("Ana, Ben").run()
    assert list(_frame(at, "Member")["Member"]) == ["Ana", "Ben", "Member 3", "Member 4"]
    at.radio(key="unwrapped_split_mode").set_value("Custom shares").run()
    at.text_input(key="unwrapped_shares").input("50, -1").run()
    assert any(e.value.startswith("Shares") for e in at.error)
    assert not [t for t in at.dataframe if "Member" in t.value.columns]  # no wrong table


def test_import_and_statements_say_what_is_stored_in_the_sidebar(on_sample: str) -> None:
    at = _open("app_pages/platforms.py")
    at.switch_page("app_pages/import_statements.py").run()
    assert [h.value for h in at.sidebar.header] == ["Stored"]
    assert "8 statements" in at.sidebar.markdown[0].value
