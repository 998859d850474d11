"""The HTML report: one self-contained file that opens offline with a double-click.

plotly.js is inlined once (from the installed plotly package), the CSS is inline, and a
Content-Security-Policy allows no network address at all and runs only this file's own scripts
(by nonce), so the report cannot fetch anything and an injected script could not run even if
escaping failed. Escaping is still the first defence: Jinja2 autoescapes every statement string,
and the figures' JSON is written with ``<``, ``>``, ``&`` and ``/`` as ``\\u`` escapes inside
a non-executed ``application/json`` block, so a track titled ``</script>`` stays text.
The world map's country outlines (``royalty.world``) are inlined the same way and handed to
plotly.js before it draws, so it never fetches them.
"""

from __future__ import annotations

import html
import json
import secrets
from datetime import UTC, datetime
from functools import lru_cache

import plotly.graph_objects as go
import plotly.offline
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from royalty import charts, formatting, world
from royalty.reports import rate_charts
from royalty.reports.table import Table
from royalty.reports.view import (
    HTML_ROWS,
    Highlight,
    ReportData,
    display,
    fx_text,
    highlights,
    period_label,
    period_name,
    tables,
    who,
)

PRINT_CHART_PX = 440
"""The tallest a chart is drawn in the PDF: two charts and a heading fit on one A4 page."""

JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "/": "\\u002f",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates ship inside the package; autoescape is on for every template."""
    return Environment(
        loader=PackageLoader("royalty.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def plotly_js() -> Markup:
    """plotly.js from the installed plotly package (no CDN); it contains no ``</script``."""
    js = plotly.offline.get_plotlyjs()
    if "</script" in js.lower():  # pragma: no cover - a guard for future plotly builds
        js = js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return Markup(js)


def script_json(value: object) -> Markup:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or ``/`` left."""
    text = value if isinstance(value, str) else json.dumps(value)
    for char, escape in JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


def figures(data: ReportData) -> dict[str, go.Figure]:
    """The report's charts by name; rates-only swaps in charts without absolute figures."""
    cur = data.currency
    if data.rates_only:
        return {
            "platform-rates": rate_charts.platform_rates_bar(data.platforms, cur),
            "share-streams-income": charts.share_streams_vs_income(data.platforms),
            "rates-over-time": rate_charts.rates_over_time(data.by_month, cur),
        }
    return {
        "platform-rates": charts.platform_rates_bar(data.platforms, cur),
        "share-streams-income": charts.share_streams_vs_income(data.platforms),
        "rates-over-time": charts.rates_over_time(data.by_month, cur),
        "monthly-trend": charts.monthly_trend(data.overview, cur),
        "income-by-kind": charts.income_by_kind(data.overview, cur),
        "top-tracks": charts.top_tracks_bar(data.tracks, cur),
        "world-map": charts.world_map(data.territories, cur),
    }


def is_map(fig: go.Figure) -> bool:
    """Maps need country outlines: inlined in the HTML, not available to image export."""
    return any(trace.type in ("choropleth", "scattergeo") for trace in fig.data)


def _tiles(data: ReportData) -> list[Highlight]:
    return list(highlights(data).values())


def _facts(data: ReportData) -> list[dict[str, str]]:
    s, cur = data.summary, data.currency
    out = []
    prev = s.previous
    change = prev.income_change if prev is not None else None
    if prev is not None and change is not None and not data.rates_only:  # an income figure
        word = "up" if change > 0 else "down" if change < 0 else "level"
        text = (
            f"Income {word} {formatting.percent(abs(change))} on the previous period of the "
            f"same length ({formatting.period_words(prev.period)}: "
            f"{formatting.money(prev.total_income, cur)} from "
            f"{formatting.count(prev.total_streams)} streams)"
        )
        out.append(
            {"text": text + ".", "cls": "up" if change > 0 else "down" if change < 0 else ""}
        )
    return out


def _what_if(data: ReportData) -> list[str]:
    s, cur = data.summary, data.currency
    lines = []
    for w in s.what_if:
        if data.rates_only:
            continue
        lines.append(
            f"If your {w.from_platform} streams had paid {w.to_platform}'s rate, you would have "
            f"earned {formatting.money(abs(w.extra_income), cur)} "
            f"{'more' if w.extra_income >= 0 else 'less'}."
        )
    return lines


