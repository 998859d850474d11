"""The Unwrapped summary as a plain-text table, for ``royalty summary`` and e-mails."""

from __future__ import annotations

from royalty.analytics.unwrapped import Summary
from royalty.formatting import count, money, one_unit, percent, rate

LABEL = 17
"""The label column of the headline lines; every label fits it, and one space follows."""


def _line(label: str, value: str) -> str:
    return f"{label:<{LABEL}} {value}"


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
    out.append(_line("Income", money(s.total_income, c)))
    out.append(_line("Streams", count(s.total_streams)))
    out.append(_line("Per stream", rate(s.income_per_stream, c)))
    if s.streams_per_unit:  # "Streams per £1", in the label column like the others
        out.append(_line(f"Streams per {one_unit(c)}", count(s.streams_per_unit)))
    if s.previous is not None and not (s.previous.total_income or s.previous.total_streams):
        out.append(_line("Previous period", f"{s.previous.period}: nothing stored"))
    elif s.previous is not None:
        out.append(
            _line(
                "Previous period",
                f"{s.previous.period}: {money(s.previous.total_income, c)}, "
                f"{count(s.previous.total_streams)} streams (income "
                f"{percent(s.previous.income_change, signed=True)}, streams "
                f"{percent(s.previous.streams_change, signed=True)})",
            )
        )
    if s.top_track is not None:
        top = s.top_track
        out.append(_line("Top track", f"{top.title} ({count(top.streams)} streams)"))
    if s.top_country is not None:
        top_c = s.top_country
        out.append(_line("Top country", f"{top_c.name} ({count(top_c.streams)} streams)"))
    if s.best_platform is not None and s.worst_platform is not None:
        out.append(
            _line(
                "Best paying",
                f"{s.best_platform.platform} ({rate(s.best_platform.income_per_stream, c)}); "
                f"worst {s.worst_platform.platform} "
                f"({rate(s.worst_platform.income_per_stream, c)})",
            )
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
