"""Published per-stream averages, to hold an artist's own rates against.

Platforms do not pay a fixed rate per stream: what a stream earns depends on the listener's
country and subscription, and on the rights holder's deal. Each figure in
``reference/industry_rates.csv`` is an average for one published sample, kept with its source,
the site that published it and the year it describes, so the app can say where a number comes
from and how old it is. Figures are US dollars per stream as published (per-1,000 figures
divided by 1,000), read as exact decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from royalty.analytics.currency import ecb_rate

RATE_QUANTUM = Decimal("1e-12")
ALL_PLATFORMS = "All platforms"
"""The row name of averages across services (not a platform of its own)."""
SINGLE_ARTIST_SOURCES = frozenset({"https://osc.garden"})
"""Sites whose figures come from one artist's statements."""


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    path = Path(__file__).parent.parent / "reference" / "industry_rates.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["rate_usd"] = frame["rate_usd"].map(Decimal).astype(object)
    frame["year"] = frame["year"].astype("int64")
    return frame


def industry_rates() -> pd.DataFrame:
    """Every published figure: platform, rate_usd (Decimal per stream), year, source,
    source_url, note; newest first, then by platform."""
    frame = _table().copy()
    return frame.sort_values(
        ["year", "platform"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def industry_table(currency: str) -> pd.DataFrame:
    """The newest figure per platform, converted to ``currency`` at the ECB rate of mid-year.

    Figures from a single artist's statements are used only for platforms no wider sample
    covers (TikTok, NetEase, Meta).

    Columns: platform, rate (Decimal per stream in ``currency``), usd_per_stream, year, source,
    source_url, label ("Duetti Music Economics Report, 2024"). Cross-service averages are left
    out (they are no platform). A currency the ECB does not publish gives an empty frame
    rather than dollar figures labelled as something else.
    """
    columns = ["platform", "rate", "usd_per_stream", "year", "source", "source_url", "label"]
    figures = industry_rates()
    figures = figures[figures["platform"] != ALL_PLATFORMS]
    # one artist's own statements are a sample of one: used only where nothing else is published
    single = figures["source_url"].isin(SINGLE_ARTIST_SOURCES)
    figures = pd.concat([figures[~single], figures[single]])
    newest = figures.drop_duplicates("platform", keep="first")  # sorted newest first
    rows = []
    for r in newest.itertuples(index=False):
        fx = ecb_rate("USD", currency.upper(), int(r.year) * 100 + 6)
        if fx is None:
            return pd.DataFrame(columns=columns)
        rate = r.rate_usd if fx == 1 else (r.rate_usd * fx).quantize(RATE_QUANTUM, ROUND_HALF_EVEN)
        rows.append(
            {
                "platform": r.platform,
                "rate": rate,
                "usd_per_stream": r.rate_usd,
                "year": int(r.year),
                "source": r.source,
                "source_url": r.source_url,
                "label": f"{r.source}, {r.year}",
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    for name in ("rate", "usd_per_stream"):
        frame[name] = frame[name].astype(object)
    return frame.sort_values("platform", key=lambda s: s.str.casefold()).reset_index(drop=True)