def _label_deal(data: ReportData) -> str:
    deal = data.summary.label_deal
    if deal is None or data.rates_only:
        return ""
    return (
        f"On a label deal paying {formatting.percent(deal.royalty_rate, whole=True)}, this "
        "income would have "
        f"paid you {formatting.money(deal.would_have_paid, data.currency)}: releasing "
        f"independently kept {formatting.money(deal.difference, data.currency)} more."
    )


def _members(data: ReportData) -> list[dict[str, str]]:
    if len(data.summary.members) < 2:
        return []
    return [
        {
            "name": m.name,
            "share": formatting.percent(m.share),
            "income": formatting.money(m.income, data.currency),
        }
        for m in data.summary.members
    ]


def _html_table(table: Table, currency: str) -> dict[str, object]:
    """A table as the report shows it. Money and rate cells carry their unit ("£1,234.56",
    "0.24p"), so their headers do not repeat the currency: a header saying "(GBP)" above
    cells in pence contradicts them."""
    kinds = [c.kind for c in table.columns]
    rows = [
        [display(v, k, currency) for v, k in zip(row, kinds, strict=True)]
        for row in table.rows[:HTML_ROWS]
    ]
    note = table.note
    if len(table.rows) > HTML_ROWS:
        note = (
            note + " " if note else ""
        ) + f"First {HTML_ROWS} of {len(table.rows):,} rows; the XLSX export has them all."
    return {
        "name": table.name,
        "columns": [
            {
                "title": c.title.replace(f" ({currency})", "")
                if c.kind in ("money", "rate")
                else c.title,
                "num": c.kind != "text",
            }
            for c in table.columns
        ],
        "rows": rows,
        "note": note,
    }


def _method(data: ReportData) -> list[tuple[str, str]]:
    s = data.summary
    method = [
        (
            "Period",
            f"{period_name(data)}: usage months {period_label(data)}, by month of use (the "
            "month the streams happened, not the month paid).",
        ),
        ("Currency", f"{data.currency}. {fx_text(data)}"),
        ("Sources", "; ".join(s.sources) if s.sources else "none"),
        ("Fingerprint", s.fingerprint),
        (
            "Made",
            datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
            + " with royalty, from the statements listed.",
        ),
    ]
    if data.rates_only:
        method.append(("Rates only", "Absolute income and stream counts were left out on purpose."))
    return method


def render(data: ReportData, *, for_print: bool = False) -> str:
    """The report page for ``data`` (see ``royalty.reports.view.gather``); ``for_print``: for
    the PDF, with every chart at most ``PRINT_CHART_PX`` tall, so that charts share pages
    instead of one chart on a mostly empty page."""
    figs = figures(data)
    if for_print:
        for fig in figs.values():
            fig.update_layout(height=min(fig.layout.height or PRINT_CHART_PX, PRINT_CHART_PX))
    chart_list = [{"id": f"chart-{name}", "title": _fig_title(fig)} for name, fig in figs.items()]
    payload = (
        "["
        + ",".join(
            '{"id":'
            + json.dumps(f"chart-{name}")
            + ',"figure":'
            + to_json_plotly(fig.to_plotly_json())
            + "}"
            for name, fig in figs.items()
        )
        + "]"
    )
    geo = {}
    if any(is_map(fig) for fig in figs.values()):
        geo = {world.TOPOJSON_NAME: world.plotly_topojson()}
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            nonce=secrets.token_urlsafe(18),
            title=f"{who(data)}: royalties {period_name(data)}",
            subtitle=f"Usage months {period_name(data)}, in {data.currency}",
            rates_only=data.rates_only,
            has_data=data.has_data,
            tiles=_tiles(data),
            facts=_facts(data),
            what_if=_what_if(data),
            label_deal=_label_deal(data),
            members=_members(data),
            charts=chart_list,
            tables=[_html_table(t, data.currency) for t in tables(data)],
            method=_method(data),
            plotly_js=plotly_js(),
            charts_json=script_json(payload),
            geo_json=script_json(json.dumps(geo, separators=(",", ":"))),
        )
    )


def _fig_title(fig: go.Figure) -> str:
    return html.unescape(fig.layout.title.text or "Chart")
