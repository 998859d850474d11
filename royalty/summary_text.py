"""The Unwrapped summary as a plain-text table, for ``royalty summary`` and e-mails."""

from __future__ import annotations

from decimal import Decimal

from royalty.analytics.unwrapped import Summary
from royalty.formatting import count, money, percent, rate


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *[line(r) for r in rows]]


def render(s: Summary) -> str:
    """Headline figures, every platform (none folded), what-if, label deal, members, sources."""
    c = s.currency
    who = s.artist or "All artists"
    out = [f"{who}: {s.period or 'no data'} ({c})", ""]
    out.append(f"Income            {money(s.total_income, c)}")
    out.append(f"Streams           {count(s.total_streams)}")
    out.append(f"Per stream        {rate(s.income_per_stream, c)}")
    if s.streams_per_unit:
        out.append(f"Streams to earn {money(Decimal(1), c)}: {count(s.streams_per_unit)}")
    if s.previous is not None and not (s.previous.total_income or s.previous.total_streams):
        out.append(f"Previous period   {s.previous.period}: nothing stored")
    elif s.previous is not None:
        out.append(
            f"Previous period   {s.previous.period}: {money(s.previous.total_income, c)}, "
            f"{count(s.previous.total_streams)} streams (income "
            f"{percent(s.previous.income_change, signed=True)}, streams "
            f"{percent(s.previous.streams_change, signed=True)})"
        )
    if s.top_track is not None:
        out.append(f"Top track         {s.top_track.title} ({count(s.top_track.streams)} streams)")
    if s.top_country is not None:
        out.append(
            f"Top country       {s.top_country.name} ({count(s.top_country.streams)} streams)"
        )
    if s.best_platform is not None and s.worst_platform is not None:
        out.append(
            f"Best paying       {s.best_platform.platform} "
            f"({rate(s.best_platform.income_per_stream, c)}); worst "
            f"{s.worst_platform.platform} ({rate(s.worst_platform.income_per_stream, c)})"
        )
    out.append("")
    rows = [
        [p.platform, count(p.streams), money(p.income, c), percent(p.share_of_streams),
         rate(p.income_per_stream, c)]
        for p in s.platforms
    ]  # fmt: skip
    out += _table(["Platform", "Streams", "Income", "% streams", "Per stream"], rows, {1, 2, 3, 4})
    out.append(f"(per-stream rates shown from {count(s.min_streams)} streams)")
    if s.what_if:
        out += ["", f"What if {s.what_if[0].from_platform}'s {count(s.what_if[0].streams)} "
                "streams were paid at another platform's rate:"]  # fmt: skip
        out += _table(
            ["Rate of", "Per stream", "Extra income"],
            [
                [w.to_platform, rate(w.to_rate, c), money(w.extra_income, c, signed=True)]
                for w in s.what_if
            ],
            {1, 2},
        )
    deal = s.label_deal
    out += [
        "",
        f"On a {percent(deal.royalty_rate)} label deal you would have been paid "
        f"{money(deal.would_have_paid, c)}: {money(deal.difference, c)} less.",
    ]
    if len(s.members) > 1:
        out.append(
            "Split: "
            + ", ".join(f"{m.name} {money(m.income, c)} ({percent(m.share)})" for m in s.members)
        )
    out += ["", f"Currency: {s.fx.text}"]
    if s.sources:
        out.append(f"Statements ({len(s.sources)}): " + ", ".join(s.sources))
    out.append(f"Fingerprint: {s.fingerprint}")
    return "\n".join(out)
