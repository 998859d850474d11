"""The months of a report whose rows carry no date (Apple Music S1, Spotify via Finetunes,
YouTube exports): the period the file states elsewhere, else the one the person importing
gives, else the import stops and asks. A guess would put a quarter's money into one month.
"""

from __future__ import annotations

import pandas as pd

from royalty.errors import StatementError
from royalty.importers.base import FileFacts
from royalty.months import month_text


def covered(facts: FileFacts, said: tuple[int, int] | None) -> tuple[int, int]:
    """``said`` (what the file says, first and last month) wins over the period chosen."""
    period = said or facts.options.period
    if period is None:
        raise StatementError(
            facts.file,
            "does not say which months it covers in its rows; give the period, e.g. "
            "--period 2024-07..2024-09 on the command line or the Period field when "
            "importing in the app",
        )
    return period


def stamp(data: pd.DataFrame, period: tuple[int, int]) -> None:
    """Every row covers the whole period: first month of use and last."""
    data["usage_month"] = month_text(period[0])
    data["usage_month_end"] = month_text(period[1])
