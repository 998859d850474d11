"""The Splits page's pieces: the split sheet as an editable table, checked as it is typed; the
payees' statements with their downloads; a label deal's account.

The table's rows become ``shares.SplitRow`` through ``shares.row`` (the same reading a CSV
gets), and ``shares.problems`` names each track whose shares do not total 100%. Payee figures
are cached by their arguments, the statements' data version and the stored splits themselves
(a saved sheet shows at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from royalty import formatting
from royalty.analytics import deals as deal_figures
from royalty.analytics import payees as payee_figures
from royalty.analytics import splits as split_figures
from royalty.analytics.aggregate import Filters
from royalty.analytics.payees import Payees, PayeeStatement, span_text
from royalty.formatting import markdown_text
from royalty.months import month_text
from royalty.shares import DealTerms, SplitRow, problems, row, share_text
from royalty.ui.data import cached
from royalty.ui.views import display_table, show

CATALOGUE = "Whole catalogue"
INCOME = {"All income": "all", "Master": "master", "Publishing": "publishing"}
EDITOR_COLUMNS = ["Payee", "Share", "Track", "From", "Income"]
EDITOR_ROWS_SHOWN = 20
"""Rows the table shows before it scrolls (a band's sheet fits)."""

stored_splits = split_figures.stored_splits  # not cached: saving one must show at once
stored_deals = deal_figures.stored_deals
tracks = cached(split_figures.tracks, max_entries=50)


def _payees(
    engine: Engine, f: Filters, currency: str, splits: tuple[tuple[str, str], ...]
) -> Payees:
    """``analytics.payees.payees``; ``splits`` is only there to key the cache."""
    return payee_figures.payees(engine, f, currency)


_cached_payees = cached(_payees, max_entries=50)


def _deal_account(engine: Engine, terms: DealTerms, until: int | None) -> deal_figures.DealAccount:
    return deal_figures.account(engine, terms, until)


deal_account = cached(_deal_account, max_entries=50)


def payees(engine: Engine, f: Filters, currency: str) -> Payees:
    """Each payee's statement, recomputed when the statements or the splits change."""
    found = stored_splits(engine, f.artist)
    key = tuple(sorted((a, repr(rows)) for a, rows in found.items()))
    return _cached_payees(engine, f, currency, key)


# --- the split sheet as a table ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    isrc: str = ""
    title: str = ""
    release: str = ""


def track_options(known: list[split_figures.TrackInfo], rows: list[SplitRow]) -> dict[str, Target]:
    """Label -> what a row names: the catalogue, each stored track and release, and whatever a
    stored split names that no stored track has (yet)."""
    options = {CATALOGUE: Target()}
    for t in known:
        options[f"{t.title} · {t.isrc}" if t.isrc else t.title] = Target(t.isrc, t.title)
    for t in known:
        if t.release_upc or t.release_title:
            name = t.release_title or t.release_upc
            label = f"Release: {name}" + (f" · {t.release_upc}" if t.release_title else "")
            options.setdefault(label, Target(release=t.release_upc or t.release_title))
    for r in rows:
        if _label(options, r) is None:
            if r.scope == "release":
                options[f"Release: {r.release}"] = Target(release=r.release)
            else:
                options[f"{r.title} · {r.isrc}" if r.isrc else r.title or r.isrc] = Target(
                    r.isrc, r.title
                )
    return options


def _label(options: dict[str, Target], r: SplitRow) -> str | None:
    for label, t in options.items():
        if SplitRow(r.payee, r.share, t.isrc, t.title, t.release).target == r.target:
            return label
    return None


def editor_frame(rows: list[SplitRow], options: dict[str, Target]) -> pd.DataFrame:
    """The stored sheet as the table edits it (text cells, shares exact: ``20%``, ``1/3``)."""
    kinds = {v: k for k, v in INCOME.items()}
    return pd.DataFrame(
        [
            {
                "Track": _label(options, r) or CATALOGUE,
                "Payee": r.payee,
                "Share": share_text(r.share),
                "From": month_text(r.from_month),
                "Income": kinds[r.applies_to],
            }
            for r in rows
        ],
        columns=EDITOR_COLUMNS,
    )


def editor_height(rows: int) -> int:
    """Every row and a new one, up to ``EDITOR_ROWS_SHOWN``."""
    return 35 * (min(rows, EDITOR_ROWS_SHOWN) + 2) + 3


def editor_config(options: dict[str, Target]) -> dict[str, object]:
    return {
        "Track": st.column_config.SelectboxColumn(
            "Track", options=list(options), required=True, width="medium",
            help="A track, a release (all its tracks) or the whole catalogue (the default)",
        ),
        "Payee": st.column_config.TextColumn("Payee", required=True, max_chars=120),
        "Share": st.column_config.TextColumn(
            "Share", required=True, help="25%, 0.25 or a fraction such as 1/3 (kept exactly)"
        ),
        "From": st.column_config.TextColumn(
            "From", help="First usage month it covers, YYYY-MM (empty: from the start)"
        ),
        "Income": st.column_config.SelectboxColumn(
            "Income", options=list(INCOME), required=True,
            help="Master (recordings) or publishing (songs) income only, or all of it",
        ),
    }  # fmt: skip


def rows_from_editor(
    frame: pd.DataFrame, options: dict[str, Target]
) -> tuple[list[SplitRow], list[str]]:
    """The edited table as split rows, and every problem with it (rows by number, then each
    track whose shares do not total 100%, with the sum)."""
    rows, found = [], []
    for number, values in enumerate(frame.to_dict("records"), start=1):
        cells = {k: "" if _blank(v) else str(v).strip() for k, v in values.items()}
        if not (cells.get("Payee") or cells.get("Share")):
            continue  # a new row not filled in yet
        target = options.get(cells.get("Track", "") or CATALOGUE, Target())
        try:
            rows.append(
                row(
                    cells.get("Payee", ""), cells.get("Share", ""), isrc=target.isrc,
                    title=target.title, release=target.release, from_month=cells.get("From", ""),
                    applies_to=INCOME.get(cells.get("Income", ""), "all"),
                )
            )  # fmt: skip
        except ValueError as exc:
            found.append(f"Row {number}: {exc}")
    return rows, found + problems(rows)


def unchanged(rows: list[SplitRow], stored: list[SplitRow]) -> bool:
    """Whether the table says what is stored (in any order): nothing to save."""
    return sorted(map(repr, rows)) == sorted(map(repr, stored))


def _blank(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value)) or str(value).strip() == ""
    except (TypeError, ValueError):
        return False


