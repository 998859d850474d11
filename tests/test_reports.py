"""Reports: self-contained HTML, inert hostile strings, exact numbers in every export, rates-only.

The statement (``test_reports_data``) has a track titled ``<script>alert(1)</script>`` and one
titled ``=HYPERLINK("http://x","y")``, a refund (a negative amount) and titles starting with
``+`` and ``@``. Browser rendering (charts drawn offline, PNG, PDF) is in
``test_reports_browser.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline
import pytest
from test_reports_data import ARTIST, FORMULA_TITLE, ROWS, SCRIPT_TITLE, STREAMS, TOTAL, load

from royalty import analytics, formatting, reports
from royalty.cli import main
from royalty.reports import html as report_html
from royalty.reports import lines, safe

F = analytics.Filters(artist=ARTIST)
USD = "USD"


@pytest.fixture
def loaded(engine):
    load(engine)
    return engine


def summary(engine) -> analytics.Summary:
    return analytics.unwrapped(engine, F, USD)


def without_plotly(page: str) -> str:
    """The report minus the inlined plotly.js library (whose code is full of digits)."""
    library = plotly.offline.get_plotlyjs()
    assert page.count(library) == 1
    return page.replace(library, "")


# --- safe cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 Plus", "'+44 Plus"),
        ("-minus", "'-minus"),
        ("@home", "'@home"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (FORMULA_TITLE, "'" + FORMULA_TITLE),
        ("Tin Roof Psalm", "Tin Roof Psalm"),
        ("", ""),
    ],
)
def test_safe_text_prefixes_formula_starts(text: str, expected: str) -> None:
    assert safe.text(text) == expected


def test_safe_cell_leaves_numbers_alone() -> None:
    assert safe.cell(Decimal("-0.5")) == Decimal("-0.5")
    assert safe.cell(-3) == -3
    assert safe.cell(-1.5) == -1.5
    assert safe.cell("-0.5") == "'-0.5"  # as TEXT it is neutralized; numbers go as numbers
    assert safe.is_number(Decimal("-0.5")) and not safe.is_number(True)


# --- HTML -------------------------------------------------------------------------------------


class _Sources(HTMLParser):
    """Every src/href and every script element of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.meta: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            if a.get(name):
                self.urls.append((tag, name, a[name] or ""))
        if tag == "script":
            self.scripts.append(a)
        if tag == "meta":
            self.meta.append(a)


def test_html_is_self_contained(loaded) -> None:
    page = reports.html_report(loaded, F, USD)
    parsed = _Sources()
    parsed.feed(page)
    assert parsed.urls == []  # no script src, link href, img src of any kind
    assert all("src" not in s for s in parsed.scripts)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", without_plotly(page), re.I)
    # plotly.js is inlined exactly once, and the page forbids every network address
    assert page.count(plotly.offline.get_plotlyjs()) == 1
    csp = [m["content"] for m in parsed.meta if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0].startswith("default-src 'none'; script-src 'nonce-")
    assert "<style>" in page and "@media print" in page


def test_html_statement_strings_are_escaped(loaded) -> None:
    page = reports.html_report(loaded, F, USD)
    assert SCRIPT_TITLE not in page
    assert "alert(1)" in page  # the title is there, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    body = without_plotly(page)
    # only the report's own script elements: plotly.js, chart data, map outlines, plotting code
    assert len(re.findall(r"<script\b", body)) == 4
    data = re.search(
        r'<script type="application/json" id="report-charts">(.*?)</script>', body, re.S
    )
    assert data is not None
    assert "<" not in data.group(1) and ">" not in data.group(1)
    charts = json.loads(data.group(1))
    assert {c["id"] for c in charts} >= {
        "chart-platform-rates",
        "chart-top-tracks",
        "chart-world-map",
    }
    geo = re.search(r'<script type="application/json" id="report-geo">(.*?)</script>', body, re.S)
    assert geo is not None and "<" not in geo.group(1)
    assert json.loads(geo.group(1))["world_110m"]["type"] == "Topology"  # outlines inlined
    assert "alert(1)" in json.dumps(charts)  # the title made it into the chart, inert


def test_plotly_json_escapes_script_end() -> None:
    """plotly's own HTML and our JSON block both write ``</script>`` in data as escapes."""
    fig = go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1]))
    assert "</script><script>" not in pio.to_html(fig, full_html=False, include_plotlyjs=False)
    escaped = report_html.script_json(pio.to_json(fig))
    assert "</" not in escaped and "<script" not in escaped
    assert json.loads(str(escaped))["data"][0]["x"] == ["</script><script>alert(1)</script>"]


