"""Every figure a user sees, as text, from a database: the migration tests compare them before
and after an upgrade. It uses only calls that every release since 2026-12 has, so the same
function wrote ``releases/2026-12/figures.json`` with that release's code.

Run as a script to write the figures of a database: ``python tests/release_figures.py URL OUT``.
"""

from __future__ import annotations

import json
import sys

import pandas as pd
from sqlalchemy import Engine, text

from royalty import analytics
from royalty.analytics.aggregate import Filters


def _table(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in frame.to_dict("records")]


def figures(engine: Engine) -> dict[str, object]:
    out: dict[str, object] = {}
    with engine.connect() as conn:
        out["statements"] = [
            [str(v) for v in row]
            for row in conn.execute(
                text(
                    "SELECT s.file_name, s.sha256, s.layout, s.row_count, s.lines_stored, "
                    "s.lines_skipped, s.first_month, s.last_month, COUNT(l.id), "
                    "SUM(l.amount_nano) FROM statement s LEFT JOIN earning_line l "
                    "ON l.statement_id = s.id GROUP BY s.id ORDER BY s.sha256"
                )
            )
        ]
        out["statement_totals"] = sorted(
            [str(v) for v in row]
            for row in conn.execute(
                text(
                    "SELECT s.sha256, t.currency, t.amount, t.lines FROM statement_total t "
                    "JOIN statement s ON s.id = t.statement_id"
                )
            )
        )
    artists = [None, *analytics.artists(engine)]
    for artist in artists:
        f = Filters(artist=artist)
        currency = analytics.main_currency(engine, artist)
        view = analytics.overview(engine, f, currency)
        key = artist or "(all artists)"
        out[f"overview {key}"] = {
            "currency": view.currency,
            "total_income": str(view.total_income),
            "total_streams": view.total_streams,
            "stream_income": str(view.stream_income),
            "income_per_stream": str(view.income_per_stream),
            "monthly": _table(view.monthly),
            "by_kind": _table(view.by_kind),
        }
        out[f"platforms {key}"] = _table(analytics.platform_table(engine, f, currency))
        out[f"tracks {key}"] = _table(analytics.top_tracks(engine, f, currency, limit=None))
        out[f"territories {key}"] = _table(analytics.top_territories(engine, f, currency))
        out[f"months {key}"] = analytics.months(engine, artist)
    return out


if __name__ == "__main__":
    from royalty.store.db import make_engine

    url, path = sys.argv[1], sys.argv[2]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(figures(make_engine(url)), f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
