"""Reports in a real headless Chromium, with the network off: charts draw, images and PDFs come out.

These need only Debian's chromium (``chromium_path()``), not a running app. Every request the
page makes that is not a ``file://`` read is aborted and recorded: a report must make none.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from conftest import chromium_path
from test_reports_data import ARTIST, SCRIPT_TITLE, load

from royalty import analytics, formatting, reports
from royalty.reports import card
from royalty.reports import html as report_html

F = analytics.Filters(artist=ARTIST)
USD = "USD"


@pytest.fixture
def browser_path() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed")
    return path


@pytest.fixture
def loaded(sqlite_engine):
    load(sqlite_engine)
    return sqlite_engine


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("rates_only", [False, True])
def test_html_draws_its_charts_offline(
    loaded, browser_path: str, tmp_path: Path, rates_only: bool
) -> None:
    from playwright.sync_api import sync_playwright

    data = reports.gather(loaded, F, USD, rates_only=rates_only)
    expected = len(report_html.figures(data))
    page_file = tmp_path / "report.html"
    page_file.write_text(report_html.render(data), encoding="utf-8")
    left: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            def route(r) -> None:
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    left.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(page_file.as_uri())
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot').length === {expected}",
                timeout=20_000,
            )
            plots = page.locator(".js-plotly-plot")
            assert plots.count() == expected
            for i in range(expected):
                assert plots.nth(i).locator(".main-svg").count() >= 1
            if not rates_only:  # the map drew its countries from the inlined outlines
                assert page.locator("#chart-world-map path.choroplethlocation").count() == 4
            # the hostile title is on the page as text, and nothing ran
            assert page.get_by_text(SCRIPT_TITLE).count() >= 1
            assert page.evaluate("document.querySelectorAll('script[src]').length") == 0
        finally:
            browser.close()
    assert left == []
    assert dialogs == []
    assert errors == []


@pytest.mark.parametrize(
    ("size", "expected"), [("portrait", (1080, 1350)), ("story", (1080, 1920))]
)
def test_card_png_sizes(loaded, browser_path: str, size: str, expected: tuple[int, int]) -> None:
    data = reports.card_png(loaded, F, USD, size=size)
    assert png_size(data) == expected
    assert len(data) > 20_000  # a drawn card, not a blank page


def test_card_figures_rates_only_and_unknown_size(loaded, browser_path: str) -> None:
    report = reports.gather(loaded, F, USD, rates_only=True)

    page = card.card_html(report, "portrait")
    assert formatting.money(report.summary.total_income, USD) not in page
    assert formatting.count(report.summary.total_streams) not in page
    assert formatting.rate(report.summary.income_per_stream, USD) in page
    assert "&lt;script&gt;" in page and SCRIPT_TITLE not in page
    assert png_size(card.card_png(report, "story")) == (1080, 1920)
    full = reports.gather(loaded, F, USD)
    page = card.card_html(full, "story")
    assert formatting.money(full.summary.total_income, USD) in page  # $58.25, the exact total
    assert formatting.count(full.summary.total_streams) in page
    assert full.summary.fingerprint in page
    with pytest.raises(ValueError, match="card size"):
        card.card_html(report, "square")


def test_pdf(loaded, browser_path: str, tmp_path: Path) -> None:
    data = reports.pdf_bytes(loaded, F, USD)
    assert data.startswith(b"%PDF")
    assert len(data) > 20_000
    out = reports.build(loaded, F, USD, tmp_path / "r.pdf", rates_only=True)
    assert out.read_bytes().startswith(b"%PDF")


def test_chart_images_in_one_batch(loaded, browser_path: str) -> None:
    images = reports.chart_images(loaded, F, USD)
    figures = report_html.figures(reports.gather(loaded, F, USD))
    names = [n for n, fig in figures.items() if not report_html.is_map(fig)]
    assert "world-map" in figures and "world-map" not in names
    assert set(images) == {f"{n}.{fmt}" for n in names for fmt in ("png", "svg")}
    for name, blob in images.items():
        if name.endswith(".png"):
            assert png_size(blob) == (2400, 1350)  # 1200x675 at scale 2
        else:
            assert blob.lstrip().startswith(b"<svg")