def test_html_shows_the_summary_figures(loaded) -> None:
    s = summary(loaded)
    assert s.total_income == Decimal(TOTAL)
    assert s.total_streams == STREAMS
    page = without_plotly(reports.html_report(loaded, F, USD))
    assert formatting.money(s.total_income, USD) in page  # $58.25
    assert formatting.count(s.total_streams) in page
    assert formatting.rate(s.income_per_stream, USD) in page
    assert s.fingerprint in page
    assert "2024-01..2024-02, by month of use" in page
    assert "distrokid_hostile.tsv" in page


class _Text(HTMLParser):
    """The page's visible text (no style or script content)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _numbers(value: object) -> list[float]:
    """Every number in a JSON structure, including numbers written inside strings."""
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, str):
        return [float(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", value)]
    return []


def test_rates_only_html_has_no_absolute_income(loaded) -> None:
    s = summary(loaded)
    page = without_plotly(reports.html_report(loaded, F, USD, rates_only=True))
    parser = _Text()
    parser.feed(page)
    text = " ".join(parser.parts)
    money = {s.total_income, s.label_deal.would_have_paid, s.label_deal.difference}
    money |= {r.income for r in s.platforms} | {w.extra_income for w in s.what_if}
    money |= {t.income for t in [s.top_track] if t} | {c.income for c in [s.top_country] if c}
    counts = {s.total_streams} | {r.streams for r in s.platforms}
    shown = {formatting.money(m, USD) for m in money} | {formatting.count(c) for c in counts}
    assert sorted(t for t in shown if t in text) == []
    numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", text)
    assert not {float(n.replace(",", "")) for n in numbers} & {float(c) for c in counts}
    data = re.search(r'id="report-charts">(.*?)</script>', page, re.S)
    assert data is not None
    traces = [c["figure"]["data"] for c in json.loads(data.group(1))]  # layout: font sizes etc.
    in_charts = set(_numbers(traces))
    absolute = {float(m) for m in money} | {float(c) for c in counts}
    assert not in_charts & absolute
    assert formatting.rate(s.income_per_stream, USD) in text  # rates are the point
    assert formatting.percent(s.platforms[0].share_of_streams) in text
    assert "Rates only" in text


# --- CSV ----------------------------------------------------------------------------------------


def _csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_lines_exact_and_inert(loaded) -> None:
    rows = _csv(reports.csv_bytes(loaded, F, USD))
    assert list(rows[0]) == [name for name, _ in lines.COLUMNS]
    assert len(rows) == len(ROWS)
    assert sum(Decimal(r["amount"]) for r in rows) == summary(loaded).total_income
    titles = [r["track"] for r in rows]
    assert "'" + FORMULA_TITLE in titles and FORMULA_TITLE not in titles
    assert "'+44 Plus" in titles and "'@home" in titles
    assert SCRIPT_TITLE in titles  # harmless in a spreadsheet: not a formula
    amounts = [r["amount"] for r in rows]
    assert "-0.5" in amounts  # a refund stays a number
    assert all(not a.startswith("'") for a in amounts)
    assert {r["quantity"] for r in rows} >= {"5000", "0"}
    assert {r["statement_file"] for r in rows} == {"distrokid_hostile.tsv"}


def test_csv_tables(loaded) -> None:
    s = summary(loaded)
    platforms = _csv(reports.csv_bytes(loaded, F, USD, table="platforms"))
    by_name = {r["Platform"]: r for r in platforms}
    for row in s.platforms:
        assert Decimal(by_name[row.platform]["Income (USD)"]) == row.income
        assert int(by_name[row.platform]["Streams"]) == row.streams
    facts = {
        r["item"]: r["value"] for r in _csv(reports.csv_bytes(loaded, F, USD, table="summary"))
    }
    assert Decimal(facts["Total income (USD)"]) == s.total_income
    assert int(facts["Total streams"]) == s.total_streams
    assert facts["Top track"] == SCRIPT_TITLE
    assert facts["Fingerprint"] == s.fingerprint
    tracks = _csv(reports.csv_bytes(loaded, F, USD, table="tracks"))
    assert "'" + FORMULA_TITLE in {r["Track"] for r in tracks}


def test_rates_only_csv(loaded) -> None:
    rows = _csv(reports.csv_bytes(loaded, F, USD, rates_only=True))
    assert list(rows[0]) == [
        "Platform", "Share of streams", "Share of income", "Per stream (USD)",
        "Per 1,000 streams (USD)", "Median monthly rate (USD)", "Rate, low month (USD)",
        "Rate, high month (USD)",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="rates-only export has no statement lines"):
        reports.csv_bytes(loaded, F, USD, rates_only=True, table="lines")


# --- XLSX -----------------------------------------------------------------------------------------


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_sheets_numbers_and_inert_text(loaded) -> None:
    s = summary(loaded)
    book = _book(reports.xlsx_bytes(loaded, F, USD))
    assert book.sheetnames == ["Summary", "Platforms", "Tracks", "Territories", "Lines"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{sheet.title}!{c.coordinate} is a formula"
    summary_rows = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(repr(summary_rows["Total income (USD)"])) == s.total_income
    assert summary_rows["Total streams"] == s.total_streams
    assert summary_rows["Top track"] == SCRIPT_TITLE
    head, *body = list(book["Lines"].iter_rows(values_only=True))
    assert list(head) == [name for name, _ in lines.COLUMNS]
    amount = head.index("amount")
    exact = [Decimal(r[6]) for r in ROWS]
    assert [Decimal(repr(r[amount])) for r in body] == exact
    assert all(isinstance(r[amount], float | int) for r in body)  # money as numbers, refunds too
    assert sum(exact) == s.total_income
    titles = [r[head.index("track")] for r in body]
    assert "'" + FORMULA_TITLE in titles and "'+44 Plus" in titles
    platforms = list(book["Platforms"].iter_rows(values_only=True))
    columns = platforms[0]
    by_name = {r[0]: r for r in platforms[1:]}
    for row in s.platforms:
        got = by_name[row.platform]
        assert Decimal(repr(got[columns.index("Income (USD)")])) == row.income
        assert got[columns.index("Streams")] == row.streams
    fmt = book["Platforms"].cell(row=2, column=columns.index("Share of streams") + 1).number_format
    assert fmt == "0.0%"


def test_rates_only_xlsx_has_no_absolute_income(loaded) -> None:
    s = summary(loaded)
    book = _book(reports.xlsx_bytes(loaded, F, USD, rates_only=True))
    assert book.sheetnames == ["Summary", "Platforms", "Tracks", "Territories"]
    absolute = {float(s.total_income), float(s.total_streams)}
    absolute |= {float(r.income) for r in s.platforms} | {float(r.streams) for r in s.platforms}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, int | float):
                    assert float(value) not in absolute, (sheet.title, value)
                if isinstance(value, str):
                    assert value not in ("Streams", "Total streams")
                    assert not value.startswith(
                        ("Income (", "Total income", "Previous period income")
                    )
    labels = [r[0] for r in book["Summary"].iter_rows(min_row=2, values_only=True)]
    assert "Income per stream (USD)" in labels and "Total income (USD)" not in labels


# --- JSON, build, CLI ---------------------------------------------------------------------------


def test_json_is_the_summary_json(loaded, tmp_path: Path) -> None:
    out = reports.build(loaded, F, USD, tmp_path / "s.json")
    assert json.loads(out.read_text("utf-8")) == json.loads(
        json.dumps(analytics.summary_json(summary(loaded)))
    )
    rates = reports.json_summary(loaded, F, USD, rates_only=True)
    text = json.dumps(rates)
    assert TOTAL not in text and '"total_income"' not in text and '"streams"' not in text
    assert (
        rates["income_per_stream"] == analytics.summary_json(summary(loaded))["income_per_stream"]
    )


def test_build_picks_format_by_extension(loaded, tmp_path: Path) -> None:
    assert (
        reports.build(loaded, F, USD, tmp_path / "r.html")
        .read_text("utf-8")
        .startswith("<!doctype html>")
    )
    assert reports.build(loaded, F, USD, tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
    assert (
        reports.build(loaded, F, USD, tmp_path / "r.csv")
        .read_bytes()
        .startswith("\ufeffmonth,platform".encode())
    )
    with pytest.raises(ValueError, match="must end in"):
        reports.build(loaded, F, USD, tmp_path / "r.docx")


def test_build_creates_the_folder_it_writes_into(loaded, tmp_path: Path) -> None:
    out = reports.build(loaded, F, USD, tmp_path / "new" / "2025" / "r.json")
    assert json.loads(out.read_text("utf-8"))["currency"] == USD


def test_cli_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from royalty.store.db import make_engine

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    load(engine)
    engine.dispose()
    out = tmp_path / "report.json"
    code = main(["report", "--artist", ARTIST, "--year", "2024", "--currency", "usd",
                 "--db", url, "--out", str(out)])  # fmt: skip
    assert code == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["total_income"] == "58.24999999" and data["period"] == "2024-01..2024-12"
    code = main(["report", "--period", "2024-01..2024-02", "--rates-only", "--db", url,
                 "--out", str(tmp_path / "rates.csv")])  # fmt: skip
    assert code == 0
    assert (tmp_path / "rates.csv").read_text("utf-8-sig").startswith("Platform,Share of streams")
    assert "rates.csv" in capsys.readouterr().out
    assert main(["report", "--db", url, "--out", str(tmp_path / "r.txt")]) == 2
    assert main(["report", "--artist", "Nobody", "--db", url, "--out", str(out)]) == 1
    capsys.readouterr()
    # with no period both default to the latest full year: the same JSON object
    assert main(["report", "--db", url, "--out", str(tmp_path / "default.json")]) == 0
    capsys.readouterr()
    assert main(["summary", "--json", "--db", url]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.loads((tmp_path / "default.json").read_text("utf-8")) == printed


def test_xlsx_lines_continue_on_new_sheets(loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel holds 1,048,576 rows a sheet; longer exports go on "Lines 2", "Lines 3" ..."""
    from royalty.reports import spreadsheet

    monkeypatch.setattr(spreadsheet, "XLSX_MAX_ROWS", 4)  # a header and three lines a sheet
    book = _book(reports.xlsx_bytes(loaded, F, USD))
    assert book.sheetnames[-2:] == ["Lines", "Lines 2"]
    parts = [list(book[n].iter_rows(values_only=True)) for n in ("Lines", "Lines 2")]
    assert [len(p) for p in parts] == [4, 4]
    assert parts[0][0] == parts[1][0]  # each sheet has the header
    amounts = [Decimal(repr(r[10])) for p in parts for r in p[1:]]
    assert amounts == [Decimal(r[6]) for r in ROWS]


