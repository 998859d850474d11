"""Shareable reports: one offline HTML file, a PDF, an image card, charts, XLSX and CSV.

Every function takes the same selection as the app (engine, ``analytics.Filters``, reporting
currency) and an optional ``rates_only`` that leaves out absolute income everywhere. ``build``
picks the format from the output file's extension; the app's download buttons call the
``*_bytes`` functions directly.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from sqlalchemy import Engine

from royalty import analytics
from royalty.reports import browser, card, exports, html, images, view
from royalty.reports.view import ReportData, gather

SUFFIXES = (".html", ".pdf", ".png", ".xlsx", ".csv", ".json", ".zip")
PDF_WIDTH = 720
"""CSS pixels the PDF's charts are laid out for (A4 minus margins is about 700)."""

__all__ = [
    "SUFFIXES",
    "ReportData",
    "build",
    "card_png",
    "chart_images",
    "csv_bytes",
    "gather",
    "html_report",
    "json_summary",
    "pdf_bytes",
    "xlsx_bytes",
]


def html_report(
    engine: Engine, f: analytics.Filters, currency: str, *, rates_only: bool = False
) -> str:
    """The self-contained HTML report (plotly.js inlined once; opens offline)."""
    return html.render(gather(engine, f, currency, rates_only=rates_only))


def pdf_bytes(
    engine: Engine, f: analytics.Filters, currency: str, *, rates_only: bool = False
) -> bytes:
    """The HTML report printed to PDF by headless Chromium (charts drawn, offline)."""
    page = html.render(gather(engine, f, currency, rates_only=rates_only), for_print=True)
    return browser.print_pdf(page, width=PDF_WIDTH)


def card_png(
    engine: Engine,
    f: analytics.Filters,
    currency: str,
    *,
    rates_only: bool = False,
    size: str = "portrait",
) -> bytes:
    """The Unwrapped card: ``portrait`` 1080x1350 or ``story`` 1080x1920."""
    return card.card_png(gather(engine, f, currency, rates_only=rates_only), size)


def chart_images(
    engine: Engine,
    f: analytics.Filters,
    currency: str,
    *,
    rates_only: bool = False,
    formats: tuple[str, ...] = images.FORMATS,
) -> dict[str, bytes]:
    """Every chart of the report as ``{"platform-rates.png": bytes, ...}``, one browser session."""
    data = gather(engine, f, currency, rates_only=rates_only)
    return images.render(_image_figures(data), formats)


def _image_figures(data: ReportData) -> dict:
    """The charts kaleido can draw offline (maps would need their outlines fetched)."""
    return {name: fig for name, fig in html.figures(data).items() if not html.is_map(fig)}


def xlsx_bytes(
    engine: Engine, f: analytics.Filters, currency: str, *, rates_only: bool = False
) -> bytes:
    """Workbook: Summary, Platforms, Tracks, Territories and (not rates-only) Lines."""
    return exports.xlsx_bytes(engine, gather(engine, f, currency, rates_only=rates_only))


def csv_bytes(
    engine: Engine,
    f: analytics.Filters,
    currency: str,
    *,
    rates_only: bool = False,
    table: str | None = None,
) -> bytes:
    """CSV of the lines (default) or of one table; rates-only defaults to the platforms table."""
    data = gather(engine, f, currency, rates_only=rates_only)
    return b"".join(exports.csv_chunks(engine, data, table))


def json_summary(
    engine: Engine, f: analytics.Filters, currency: str, *, rates_only: bool = False
) -> dict:
    """``analytics.summary_json`` (what ``royalty summary --json`` prints)."""
    summary = analytics.unwrapped(engine, f, currency)
    out = analytics.summary_json(summary)
    return view.rates_only_json(out, summary.fx, summary.currency) if rates_only else out


def build(
    engine: Engine,
    f: analytics.Filters,
    currency: str,
    out: Path,
    *,
    rates_only: bool = False,
    size: str = "portrait",
    table: str | None = None,
) -> Path:
    """Write the report to ``out``; the extension picks the format (see ``SUFFIXES``)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{out.name}: the report file must end in {', '.join(SUFFIXES)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        payload = json_summary(engine, f, currency, rates_only=rates_only)
        out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return out
    data = gather(engine, f, currency, rates_only=rates_only)
    if suffix == ".html":
        out.write_text(html.render(data), encoding="utf-8")
    elif suffix == ".pdf":
        out.write_bytes(browser.print_pdf(html.render(data, for_print=True), width=PDF_WIDTH))
    elif suffix == ".png":
        out.write_bytes(card.card_png(data, size))
    elif suffix == ".xlsx":
        exports.write_xlsx(engine, data, out)
    elif suffix == ".csv":
        with out.open("wb") as handle:
            for block in exports.csv_chunks(engine, data, table):
                handle.write(block)
    elif suffix == ".zip":
        rendered = images.render(_image_figures(data))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, blob in rendered.items():
                archive.writestr(name, blob)
    return out
