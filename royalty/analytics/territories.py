"""Figures per territory (country): streams, income and per-stream rate, largest first.

With each territory's name and ISO-3 code, which the world map draws by; lines without a
territory are one "Not stated" row, so the rows still add up to the period's total.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from royalty.analytics.aggregate import Filters, rounded, territory_details, totals
from royalty.analytics.currency import Converter
from royalty.analytics.frames import per_stream_rates, sorted_by_income


def top_territories(
    engine: Engine, f: Filters, currency: str, limit: int | None = None
) -> pd.DataFrame:
    """territory, name, iso3, streams, income, income_per_stream; by income.

    Lines without a territory appear once, as territory None named "Not stated".
    """
    conv = Converter(currency)
    data = totals(engine, f, conv, by=["territory"])
    data = sorted_by_income(data, "streams", ascending_tie=False)
    if limit is not None:
        data = data.head(limit)
    info = territory_details(engine)
    codes = [None if pd.isna(c) else str(c) for c in data["territory"]]
    frame = pd.DataFrame(
        {
            "territory": pd.Series(codes, dtype=object),
            "name": [info.get(c, (c, None))[0] if c else "Not stated" for c in codes],
            "iso3": pd.Series(
                [info.get(c, (c, None))[1] if c else None for c in codes], dtype=object
            ),
            "streams": data["streams"].to_numpy(),
            "income": rounded(data)["income"].to_numpy(),
            "income_per_stream": per_stream_rates(data).to_numpy(),
        }
    )
    frame.attrs["fx"] = conv.note()
    return frame
