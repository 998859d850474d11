"""Drawing helpers the pages share: exact tables, charts, captions, downloads.

Money reaches the screen as text formatted from the exact ``Decimal`` (never a float the table
widget would round on its own terms); charts keep the package's own look (``royalty.charts``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from royalty import charts, formatting
from royalty.formatting import markdown_text
from royalty.ingest import ImportResult
from royalty.ui.state import ALL_ARTISTS, IMPORT_PAGE, Selection, engine, sample_banner

CHART_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,
    "responsive": True,
    "topojsonURL": "app/static/",
}
"""Maps load country outlines from the app's own static/world_110m.json, not from a CDN. No
plotly toolbar: on a phone it sits on the chart's title (the frame's own toolbar still
offers full screen, and the page's downloads the figures)."""
MAX_TABLE_ROWS = 30
ROW_PX = 35
NAME_PX = 150
"""The first (name) column's width: on a phone it leaves room for the income and the rate
beside it, and it stays in place while the other columns scroll under it."""
PIN_FROM = 4
"""Tables with more columns than this pin their names (narrower ones fit a phone whole)."""


def results_table(results: list[ImportResult]) -> pd.DataFrame:
    """Per-file outcome of an import, as the Import page shows it. A refused or duplicate
    file's message is said once, in its own box under the table, not again in a cut-off cell."""
    rows = []
    for r in results:
        rows.append(
            {
                "File": r.file,
                "Status": r.status,
                "Totals": ", ".join(f"{v} {c}" for c, v in r.totals.items()),
                "Stored": r.stored,
                "Rows": r.rows,
                "Skipped": r.skipped,
                "Dropped": r.dropped,
                "Period": "..".join(r.period) if r.period else "",
                "Layout": r.format or "",
                "Message": "" if r.status != "imported" else without_name(r.file, r.message),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["File", "Status", "Totals", "Stored", "Rows", "Skipped", "Dropped", "Period",
                 "Layout", "Message"],
    )  # fmt: skip


def without_name(name: str, message: str) -> str:
    """``message`` without the file name it starts with ("a.csv: is a PNG image" -> "is a PNG
    image", "a.csv, row 4: ..." -> "row 4: ..."), for a place that names the file already."""
    for named in (name, name.rsplit("/", 1)[-1]):
        for prefix in (f"{named}: ", f"{named}, "):
            if message.startswith(prefix):
                return message[len(prefix) :]
    return message


def file_message(name: str, message: str) -> str:
    """Markdown naming the file once, in bold, then what is wrong with it."""
    return f"**{markdown_text(name)}**: {markdown_text(without_name(name, message))}"


def caption(sel: Selection) -> None:
    """One line under a page title saying what the numbers cover."""
    f = sel.filters
    parts = [markdown_text(f.artist) if f.artist else ALL_ARTISTS, sel.period_label]
    if f.platforms:
        parts.append(", ".join(markdown_text(p) for p in f.platforms))
    if f.kinds:
        parts.append(", ".join(k.capitalize() for k in f.kinds))
    parts.append(f"amounts in {sel.currency}")
    st.caption(" · ".join(parts))
    sample_banner(engine(), IMPORT_PAGE)


def chart(fig: Any, *, key: str) -> None:
    """A plotly figure at full width, with our own styling (not Streamlit's theme)."""
    st.plotly_chart(fig, theme=None, key=key, config=CHART_CONFIG)


def fx_caption(fx: Any) -> None:
    """Which exchange rates turned other currencies into the reporting one."""
    text = str(getattr(fx, "text", None) or fx or "").strip()
    if text:
        st.caption(markdown_text(text))


FORMATS: dict[str, Callable[[Any, str], str]] = {
    "money": lambda v, c: formatting.money(v, c) if v is not None else "—",
    "rate": lambda v, c: formatting.rate(v, c),
    "count": lambda v, _c: formatting.count(int(v)) if v is not None else "—",
    "percent": lambda v, _c: formatting.percent(v) if v is not None else "—",
    "text": lambda v, _c: "" if v is None else str(v),
    "label": lambda v, _c: "" if v is None else str(v).capitalize(),
    "figure": lambda v, _c: "" if v is None else str(v),  # already written, right-aligned
}


RANKED = {
    "income": ("Income", "money"),
    "income_per_stream": ("Per stream", "rate"),
    "streams": ("Streams", "count"),
}
"""The columns every ranking by income starts with after the name (platforms, tracks,
countries): what a phone shows without scrolling, the rest beside them."""


def display_table(
    frame: pd.DataFrame,
    currency: str,
    columns: dict[str, tuple[str, str]],
    *,
    rate_digits: int = formatting.RATE_DIGITS,
) -> pd.DataFrame:
    """Exact values -> display text, column by column: {source column: (label, format)}.

    Money is shown as text (formatted from the exact ``Decimal``) rather than as floats the
    table widget would round on its own terms. ``rate_digits``: more significant digits for
    the rates of a ranking that needs them to tell its rows apart (``formatting.digits_apart``).
    """
    out = pd.DataFrame(index=frame.index)
    for name, (label, kind) in columns.items():
        if name not in frame.columns:
            continue
        fmt = FORMATS[kind]
        if kind == "rate" and rate_digits != formatting.RATE_DIGITS:
            fmt = lambda v, c: formatting.rate(v, c, digits=rate_digits)  # noqa: E731
        out[label] = [fmt(None if _missing(v) else v, currency) for v in frame[name]]
    out = out.reset_index(drop=True)
    out.attrs["numeric"] = [
        label for _, (label, kind) in columns.items() if kind not in {"text", "label"}
    ]
    return out


def show(table: pd.DataFrame, *, widths: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """A ``display_table`` with its number columns right-aligned, as numbers are read, and
    its first column (the names) pinned: on a phone the name, income and rate show at once
    and the other columns scroll beside them. ``widths``: a column's width by label."""
    numeric = table.attrs.get("numeric", [])
    config = {label: st.column_config.TextColumn(label, alignment="right") for label in numeric}
    if len(table.columns) > PIN_FROM and table.columns[0] not in numeric:
        config[table.columns[0]] = st.column_config.TextColumn(
            table.columns[0], width=NAME_PX, pinned=True
        )
    elif len(table.columns) and table.columns[0] not in numeric:  # fits: names never cut
        config[table.columns[0]] = st.column_config.TextColumn(table.columns[0], width="medium")
    for label, width in (widths or {}).items():
        config[label] = st.column_config.TextColumn(
            label, width=width, alignment="right" if label in numeric else None
        )
    kwargs.setdefault("hide_index", True)
    if len(table) <= MAX_TABLE_ROWS:  # show every row; no scrolling inside a short table
        kwargs.setdefault("height", ROW_PX * (len(table) + 1) + 3)
    st.dataframe(table, column_config=config, **kwargs)


def show_by_rate(frame: pd.DataFrame, currency: str, columns: dict[str, tuple[str, str]]) -> None:
    """A ranking by per-stream rate, with the digits that tell its rows apart (seven tracks
    all at "0.29p" look arbitrarily ordered; 0.293p above 0.291p does not) and the rows that
    tie exactly said to tie. ``columns`` starts with the name column."""
    rates = [None if _missing(v) else v for v in frame["income_per_stream"]]
    digits = formatting.digits_apart(rates, currency)
    show(display_table(frame, currency, columns, rate_digits=digits))
    name = next(iter(columns))
    names = [str(v) for v in frame[name]]
    for group in formatting.ties(rates):
        tied = formatting.names_text([markdown_text(names[i]) for i in group], most=len(group))
        st.caption(f"{tied} were paid exactly the same per stream: they tie.")
    if digits > formatting.RATE_DIGITS:
        st.caption(f"Rates to {digits} significant digits here, enough to tell them apart.")


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in keep.split("-") if part) or "all"


def downloads(eng: Engine, sel: Selection, *, key: str) -> None:
    """Download buttons for the shareable report formats (built only when clicked)."""
    from royalty import reports

    rates_only = st.toggle(
        "Rates only (leave out income and stream counts)",
        key=f"{key}_rates_only",
        help="For sharing what each platform pays without saying what you earned.",
    )
    f, cur = sel.filters, sel.currency
    stem = f"royalty-{_slug(f.artist or 'all-artists')}-{_slug(sel.period_label)}"
    if rates_only:
        stem += "-rates"
    files = [
        ("HTML report", "html", "text/html", ":material/description:",
         lambda: reports.html_report(eng, f, cur, rates_only=rates_only).encode("utf-8")),
        ("PNG card", "png", "image/png", ":material/image:",
         lambda: reports.card_png(eng, f, cur, rates_only=rates_only)),
        ("Spreadsheet (XLSX)", "xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ":material/table_view:",
         lambda: reports.xlsx_bytes(eng, f, cur, rates_only=rates_only)),
        ("CSV", "csv", "text/csv", ":material/csv:",
         lambda: reports.csv_bytes(eng, f, cur, rates_only=rates_only)),
    ]  # fmt: skip
    for column, (label, ext, mime, icon, build) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(
            label, data=build, file_name=f"{stem}.{ext}", mime=mime, icon=icon,
            on_click="ignore", key=f"{key}_download_{ext}", width="stretch",
        )  # fmt: skip
    st.caption(
        "The files are made when you click (the card and the report take a few seconds). "
        "The same numbers, exactly, as on screen."
    )


def industry_section(table: pd.DataFrame, sel: Selection) -> None:
    """The artist's rates next to published averages, with each figure's source and year."""
    from royalty.analytics import industry

    ref = industry.industry_table(sel.currency)
    if ref.empty:
        st.info(f"No published averages can be converted to {sel.currency}.")
        return
    chart(charts.rates_vs_industry(table, ref, sel.currency), key="platform_industry")
    own = dict(zip(table["platform"], table["income_per_stream"], strict=True))
    rows = pd.DataFrame(
        {
            "platform": ref["platform"],
            "yours": [own.get(p) for p in ref["platform"]],
            "published": ref["rate"],
            "year": ref["year"].astype(str),
            "source": ref["source"],
        }
    )
    columns = {
        "platform": ("Platform", "text"),
        "yours": ("Your rate", "rate"),
        "published": ("Published average", "rate"),
        "year": ("Year", "text"),
        "source": ("Source", "text"),
    }
    used = rows["platform"].isin(list(own))  # the artist's platforms first, the rest folded
    widths = {"Source": "large"}
    if used.any():
        show(
            display_table(rows[used], sel.currency, columns),
            key="platform_industry_table",
            widths=widths,
        )
    others = rows[~used]
    if not others.empty:
        with st.expander(
            f"Published averages for {formatting.plural(len(others), 'platform')} "
            "you have no income from"
        ):
            show(
                display_table(others, sel.currency, columns),
                key="platform_industry_others",
                widths=widths,
            )
    st.caption(
        "Platforms do not pay a fixed rate per stream; each published figure is an average for "
        "one sample of artists and years, in US dollars, converted at the ECB rate of June of "
        'its year. "—" under Your rate: too few streams there (or none) for a rate.'
    )