def test_in_memory_database_is_queried_from_one_thread() -> None:
    """``sqlite://`` lives on one connection: the report must not query it from other threads."""
    from royalty.store.db import make_engine

    memory = make_engine("sqlite://")
    load(memory)
    page = without_plotly(reports.html_report(memory, F, USD))
    assert formatting.money(Decimal(TOTAL), USD) in page


def test_missing_browser_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from royalty.reports import browser

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    with pytest.raises(browser.BrowserError, match="BROWSER_PATH"):
        browser.screenshot("<p>x</p>", 100, 100)
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(browser.BrowserError, match="apt-get install chromium"):
        browser.chromium()


# --- issue 15: the reports as a person reads them ------------------------------------------------


def test_report_names_people_and_periods_as_people_do(loaded) -> None:
    from royalty.reports import card

    data = reports.gather(loaded, analytics.Filters(period=(202401, 202402)), USD)
    assert data.summary.artist is None and data.artists == (ARTIST,)
    page = card.card_html(data, "portrait")
    assert "All artists" not in page and ARTIST in page
    assert "Royalties unwrapped · Jan – Feb\u00a02024" in page
    assert "from 1 statement (DistroKid)" in page and "source(s)" not in page
    html_page = without_plotly(reports.html_report(loaded, F, USD))
    assert f"<h1>{ARTIST}: royalties Jan – Feb\u00a02024</h1>" in html_page


