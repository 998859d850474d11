"""The Unwrapped page's pieces: the per-platform post, highlights, what-ifs, deal and split.

Every figure comes from ``analytics.unwrapped``; the only arithmetic here is the what-if for a
pair of platforms the person picks, done exactly as ``royalty.analytics.unwrapped.what_if`` does it.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from royalty import analytics, charts, formatting
from royalty.analytics.deals import DealAccount
from royalty.formatting import markdown_text
from royalty.months import month_text
from royalty.ui.views import chart, display_table, show


def parse_shares(text: str) -> tuple[list[Decimal] | None, str | None]:
    """ "40, 30, 30" or "2, 1, 1" -> weights; (None, message) when they make no split."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    if not parts:
        return None, "Shares: write one number per member, e.g. 40, 30, 30."
    try:
        weights = [Decimal(p.strip().rstrip("%")) for p in parts]
    except ArithmeticError:
        return None, f"Shares: {text!r} is not a list of numbers, e.g. 40, 30, 30."
    if any(not w.is_finite() or w < 0 for w in weights) or sum(weights) <= 0:
        return None, "Shares: numbers must be zero or more, and not all zero."
    return weights, None


def parse_names(text: str) -> list[str]:
    """ "Ana, Ben, Cleo" -> the members' names, in order (blanks left out)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def previous_change(summary: analytics.Summary) -> str | None:
    """Metric delta text, "+12.3% vs 2024", or None without a previous period."""
    prev = summary.previous
    if prev is None or prev.income_change is None:
        return None
    period = formatting.period_words(prev.period)
    return f"{formatting.percent(prev.income_change, signed=True)} vs {period}"


def unwrapped_platforms(summary: analytics.Summary) -> None:
    """The per-platform table a band would post (small platforms folded into "Other") and
    what each platform paid per stream."""
    cur = summary.currency
    rows = pd.DataFrame(
        [
            {
                "platform": r.platform,
                "streams": r.streams,
                "income": r.income,
                "share": r.share_of_streams,
                "rate": r.income_per_stream,
            }
            for r in summary.folded.rows
        ]
    )
    rated = pd.DataFrame(
        [
            {"platform": r.platform, "streams": r.streams, "income_per_stream": r.income_per_stream}
            for r in summary.platforms
        ],
        columns=["platform", "streams", "income_per_stream"],
    )
    table_col, chart_col = st.columns([3, 2])
    with table_col:
        show(
            display_table(
                rows,
                cur,
                {
                    "platform": ("Platform", "text"),
                    "income": ("Income", "money"),
                    "rate": ("Per stream", "rate"),
                    "streams": ("Streams", "count"),
                    "share": ("% of streams", "percent"),
                },
            ),
            key="unwrapped_platforms",
        )
        if summary.folded.other:
            with st.expander(f"Other ({len(summary.folded.other)} sources): which ones"):
                st.write(", ".join(markdown_text(name) for name in summary.folded.other))
        st.caption(
            f"Per stream is shown for platforms with at least {summary.min_streams:,} streams; "
            "platforms under 1% of income are folded into Other."
        )
    with chart_col:
        chart(charts.platform_rates_bar(rated, cur), key="unwrapped_rates")


def highlights_markdown(summary: analytics.Summary) -> str:
    """Best and worst payer, top track and country, and the change on the period before."""
    cur = summary.currency
    lines = []
    if summary.best_platform is not None:
        b = summary.best_platform
        lines.append(
            f"**Best payer:** {markdown_text(b.platform)}, "
            f"{formatting.rate(b.income_per_stream, cur)} a stream"
        )
    if summary.worst_platform is not None and summary.worst_platform != summary.best_platform:
        w = summary.worst_platform
        lines.append(
            f"**Lowest payer:** {markdown_text(w.platform)}, "
            f"{formatting.rate(w.income_per_stream, cur)} a stream"
        )
    if summary.top_track is not None:
        t = summary.top_track
        lines.append(
            f"**Top track:** {markdown_text(t.title)} ({formatting.count(t.streams)} streams, "
            f"{formatting.money(t.income, cur)})"
        )
    if summary.top_country is not None:
        c = summary.top_country
        lines.append(
            f"**Top country:** {markdown_text(c.name)} ({formatting.count(c.streams)} streams)"
        )
    if summary.streams_per_unit:
        lines.append(
            f"**Streams to earn {formatting.one_unit(cur)}:** "
            f"{formatting.count(summary.streams_per_unit)}"
        )
    prev = summary.previous
    if prev is not None:
        lines.append(
            f"**{formatting.period_words(prev.period)}:** "
            f"{formatting.money(prev.total_income, cur)} from "
            f"{formatting.count(prev.total_streams)} streams"
            + (
                f" (income {formatting.percent(prev.income_change, signed=True)})"
                if prev.income_change is not None
                else ""
            )
        )
    return "\n".join(f"- {line}" for line in lines)


def what_if_pair(summary: analytics.Summary, src: str, dst: str) -> analytics.WhatIf | None:
    """``src``'s streams paid at ``dst``'s rate: exact, as ``analytics.unwrapped`` computes it."""
    rows = {r.platform: r for r in summary.platforms}
    a, b = rows.get(src), rows.get(dst)
    if a is None or b is None or b.income_per_stream is None or not b.streams:
        return None
    paid = a.streams * b.stream_income / b.streams
    return analytics.WhatIf(
        from_platform=src, to_platform=dst, extra_income=paid - a.stream_income,
        streams=a.streams, from_rate=a.income_per_stream, to_rate=b.income_per_stream,
    )  # fmt: skip


def what_if_sentence(summary: analytics.Summary, src: str, dst: str) -> str:
    w = what_if_pair(summary, src, dst)
    if w is None:
        return "—"
    cur = summary.currency
    verb = "more" if w.extra_income >= 0 else "less"
    return (
        f"If your {formatting.count(w.streams)} {markdown_text(src)} streams had paid "
        f"{markdown_text(dst)}'s {formatting.rate(w.to_rate, cur)} a stream (instead of "
        f"{formatting.rate(w.from_rate, cur)}), you would have earned "
        f"**{formatting.money(abs(w.extra_income), cur)} {verb}**."
    )


def label_deal_sentence(summary: analytics.Summary) -> str:
    deal, cur = summary.label_deal, summary.currency
    return (
        f"On a label deal paying {formatting.percent(deal.royalty_rate, whole=True)} royalties, "
        "the same "
        f"{formatting.money(summary.total_income, cur)} would have paid you "
        f"**{formatting.money(deal.would_have_paid, cur)}**: releasing independently kept "
        f"{formatting.money(deal.difference, cur)} more."
    )


def deal_sentence(a: DealAccount) -> str:
    """A stored deal's account up to the period's end, as the label-deal comparison's sequel."""
    t, cur = a.terms, a.terms.currency
    if a.recouped is not None:
        status = f"it recouped in {month_text(a.recouped)}"
    elif a.projected is not None:
        status = f"at the recent months' pace it recoups in {month_text(a.projected)}"
    else:
        status = "the recent months earned nothing towards recouping it"
    last = month_text(a.months[-1].month) if a.months else month_text(t.from_month)
    return (
        f"Your deal *{markdown_text(t.name)}* ({formatting.percent(t.royalty_rate)}, "
        f"{formatting.money(t.to_recoup, cur)} advance and costs to recoup from "
        f"{month_text(t.from_month)}): {formatting.money(a.royalties, cur)} of royalties by "
        f"{last}, a balance of **{formatting.money(a.balance, cur, signed=True)}**; {status}."
    )


def members_table(summary: analytics.Summary) -> None:
    rows = pd.DataFrame(
        [{"name": m.name, "share": m.share, "income": m.income} for m in summary.members]
    )
    show(
        display_table(
            rows,
            summary.currency,
            {
                "name": ("Member", "text"),
                "share": ("Share", "percent"),
                "income": ("Income", "money"),
            },
        ),
        hide_index=True,
        key="unwrapped_members_table",
    )
