"""One Decimal-aware conversion to JSON types; the summary JSON keeps its contract keys, and
its rates-only form has no absolute figure at any depth."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from test_reports_data import ARTIST, load

from royalty import analytics, reports
from royalty.jsonable import plain
from royalty.reports.view import ABSOLUTE_KEYS

CONTRACT = {
    "period", "currency", "total_streams", "total_income", "income_per_stream",
    "streams_per_unit", "platforms", "what_if", "label_deal",
}  # fmt: skip


@dataclass(frozen=True)
class Row:
    name: str
    amount: Decimal
    months: tuple[int, int]


def test_plain_is_exact_text_for_money_and_lists_for_tuples():
    row = Row("x", Decimal("0.10000000000000000000000000000001"), (202401, 202412))
    assert plain([row, {"k": Decimal("1E+2")}]) == [
        {"name": "x", "amount": "0.10000000000000000000000000000001", "months": [202401, 202412]},
        {"k": "100"},
    ]


def keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_summary_json_contract_and_rates_only_hides_every_absolute_figure(engine):
    load(engine)
    f = analytics.Filters(artist=ARTIST)
    full = analytics.summary_json(analytics.unwrapped(engine, f, "USD"))
    assert set(full) >= CONTRACT
    assert isinstance(full["fx"], str)
    json.dumps(full)  # plain JSON types only
    rates = reports.json_summary(engine, f, "USD", rates_only=True)
    assert keys(rates) & ABSOLUTE_KEYS == set()