def test_a_rates_only_story_card_says_no_income_change(loaded) -> None:
    from royalty.reports import card

    data = reports.gather(loaded, F, USD, rates_only=True)
    assert data.summary.previous is not None  # there is a period before to compare with
    page = card.card_html(data, "story")
    assert "Income up" not in page and "Income down" not in page
    assert "Income up" not in without_plotly(reports.html_report(loaded, F, USD, rates_only=True))
    assert "income_change" not in json.dumps(reports.json_summary(loaded, F, USD, rates_only=True))
    book = _book(reports.xlsx_bytes(loaded, F, USD, rates_only=True))
    labels = [r[0] for r in book["Summary"].iter_rows(min_row=2, values_only=True)]
    assert "Income change vs previous period" not in labels


def test_report_tables_do_not_put_a_currency_above_pence(loaded) -> None:
    page = without_plotly(reports.html_report(loaded, F, USD))
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert "Per stream" in heads and "Per stream (USD)" not in heads
    assert not [h for h in heads if "(USD)" in h]  # every money cell says "$" itself
    csv_head = _csv(reports.csv_bytes(loaded, F, USD, table="platforms"))[0]
    assert "Per stream (USD)" in csv_head  # a spreadsheet's plain numbers keep their unit


def test_the_pdf_draws_charts_small_enough_to_share_a_page(loaded) -> None:
    data = reports.gather(loaded, F, USD)
    page = report_html.render(data, for_print=True)
    charts = json.loads(re.search(r'id="report-charts">(.*?)</script>', page, re.S).group(1))
    heights = [c["figure"]["layout"]["height"] for c in charts]
    assert heights and max(heights) <= report_html.PRINT_CHART_PX
    assert "section.table { break-inside: avoid;" in page  # a table is never split
