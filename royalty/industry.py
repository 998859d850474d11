"""Published per-stream averages, to hold an artist's own rates against.

Platforms do not pay a fixed rate per stream: what a stream earns depends on the listener's
country and subscription, and on the rights holder's deal. These are averages for one published
sample each, kept with their source and year so the app can say where a figure comes from and
how old it is. Figures are US dollars per stream, exactly as published (per-1,000 figures
divided by 1,000).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd

from royalty.currency import ecb_rate


@dataclass(frozen=True)
class IndustryRate:
    platform: str
    """Canonical platform name, as ``royalty.platforms`` names it."""
    usd_per_stream: Decimal
    year: int
    """The year the figure describes."""
    source: str
    note: str = ""


DUETTI = "Duetti Music Economics Report (independent masters, published 2025)"
DMN = "Digital Music News compilation of 2019 payouts"

RATES: tuple[IndustryRate, ...] = (
    IndustryRate("Amazon Music", Decimal("0.0088"), 2024, DUETTI, "$8.80 per 1,000 streams"),
    IndustryRate("Apple Music", Decimal("0.0062"), 2024, DUETTI, "$6.20 per 1,000 streams"),
    IndustryRate("YouTube", Decimal("0.0048"), 2024, DUETTI, "$4.80 per 1,000 streams"),
    IndustryRate("Spotify", Decimal("0.0030"), 2024, DUETTI, "$3.00 per 1,000 streams"),
    IndustryRate("TIDAL", Decimal("0.0125"), 2019, DMN),
    IndustryRate("Napster", Decimal("0.019"), 2019, DMN),
    IndustryRate("Deezer", Decimal("0.0064"), 2019, DMN),
    IndustryRate("Pandora", Decimal("0.00133"), 2019, DMN),
)
"""One figure per platform: the most recent well-sourced one (see the module docstring)."""

ALL_PLATFORMS_2024 = IndustryRate(
    "All platforms", Decimal("0.00341"), 2024, DUETTI,
    "weighted average of Spotify, Apple, YouTube, Amazon, TIDAL, Qobuz, Deezer, SoundCloud, Pandora",
)  # fmt: skip
RATE_QUANTUM = Decimal("1e-12")


def industry_rates() -> list[IndustryRate]:
    """The published per-platform averages, in US dollars per stream."""
    return list(RATES)


def industry_table(currency: str) -> pd.DataFrame:
    """The averages converted to ``currency`` at the ECB rate of mid-year of each figure.

    Columns: platform, rate (Decimal per stream in ``currency``), usd_per_stream, year, source,
    label ("Duetti ... , 2024"). A currency the ECB does not publish keeps the dollar figures
    out (an empty frame) rather than pretend.
    """
    rows = []
    for r in RATES:
        fx = ecb_rate("USD", currency, r.year * 100 + 6)
        if fx is None:
            continue
        rate = (r.usd_per_stream * fx).quantize(RATE_QUANTUM, rounding=ROUND_HALF_EVEN)
        rows.append(
            {
                "platform": r.platform,
                "rate": rate.normalize() if currency == "USD" else rate,
                "usd_per_stream": r.usd_per_stream,
                "year": r.year,
                "source": r.source,
                "label": f"{r.source}, {r.year}",
            }
        )
    return pd.DataFrame(
        rows, columns=["platform", "rate", "usd_per_stream", "year", "source", "label"]
    )