def show_problems(found: list[str]) -> None:
    for problem in found:
        st.error(markdown_text(problem), icon=":material/error:")


# --- payee statements --------------------------------------------------------------------------


def _share(s: PayeeStatement) -> object:
    if s.share_of_total is None:
        return None
    return Decimal(s.share_of_total.numerator) / Decimal(s.share_of_total.denominator)


def payees_table(p: Payees, *, rates_only: bool) -> None:
    """Every payee with their share of the income and (unless rates only) their amount, and
    the total they add up to."""
    frame = pd.DataFrame(
        [{"payee": s.payee, "share": _share(s), "amount": s.amount} for s in p.payees]
        + [{"payee": "Total", "share": None, "amount": p.total}],
        columns=["payee", "share", "amount"],
    )
    columns = {"payee": ("Payee", "text")}
    if not rates_only:
        columns["amount"] = ("Amount", "money")
    columns["share"] = ("Share of the income", "percent")
    show(display_table(frame, p.currency, columns), key="splits_payees_table")


def lines_table(p: Payees, s: PayeeStatement, *, rates_only: bool) -> None:
    """One payee's lines: track, source, months, which split, the share, and (unless rates
    only) the streams, the line's income and the payee's amount."""
    records = []
    for t in s.tracks:
        track = t.title if p.artist else f"{t.title} ({t.artist})"
        for ln in t.lines:
            records.append(
                {"track": track, "source": ln.source, "months": span_text(ln.months),
                 "split": ln.split, "share": share_text(ln.share), "streams": ln.streams,
                 "income": ln.income, "amount": ln.amount}
            )  # fmt: skip
    frame = pd.DataFrame(
        records,
        columns=["track", "source", "months", "split", "share", "streams", "income", "amount"],
    )
    columns = {"track": ("Track", "text"), "source": ("Source", "text"),
               "months": ("Usage months", "text"), "share": ("Share", "text")}  # fmt: skip
    if not rates_only:  # income x share = amount, side by side
        columns |= {"income": ("Income", "money"), "amount": ("Amount", "money"),
                    "streams": ("Streams", "count")}  # fmt: skip
    columns["split"] = ("Split", "text")
    show(display_table(frame, p.currency, columns), key="splits_lines_table")


def statement_downloads(p: Payees, name: str, *, rates_only: bool) -> None:
    """HTML, PDF and CSV of one payee's statement (made when clicked)."""
    from royalty.reports import payee as report

    stem = "statement-" + "-".join(
        "".join(ch.lower() if ch.isalnum() else " " for ch in f"{name} {p.period}").split()
    ) + ("-rates" if rates_only else "")  # fmt: skip
    files = [
        ("HTML", "html", "text/html", ":material/description:",
         lambda: report.html(p, name, rates_only=rates_only).encode("utf-8")),
        ("PDF", "pdf", "application/pdf", ":material/picture_as_pdf:",
         lambda: report.pdf_bytes(p, name, rates_only=rates_only)),
        ("CSV", "csv", "text/csv", ":material/csv:",
         lambda: report.csv_bytes(p, name, rates_only=rates_only)),
    ]  # fmt: skip
    for column, (label, ext, mime, icon, build) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(
            label, data=build, file_name=f"{stem}.{ext}", mime=mime, icon=icon,
            on_click="ignore", key=f"splits_download_{ext}", width="stretch",
        )  # fmt: skip


# --- a deal --------------------------------------------------------------------------------------


def deal_summary(a: deal_figures.DealAccount) -> None:
    """Where the deal stands: royalties so far against what it has to recoup, and when."""
    t, cur = a.terms, a.terms.currency
    c1, c2, c3 = st.columns(3)
    c1.metric("To recoup", formatting.money(t.to_recoup, cur), border=True)
    c2.metric("Royalties so far", formatting.money(a.royalties, cur), border=True)
    c3.metric("Balance", formatting.money(a.balance, cur, signed=True), border=True)
    if a.recouped is not None:
        st.success(
            f"Recouped in {month_text(a.recouped)}: from then on the royalties are paid out."
        )
    elif a.projected is not None:
        st.info(
            f"Not recouped yet. At the last {min(len(a.months), 12)} months' pace "
            f"({formatting.money(a.pace or 0, cur)} a month) it recoups in "
            f"{month_text(a.projected)}."
        )
    else:
        st.warning("Not recouped, and the trailing months earned no royalties to recoup it.")
    frame = pd.DataFrame(
        [(month_text(m.month), m.income, m.royalties, m.balance) for m in a.months],
        columns=["month", "income", "royalties", "balance"],
    )
    show(
        display_table(
            frame, cur,
            {"month": ("Month", "text"), "income": ("Income", "money"),
             "royalties": (f"Royalties at {formatting.percent(t.royalty_rate)}", "money"),
             "balance": ("Balance", "money")},
        ),
        key="splits_deal_table",
    )  # fmt: skip
