"""One payee's statement as a file to hand over: HTML (opens offline), PDF and CSV.

The same safety rules as the reports: the HTML is Jinja2-autoescaped with a policy that loads
and runs nothing, the CSV neutralizes every text cell that a spreadsheet would read as a
formula (``safe.text``), and amounts are exact decimal text. "Rates only" leaves out every
income, amount and stream count, as the reports do, and keeps the tracks, splits and shares.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from royalty import formatting
from royalty.analytics.payees import Payees, PayeeStatement, amount_text, span_text
from royalty.reports import browser
from royalty.reports.html import environment
from royalty.reports.spreadsheet import csv_rows
from royalty.reports.table import Column
from royalty.reports.view import fx_without_amounts
from royalty.shares import share_text

SUFFIXES = (".html", ".pdf", ".csv")
PDF_WIDTH = 720
COLUMNS = (
    Column("Source"),
    Column("Usage months"),
    Column("Split"),
    Column("Share"),
    Column("Streams", "int", absolute=True),
    Column("Income", "money", absolute=True),
    Column("Amount", "money", absolute=True),
)


class UnknownPayee(LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        listed = ", ".join(known) or "none yet"
        super().__init__(f"no payee called {name!r} in this period (payees: {listed})")


def find(p: Payees, name: str) -> PayeeStatement:
    found = p.payee(name)
    if found is None:
        raise UnknownPayee(name, [s.payee for s in p.payees])
    return found


def _columns(rates_only: bool) -> tuple[Column, ...]:
    return tuple(c for c in COLUMNS if not (rates_only and c.absolute))


def _cells(line, rates_only: bool) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    cells = (line.source, span_text(line.months), line.split, share_text(line.share),
             line.streams, line.income, line.amount)  # fmt: skip
    keep = [i for i, c in enumerate(COLUMNS) if not (rates_only and c.absolute)]
    return tuple(cells[i] for i in keep)


def _shown(value: object, column: Column, currency: str) -> str:
    if column.kind == "money":
        return formatting.money(value, currency)  # type: ignore[arg-type]
    if column.kind == "int":
        return formatting.count(int(value))  # type: ignore[call-overload]
    return str(value)


def _percent(share: Fraction | None) -> str:
    """A payee's share of the whole as the reports write shares (``21.3%``)."""
    if share is None:
        return formatting.DASH
    return formatting.percent(Decimal(share.numerator) / Decimal(share.denominator))


def _who(p: Payees) -> str:
    return p.artist or "All artists"


def html(p: Payees, name: str, *, rates_only: bool = False) -> str:
    """The statement page (Jinja2 autoescapes every name and title in it)."""
    s = find(p, name)
    cur, columns = p.currency, _columns(rates_only)
    tracks = [
        {
            "title": t.title if p.artist else f"{t.title} ({t.artist})",
            "isrc": t.isrc,
            "rows": [
                [_shown(v, c, cur) for v, c in zip(_cells(ln, rates_only), columns, strict=True)]
                for ln in t.lines
            ],
            "amount": "" if rates_only else formatting.money(t.amount, cur),
        }
        for t in s.tracks
    ]
    share = _percent(s.share_of_total)
    tiles = [{"label": "Share of the income", "value": share, "note": "of everything paid"}]
    if not rates_only:
        tiles.insert(0, {"label": "Amount", "value": formatting.money(s.amount, cur),
                         "note": f"of {formatting.money(p.total, cur)} in all"})  # fmt: skip
    everyone = [
        {
            "name": e.payee,
            "share": _percent(e.share_of_total),
            "amount": formatting.money(e.amount, cur),
        }
        for e in p.payees
    ]
    return (
        environment()
        .get_template("payee.html.j2")
        .render(
            title=f"Statement for {s.payee}",
            subtitle=f"{_who(p)} · usage months {p.period or 'all'} · in {cur}",
            rates_only=rates_only,
            tiles=tiles,
            tracks=tracks,
            columns=[{"title": c.title, "num": c.kind != "text"} for c in columns],
            everyone=everyone,
            total=formatting.money(p.total, cur),
            method=_method(p, rates_only),
        )
    )


def _method(p: Payees, rates_only: bool) -> list[tuple[str, str]]:
    fx = fx_without_amounts(p.fx, p.currency) if rates_only else p.fx.text
    method = [
        ("Period", f"{p.period or 'all months'}, by month of use (not the month paid)."),
        ("Shares", "Each line's share comes from the split named beside it: the track's own, "
                   "else its release's, else the whole catalogue's, from its first month on; "
                   "income no split covers is the artist's."),
        ("Currency", f"{p.currency}. {fx}"),
        ("Rounding", p.rounding),
        ("Made", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC") + " with royalty."),
    ]  # fmt: skip
    if rates_only:
        method.append(("Rates only", "Income, amounts and stream counts were left out on purpose."))
    return method


def csv_bytes(p: Payees, name: str, *, rates_only: bool = False) -> bytes:
    """The statement's lines as CSV, amounts as exact decimal text; the payee's total and the
    rounding rule as the last rows."""
    s = find(p, name)
    cur = p.currency
    columns = _columns(rates_only)
    header = ["Payee", "Track", "ISRC", "Artist", *[c.title for c in columns]]
    kinds = ["text"] * 4 + [c.kind for c in columns]
    rows: list[list[object]] = []
    for t in s.tracks:
        for ln in t.lines:
            rows.append([s.payee, t.title, t.isrc, t.artist, *_cells(ln, rates_only)])
    blank: list[object] = [""] * len(header)
    rows.append(blank)
    if not rates_only:
        rows.append([s.payee, "Total", *blank[2:-1], s.amount])
    rows.append(["Rounding", p.rounding, *blank[2:]])
    cells = [
        [
            amount_text(v, cur) if k == "money" and v != "" else v
            for v, k in zip(r, kinds, strict=True)
        ]
        for r in rows
    ]
    text = ["text" if k == "text" else "plain" for k in kinds]
    return b"".join(csv_rows(header, text, [cells]))


def pdf_bytes(p: Payees, name: str, *, rates_only: bool = False) -> bytes:
    return browser.print_pdf(html(p, name, rates_only=rates_only), width=PDF_WIDTH)


def write(p: Payees, name: str, out: Path, *, rates_only: bool = False) -> Path:
    """The statement at ``out``; its extension picks the format (``SUFFIXES``)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{out.name}: a statement file must end in {', '.join(SUFFIXES)}")
    find(p, name)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        out.write_text(html(p, name, rates_only=rates_only), encoding="utf-8")
    elif suffix == ".pdf":
        out.write_bytes(pdf_bytes(p, name, rates_only=rates_only))
    else:
        out.write_bytes(csv_bytes(p, name, rates_only=rates_only))
    return out
